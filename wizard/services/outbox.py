"""Queue e-mails in the caller's transaction, and deliver them later from a sender.

A request never talks to the mail server: the message is a row committed (or rolled back) with
the change that causes it, and `send_due` delivers rows with retries. Several senders may run at
once; a row is claimed by a conditional update (and on PostgreSQL with SKIP LOCKED), so no row is
sent by two senders.
"""
import logging
import re
import smtplib
import socket
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid

from flask import current_app, render_template
from flask_mail import Message
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from wizard.extensions import db, mail
from wizard.models import OutboxMessage, OutboxStatus
from wizard.models.base import utcnow

log = logging.getLogger(__name__)

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\v\f]+")
MAX_BACKOFF = timedelta(hours=1)


def _one_line(text: str) -> str:
    """User text reaches subjects; a line break there would let it add mail headers."""
    return _LINE_BREAKS.sub(" ", text).strip()[:250]


def queue_email(recipient: str, template: str, *, dedupe_key: str | None = None, **context) -> OutboxMessage | None:
    """Renders emails/<template>.txt and .html and adds the row to the current transaction.

    The subject is the text template's `subject` variable. With a dedupe key that was already
    queued, nothing is added (a replayed request sends nothing twice) and None is returned.
    """
    if dedupe_key is not None:
        exists = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        if exists is not None:
            return None
    context.setdefault("base_url", current_app.config["BASE_URL"])
    text_template = current_app.jinja_env.get_template(f"emails/{template}.txt")
    subject = _one_line(str(text_template.make_module(context).subject))
    message = OutboxMessage(
        recipient=_one_line(recipient),
        subject=subject,
        body_text=render_template(f"emails/{template}.txt", **context),
        body_html=render_template(f"emails/{template}.html", subject=subject, **context),
        dedupe_key=dedupe_key,
        message_id=make_msgid(domain="clusters.example"),
    )
    db.session.add(message)
    return message


def queue_email_once(recipient: str, template: str, *, dedupe_key: str, **context) -> None:
    """Like queue_email, for callers racing each other: a unique-key clash means the mail is queued."""
    try:
        with db.session.begin_nested():
            queue_email(recipient, template, dedupe_key=dedupe_key, **context)
    except IntegrityError:
        log.info("e-mail %s already queued", dedupe_key)


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim(limit: int) -> list[OutboxMessage]:
    now = utcnow()
    due = or_(
        (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
        # A sender that died while holding a lease: its rows become due again when the lease ends.
        (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.lease_until < now),
    )
    query = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    candidate_ids = list(db.session.scalars(query))
    lease_until = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    claimed = []
    for message_id in candidate_ids:
        result = db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id, due)
            .values(status=OutboxStatus.SENDING, lease_until=lease_until)
        )
        if result.rowcount == 1:
            claimed.append(message_id)
    db.session.commit()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)))) if claimed else []


def _as_mail(row: OutboxMessage) -> Message:
    message = Message(subject=row.subject, recipients=[row.recipient], body=row.body_text, html=row.body_html)
    message.msgId = row.message_id
    return message


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _record_failure(row: OutboxMessage, error: Exception, report: SendReport) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.lease_until = None
    if _is_permanent(error) or row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
        report.failed += 1
        log.warning("e-mail %s to %s failed for good: %s", row.id, row.recipient, row.last_error)
    else:
        row.status = OutboxStatus.PENDING
        row.next_attempt_at = utcnow() + backoff(row.attempts)
        report.retried += 1


def send_due(limit: int = 100) -> SendReport:
    """Delivers the rows that are due, over one SMTP connection. Returns what happened."""
    report = SendReport()
    rows = _claim(limit)
    if not rows:
        return report
    try:
        connection = mail.connect()
        host = connection.__enter__()
    except (OSError, smtplib.SMTPException) as error:
        for row in rows:
            _record_failure(row, error, report)
        db.session.commit()
        return report
    try:
        for row in rows:
            try:
                host.send(_as_mail(row))
            except (OSError, smtplib.SMTPException) as error:
                _record_failure(row, error, report)
            else:
                row.status, row.sent_at, row.lease_until = OutboxStatus.SENT, utcnow(), None
                row.attempts += 1
                report.sent += 1
            # Commit after each row, so a crash later re-sends at most the row in flight.
            db.session.commit()
    finally:
        try:
            connection.__exit__(None, None, None)
        except (OSError, smtplib.SMTPException):
            log.info("SMTP connection did not close cleanly")
    return report


def send_loop(interval_seconds: float, stop_after: int | None = None, smtp_timeout: float | None = None) -> None:
    """The production sender: `flask outbox send --loop`."""
    import time

    # Flask-Mail opens smtplib connections without a timeout; a hung server must not hang us forever.
    socket.setdefaulttimeout(smtp_timeout or current_app.config["MAIL_TIMEOUT_SECONDS"])
    rounds = 0
    while stop_after is None or rounds < stop_after:
        report = send_due()
        if report.sent or report.retried or report.failed:
            log.info("outbox: %s", report)
        db.session.remove()
        rounds += 1
        time.sleep(interval_seconds)
