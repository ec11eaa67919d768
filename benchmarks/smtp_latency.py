"""A submission's latency with an SMTP server that waits 2 s per message, against one that answers at once.

    python -m benchmarks.smtp_latency [--submissions 100]

The app queues e-mails in its outbox and `flask outbox send --loop` delivers them, so a request
never talks to the mail server; this measures that it stays so under gunicorn, with the sender
running beside it. Each run: a signed-in applicant fills N drafts, then submits them one after the
other; only the submitting POST is timed. The SMTP server counts what it received meanwhile.
"""
import argparse
import asyncio
import statistics
import time

from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from sqlalchemy import create_engine, text

from benchmarks.browser import Browser, HttpTransport
from benchmarks.common import (
    APPLICANT_EMAIL,
    PASSWORD,
    VENV_BIN,
    app_env,
    database_url,
    dataset_name,
    free_port,
    gunicorn,
    process,
    save_result,
    sqlalchemy_url,
)
from benchmarks.pages import start_draft, walk, walk_answers

PROFILES = 20_000
MODES = {"instant": 0.0, "slow": 2.0}


class Handler:
    def __init__(self, delay: float):
        self.delay = delay
        self.received = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received += 1
        return "250 Message accepted for delivery"


def submit_fields(html: str) -> dict:
    """The check-answers form as a person submits it: hidden fields kept, every box ticked."""
    form = next(f for f in BeautifulSoup(html, "html.parser").find_all("form", method="post")
                if f.find("input", attrs={"name": "csrf_token"}) and f.find("input", attrs={"type": "checkbox"}))
    fields = {}
    for field in form.find_all("input"):
        if field.get("name") and field.get("type") in ("hidden", "checkbox"):
            fields[field["name"]] = field.get("value", "y")
    return fields


def outbox_backlog(url: str) -> int:
    engine = create_engine(sqlalchemy_url(url))
    with engine.connect() as connection:
        waiting = connection.scalar(text("SELECT count(*) FROM outbox_messages WHERE status != 'sent'"))
    engine.dispose()
    return waiting


def run(database: str, mode: str, submissions: int) -> dict:
    url = database_url(database, PROFILES)
    handler = Handler(MODES[mode])
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    port = free_port()
    env = app_env(url, port, MAIL_PORT=str(smtp.port), FLASK_APP="wsgi")
    name = f"{dataset_name(database, PROFILES)}-{mode}-smtp"
    try:
        with gunicorn("wsgi:app", port, env, f"gunicorn-{name}"), \
                process([str(VENV_BIN / "flask"), "outbox", "send", "--loop", "--interval", "0.5"], env=env,
                        log_name=f"sender-{name}"):
            browser = Browser(HttpTransport(f"http://127.0.0.1:{port}"))
            browser.sign_in(APPLICANT_EMAIL, PASSWORD)
            drafts = []
            for _ in range(submissions):
                public_id = start_draft(browser)
                walk(browser, public_id, walk_answers())
                drafts.append(public_id)
            received_before = handler.received
            timings = []
            for public_id in drafts:
                check = f"/drafts/{public_id}/check-answers"
                fields = submit_fields(browser.get(check).text)
                started = time.perf_counter()
                browser.post(check, fields, expect=302)
                timings.append((time.perf_counter() - started) * 1000)
            received = handler.received - received_before
    finally:
        smtp.stop()
    timings.sort()
    return {
        "submissions": submissions, "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, round(0.95 * len(timings)) - 1)], 1), "max_ms": round(timings[-1], 1),
        "smtp_delay_s": MODES[mode], "messages_received_during_submissions": received,
        "outbox_not_yet_sent_at_end": outbox_backlog(url),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    # The p95 of 30 submissions was their second slowest: one stray delay swung the ratio from 1.0 to 1.9.
    parser.add_argument("--submissions", type=int, default=100)
    args = parser.parse_args()
    for database in ("sqlite", "postgresql"):
        for mode in MODES:
            result = run(database, mode, args.submissions)
            save_result("smtp", f"{database}-{mode}", result)
            print(database, mode, result)


if __name__ == "__main__":
    main()
