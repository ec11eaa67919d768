"""Lighthouse (accessibility, best practices) and the Nu HTML checker over the pages issue 17 names.

    .venv/bin/python scripts/page_checks.py [--no-lighthouse]

Installs vnu-jar and Lighthouse (pinned in scripts/node/*/package.json) into scripts/node/*/node_modules
(gitignored) when missing, serves the app with gunicorn on loopback over a fresh SQLite database with the
demo data and the validators' demo queue, signs in as the demo applicant and validator, and checks: the
start page, a step page of each of the five profile types, "Check your answers", the directory and the
validator's page. Lighthouse gets the signed-in session's cookie through --extra-headers. Prints a table
and writes it, with Lighthouse's JSON reports, to test-artifacts/page-checks/. Not run in CI (Lighthouse
is slow); tests/test_nu_html.py keeps the Nu checker's 0 errors in the suite.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import answers  # noqa: E402
from tests.support.nu import VNU_FOLDER, nu_errors, vnu_command  # noqa: E402
from tests.support.server import ARTIFACTS, OVERRIDES_ENV, LiveServer, sqlite_database  # noqa: E402
from wizard import demo  # noqa: E402
from wizard.engine import SEEN_FIELD  # noqa: E402
from wizard.validation.demo_queue import APPLICANT_EMAIL  # noqa: E402

LIGHTHOUSE_FOLDER = REPO / "scripts" / "node" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_FOLDER / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
OUT = ARTIFACTS / "page-checks"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
SEEN = re.compile(rf'name="{SEEN_FIELD}" value="([^"]*)"')

#: (profile type, answers, the steps answered first, the type's own step that is checked)
STEP_PAGES = [
    ("cluster_organisation", answers.cluster_eu, ["country", "organisation", "contact", "management"], "members"),
    ("cluster_member", answers.member, ["country", "organisation", "contact", "member_organisation"], "clusters"),
    ("association", answers.association, ["country", "organisation", "contact"], "association"),
    ("partnership", answers.partnership, ["country", "organisation", "contact"], "partnership"),
    ("works_with_clusters", answers.works_with, ["country", "organisation", "contact"], "works_with"),
]


def install(folder: Path, marker: Path) -> None:
    if not marker.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],  # noqa: S603, S607 - fixed
                       cwd=folder, check=True)


def flask(server: LiveServer, *args: str) -> None:
    env = {**os.environ, OVERRIDES_ENV: json.dumps(server.overrides), "WIZARD_ENV": "testing"}
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "tests.support.server:app_from_environment()",  # noqa: S603
                    *args], cwd=REPO, env=env, check=True, capture_output=True, timeout=300)


def csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) or match.group(2)


def sign_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/account/sign-in")
    done = session.post(f"{base}/account/sign-in", data={"email": email, "password": demo.DEMO_PASSWORD,
                                                          "csrf_token": csrf(page.text)})
    assert "You are signed in" in done.text, done.text[:500]
    return session


def post_step(session: requests.Session, url: str, data: dict) -> requests.Response:
    page = session.get(url)
    seen = SEEN.search(page.text)
    payload = {**data, "csrf_token": csrf(page.text), "action": "continue",
               **({SEEN_FIELD: seen.group(1)} if seen else {})}
    return session.post(url, data=payload)


def draft_at(session: requests.Session, base: str, profile_type: str, journey: dict, before: list[str]) -> str:
    page = session.get(f"{base}/start/{profile_type}")
    started = session.post(f"{base}/start/{profile_type}", data={"csrf_token": csrf(page.text)})
    public_id = re.search(r"/drafts/([^/]+)/country", started.url).group(1)
    for step in before:
        response = post_step(session, f"{base}/drafts/{public_id}/{step}", journey[step])
        assert response.status_code == 200 and f"/{step}" not in response.url, (step, response.url)
    return public_id


def pages_to_check(base: str) -> list[tuple[str, str, requests.Session]]:
    anonymous = requests.Session()
    applicant = sign_in(base, APPLICANT_EMAIL)
    pages = [("Start page", f"{base}/", anonymous)]
    last = ""
    for profile_type, journey_of, before, own_step in STEP_PAGES:
        journey = journey_of(answers_suffix())
        public_id = draft_at(applicant, base, profile_type, journey, before)
        pages.append((f"Step: {profile_type} / {own_step}", f"{base}/drafts/{public_id}/{own_step}", applicant))
        last = public_id
        if profile_type == "works_with_clusters":
            post_step(applicant, f"{base}/drafts/{public_id}/{own_step}", journey[own_step])
    pages.append(("Check your answers", f"{base}/drafts/{last}/check-answers", applicant))
    pages.append(("Directory", f"{base}/directory/", anonymous))
    validator = sign_in(base, demo.VALIDATOR_EMAIL)
    queue = validator.get(f"{base}/validation/")
    pages.append(("Validation queue", f"{base}/validation/", validator))
    first = re.search(r'href="(/validation/profiles/[^"?#]+)"', queue.text).group(1)
    pages.append(("Validator's page of a submission", base + first, validator))
    return pages


_counter = iter(range(1, 1000))


def answers_suffix() -> str:
    return f"pc{next(_counter)}"


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


def lighthouse(url: str, session: requests.Session, report: Path) -> dict[str, object]:
    extra = {"Cookie": cookie_header(session)} if session.cookies else {}
    command = ["node", str(LIGHTHOUSE), url, "--only-categories=accessibility,best-practices", "--output=json",
               f"--output-path={report}", "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
               *([f"--extra-headers={json.dumps(extra)}"] if extra else [])]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)  # noqa: S603
    result = json.loads(report.read_text())
    scores = {key: round(category["score"] * 100) for key, category in result["categories"].items()}
    failing = [audit_id for audit_id, audit in result["audits"].items()
               if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"]
    return {**scores, "failing": failing, "final_url": result.get("finalDisplayedUrl") or result.get("finalUrl")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="the Nu HTML checker only")
    options = parser.parse_args()
    install(VNU_FOLDER, VNU_FOLDER / "node_modules" / "vnu-jar")
    if not options.no_lighthouse:
        install(LIGHTHOUSE_FOLDER, LIGHTHOUSE)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(sqlite_database(Path(folder)), Path(folder), name="page-checks")
        flask(server, "demo-data")
        flask(server, "validation", "demo-queue")
        with server:
            pages = pages_to_check(server.url)
            html = {}
            for name, url, session in pages:
                response = session.get(url)
                assert response.status_code == 200 and response.url == url, (name, response.status_code, response.url)
                html[name] = response.text
            errors = nu_errors(html, vnu_command_outside_pytest())
            rows = []
            for index, (name, url, session) in enumerate(pages):
                scores = {} if options.no_lighthouse else lighthouse(url, session, OUT / f"lighthouse-{index:02d}.json")
                if scores and scores["final_url"] != url:
                    raise SystemExit(f"Lighthouse was sent elsewhere: {url} -> {scores['final_url']}")
                rows.append((name, url.replace(server.url, ""), scores, len(errors.get(name, []))))
    table = ["| page | path | Lighthouse accessibility | Lighthouse best practices | Nu HTML checker errors |",
             "|---|---|---|---|---|"]
    for name, path, scores, nu in rows:
        path = re.sub(r"/(drafts|profiles)/[^/]+", r"/\1/<id>", path)
        table.append(f"| {name} | `{path}` | "
                     f"{scores.get('accessibility', '-')} | {scores.get('best-practices', '-')} | {nu} |")
    notes = [f"- {name}: failing audits {', '.join(scores['failing'])}" for name, _, scores, _ in rows
             if scores and scores["failing"]]
    notes += [f"- {name}: {message}" for name, found in errors.items() for message in found]
    text = "\n".join(table + ([""] + notes if notes else []))
    (OUT / "report.md").write_text(text + "\n")
    print(text)
    failed = any(nu for *_, nu in rows) or any(
        scores and (scores["accessibility"] < 100 or scores["best-practices"] < 100) for _, _, scores, _ in rows)
    return 1 if failed else 0


def vnu_command_outside_pytest() -> list[str]:
    try:
        return vnu_command()
    except BaseException as missing:  # pytest.skip/fail raise outside pytest too
        raise SystemExit(str(missing)) from None


if __name__ == "__main__":
    sys.exit(main())
