"""Access decorators and safe redirects shared by every blueprint."""
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request, session, url_for
from flask_login import current_user, login_required, login_user

from wizard.services import accounts
from wizard.services.drafts import adopt_anonymous_drafts, latest_anonymous_draft

ANON_KEY = "anon_key"
#: Where to go once signed in, kept in the session from "Create an account" through the e-mailed
#: confirmation link to sign-in (a path on this site only; see `safe_next`).
RETURN_TO = "return_to"


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never a scheme, a host, a protocol-relative or backslash trick.

    Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so "/\\evil" and
    "/<TAB>/evil" mean "//evil": any backslash, control character or white space refuses the target.
    """
    if not target or not isinstance(target, str):
        return default
    if any(ch == "\\" or ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def staff_required(view):
    """Validators and administrators only."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def public(view):
    """Marks a view as open to everyone, so the route policy test knows it was decided on purpose."""
    view.access_policy = "public"
    return view


def remember_return(target: str | None) -> None:
    """Keeps where the visitor should land after signing in: the page they asked for, else the draft they
    were filling in while signed out (it joins their account at sign-in), else nothing."""
    target = safe_next(target, "")
    if not target:
        draft = latest_anonymous_draft(session.get(ANON_KEY))
        target = url_for("wizard.resume", public_id=draft.public_id) if draft is not None else ""
    if target:
        session[RETURN_TO] = target
    else:
        session.pop(RETURN_TO, None)


def remembered_return() -> str | None:
    return safe_next(session.get(RETURN_TO), "") or None


def sign_in_user(user) -> str | None:
    """A new server-side session and a fresh cookie; the visitor's drafts come along.

    Returns where the visitor was going (`remember_return`), or else the draft they last filled in while
    signed out (its first unfinished step or "Check your answers"), or None."""
    anon_key = session.get(ANON_KEY)
    returning = remembered_return()
    draft = None if returning else latest_anonymous_draft(anon_key)
    session.clear()
    accounts.start_session(user)
    login_user(user)
    adopt_anonymous_drafts(user, anon_key)
    if returning is None and draft is not None:
        returning = url_for("wizard.resume", public_id=draft.public_id)
    return returning


def client_wants_html() -> bool:
    return request.accept_mimetypes.accept_html
