"""The SMTP server is down while profiles are submitted: every submission is stored, no e-mail is lost,
and all of them arrive exactly once when the server is back, except one whose recipient the server refuses
for good (550): that one fails after one attempt and is kept as failed (reliability.md EM-1, EM-2, FT-1; F9).

CI submits 50 profiles; F9's own count, 100, runs with FIGURES_FULL=1 (scripts/figures.sh)."""
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.faults.world import ready_drafts
from tests.reliability.figures import scaled
from tests.support.pages import ClientHelper
from wizard.extensions import db
from wizard.models import OutboxMessage, OutboxStatus, Profile, Submission
from wizard.models.base import utcnow
from wizard.services.outbox import send_due

pytestmark = pytest.mark.figure("F9")

SUBMISSIONS = scaled(ci=50, full=100)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def send_until_done(rounds: int) -> int:
    """Runs the sender as its loop would, one round per call; returns how many rounds had work."""
    busy = 0
    for _ in range(rounds):
        report = send_due()
        if not (report.sent or report.retried or report.failed):
            break
        busy += 1
    return busy


def test_smtp_down_during_submissions_then_back(app, client, smtp_server, make_user, sign_in, validator):
    applicant = make_user(email="busy-applicant@example.eu")
    public_ids = ready_drafts(applicant, SUBMISSIONS)
    sign_in(applicant)
    helper = ClientHelper(app, client)
    smtp_server.stop()

    token = helper.get(f"/drafts/{public_ids[0]}/check-answers").value_of("csrf_token")  # one per session
    for public_id in public_ids:
        version = db.session.scalar(select(Profile.version).where(Profile.public_id == public_id))
        page = helper.post(f"/drafts/{public_id}/check-answers",
                           {"version": str(version), "consent": "y", "declaration": "y", "csrf_token": token})
        assert page.status in (302, 303), (public_id, page.status, page.error_summary)
        assert helper.redirect_target(page) == f"/drafts/{public_id}/submitted"

    expected = 2 * SUBMISSIONS  # the validator and the applicant hear of each submission
    assert count(Submission) == SUBMISSIONS
    assert count(Profile, Profile.status == "submitted") == SUBMISSIONS
    assert count(OutboxMessage) == expected

    report = send_due(limit=500)  # the sender runs while the server is down
    assert (report.sent, report.retried, report.failed) == (0, expected, 0)
    assert count(OutboxMessage, OutboxMessage.status == OutboxStatus.PENDING) == expected

    smtp_server.start()  # back, on the same port
    smtp_server.handler.scripted_replies = ["550 5.1.1 no such mailbox"]  # the first recipient no longer exists
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=True):
        rounds = send_until_done(rounds=10)
    assert rounds <= 2, f"needed {rounds} sender rounds of 100 to deliver {expected} e-mails"
    received = smtp_server.wait_for(expected - 1, timeout=30)
    assert len(received) == expected - 1
    message_ids = Counter(str(m.message["Message-ID"]) for m in received)
    assert len(message_ids) == expected - 1 and max(message_ids.values()) == 1, "an e-mail arrived twice"
    recipients = Counter(address for m in received for address in m.envelope_to)
    assert sum(recipients.values()) == expected - 1 and set(recipients) == {validator.email, applicant.email}
    assert count(OutboxMessage, OutboxMessage.status == OutboxStatus.SENT) == expected - 1
    [refused] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)).all()
    # One attempt while the server was down, then one answered attempt: the 550 is final, never retried.
    assert refused.attempts == 2 and "550" in refused.last_error, (refused.attempts, refused.last_error)
    assert refused.message_id not in message_ids
    assert send_due().sent == 0  # nothing left to send again, the refused one included
