"""Headers and error pages on every foundation page, CSRF on every POST, cross-site refusal, Host injection."""
import itertools
import re

import pytest
from flask import Blueprint
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import OperationalError

from tests.support.clients import IsolatedClient
from tests.support.emails import link_path, links_in, only_email, queued_emails
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.pages import ClientHelper, Page
from wizard.extensions import db
from wizard.services import accounts
from wizard.tokens import Purpose, issue_token

NEW_PASSWORD = "lantern pebble orchard"  # noqa: S105 - a test password
REFERENCE = re.compile(r"quote the reference ([0-9a-f]{8})")


@pytest.fixture
def client(app):
    return IsolatedClient.for_app(app)


@pytest.fixture
def failing_routes(app):
    """Test-only routes that fail, registered before the app's first request."""
    failures = Blueprint("test_failures", __name__)

    @failures.route("/test-only/crash")
    def crash():
        raise RuntimeError("secret detail: sqlalchemy password=hunter2 at /srv/app/wizard/secret.py")

    @failures.route("/test-only/database-down")
    def database_down():
        raise OperationalError("SELECT secret FROM users", {}, Exception("could not connect to server"))

    app.register_blueprint(failures)


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in csp.split(";"))):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def assert_security_headers(response, *, static: bool = False) -> None:
    headers = response.headers
    csp = directives(headers["Content-Security-Policy"])
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src == ["'self'"], csp
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(script_src + csp["default-src"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "no-referrer")
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Permissions-Policy"]
    assert "Server" not in headers and "X-Powered-By" not in headers
    if not static:
        assert headers["Cache-Control"] == "no-store"


def _token_path(prefix: str, purpose: str) -> str:
    user = accounts.find_user_by_email("ana@example.eu")
    value = issue_token(purpose, user.id, 3600)
    db.session.commit()
    return prefix + value


def _verify_path(app) -> str:
    return _token_path("/account/verify/", Purpose.VERIFY_EMAIL)


def _reset_path(app) -> str:
    return _token_path("/account/reset-password/", Purpose.RESET_PASSWORD)


PAGES = {
    # name: (how to get it, expected status, expected h1)
    "start page": (lambda c, app: c.get("/"), 200, None),
    "register": (lambda c, app: c.get("/account/register"), 200, "Create an account"),
    "sign in": (lambda c, app: c.get("/account/sign-in"), 200, "Sign in"),
    "forgot password": (lambda c, app: c.get("/account/forgot-password"), 200, "Reset your password"),
    "check your e-mail": (lambda c, app: c.get("/account/check-your-email"), 200, "Check your e-mail"),
    "confirm e-mail": (lambda c, app: c.get(_verify_path(app)), 200, "Confirm your e-mail address"),
    "choose a new password": (lambda c, app: c.get(_reset_path(app)), 200, "Choose a new password"),
    "bad link": (lambda c, app: c.get("/account/verify/not-a-token"), 404, "This link is not valid"),
    "404": (lambda c, app: c.get("/no/such/page"), 404, "Page not found"),
    "400 csrf": (lambda c, app: c.post("/account/sign-in", data={"email": "a@b.eu", "password": "x"}), 400,
                 "The request could not be understood"),
    "403 cross-site": (lambda c, app: c.post("/account/sign-in", headers={"Sec-Fetch-Site": "cross-site"}), 403,
                       "You cannot do that"),
    "405": (lambda c, app: c.get("/account/sign-out"), 405, "That cannot be done here"),
    "405 trace": (lambda c, app: c.open("/", method="TRACE"), 405, "That cannot be done here"),
    "413": (lambda c, app: c.post("/account/sign-in", data={"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}),
            413, "The file is too large"),
    "500": (lambda c, app: c.get("/test-only/crash"), 500, "Sorry, something went wrong"),
    "503": (lambda c, app: c.get("/test-only/database-down"), 503, "The service is busy"),
}


def test_every_foundation_page_carries_the_security_headers(app, client, make_user, failing_routes, subtests):
    make_user(email="ana@example.eu", verified=False)
    for name, (fetch, status, heading) in PAGES.items():
        with subtests.test(name):
            response = fetch(client, app)
            assert response.status_code == status
            assert_security_headers(response)
            page = Page(response)
            if heading:
                assert page.h1 == heading
            page.check_hygiene()
            body = response.get_data(as_text=True)
            for leak in ("Traceback", "Werkzeug", "werkzeug", "sqlalchemy", "hunter2", "secret", "/srv/app"):
                assert leak not in body
            if status >= 500:
                assert REFERENCE.search(page.text()), "a server error page gives a reference to quote"


def test_the_429_page(app, client, make_user):
    helper = ClientHelper(app, client)
    for n in range(10):
        helper.post("/account/sign-in", {"email": f"guess{n}@example.eu", "password": "wrong password"})
    response = helper.post("/account/sign-in", {"email": "guess@example.eu", "password": "wrong password"}).response
    assert response.status_code == 429
    assert_security_headers(response)
    assert int(response.headers["Retry-After"]) > 0
    assert Page(response).h1 == "Too many attempts"


def test_static_files_carry_the_headers_too(client):
    with client.get("/static/app.css") as response:
        assert response.status_code == 200
        assert_security_headers(response, static=True)


def test_token_pages_send_no_referrer(app, client, make_user):
    make_user(email="ana@example.eu", verified=False)
    for path in (_verify_path(app), _reset_path(app), "/account/verify/forged", "/account/reset-password/forged"):
        assert client.get(path).headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/account/sign-in").headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_a_server_error_is_logged_with_the_reference_shown(app, client, failing_routes, caplog):
    response = client.get("/test-only/crash")
    reference = REFERENCE.search(Page(response).text()).group(1)
    logged = [record for record in caplog.records if reference in record.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None  # the details go to the log, not the page


def test_references_differ_between_errors(client, failing_routes):
    first, second = (REFERENCE.search(Page(client.get("/test-only/crash")).text()).group(1) for _ in range(2))
    assert first != second


# --- cross-site writes ------------------------------------------------------------------------------------


def test_a_cross_site_post_is_refused_even_with_a_valid_token(app, client, make_user):
    make_user(email="ana@example.eu")
    helper = ClientHelper(app, client)
    response = client.post("/account/sign-in", headers={"Sec-Fetch-Site": "cross-site"},
                           data={"email": "ana@example.eu", "password": DEFAULT_PASSWORD,
                                 "csrf_token": helper.csrf_token()})
    assert response.status_code == 403
    assert db.session.scalar(text("SELECT count(*) FROM auth_sessions")) == 0


@pytest.mark.parametrize("site", ["same-origin", "none", "same-site"])
def test_same_site_posts_pass(app, client, make_user, site):
    make_user(email="ana@example.eu")
    helper = ClientHelper(app, client)
    response = client.post("/account/sign-in", headers={"Sec-Fetch-Site": site},
                           data={"email": "ana@example.eu", "password": DEFAULT_PASSWORD,
                                 "csrf_token": helper.csrf_token()})
    assert response.status_code == 302


# --- CSRF on every POST route of the foundation -----------------------------------------------------------

FOUNDATION_BLUEPRINTS = ("auth.", "main.", "dev.")


def post_routes(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and rule.endpoint.startswith(FOUNDATION_BLUEPRINTS)}


def row_counts() -> dict[str, int]:
    db.session.expire_all()
    return {table: db.session.scalar(select(func.count()).select_from(text(f'"{table}"')))
            for table in inspect(db.engine).get_table_names()}


@pytest.fixture
def post_targets(app, make_user, sign_in, client):
    """For every foundation POST route: a URL and a form that would change something if CSRF let it through."""
    make_user(email="known@example.eu")
    unverified = make_user(email="unverified@example.eu", verified=False)
    sign_in(unverified)  # signed in, so sign-out and resend-verification would act
    verify = issue_token(Purpose.VERIFY_EMAIL, unverified.id, 3600)
    reset = issue_token(Purpose.RESET_PASSWORD, unverified.id, 3600)
    db.session.commit()
    return {
        "auth.register": ("/account/register", {"full_name": "New", "email": "new@example.eu",
                                                "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
        "auth.sign_in": ("/account/sign-in", {"email": "known@example.eu", "password": DEFAULT_PASSWORD}),
        "auth.sign_out": ("/account/sign-out", {}),
        "auth.change_password": ("/account/change-password", {"current_password": DEFAULT_PASSWORD,
                                                              "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
        "auth.forgot_password": ("/account/forgot-password", {"email": "known@example.eu"}),
        "auth.resend_verification": ("/account/resend-verification", {}),
        "auth.verify_email": (f"/account/verify/{verify}", {}),
        "auth.reset_password": (f"/account/reset-password/{reset}", {"password": NEW_PASSWORD,
                                                                      "confirm": NEW_PASSWORD}),
    }


def test_every_foundation_post_route_is_covered(app, post_targets):
    assert post_routes(app) == set(post_targets)


def test_every_foundation_post_refuses_a_bad_csrf_token(app, client, post_targets, subtests):
    other_browser = ClientHelper(app, IsolatedClient.for_app(app))
    bad_tokens = {
        "missing": None,
        "garbage": "IjAwMDAi.garbage.signature",
        "another session's": other_browser.csrf_token(),
        "empty": "",
    }
    before = row_counts()
    for (endpoint, (url, form)), (kind, bad_token) in itertools.product(sorted(post_targets.items()),
                                                                        bad_tokens.items()):
        with subtests.test(endpoint=endpoint, token=kind):
            data = dict(form) if bad_token is None else {**form, "csrf_token": bad_token}
            response = client.post(url, data=data)
            assert response.status_code == 400
            assert Page(response).h1 == "The request could not be understood"
            assert_security_headers(response)
            assert row_counts() == before
    assert accounts.find_user_by_email("unverified@example.eu").email_verified_at is None
    assert "unverified@example.eu" in client.get("/").get_data(as_text=True)  # still signed in

    # Control: with a good token the very same forms do act, so "nothing changed" above means something.
    helper = ClientHelper(app, client)
    helper.post(*post_targets["auth.verify_email"], expected=302)
    helper.post(*post_targets["auth.register"], expected=302)
    db.session.expire_all()
    assert accounts.find_user_by_email("unverified@example.eu").email_verified_at is not None
    assert accounts.find_user_by_email("new@example.eu") is not None


# --- Host header injection --------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"},
    {"X-Forwarded-Host": "evil.example"},
    {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
     "Forwarded": "host=evil.example;proto=https"},
])
def test_links_in_e_mails_use_base_url_whatever_the_request_says(app, client, make_user, headers):
    make_user(email="known@example.eu")
    # Every request of this browser carries the forged headers (its cookies then belong to that host).
    helper = ClientHelper(app, client)
    form = helper.get("/account/forgot-password", headers=headers)
    client.post("/account/forgot-password", headers=headers,
                data={"email": "known@example.eu", "csrf_token": form.value_of("csrf_token")})
    for email in ("known@example.eu", "new@example.eu"):  # "account exists" and "confirm your e-mail"
        form = helper.get("/account/register", headers=headers)
        response = client.post("/account/register", headers=headers, data={
            "full_name": "N", "email": email, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
            "csrf_token": form.value_of("csrf_token")})
        assert response.status_code == 302

    messages = queued_emails()
    assert {m.subject for m in messages} == {"Choose a new password", "You already have an account",
                                             "Confirm your e-mail address"}
    for message in messages:
        links = links_in(message.body_text) + re.findall(r'href="([^"]+)"', message.body_html)
        assert links and all(link.startswith(app.config["BASE_URL"] + "/") for link in links), links
        assert "evil" not in message.body_text + message.body_html
    assert link_path(only_email("known@example.eu", "Choose a new password"), "/account/reset-password/")
