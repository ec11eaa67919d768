"""Accounts, their server-side sign-in sessions, and the per-account sign-in throttle."""
import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wizard.extensions import db
from wizard.models.base import UTCDateTime, one_of, utcnow


class Role(enum.StrEnum):
    APPLICANT = "applicant"
    VALIDATOR = "validator"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (one_of("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As typed at registration; uniqueness is on the lower-cased form.
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default=Role.APPLICANT.value)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Reset links issued before this moment are dead (single use comes from state, not a blacklist).
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sessions: Mapped[list["AuthSession"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    #: Set by the user loader: the server-side session this request is signed in with (not a column).
    current_auth_session_id = None

    def get_id(self) -> str | None:
        return self.current_auth_session_id

    @property
    def is_active(self) -> bool:
        return not self.is_disabled

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.VALIDATOR, Role.ADMIN)

    @property
    def is_validator(self) -> bool:
        return self.is_staff

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


# One account per address whatever its case; two sign-ups racing for one address get one account.
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class AuthSession(db.Model):
    """A sign-in. The cookie carries only its random id's plain value; deleting the row signs out."""

    __tablename__ = "auth_sessions"

    #: sha256 of the value kept in the cookie, so a database dump holds no usable session.
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="sessions")


class LoginAttempt(db.Model):
    """Failed sign-ins per account, kept in the database so every worker sees the same count."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_lower: Mapped[str] = mapped_column(String(254), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
