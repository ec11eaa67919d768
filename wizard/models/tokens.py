"""E-mailed link tokens: only a hash is stored; single use and revocation come from this row."""
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wizard.extensions import db
from wizard.models.base import UTCDateTime, utcnow


class LinkToken(db.Model):
    __tablename__ = "link_tokens"
    __table_args__ = (Index("ix_link_tokens_subject", "purpose", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(40))
    #: The id of what the token acts on: a user, a profile, an affiliation ...
    subject_id: Mapped[int] = mapped_column()
    #: For affiliation links: the decision the link offers ("approve" / "decline").
    action: Mapped[str] = mapped_column(String(20), default="")
    recipient_email: Mapped[str] = mapped_column(String(254), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
