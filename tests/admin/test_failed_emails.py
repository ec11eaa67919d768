"""Undelivered e-mails (F9): a recipient the mail server refuses with 550 fails after one attempt, is listed
for administrators (page and `flask outbox failed`), and "Send again" queues it once for the next round."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.support.clients import IsolatedClient
from tests.support.pages import ClientHelper
from wizard.extensions import db
from wizard.models import AuditEntry, OutboxMessage, OutboxStatus
from wizard.models.base import utcnow
from wizard.services.outbox import queue_email, send_due

pytestmark = pytest.mark.figure("F9")

GONE = "gone@example.eu"
PAGE = "/admin/emails/failed"


class Person:
    full_name = "Gwen Gone"


def refused_row(smtp_server) -> OutboxMessage:
    """One send round against a server that refuses the first message with 550 and accepts the second."""
    smtp_server.handler.scripted_replies = ["550 5.1.1 no such mailbox"]
    queue_email(GONE, "reset_password", user=Person(), link="http://localhost/account/x")
    queue_email("here@example.eu", "reset_password", user=Person(), link="http://localhost/account/y")
    db.session.commit()
    before = utcnow()
    report = send_due()
    assert (report.sent, report.retried, report.failed) == (1, 0, 1)
    db.session.expire_all()
    [row] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)).all()
    assert before <= row.failed_at <= utcnow(), "the time it failed for good is recorded"
    return row


def requeues() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "email_requeued"))


def test_a_550_recipient_fails_after_one_attempt_is_listed_and_sent_again_once(
        app, smtp_server, helper, sign_in, admin_user, cli):
    row = refused_row(smtp_server)
    assert (row.recipient, row.attempts) == (GONE, 1) and "550" in row.last_error
    assert [m.envelope_to for m in smtp_server.received] == [["here@example.eu"]]

    sign_in(admin_user)
    assert helper.get("/admin/").soup.find("a", href=PAGE).get_text(strip=True) == "Undelivered e-mails"
    page = helper.get(PAGE)
    listed = page.select("tbody tr")
    assert [tr["id"] for tr in listed] == [f"email-{row.id}"], "only the failed e-mail is listed"
    cells = [td.get_text(" ", strip=True) for td in listed[0].select("td")]
    assert cells[:3] == [GONE, row.subject, "1"] and "550" in cells[3] and "no such mailbox" in cells[3]
    assert cells[5] == row.failed_at.strftime("%d %B %Y %H:%M") + " UTC"

    result = cli("outbox", "failed")
    assert result.exit_code == 0, result.output
    assert f"#{row.id} " in result.output and GONE in result.output and "attempts: 1" in result.output
    assert f"failed: {row.failed_at:%Y-%m-%d %H:%M} UTC" in result.output
    assert "550" in result.output and "1 undelivered e-mail(s)." in result.output

    # Without a CSRF token the POST is refused and nothing changes.
    assert helper.client.post(f"/admin/emails/{row.id}/send-again").status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status == OutboxStatus.FAILED

    # A double click: both POSTs answer, the row is requeued (and audited) once.
    for _ in range(2):
        helper.post(f"/admin/emails/{row.id}/send-again", form_url=PAGE, expected=302)
    db.session.expire_all()
    again = db.session.get(OutboxMessage, row.id)
    assert (again.status, again.attempts, again.failed_at) == (OutboxStatus.PENDING, 0, None)
    assert requeues() == 1
    assert "no longer waiting" in helper.get(PAGE).text()

    # The mail server accepts it now: the next round delivers it, once.
    assert send_due().sent == 1
    delivered = smtp_server.take(to=GONE)
    assert str(delivered.message["Message-ID"]) == row.message_id
    assert send_due().sent == 0 and smtp_server.received[1:] == []
    db.session.expire_all()
    assert (db.session.get(OutboxMessage, row.id).status, db.session.get(OutboxMessage, row.id).attempts) == (
        OutboxStatus.SENT, 1)
    assert helper.get(PAGE).select("tbody tr") == []
    assert "0 undelivered e-mail(s)." in cli("outbox", "failed").output


def test_only_administrators_see_or_requeue_undelivered_e_mails(app, smtp_server, client, sign_in, applicant,
                                                                validator, admin_user):
    row = refused_row(smtp_server)
    anonymous = client.get(PAGE)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/account/sign-in")
    for person in (applicant, validator):
        other = ClientHelper(app, IsolatedClient.for_app(app))
        sign_in(person, on_client=other.client)
        other.get(PAGE, expected=403)
        response = other.client.post(f"/admin/emails/{row.id}/send-again",
                                     data={"csrf_token": other.csrf_token("/directory/")})
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status == OutboxStatus.FAILED and requeues() == 0


def test_the_latest_failure_comes_first_and_an_unrecorded_time_is_said_so(app, helper, sign_in, admin_user):
    # Rows as the sender leaves them, and one that failed before failure times were recorded (g1outbox01).
    def failed(recipient: str, failed_at):
        row = OutboxMessage(recipient=recipient, subject=f"To {recipient}", body_text="-", body_html="-",
                            message_id=f"<{recipient}>", status=OutboxStatus.FAILED, attempts=8,
                            last_error="SMTPServerDisconnected", failed_at=failed_at)
        db.session.add(row)
        return row

    now = utcnow()
    rows = [failed("old@example.eu", now - timedelta(days=2)), failed("unknown@example.eu", None),
            failed("new@example.eu", now - timedelta(hours=1))]
    db.session.commit()

    sign_in(admin_user)
    listed = helper.get(PAGE).select("tbody tr")
    assert [tr["id"] for tr in listed] == [f"email-{rows[i].id}" for i in (2, 0, 1)]
    assert listed[2].select("td")[5].get_text(strip=True) == "Not recorded"
