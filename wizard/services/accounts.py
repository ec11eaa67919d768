"""Accounts: registration, e-mail verification, sign-in with a server-side session, password reset."""
import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from wizard import passwords, tokens
from wizard.extensions import db
from wizard.links import email_link
from wizard.models import AuthSession, LoginAttempt, Role, User
from wizard.models.base import utcnow
from wizard.services import audit
from wizard.services.mail_caps import queue_capped_email
from wizard.services.outbox import queue_email
from wizard.tokens import Purpose, TokenError

log = logging.getLogger(__name__)


class AccountError(Exception):
    """A refusal with a message fit to show next to the form."""


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def send_verification_email(user: User) -> None:
    token = tokens.issue_token(Purpose.VERIFY_EMAIL, user.id, current_app.config["VERIFY_EMAIL_MAX_AGE"])
    queue_capped_email(user.email, "verify_email", user=user, link=email_link("auth.verify_email", token=token))


def register(email: str, password: str, full_name: str = "", role: Role = Role.APPLICANT,
             verified: bool = False) -> User | None:
    """Creates the account and queues its verification e-mail (none when `verified`: an operator vouches).

    For an address that already has an account, the owner is told by e-mail instead and None is
    returned: the page the visitor sees is the same either way, so nobody learns who has an account.
    Both ways hash the password and queue an e-mail, so neither answers faster (F24).
    """
    password_hash = passwords.hash_password(password)
    existing = find_user_by_email(email)
    if existing is not None:
        queue_capped_email(existing.email, "account_exists", user=existing,
                           link=email_link("auth.forgot_password"))
        db.session.commit()
        return None
    user = User(email=email.strip(), password_hash=password_hash, full_name=full_name.strip(),
                role=role.value)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        # Two sign-ups for one address at the same instant: the unique index lets one through.
        db.session.rollback()
        return None
    if verified:
        user.email_verified_at = utcnow()
    else:
        send_verification_email(user)
    db.session.commit()
    return user


def user_for_verify_token(token_value: str) -> User:
    """The account a confirmation link is for, or TokenError. Changes nothing (GET may call it)."""
    token = tokens.check_token(Purpose.VERIFY_EMAIL, token_value)
    user = db.session.get(User, token.subject_id)
    if user is None:
        raise TokenError("invalid", token)
    return user


def verify_email(token_value: str) -> User:
    token = tokens.check_token(Purpose.VERIFY_EMAIL, token_value)
    user = user_for_verify_token(token_value)
    if not tokens.consume_token(token):
        db.session.rollback()
        raise TokenError("used", token)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.commit()
    return user


def _throttled(email_lower: str) -> bool:
    config = current_app.config
    since = utcnow() - timedelta(seconds=config["ACCOUNT_THROTTLE_SECONDS"])
    recent = db.session.scalar(
        select(func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.email_lower == email_lower, LoginAttempt.attempted_at > since)
    )
    return recent >= config["ACCOUNT_THROTTLE_ATTEMPTS"]


def authenticate(email: str, password: str) -> User:
    """The account for these credentials, or AccountError with a message that does not say which was wrong."""
    email_lower = email.strip().lower()
    if _throttled(email_lower):
        log.warning("sign-in throttled for an account")
        raise AccountError("Too many attempts to sign in to this account. Wait a minute and try again.")
    user = find_user_by_email(email_lower)
    # An unknown address is checked against a dummy hash: it must take as long as a known one (F24).
    password_ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or user.is_disabled:
        db.session.add(LoginAttempt(email_lower=email_lower))
        db.session.commit()
        log.info("sign-in failed")
        raise AccountError("The e-mail address or password is not right.")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email_lower == email_lower))
    return user


def _session_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start_session(user: User) -> str:
    """Creates a server-side sign-in and returns the value the cookie will carry."""
    raw = secrets.token_urlsafe(32)
    db.session.add(AuthSession(id_hash=_session_hash(raw), user_id=user.id))
    db.session.commit()
    user.current_auth_session_id = raw
    return raw


def load_session_user(raw: str) -> User | None:
    """The signed-in user for a cookie value, or None when the sign-in ended or timed out."""
    auth_session = db.session.get(AuthSession, _session_hash(raw))
    if auth_session is None:
        return None
    user = auth_session.user
    now = utcnow()
    config = current_app.config
    idle_limit = config["STAFF_IDLE_TIMEOUT"] if user.is_staff else config["APPLICANT_IDLE_TIMEOUT"]
    too_old = user.is_staff and now - auth_session.created_at > config["SESSION_ABSOLUTE_TIMEOUT"]
    if user.is_disabled or too_old or now - auth_session.last_seen_at > idle_limit:
        db.session.delete(auth_session)
        db.session.commit()
        return None
    # Writing on every request would serialise SQLite writers; a minute's precision is enough.
    if now - auth_session.last_seen_at > timedelta(minutes=1):
        auth_session.last_seen_at = now
        db.session.commit()
    user.current_auth_session_id = raw
    return user


def end_session(raw: str | None) -> None:
    if raw:
        db.session.execute(delete(AuthSession).where(AuthSession.id_hash == _session_hash(raw)))
        db.session.commit()


def end_all_sessions(user: User) -> None:
    """Called when the password or the role changes: every copied cookie stops working."""
    db.session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))


#: The subject of the reset link issued for an address without an account: no account has id 0, so it opens nothing.
NO_ACCOUNT = 0


def request_password_reset(email: str) -> None:
    """Queues a reset link if the account exists, and otherwise an e-mail saying there is none.

    The caller shows the same page either way. Both ways issue a link and queue an e-mail in one
    commit, so both take as long (F24): neither the page nor its timing says whether the address
    has an account. The link issued for no account is not sent, and would open nothing.
    """
    user = find_user_by_email(email)
    known = user is not None and not user.is_disabled
    token = tokens.issue_token(Purpose.RESET_PASSWORD, user.id if known else NO_ACCOUNT,
                               current_app.config["RESET_PASSWORD_MAX_AGE"])
    if known:
        queue_capped_email(user.email, "reset_password", user=user, link=email_link("auth.reset_password", token=token))
    else:
        queue_capped_email(email.strip(), "reset_no_account", link=email_link("auth.register"))
    db.session.commit()


def user_for_reset_token(token_value: str) -> User:
    token = tokens.check_token(Purpose.RESET_PASSWORD, token_value)
    user = db.session.get(User, token.subject_id)
    if user is None or user.password_changed_at > token.created_at:
        raise TokenError("used", token)
    return user


def reset_password(token_value: str, new_password: str) -> User:
    token = tokens.check_token(Purpose.RESET_PASSWORD, token_value)
    user = user_for_reset_token(token_value)
    if not tokens.consume_token(token):
        db.session.rollback()
        raise TokenError("used", token)
    # Following a reset link proves the address, too.
    user.email_verified_at = user.email_verified_at or utcnow()
    change_password(user, new_password)
    db.session.commit()
    return user


def change_password(user: User, new_password: str) -> None:
    """The one way a password changes: older reset links die, every sign-in ends, the owner is told.

    The caller commits; a caller that keeps the person signed in starts a new session afterwards.
    """
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    queue_email(user.email, "password_changed", user=user)


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """The signed-in owner changes the password, proving it with the current one (AccountError if it is not
    right): every sign-in ends, the owner is e-mailed, an audit entry is written, all in one transaction.
    The caller signs this browser in again."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise AccountError("Your current password is not right.")
    change_password(user, new_password)
    audit.record("password_changed", "user", user.id, actor=user)
    db.session.commit()


def set_role(user: User, role: Role) -> None:
    if user.role != role.value:
        user.role = role.value
        end_all_sessions(user)
