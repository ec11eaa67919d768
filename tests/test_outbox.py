"""The e-mail outbox against a real SMTP server on loopback: committed with the change that causes it,
delivered with retries and back-off, permanent failures kept, nothing lost or doubled when SMTP is down."""
import shutil
import ssl
import subprocess
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.support.clients import IsolatedClient
from tests.support.pages import ClientHelper
from tests.support.senders import send_in_parallel
from tests.support.smtp import Handler, SMTPServer, free_port
from wizard.extensions import db, mail
from wizard.models import OutboxMessage, OutboxStatus
from wizard.models.base import utcnow
from wizard.services.outbox import LINK_REMOVED, backoff, queue_email, redact_links, send_due
from wizard.tokens import Purpose, issue_token

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeUser:
    full_name = "Ana Example"
    email = "ana@example.eu"


def queue(n: int = 1, recipient: str = "ana@example.eu", **kwargs) -> list[OutboxMessage]:
    rows = [queue_email(recipient, "reset_password", user=FakeUser(), link=f"http://localhost/account/x{i}", **kwargs)
            for i in range(n)]
    db.session.commit()
    return rows


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def point_mail_at(app, port: int) -> None:
    app.config["MAIL_PORT"] = port
    mail.init_app(app)


def message_ids(server) -> list[str]:
    return [str(received.message["Message-ID"]) for received in server.received]


# --- queueing ---------------------------------------------------------------------------------------------


def test_an_e_mail_queued_in_a_rolled_back_transaction_is_never_sent(app, smtp_server):
    queue_email("ana@example.eu", "reset_password", user=FakeUser(), link="http://localhost/x")
    db.session.rollback()

    assert send_due().sent == 0
    assert rows() == [] and smtp_server.received == []


def test_a_request_never_waits_for_the_mail_server(app, make_user):
    """Nothing listens on the mail port: asking for a reset link still works, the e-mail waits in the outbox."""
    point_mail_at(app, free_port())
    make_user(email="ana@example.eu")
    helper = ClientHelper(app, IsolatedClient.for_app(app))
    page = helper.post("/account/forgot-password", {"email": "ana@example.eu"}, expected=200)
    assert page.h1 == "Check your e-mail"
    [row] = rows()
    assert row.status == OutboxStatus.PENDING and row.attempts == 0


def test_a_dedupe_key_queues_one_row_only(app):
    first = queue_email("ana@example.eu", "reset_password", user=FakeUser(), link="x", dedupe_key="reset:1")
    db.session.commit()
    second = queue_email("ana@example.eu", "reset_password", user=FakeUser(), link="x", dedupe_key="reset:1")
    db.session.commit()

    assert first is not None and second is None
    assert [row.dedupe_key for row in rows()] == ["reset:1"]


def test_the_database_refuses_a_second_row_with_the_same_dedupe_key(app):
    queue(dedupe_key="k")
    duplicate = OutboxMessage(recipient="a@example.eu", subject="s", body_text="t", body_html="h", dedupe_key="k",
                              message_id="<dup@clusters.example>")
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert len(rows()) == 1


# --- delivering -------------------------------------------------------------------------------------------


def test_a_sent_message_has_text_and_html_and_the_rows_message_id(app, smtp_server):
    [row] = queue()
    report = send_due()

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    received = smtp_server.take(to="ana@example.eu", subject_contains="Choose a new password")
    assert received.message["Message-ID"] == row.message_id
    assert received.message["From"] == "Cluster registration <no-reply@clusters.example>"
    assert "http://localhost/account/x0" in received.text
    assert '<a href="http://localhost/account/x0">' in received.html
    assert received.message.is_multipart()
    assert {part.get_content_type() for part in received.message.walk()} >= {"text/plain", "text/html"}

    [row] = rows()
    assert row.status == OutboxStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert send_due().sent == 0  # nothing is sent twice


def queue_with_token(recipient: str) -> tuple[OutboxMessage, str]:
    """A reset e-mail carrying a real link token (wizard/tokens.py), as accounts.request_password_reset builds it."""
    token = issue_token(Purpose.RESET_PASSWORD, 1, 3600, recipient_email=recipient)
    row = queue_email(recipient, "reset_password", user=FakeUser(), link=f"http://localhost/account/reset-password/{token}")
    db.session.commit()
    return row, token


@pytest.mark.figure("F18")
@pytest.mark.config(DEV_OUTBOX_ENABLED=False)
def test_a_sent_row_keeps_no_token_while_pending_and_failed_rows_keep_theirs(app, smtp_server):
    """F18: once delivered, the row grants nothing. A failed row may be sent again, a pending one is waiting."""
    smtp_server.handler.scripted_replies = ["550 5.1.1 no such mailbox", "451 4.3.0 later"]
    queued = [queue_with_token(f"person{n}@example.eu") for n in range(3)]
    assert send_due().sent == 1
    failed, pending, sent = rows()
    assert [row.status for row in (failed, pending, sent)] == [OutboxStatus.FAILED, OutboxStatus.PENDING,
                                                               OutboxStatus.SENT]
    tokens = [token for _, token in queued]
    for row, token in zip((failed, pending), tokens[:2], strict=True):
        assert token in row.body_text and token in row.body_html
    assert tokens[2] not in sent.body_text + sent.body_html
    assert LINK_REMOVED in sent.body_text and f'href="{LINK_REMOVED}"' in sent.body_html
    assert "Choose a new password" in sent.body_html and sent.subject and sent.recipient == "person2@example.eu"
    # The recipient got the link: only the stored copy lost it.
    assert tokens[2] in smtp_server.take(to="person2@example.eu").text


def test_the_development_outbox_keeps_its_links_after_sending(app, smtp_server):
    """With /dev/outbox on (development, tests), a newcomer clicks the links of sent e-mails there."""
    assert app.config["DEV_OUTBOX_ENABLED"]
    _, token = queue_with_token("ana@example.eu")
    assert send_due().sent == 1
    [row] = rows()
    assert row.status == OutboxStatus.SENT and token in row.body_text and token in row.body_html


def test_only_links_that_carry_a_token_are_removed():
    token = "IjlHN1l3SmJzY1NYbU02MlV2emJGSjFnZXl3SmtDLVBmTE9xU0xKalA1S0ki.aYZ1i2tMPnoW8C3TFpICXpQ8vjs"
    body = (f"Reset: https://clusters.example/account/reset-password/{token}\n"
            f"Decide: <a href=\"https://clusters.example/affiliations/decide/{token}\">approve</a>\n"
            "Your profiles: https://clusters.example/my-profiles and https://clusters.example/directory/c-1.2")
    assert redact_links(body) == (
        f"Reset: {LINK_REMOVED}\nDecide: <a href=\"{LINK_REMOVED}\">approve</a>\n"
        "Your profiles: https://clusters.example/my-profiles and https://clusters.example/directory/c-1.2")


def test_two_451_replies_then_delivered_on_the_third_attempt(app, smtp_server):
    smtp_server.handler.scripted_replies = ["451 4.3.0 try again later", "451 4.3.0 still busy"]
    with time_machine.travel(START, tick=False) as traveller:
        [queued] = queue()
        assert send_due().retried == 1
        [row] = rows()
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
        assert "451" in row.last_error
        assert row.next_attempt_at == START + timedelta(seconds=30)

        traveller.shift(timedelta(seconds=29))
        assert send_due().retried == 0  # not due yet: nothing tried
        traveller.shift(timedelta(seconds=2))
        assert send_due().retried == 1
        [row] = rows()
        assert row.attempts == 2 and row.next_attempt_at == START + timedelta(seconds=31 + 60)

        traveller.shift(timedelta(seconds=61))
        assert send_due().sent == 1
    [row] = rows()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)
    assert message_ids(smtp_server) == [queued.message_id]


def test_a_550_reply_fails_at_once_and_is_kept(app, smtp_server):
    smtp_server.handler.scripted_replies = ["550 5.1.1 no such mailbox"]
    queue()
    report = send_due()

    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    [row] = rows()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert "550" in row.last_error and "no such mailbox" in row.last_error
    assert send_due().failed == 0 and smtp_server.received == []


def test_a_failure_does_not_stop_the_next_message_on_the_same_connection(app, smtp_server):
    smtp_server.handler.scripted_replies = ["550 5.1.1 no such mailbox", "451 4.3.0 later"]
    queue(3)
    report = send_due()
    assert (report.sent, report.retried, report.failed) == (1, 1, 1)
    assert [row.status for row in rows()] == [OutboxStatus.FAILED, OutboxStatus.PENDING, OutboxStatus.SENT]


@pytest.mark.config(OUTBOX_MAX_ATTEMPTS=3)
def test_transient_failures_give_up_after_the_maximum_attempts(app, smtp_server):
    smtp_server.handler.scripted_replies = ["451 busy"] * 3
    with time_machine.travel(START, tick=False) as traveller:
        queue()
        for _ in range(3):
            send_due()
            traveller.shift(timedelta(hours=2))
    [row] = rows()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)


def test_back_off_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_smtp_down_then_up_delivers_everything_once(app):
    port = free_port()
    point_mail_at(app, port)
    with time_machine.travel(START, tick=False) as traveller:
        queued = queue(3)
        report = send_due()
        assert (report.sent, report.retried) == (0, 3)
        for row in rows():
            assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
            assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error

        server = SMTPServer(port=port)
        server.start()
        try:
            assert send_due().sent == 0  # still backing off
            traveller.shift(timedelta(seconds=31))
            assert send_due().sent == 3
        finally:
            server.stop()
    assert sorted(message_ids(server)) == sorted(row.message_id for row in queued)
    assert all(row.status == OutboxStatus.SENT and row.attempts == 2 for row in rows())


def test_fifty_messages_while_smtp_is_down_arrive_once_each(app):
    port = free_port()
    point_mail_at(app, port)
    with time_machine.travel(START, tick=False) as traveller:
        queued = queue(50)
        send_due()
        traveller.shift(timedelta(minutes=1))
        send_due()  # still down: a second attempt each
        assert Counter(row.attempts for row in rows()) == {2: 50}

        server = SMTPServer(port=port)
        server.start()
        try:
            traveller.shift(timedelta(minutes=2))
            assert send_due(limit=20).sent == 20
            assert send_due(limit=100).sent == 30
            assert send_due().sent == 0
            received = message_ids(server)
        finally:
            server.stop()
    assert len(received) == 50 and len(set(received)) == 50
    assert set(received) == {row.message_id for row in queued}


def test_a_slow_server_times_out_and_the_rest_of_the_batch_waits(app, smtp_server):
    app.config["MAIL_TIMEOUT_SECONDS"] = 1
    smtp_server.handler.delay_seconds = 3
    queue(3)
    report = send_due()

    assert (report.sent, report.retried) == (0, 1)
    first, *others = rows()
    assert first.status == OutboxStatus.PENDING and first.attempts == 1 and "timed out" in first.last_error
    assert [(row.status, row.attempts, row.lease_until) for row in others] == [(OutboxStatus.PENDING, 0, None)] * 2


def test_an_expired_lease_is_sent_again_and_a_live_one_is_not(app, smtp_server):
    crashed, busy = queue(2)
    crashed.status, crashed.lease_until = OutboxStatus.SENDING, utcnow() - timedelta(seconds=1)
    busy.status, busy.lease_until = OutboxStatus.SENDING, utcnow() + timedelta(minutes=2)
    db.session.commit()

    assert send_due().sent == 1
    assert message_ids(smtp_server) == [crashed.message_id]
    assert [row.status for row in rows()] == [OutboxStatus.SENT, OutboxStatus.SENDING]


def test_line_breaks_from_user_text_never_reach_the_headers(app, smtp_server):
    app.jinja_env.loader = ChoiceLoader([DictLoader({
        "emails/test_named.txt": '{% set subject = "New profile: " ~ name %}Hello {{ name }}',
        "emails/test_named.html": "<p>Hello {{ name }}</p>",
    }), app.jinja_env.loader])
    hostile = "Acme\r\nBcc: victim@example.org\r\n\r\nInjected body\u2028X-Evil: 1\nSubject: other"
    queue_email("ana@example.eu", "test_named", name=hostile)
    # A row written by another path than queue_email, with a raw line break in its subject.
    db.session.add(OutboxMessage(recipient="ana@example.eu", subject="Legacy\r\nBcc: victim@example.org",
                                 body_text="t", body_html="<p>h</p>", message_id="<legacy@clusters.example>"))
    db.session.commit()

    report = send_due()
    assert (report.sent, report.failed) == (2, 0)
    for received in smtp_server.received:
        headers = received.message
        assert len(headers.get_all("Subject")) == 1
        assert headers.get_all("Bcc") is None and headers.get_all("X-Evil") is None
        assert "\n" not in headers["Subject"] and "\r" not in headers["Subject"]
        assert received.envelope_to == ["ana@example.eu"]
    assert smtp_server.received[0].subject.startswith("New profile: Acme Bcc: victim@example.org")


def test_a_row_that_cannot_become_an_e_mail_fails_alone(app, smtp_server):
    # Flask-Mail cannot encode an accented local part (SMTPUTF8): it raises UnicodeEncodeError, not an SMTP error.
    db.session.add(OutboxMessage(recipient="ünï@example.eu", subject="s", body_text="t", body_html="h",
                                 message_id="<bad@clusters.example>"))
    db.session.commit()
    queue()
    report = send_due()
    assert (report.sent, report.failed) == (1, 1)
    bad, good = rows()
    assert (bad.status, bad.attempts) == (OutboxStatus.FAILED, 1) and "UnicodeEncodeError" in bad.last_error
    assert good.status == OutboxStatus.SENT


@pytest.mark.sqlite_only  # tests/test_outbox_postgres.py covers PostgreSQL
def test_two_senders_at_once_send_each_row_exactly_once_on_sqlite(app, smtp_server):
    assert db.engine.dialect.name == "sqlite"
    queued = queue(200)
    reports = send_in_parallel(app, senders=2, batch=10)

    assert sum(report.sent for report in reports) == 200
    received = Counter(message_ids(smtp_server))
    assert len(received) == 200 and set(received.values()) == {1}
    assert set(received) == {row.message_id for row in queued}
    assert db.session.scalar(select(func.count()).where(OutboxMessage.status != OutboxStatus.SENT)) == 0


# --- production mail settings -----------------------------------------------------------------------------


def test_starttls_required_but_not_offered_means_nothing_is_sent_in_clear(app, smtp_server):
    app.config["MAIL_USE_TLS"] = True
    mail.init_app(app)
    queue()
    assert send_due().retried == 1
    [row] = rows()
    assert row.status == OutboxStatus.PENDING and "STARTTLS" in row.last_error
    assert smtp_server.received == []


def test_the_mail_servers_certificate_is_checked(app, tmp_path):
    assert shutil.which("openssl"), "the openssl command (Debian's openssl package) makes the test certificate"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    try:
        app.config.update(MAIL_PORT=port, MAIL_USE_TLS=True)
        mail.init_app(app)
        queue()
        assert send_due().retried == 1
    finally:
        controller.stop()
    [row] = rows()
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error
    assert handler.received == []
