"""The e-mail outbox: a row per message, written in the transaction of the event that causes it."""
import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wizard.extensions import db
from wizard.models.base import UTCDateTime, one_of, utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"), one_of("status", OutboxStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    #: Stops a replayed request from queueing the same e-mail twice (unique when set).
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: Stable across retries, so a recipient's mail client can fold a rare duplicate.
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: A sender owns a row in "sending" until this moment; after it, another sender may take it over.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When it failed for good (cleared when an administrator sends it again).
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
