"""A slow SMTP server never slows a request (reliability.md EM-5; F10).

The app runs as in production: gunicorn with two workers serving pages, and a separate sender
delivering the outbox (`flask outbox send --loop`, here its loop in a thread of the test). The SMTP
server takes seconds per message; people submitting meanwhile get their pages at once.
"""
import threading

import pytest

from tests.faults.world import HttpPerson, ready_drafts
from tests.support.database import migrated_database_url
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.server import LiveServer
from tests.support.smtp import SMTPServer
from wizard.models import Role, User
from wizard.models.base import utcnow

pytestmark = pytest.mark.figure("F10")

SMTP_DELAY_SECONDS = 2.0
SUBMISSIONS = 3


@pytest.fixture
def slow_smtp():
    server = SMTPServer()
    server.handler.delay_seconds = SMTP_DELAY_SECONDS
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live(tmp_path, worker_id, slow_smtp):
    url, cleanup = migrated_database_url(tmp_path, f"{worker_id}slow")
    server = LiveServer(url, tmp_path, {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": slow_smtp.port,
                                        "MAIL_TIMEOUT_SECONDS": 30}, name="slow-smtp")
    server.start()
    yield server
    server.stop()
    cleanup()


def test_submissions_return_at_once_while_the_sender_waits_on_a_slow_smtp_server(live, slow_smtp):
    from tests.support.speed import password_hash
    from wizard.extensions import db
    from wizard.services.outbox import send_due

    with live.database():
        people = (("slow-validator@example.eu", Role.VALIDATOR), ("slow-applicant@example.eu", Role.APPLICANT))
        for email, role in people:
            db.session.add(User(email=email, password_hash=password_hash(DEFAULT_PASSWORD), role=role.value,
                                email_verified_at=utcnow()))
        db.session.commit()
        applicant = db.session.query(User).filter_by(email="slow-applicant@example.eu").one()
        public_ids = ready_drafts(applicant, SUBMISSIONS, prefix="Slow")

    stop = threading.Event()
    sender_errors = []

    def sender():
        with live.database():
            try:
                while not stop.is_set():
                    if not send_due(limit=1).sent:
                        stop.wait(0.05)
            except Exception as error:  # handed to the test
                sender_errors.append(error)

    person = HttpPerson(live.url)
    person.sign_in("slow-applicant@example.eu", DEFAULT_PASSWORD)
    thread = threading.Thread(target=sender)
    thread.start()
    try:
        for public_id in public_ids:
            response = person.submit(public_id)
            assert response.status_code in (302, 303), response.status_code
            person.get(f"/drafts/{public_id}/submitted")
            person.get("/my-profiles")
        delivered_during_requests = len(slow_smtp.received)
        slow_smtp.wait_for(1, timeout=SMTP_DELAY_SECONDS * 3)
    finally:
        stop.set()
        thread.join(timeout=SMTP_DELAY_SECONDS * 3)
    assert not sender_errors, sender_errors
    assert slow_smtp.received, "the sender never delivered anything: the test would prove nothing"
    assert delivered_during_requests < 2 * SUBMISSIONS, "the sender was done before the requests: no overlap"
    slowest = max(person.timings, key=lambda timing: timing[1])
    # A request that waited for even one message would take at least SMTP_DELAY_SECONDS.
    assert slowest[1] < SMTP_DELAY_SECONDS * 0.75, f"slowest request {slowest[0]}: {slowest[1]:.2f} s"
