"""Queue e-mails in the caller's transaction, and deliver them later from a sender.

A request never talks to the mail server: the message is a row committed (or rolled back) with
the change that causes it, and `send_due` delivers rows with retries. Several senders may run at
once; a row is claimed by a conditional update (and on PostgreSQL with SKIP LOCKED), so no row is
sent by two senders.

Once delivered, a row keeps no usable link: its bodies lose every URL that carries a link token
(the development outbox keeps them, it is where a newcomer clicks them). Rows that failed for good
are listed for administrators, who may queue them again.
"""
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid

from flask import Flask, current_app, g, has_app_context, render_template
from flask_mail import Connection, Message
from sqlalchemy import or_, select, update

from wizard.extensions import db
from wizard.models import OutboxMessage, OutboxStatus, User
from wizard.models.base import utcnow
from wizard.services import audit

log = logging.getLogger(__name__)

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\v\f]+")
MAX_BACKOFF = timedelta(hours=1)
#: A URL with a path segment shaped like wizard/tokens.py's link value ("<payload>.<signature>", both
#: URL-safe base64): every e-mailed link that grants access ends with one.
_TOKEN_URL = re.compile(r"https?://[^\s<>\"']*/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}(?=[/?#\s<>\"']|$)[^\s<>\"']*")
LINK_REMOVED = "[link removed after sending]"


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
    message = compose_email(recipient, template, dedupe_key=dedupe_key, **context)
    db.session.add(message)
    if has_app_context():
        g.outbox_touched = True
    return message


def compose_email(recipient: str, template: str, *, dedupe_key: str | None = None, **context) -> OutboxMessage:
    """The message queue_email would add, not added to anything."""
    text_template = current_app.jinja_env.get_template(f"emails/{template}.txt")
    subject = _one_line(str(text_template.make_module(context).subject))
    return OutboxMessage(
        recipient=_one_line(recipient),
        subject=subject,
        body_text=render_template(f"emails/{template}.txt", **context),
        body_html=render_template(f"emails/{template}.html", subject=subject, **context),
        dedupe_key=dedupe_key,
        message_id=make_msgid(domain="clusters.example"),
    )


def flush_after_requests(app: Flask) -> None:
    """Development: deliver right after the response is sent, so nobody waits and no worker is needed."""

    @app.after_request
    def _schedule(response):
        if g.pop("outbox_touched", False):
            def deliver() -> None:
                with app.app_context():
                    try:
                        send_due()
                    except Exception:  # a development convenience must never break a page
                        log.exception("development outbox flush failed")

            response.call_on_close(deliver)
        return response


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
    candidates = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    lease_until = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    # One statement, so SQLite's single write lock is held for one UPDATE, not one per row: a backlog of
    # 100 rows (a slow SMTP server lets one build up) took 440 ms row by row on a busy machine, and every
    # request writing meanwhile waited for it (the slow-SMTP submissions' p95 on SQLite, benchmarks/).
    # `due` is checked again in the UPDATE itself: a row another sender took meanwhile is not taken twice.
    # The ids are a list, not a subquery: PostgreSQL may run a LIMIT ... SKIP LOCKED subquery more than once.
    candidate_ids = list(db.session.scalars(candidates))
    if not candidate_ids:
        db.session.commit()
        return []
    claimed = list(db.session.scalars(
        update(OutboxMessage).where(OutboxMessage.id.in_(candidate_ids), due)
        .values(status=OutboxStatus.SENDING, lease_until=lease_until)
        .returning(OutboxMessage.id).execution_options(synchronize_session=False)))
    db.session.commit()
    if not claimed:
        return []
    query = select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def _as_mail(row: OutboxMessage) -> Message:
    # queue_email already made these one line; rows written another way must not fail (or add headers) here.
    message = Message(subject=_one_line(row.subject), recipients=[_one_line(row.recipient)], body=row.body_text,
                      html=row.body_html)
    message.msgId = row.message_id
    return message


class _Connection(Connection):
    """Flask-Mail's connection with a timeout and certificate checks.

    Flask-Mail 0.10 opens smtplib connections without a timeout (a silent server hangs the sender)
    and calls starttls() without an SSL context, which does not verify the server's certificate.
    """

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        timeout = current_app.config["MAIL_TIMEOUT_SECONDS"]
        context = ssl.create_default_context()
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout, context=context)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        try:
            host.set_debuglevel(int(state.debug))
            if state.use_tls:
                host.starttls(context=context)
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()
            raise
        return host


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _record_failure(row: OutboxMessage, error: Exception, report: SendReport, *, permanent: bool = False) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.lease_until = None
    if permanent or _is_permanent(error) or row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        row.status, row.failed_at = OutboxStatus.FAILED, utcnow()
        report.failed += 1
        log.warning("e-mail %s to %s failed for good: %s", row.id, row.recipient, row.last_error)
    else:
        row.status = OutboxStatus.PENDING
        row.next_attempt_at = utcnow() + backoff(row.attempts)
        report.retried += 1


def _record_sent(row: OutboxMessage, report: SendReport) -> None:
    row.status, row.sent_at, row.lease_until = OutboxStatus.SENT, utcnow(), None
    row.attempts += 1
    if not current_app.config.get("DEV_OUTBOX_ENABLED"):
        # Delivered: the recipient has the link, the database must not (F18). Committed with the SENT status.
        row.body_text, row.body_html = redact_links(row.body_text), redact_links(row.body_html)
    report.sent += 1


def _release(rows: list[OutboxMessage]) -> None:
    """Hands claimed rows back untouched (no attempt counted), for the next round."""
    for row in rows:
        row.status, row.lease_until = OutboxStatus.PENDING, None


def send_due(limit: int = 100) -> SendReport:
    """Delivers the rows that are due, over one SMTP connection. Returns what happened."""
    report = SendReport()
    rows = _claim(limit)
    if not rows:
        return report
    connection = _Connection(current_app.extensions["mail"])
    try:
        connection.__enter__()
    except (OSError, smtplib.SMTPException) as error:
        for row in rows:
            _record_failure(row, error, report)
        db.session.commit()
        return report
    try:
        for index, row in enumerate(rows):
            try:
                connection.send(_as_mail(row))
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
                # The server answered: this message failed, the connection is still good for the next.
                _record_failure(row, error, report)
            except (OSError, smtplib.SMTPException) as error:
                # Connection lost or timed out: this row counts an attempt, the others wait for the next round.
                _record_failure(row, error, report)
                _release(rows[index + 1:])
                db.session.commit()
                break
            except Exception as error:  # a row that cannot become an e-mail must not block the others
                log.exception("e-mail %s cannot be sent", row.id)
                _record_failure(row, error, report, permanent=True)
            else:
                _record_sent(row, report)
            # Commit after each row, so a crash later re-sends at most the row in flight.
            db.session.commit()
    finally:
        try:
            connection.__exit__(None, None, None)
        except (OSError, smtplib.SMTPException):
            log.info("SMTP connection did not close cleanly")
    return report


def send_loop(interval_seconds: float, stop_after: int | None = None) -> None:
    """The production sender: `flask outbox send --loop`. SMTP calls time out after MAIL_TIMEOUT_SECONDS."""
    import time

    rounds = 0
    while stop_after is None or rounds < stop_after:
        report = send_due()
        if report.sent or report.retried or report.failed:
            log.info("outbox: %s", report)
        db.session.remove()
        rounds += 1
        time.sleep(interval_seconds)


def redact_links(body: str) -> str:
    """The body with every link that carries a token replaced by a note; other links and text stay."""
    return _TOKEN_URL.sub(LINK_REMOVED, body)


def failed_messages(limit: int = 200) -> list[OutboxMessage]:
    """E-mails that failed for good (a 550, or too many attempts), the latest failure first."""
    query = (select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
             .order_by(OutboxMessage.failed_at.desc().nulls_last(), OutboxMessage.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def requeue_failed(message_id: int, actor: User | None = None) -> bool:
    """Queues a failed e-mail again, with a fresh count of attempts. False when it is not failed (any more).

    A conditional update: two clicks (or two administrators) requeue it once, and only the one that did
    is audited.
    """
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), lease_until=None, failed_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        audit.record("email_requeued", "outbox_message", message_id, actor=actor)
    db.session.commit()
    return changed == 1
