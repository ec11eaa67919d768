"""Run several outbox senders at once, as several `flask outbox send` processes would."""
from flask import Flask

from tests.support.together import run_together
from wizard.services.outbox import SendReport, send_due


def send_in_parallel(app: Flask, senders: int = 2, batch: int = 10) -> list[SendReport]:
    """Each sender sends rounds until nothing is due (see run_together). Returns one total report per
    sender; re-raises the first error a sender met."""

    def send() -> SendReport:
        total = SendReport()
        while True:
            report = send_due(limit=batch)
            if not (report.sent or report.retried or report.failed):
                return total
            total.sent += report.sent
            total.retried += report.retried
            total.failed += report.failed

    return run_together(app, [send] * senders, timeout=120)
