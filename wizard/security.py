"""Response headers, cross-site request refusal, and loading the signed-in user."""
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request

from wizard.extensions import login_manager
from wizard.services.accounts import load_session_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: Added to every response that does not set them itself.
ALWAYS_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("X-Frame-Options", "DENY"),
)


@login_manager.user_loader
def _load_user(session_value: str):

    return load_session_user(session_value)


def _origin(url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    return (parts.scheme.lower(), parts.netloc.lower()) if parts.scheme and parts.netloc else None


def refuse_cross_site_writes():
    """Defence in depth beside CSRF tokens: browsers say where a request comes from.

    Origin, or without it Referer, must name this site: the configured BASE_URL, or the address the request
    came to (development, a proxy that does not say https). `Origin: null` says nothing: Chromium sends it
    for a form on a page with `Referrer-Policy: no-referrer`, as our e-mailed-link pages are. A post with
    neither header (old browsers, privacy settings) is left to the CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)
    claimed = request.headers.get("Origin", "")
    if claimed in ("", "null"):
        claimed = request.referrer or ""
    if not claimed:
        return
    if _origin(claimed) not in {_origin(current_app.config["BASE_URL"]), _origin(request.host_url)}:
        abort(403)


def refuse_nul_bytes():
    """Nobody types a NUL byte, and PostgreSQL refuses to store or even compare one: a 400, not a 500 there."""
    fields = [request.args, request.form] if request.method in UNSAFE_METHODS else [request.args]
    values = [request.path, *(text for data in fields for key in data for text in (key, *data.getlist(key)))]
    if any("\x00" in value for value in values):
        abort(400)


def register(app: Flask) -> None:
    # First of all before-request functions: refused before the CSRF check or the rate limiter read the body.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_cross_site_writes)
    app.before_request(refuse_nul_bytes)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        if request.view_args and "token" in request.view_args:
            # The URL carries an e-mailed token (every such route names its argument `token`): never repeat it.
            headers["Referrer-Policy"] = "no-referrer"
        # One pass over the headers a view set itself (they win), instead of a search per header.
        present = {name.lower() for name in headers.keys()}
        for name, value in ALWAYS_HEADERS:
            if name.lower() not in present:
                headers.add(name, value)
        if app.config.get("HSTS") and "strict-transport-security" not in present:
            headers.add("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if "cache-control" not in present and not request.path.startswith("/static/"):
            # Pages carry personal data and form state: never kept by shared caches or the back-forward cache.
            headers.add("Cache-Control", "no-store")
        headers.pop("Server", None)
        return response
