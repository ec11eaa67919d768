"""In development, e-mails queued by a request are delivered right after its response."""
import pytest

from wizard.extensions import db
from wizard.models import OutboxMessage, OutboxStatus

REGISTRATION = {"full_name": "Dev Person", "email": "dev@example.eu", "password": "a long enough passphrase",
                "confirm": "a long enough passphrase"}


@pytest.mark.config(OUTBOX_FLUSH_AFTER_REQUEST=True)
def test_mail_queued_by_a_request_is_sent_after_the_response(helper, smtp_server):
    page = helper.post("/account/register", REGISTRATION)
    assert page.status == 302
    page.response.close()  # what the server does once the response is sent
    smtp_server.wait_for(1)
    message = smtp_server.take(to="dev@example.eu", subject_contains="Confirm your e-mail")
    assert "/account/verify/" in message.text
    row = db.session.scalar(db.select(OutboxMessage))
    assert row.status == OutboxStatus.SENT


def test_without_the_setting_nothing_is_sent_during_requests(helper, smtp_server):
    page = helper.post("/account/register", REGISTRATION)
    page.response.close()
    assert smtp_server.received == []
    assert db.session.scalar(db.select(OutboxMessage)).status == OutboxStatus.PENDING
