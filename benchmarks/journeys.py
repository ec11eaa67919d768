"""F14: many people fill in the wizard at once; afterwards every draft must hold exactly what its session posted.

    .venv/bin/python -m benchmarks.journeys --database sqlite|postgresql [--users 200] [--spawn-rate 20]

gunicorn runs as deployed (`gunicorn -w 2`, WIZARD_ENV=production, rate limits off: one loopback
address would trip them). Locust (`locust_journeys.py`, headless, bounded by --run-time) starts one
user per session; each makes the whole journey once as a new visitor: start a draft, fill every
step, check the answers, follow that page's sign-in link (to one of the accounts made here; signing
in adopts the draft), submit, see the confirmation. The profile types alternate. Then the database is
read: each session's profile must be submitted by its account, with one frozen submission, and both
must hold the answers it posted. Writes benchmarks/work/journeys-<database>.json and prints a
Markdown row for README.md or RESULTS.md; exits 1 unless every figure is met. The SQLite file stays
in benchmarks/work/; the PostgreSQL schema bench_journeys is dropped unless --keep.
"""
import argparse
import html
import json
import os
import random
import re
import subprocess
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from benchmarks import answers as gen
from benchmarks.browser import Browser
from benchmarks.common import (
    PASSWORD,
    PG_BASE,
    VENV_BIN,
    WORK,
    app_env,
    free_port,
    gunicorn,
    production_app,
    sqlalchemy_url,
)
from benchmarks.generate import migrate
from benchmarks.pages import start_draft, walk
from benchmarks.smtp_latency import submit_fields

PROFILE_TYPES = ("works_with_clusters", "association", "partnership", "cluster_organisation")
PG_SCHEMA = "bench_journeys"
LOCKED = "database is locked"
SIGN_IN_LINK = re.compile(r'href="(/account/sign-in\?next=[^"]+)"')


def account_email(index: int) -> str:
    return f"journey{index}@bench.example.eu"


def journey_answers(profile_type: str, serial: int) -> dict:
    """Every step's answers for one profile type; the serial makes names and websites unique in the run."""
    rng = random.Random(serial)
    if profile_type == "cluster_organisation":
        name, acronym, website = gen.cluster_identity(rng, serial)
        members = [gen.company_identity(rng, serial * 100 + i) for i in range(5)]
        return gen.cluster_eu(rng, gen.common(rng, "DE", name, acronym, website), members)
    name, website, _domain = gen.company_identity(rng, serial)
    return gen.other_type(rng, profile_type, gen.common(rng, "DE", name, "", website))


def run_journey(browser: Browser, index: int, serial: int) -> dict:
    """One visitor's whole journey; returns what it posted, for the database check."""
    profile_type = PROFILE_TYPES[index % len(PROFILE_TYPES)]
    answers = journey_answers(profile_type, serial)
    public_id = start_draft(browser, profile_type)
    walk(browser, public_id, answers)
    check = f"/drafts/{public_id}/check-answers"
    # Anonymous visitors see their answers and a link to sign in; signing in adopts the draft and comes back.
    sign_in = SIGN_IN_LINK.search(browser.get(check).text)
    if sign_in is None:
        raise RuntimeError("no sign-in link on the anonymous check-answers page")
    back = browser.post_form(html.unescape(sign_in.group(1)), {"email": account_email(index), "password": PASSWORD})
    if back.location != check:
        raise RuntimeError(f"signing in led to {back.location}, not back to {check}")
    done = browser.post(check, submit_fields(browser.get(check).text), expect=303)
    browser.get(done.location)
    return {"index": index, "profile_type": profile_type, "public_id": public_id, "answers": answers}


# --- the database ---------------------------------------------------------------------------------------


def database_url(database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{WORK / 'journeys.sqlite3'}"
    separator = "&" if "?" in PG_BASE else "?"
    return f"{PG_BASE}{separator}options=-csearch_path%3D{PG_SCHEMA}"


def drop_schema() -> None:
    engine = create_engine(sqlalchemy_url(PG_BASE))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
    engine.dispose()


def fresh_database(database: str, users: int) -> str:
    """An empty database migrated to head, with one verified account per session (one hash serves all)."""
    WORK.mkdir(parents=True, exist_ok=True)
    url = database_url(database)
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (WORK / f"journeys.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        drop_schema()
        engine = create_engine(sqlalchemy_url(PG_BASE))
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
        engine.dispose()
    migrate(sqlalchemy_url(url))
    from wizard import passwords
    from wizard.extensions import db
    from wizard.models import User

    app = production_app(url)  # argon2-cffi's default parameters, as the server verifies them
    with app.app_context():
        password_hash = passwords.hash_password(PASSWORD)
        now = datetime.now(UTC)
        db.session.add_all(User(email=account_email(i), password_hash=password_hash, email_verified_at=now)
                           for i in range(users))
        db.session.commit()
        db.engine.dispose()
    return url


def same_answers(posted: dict, stored: dict | None) -> bool:
    """Stored as posted, step by step: the app keeps a form's posted fields (an empty list posts nothing)."""
    if not stored:
        return False
    for step, fields in posted.items():
        saved = stored.get(step) or {}
        if not saved.get("_valid"):
            return False
        if {k: v for k, v in fields.items() if k != "_valid" and v} != \
                {k: v for k, v in saved.items() if k != "_valid" and v}:
            return False
    return True


def check_database(url: str, records: list[dict]) -> dict:
    """For every session: its profile is submitted and its answers (live and frozen) equal what it posted."""
    engine = create_engine(sqlalchemy_url(url))
    verdicts = {"checked": len(records), "equal": 0, "not_submitted": [], "different": [], "missing": []}
    with engine.connect() as connection:
        for record in records:
            row = connection.execute(text(
                "SELECT p.id, p.status, p.answers, u.email FROM profiles p LEFT JOIN users u ON u.id = p.owner_id "
                "WHERE p.public_id = :public_id"), {"public_id": record["public_id"]}).one_or_none()
            if row is None:
                verdicts["missing"].append(record["public_id"])
                continue
            frozen = connection.scalars(text("SELECT answers FROM submissions WHERE profile_id = :id"),
                                        {"id": row.id}).all()
            live = json.loads(row.answers) if isinstance(row.answers, str) else row.answers
            frozen = [json.loads(a) if isinstance(a, str) else a for a in frozen]
            if row.status != "submitted" or len(frozen) != 1 or row.email != account_email(record["index"]):
                verdicts["not_submitted"].append(record["public_id"])
            elif same_answers(record["answers"], live) and same_answers(record["answers"], frozen[0]):
                verdicts["equal"] += 1
            else:
                verdicts["different"].append(record["public_id"])
        verdicts["profiles_in_database"] = connection.scalar(text("SELECT count(*) FROM profiles"))
        if url.startswith("sqlite"):
            verdicts["integrity_check"] = connection.scalar(text("PRAGMA integrity_check"))
    engine.dispose()
    return verdicts


# --- the run ---------------------------------------------------------------------------------------------


def run_locust(port: int, users: int, spawn_rate: float, run_time: str, database: str) -> dict:
    """Runs the locustfile headless; returns what it wrote (the sessions' records and locust's counts)."""
    if not (VENV_BIN / "locust").exists():
        raise SystemExit("locust is not installed: .venv/bin/pip install -e '.[bench]'")
    output = WORK / f"journeys-{database}-sessions.json"
    output.unlink(missing_ok=True)
    env = {**os.environ, "JOURNEYS_OUTPUT": str(output), "JOURNEYS_USERS": str(users),
           "JOURNEYS_SERIAL_BASE": str(int(time.time()) % 100_000 * 1000)}
    with open(WORK / f"locust-journeys-{database}.log", "w") as log:
        subprocess.run([str(VENV_BIN / "locust"), "-f", "benchmarks/locust_journeys.py", "--headless",
                        "--host", f"http://127.0.0.1:{port}", "--users", str(users), "--spawn-rate", str(spawn_rate),
                        "--run-time", run_time, "--stop-timeout", "30", "--exit-code-on-error", "0", "--only-summary",
                        "--loglevel", "WARNING"],
                       cwd=WORK.parent.parent, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    if not output.exists():
        raise RuntimeError(f"locust wrote no results; see {WORK / f'locust-journeys-{database}.log'}")
    return json.loads(output.read_text())


def run(database: str, users: int, spawn_rate: float, run_time: str) -> dict:
    url = fresh_database(database, users)
    port = free_port()
    log_name = f"gunicorn-journeys-{database}"
    (WORK / f"{log_name}.log").unlink(missing_ok=True)
    started = time.monotonic()
    with gunicorn("wsgi:app", port, app_env(url, port), log_name):
        sessions = run_locust(port, users, spawn_rate, run_time, database)
    seconds = round(time.monotonic() - started, 1)
    server_log = (WORK / f"{log_name}.log").read_text(errors="replace")
    check = check_database(url, sessions["records"])
    return {
        "database": database, "users": users, "spawn_rate": spawn_rate, "seconds": seconds,
        "journeys_completed": len(sessions["records"]), "journeys_failed": len(sessions["failures"]),
        "requests": sessions["requests"], "request_failures": sessions["request_failures"],
        "errors": sessions["errors"], "failures": sessions["failures"][:10],
        "locked_in_responses": sessions["locked"], "locked_in_server_log": server_log.count(LOCKED),
        "server_log_tracebacks": server_log.count("Traceback"),
        "p50_ms": sessions["p50_ms"], "p95_ms": sessions["p95_ms"], "max_ms": sessions["max_ms"],
        "database_check": check,
        "gunicorn": "gunicorn -w 2 -b 127.0.0.1:PORT wsgi:app", "run_at": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    }


MARKDOWN_HEADER = ("| database | sessions (2 workers) | journeys completed | failed requests | `database is locked` "
                   "| drafts equal to what was posted | p95 | run |\n|---|---|---|---|---|---|---|---|")


def markdown(result: dict) -> str:
    """The result as a row under MARKDOWN_HEADER, for README.md or RESULTS.md."""
    locked = result["locked_in_responses"] + result["locked_in_server_log"]
    return (f"| {result['database']} | {result['users']} | {result['journeys_completed']}/{result['users']} | "
            f"{result['request_failures']} of {result['requests']} | {locked} | "
            f"{result['database_check']['equal']}/{result['users']} | {result['p95_ms'] / 1000:.1f} s | "
            f"{result['seconds']:.0f} s, {result['run_at']} |")


def passed(result: dict) -> bool:
    return (result["journeys_completed"] == result["users"] and not result["request_failures"]
            and not result["journeys_failed"] and not result["locked_in_responses"]
            and not result["locked_in_server_log"] and not result["server_log_tracebacks"]
            and result["database_check"]["equal"] == result["users"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20, help="sessions started per second")
    parser.add_argument("--run-time", default="10m", help="locust's bound on the whole run")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema for a look afterwards")
    args = parser.parse_args()
    try:
        result = run(args.database, args.users, args.spawn_rate, args.run_time)
    finally:
        if args.database == "postgresql" and not args.keep:
            drop_schema()
    result["passed"] = passed(result)
    (WORK / f"journeys-{args.database}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "failures"}, indent=2))
    print(MARKDOWN_HEADER)
    print(markdown(result))
    raise SystemExit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
