"""The app's own error pages: a plain message and, for server errors, a reference id to quote."""
import logging
import math
import secrets
import time

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from wizard.extensions import db, limiter
from wizard.registration.csrf_recovery import rerender_step_after_csrf_failure, rerender_step_with_posted_values
from wizard.request_body import FormTooLarge
from wizard.uploads import file_size

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("The request could not be understood", "Something in what your browser sent was not valid. "
          "Go back, reload the page and try again."),
    401: ("Sign in needed", "You need to sign in to see this page."),
    403: ("You cannot do that", "Your account does not have access to this page or action."),
    404: ("Page not found", "There is no page at this address, or the link you used has been mistyped or is "
          "no longer valid."),
    405: ("That cannot be done here", "This address does not accept that kind of request."),
    413: ("The file is too large", "What you sent is larger than we accept. Files may be at most {limit}. "
          "Your answers saved so far are kept: go back and choose a smaller file."),
    429: ("Too many attempts", "You have tried this too often in a short time. Wait {wait} and try again."),
    500: ("Sorry, something went wrong", "The problem is ours, not yours. Try again in a moment."),
    503: ("The service is busy", "We could not finish this just now. Nothing was half-saved: go back and send "
          "the page again in a moment."),
}


FORM_TOO_LARGE = ("What you sent is larger than any form of this site accepts, so it was not read. "
                  "Your answers saved so far are kept: go back and try again.")


def human_wait(seconds: float) -> str:
    """A wait as a person says it: "about 59 minutes" for 3,550 s."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    if minutes < 60:
        return "about a minute" if minutes == 1 else f"about {minutes} minutes"
    hours = round(seconds / 3600)
    return "about an hour" if hours == 1 else f"about {hours} hours"


def rate_limit_wait() -> int | None:
    """Seconds until the limit this request broke lets it through: what Flask-Limiter puts in Retry-After."""

    limit = limiter.current_limit
    if limit is None or not limit.breached:
        return None
    return max(1, int(limit.reset_at - time.time()))


def too_many_requests_page():
    seconds = rate_limit_wait()
    if seconds is None:
        return render_error(429)
    body, _ = render_error(429, wait=human_wait(seconds))
    return body, 429, {"Retry-After": str(seconds)}


def render_error(code: int, reference: str | None = None, message: str | None = None,
                 wait: str = "a minute"):
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template(
        "errors/error.html", code=code, title=title,
        text=message or text.format(limit=file_size(current_app.config["UPLOAD_MAX_BYTES"]), wait=wait),
        reference=reference,
    ), code


#: A write lock outlasting the busy timeout (5 s) is rare and short: a few seconds later the page goes through.
BUSY_RETRY_AFTER_SECONDS = 5


def busy_step_page(reference: str):
    """A wizard step whose save met a busy database comes back with what was typed (F13); None otherwise,
    also when the database cannot even be read (PostgreSQL down): then the plain 503 page is the answer."""

    message = (f"The service was busy, so your answers were not saved yet (reference {reference}). "
               "They are kept below: save again in a moment.")
    try:
        return rerender_step_with_posted_values(message, 503)
    except OperationalError:
        db.session.rollback()
        return None


def untrusted_host(error):
    # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page with links is rendered.
    return "This site is not served at that address.", 400, {"Content-Type": "text/plain; charset=utf-8"}


def form_too_large(error):
    return render_error(413, message=FORM_TOO_LARGE)


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        log.warning("CSRF check failed on %s: %s", request.path, error.description)

        recovered = rerender_step_after_csrf_failure()
        if recovered is not None:
            return recovered
        return render_error(400, message="This form had expired or was sent from somewhere else. "
                            "Go back, reload the page and send it again.")

    app.register_error_handler(SecurityError, untrusted_host)
    app.register_error_handler(FormTooLarge, form_too_large)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code >= 500:
            return server_error(error)
        if code == 429:
            return too_many_requests_page()
        return render_error(code)

    @app.errorhandler(OperationalError)
    def database_busy(error):
        db.session.rollback()
        reference = secrets.token_hex(4)
        log.error("database unavailable [ref %s]: %s", reference, error.orig)
        body, _ = busy_step_page(reference) or render_error(503, reference)
        return body, 503, {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}

    @app.errorhandler(Exception)
    def server_error(error):
        if isinstance(error, HTTPException) and not isinstance(error, InternalServerError) and error.code < 500:
            return render_error(error.code)
        db.session.rollback()
        reference = secrets.token_hex(4)
        log.exception("unhandled error [ref %s] on %s %s", reference, request.method, request.path)
        code = error.code if isinstance(error, HTTPException) and error.code else 500
        return render_error(code if code in MESSAGES else 500, reference)
