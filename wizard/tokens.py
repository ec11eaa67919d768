"""One helper for every e-mailed link: signed per purpose, stored hashed, single use from the row.

The URL carries an itsdangerous signature (salt = purpose) over 256 random bits. The signature
rejects forged or mangled links without touching the database; the row, found by the sha256 of the
random part, gives expiry, single use and revocation, and a database dump holds no usable link.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select, update

from wizard.extensions import db
from wizard.models import LinkToken
from wizard.models.base import utcnow


class Purpose:
    VERIFY_EMAIL = "verify-email"
    RESET_PASSWORD = "reset-password"  # noqa: S105 - a purpose name, not a password
    RESUME_DRAFT = "resume-draft"
    AFFILIATION_DECISION = "affiliation-decision"
    COADMIN_INVITE = "coadmin-invite"


class TokenError(Exception):
    """The link cannot be used. `reason` is one of: invalid, expired, used."""

    def __init__(self, reason: str, token: LinkToken | None = None):
        super().__init__(reason)
        self.reason = reason
        self.token = token


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"link-token:{purpose}")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(purpose: str, subject_id: int, max_age_seconds: int, *, action: str = "",
                recipient_email: str = "", supersede: bool = True) -> str:
    """Adds a token row to the session (committed with the caller's change) and returns the URL value."""
    now = utcnow()
    if supersede:
        db.session.execute(
            update(LinkToken)
            .where(LinkToken.purpose == purpose, LinkToken.subject_id == subject_id,
                   LinkToken.action == action, LinkToken.recipient_email == recipient_email,
                   LinkToken.used_at.is_(None), LinkToken.superseded_at.is_(None))
            .values(superseded_at=now)
        )
    raw = secrets.token_urlsafe(32)
    db.session.add(LinkToken(
        purpose=purpose, subject_id=subject_id, action=action, recipient_email=recipient_email,
        token_hash=_hash(raw), created_at=now, expires_at=now + timedelta(seconds=max_age_seconds),
    ))
    return _serializer(purpose).dumps(raw)


def check_token(purpose: str, value: str, *, action: str | None = None) -> LinkToken:
    """Returns the live row for `value`, or raises TokenError. Never changes anything."""
    try:
        raw = _serializer(purpose).loads(value)
    except (BadData, UnicodeError, ValueError, TypeError) as exc:
        raise TokenError("invalid") from exc
    # base64 ignores padding and the spare low bits of the last character, so one signature has several
    # spellings (it even skips characters outside its alphabet); only the one we issued is accepted.
    if not isinstance(raw, str) or not hmac.compare_digest(_serializer(purpose).dumps(raw).encode(), value.encode()):
        raise TokenError("invalid")
    token = db.session.scalar(select(LinkToken).where(LinkToken.token_hash == _hash(raw)))
    if token is None or token.purpose != purpose or (action is not None and token.action != action):
        raise TokenError("invalid")
    if token.used_at is not None:
        raise TokenError("used", token)
    if token.superseded_at is not None:
        raise TokenError("invalid", token)
    if token.expires_at <= utcnow():
        raise TokenError("expired", token)
    return token


def consume_token(token: LinkToken) -> bool:
    """Marks the token used; False if another request used it first (compare-and-set)."""
    result = db.session.execute(
        update(LinkToken).where(LinkToken.id == token.id, LinkToken.used_at.is_(None)).values(used_at=utcnow())
    )
    return result.rowcount == 1


def revoke_tokens(purpose: str, subject_id: int) -> None:
    db.session.execute(
        update(LinkToken)
        .where(LinkToken.purpose == purpose, LinkToken.subject_id == subject_id, LinkToken.used_at.is_(None),
               LinkToken.superseded_at.is_(None))
        .values(superseded_at=utcnow())
    )

