"""Sign-in sessions live on the server: a copied cookie dies at sign-out, password change and role change;
sign-in starts a fresh session; staff time out; cookies carry the right flags; `next=` never leaves the site."""
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from sqlalchemy import func, select

from tests.support.apps import production_app
from tests.support.clients import IsolatedClient
from tests.support.emails import link_path, only_email
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.pages import ClientHelper, Page
from wizard.auth.helpers import ANON_KEY
from wizard.extensions import db
from wizard.models import AuthSession, Profile, Role, User
from wizard.services import accounts
from wizard.services.drafts import anon_key_hash

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def client(app):
    """Each request in its own application context, so nothing cached in `g` hides what the cookie says."""
    return IsolatedClient.for_app(app)


def sign_in_with_password(helper, email, password=DEFAULT_PASSWORD, next_url=None):
    url = "/account/sign-in" + (f"?next={next_url}" if next_url else "")
    return helper.post(url, {"email": email, "password": password}, form_url="/account/sign-in", expected=302)


def signed_in_as(client) -> str | None:
    page = ClientHelper(client.application, client).get("/")
    button = page.soup.select_one("form[action='/account/sign-out'] button .visually-hidden")
    return button.get_text(strip=True) if button else None


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie_value: str) -> IsolatedClient:
    """Another browser holding a copy of the cookie."""
    thief = IsolatedClient.for_app(app)
    thief.set_cookie("session", cookie_value)
    return thief


def count_sessions(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AuthSession).where(AuthSession.user_id == user_id))


# --- copied cookies stop working ---------------------------------------------------------------------------


def test_a_copied_cookie_stops_working_at_sign_out(app, helper, make_user):
    user = make_user(email="ana@example.eu")
    sign_in_with_password(helper, "ana@example.eu")
    copied = session_cookie(helper.client)
    assert signed_in_as(replay(app, copied)) == "ana@example.eu"  # the copy works while the session lives

    helper.post("/account/sign-out", form_url="/", expected=302)
    assert signed_in_as(helper.client) is None
    assert signed_in_as(replay(app, copied)) is None
    assert count_sessions(user.id) == 0


def test_signing_out_one_browser_leaves_the_others_signed_in(app, helper, make_user):
    make_user(email="ana@example.eu")
    phone = IsolatedClient.for_app(app)
    sign_in_with_password(helper, "ana@example.eu")
    sign_in_with_password(ClientHelper(app, phone), "ana@example.eu")

    helper.post("/account/sign-out", form_url="/", expected=302)
    assert signed_in_as(phone) == "ana@example.eu"


def test_a_copied_cookie_stops_working_after_a_password_change(app, helper, make_user):
    user = make_user(email="ana@example.eu")
    sign_in_with_password(helper, "ana@example.eu")
    copied = session_cookie(helper.client)

    accounts.change_password(db.session.get(User, user.id), "a brand new passphrase")
    db.session.commit()

    assert signed_in_as(replay(app, copied)) is None
    assert signed_in_as(helper.client) is None
    sign_in_with_password(helper, "ana@example.eu", "a brand new passphrase")


def test_a_copied_cookie_stops_working_after_a_password_reset(app, helper, make_user):
    make_user(email="ana@example.eu")
    sign_in_with_password(helper, "ana@example.eu")
    copied = session_cookie(helper.client)

    other = ClientHelper(app, IsolatedClient.for_app(app))
    other.post("/account/forgot-password", {"email": "ana@example.eu"}, expected=200)
    path = link_path(only_email("ana@example.eu", "Choose a new password"), "/account/reset-password/")
    other.post(path, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}, expected=302)

    assert signed_in_as(replay(app, copied)) is None


@pytest.mark.parametrize(("before", "after"), [(Role.VALIDATOR, Role.APPLICANT), (Role.ADMIN, Role.VALIDATOR),
                                               (Role.APPLICANT, Role.ADMIN)])
def test_a_copied_cookie_stops_working_after_a_role_change(app, helper, make_user, before, after):
    user = make_user(email="staff@example.eu", role=before)
    sign_in_with_password(helper, "staff@example.eu")
    copied = session_cookie(helper.client)

    accounts.set_role(db.session.get(User, user.id), after)
    db.session.commit()

    assert signed_in_as(replay(app, copied)) is None
    assert count_sessions(user.id) == 0


def test_setting_the_same_role_again_keeps_sessions(app, helper, make_user):
    user = make_user(email="staff@example.eu", role=Role.VALIDATOR)
    sign_in_with_password(helper, "staff@example.eu")
    accounts.set_role(db.session.get(User, user.id), Role.VALIDATOR)
    db.session.commit()
    assert signed_in_as(helper.client) == "staff@example.eu"


def test_a_disabled_account_is_signed_out_at_its_next_request(app, helper, make_user):
    user = make_user(email="ana@example.eu")
    sign_in_with_password(helper, "ana@example.eu")
    db.session.get(User, user.id).is_disabled = True
    db.session.commit()
    assert signed_in_as(helper.client) is None
    assert count_sessions(user.id) == 0


def test_the_database_holds_no_usable_session_id(app, helper, make_user):
    make_user(email="ana@example.eu")
    sign_in_with_password(helper, "ana@example.eu")
    with helper.client.session_transaction() as session:
        raw = session["_user_id"]
    stored = db.session.scalars(select(AuthSession.id_hash)).all()
    assert len(stored) == 1 and raw not in stored[0]


# --- a fresh session at sign-in ---------------------------------------------------------------------------


def test_sign_in_starts_a_fresh_session_and_brings_the_visitors_draft(app, helper, make_user):
    user = make_user(email="ana@example.eu")
    helper.get("/account/sign-in")
    with helper.client.session_transaction() as session:
        session[ANON_KEY] = "the-visitors-draft-key"
        session["planted_by_someone_else"] = "fixation attempt"
        pre_login_csrf = session["csrf_token"]
    pre_login_cookie = session_cookie(helper.client)
    draft = Profile(profile_type="cluster_organisation", answers={},
                    anon_key_hash=anon_key_hash("the-visitors-draft-key"))
    db.session.add(draft)
    db.session.commit()

    sign_in_with_password(helper, "ana@example.eu")

    with helper.client.session_transaction() as session:
        assert "planted_by_someone_else" not in session
        assert session.get("csrf_token") != pre_login_csrf
        assert session["_user_id"]
    assert session_cookie(helper.client) != pre_login_cookie
    assert signed_in_as(replay(app, pre_login_cookie)) is None
    db.session.expire_all()
    adopted = db.session.get(Profile, draft.id)
    assert adopted.owner_id == user.id and adopted.anon_key_hash is None


def test_a_failed_sign_in_changes_no_session(app, helper, make_user):
    make_user(email="ana@example.eu")
    helper.post("/account/sign-in", {"email": "ana@example.eu", "password": "not the password"}, expected=400)
    assert db.session.scalar(select(func.count()).select_from(AuthSession)) == 0
    assert signed_in_as(helper.client) is None


# --- timeouts ---------------------------------------------------------------------------------------------


def test_staff_are_signed_out_after_30_idle_minutes(app, helper, make_user):
    make_user(email="validator@example.eu", role=Role.VALIDATOR)
    with time_machine.travel(START, tick=False) as traveller:
        sign_in_with_password(helper, "validator@example.eu")
        for _ in range(3):  # active every 29 minutes: still signed in after 87
            traveller.shift(timedelta(minutes=29))
            assert signed_in_as(helper.client) == "validator@example.eu"
        traveller.shift(timedelta(minutes=30, seconds=1))
        assert signed_in_as(helper.client) is None
    assert db.session.scalar(select(func.count()).select_from(AuthSession)) == 0


def test_applicants_may_idle_longer_than_staff(app, helper, make_user):
    make_user(email="ana@example.eu")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in_with_password(helper, "ana@example.eu")
        traveller.shift(timedelta(hours=2))
        assert signed_in_as(helper.client) == "ana@example.eu"
        traveller.shift(timedelta(hours=24, seconds=1))
        assert signed_in_as(helper.client) is None


def test_staff_sessions_end_after_12_hours_however_active(app, helper, make_user):
    make_user(email="admin@example.eu", role=Role.ADMIN)
    with time_machine.travel(START, tick=False) as traveller:
        sign_in_with_password(helper, "admin@example.eu")
        for _ in range(12 * 3 - 1):  # a request every 20 minutes for 11 h 40 min
            traveller.shift(timedelta(minutes=20))
            assert signed_in_as(helper.client) == "admin@example.eu"
        traveller.shift(timedelta(minutes=20, seconds=1))
        assert signed_in_as(helper.client) is None


# --- cookie flags -----------------------------------------------------------------------------------------


def _session_set_cookie(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie") if "session=" in value.split(";")[0]]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0]


def _attributes(set_cookie: str) -> dict[str, str]:
    parts = [part.strip() for part in set_cookie.split(";")]
    return {name.lower(): value for name, _, value in (part.partition("=") for part in parts[1:])}


def test_session_cookie_is_httponly_and_samesite_lax(helper, make_user):
    make_user(email="ana@example.eu")
    page = sign_in_with_password(helper, "ana@example.eu")
    set_cookie = _session_set_cookie(page.response)
    attributes = _attributes(set_cookie)
    assert set_cookie.startswith("session=")
    assert "httponly" in attributes and attributes["samesite"] == "Lax" and attributes["path"] == "/"
    assert "secure" not in attributes  # the development and test settings serve plain http
    assert "expires" not in attributes  # a browser session cookie: the server decides how long it lasts
    assert len(set_cookie) < 4096


def test_production_cookie_is_secure_and_host_prefixed(database_url, make_user):
    make_user(email="ana@example.eu")
    with production_app(database_url, BASE_URL="https://clusters.example") as production:
        browser = IsolatedClient.for_app(production)
        form_page = browser.get("/account/sign-in", base_url="https://localhost")
        assert _attributes(_session_set_cookie(form_page)).keys() >= {"secure", "httponly"}
        response = browser.post("/account/sign-in", base_url="https://localhost",
                                headers={"Referer": "https://localhost/account/sign-in"},
                                data={"email": "ana@example.eu", "password": DEFAULT_PASSWORD,
                                      "csrf_token": Page(form_page).value_of("csrf_token")})
    assert response.status_code == 302
    set_cookie = _session_set_cookie(response)
    attributes = _attributes(set_cookie)

    assert set_cookie.startswith("__Host-session=")
    assert "secure" in attributes and "httponly" in attributes and attributes["samesite"] == "Lax"
    assert attributes["path"] == "/" and "domain" not in attributes  # what the __Host- prefix requires
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- next= after sign-in never leaves the site ------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example",
    "///evil.example",
    "////evil.example/path",
    "https://evil.example",
    "http://evil.example/account/sign-in",
    "HTTPS://EVIL.EXAMPLE",
    "https:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "%2f%2fevil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https%3A%2F%2Fevil.example",
    "/\t/evil.example",
    "/\r\n/evil.example",
    "/\n/evil.example",
    "/%0d%0aLocation:%20https://evil.example",
    "/\r\nLocation: https://evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\x0b/evil.example",
    "//localhost@evil.example",
    "https://localhost@evil.example",
    "https://evil.example\\@localhost",
    "https://evil.example#@localhost",
    "／／evil.example",  # full-width solidus
    "//evil。example",  # ideographic full stop
    "http://[::1]:80@evil.example",
    "/.//evil.example",
]


@pytest.mark.config(SIGNIN_RATE_LIMIT="1000 per minute")
def test_next_never_redirects_off_site(helper, make_user, subtests):
    make_user(email="ana@example.eu")
    for target in HOSTILE_NEXT:
        with subtests.test(next=target):
            response = helper.client.post("/account/sign-in", query_string={"next": target},
                                          data={"email": "ana@example.eu", "password": DEFAULT_PASSWORD,
                                                "csrf_token": helper.csrf_token("/account/sign-in")})
            if "\x00" in target:
                assert response.status_code == 400  # a NUL byte is refused before anything else
                continue
            assert response.status_code == 302  # signed in
            location = response.headers["Location"]
            assert location.startswith("/") and not location.startswith("//")
            assert "\\" not in location and not any(ord(ch) < 0x20 for ch in location)
            resolved = urlsplit(urljoin("http://localhost/account/sign-in", location))
            assert resolved.scheme == "http" and resolved.netloc == "localhost"
    assert len(HOSTILE_NEXT) >= 20
    assert signed_in_as(helper.client) == "ana@example.eu"


def test_hostile_next_is_not_even_put_in_the_sign_in_form(helper):
    page = helper.get("/account/sign-in", query_string={"next": "//evil.example"})
    assert page.soup.select_one("form")["action"] == "/account/sign-in"


@pytest.mark.parametrize("target", ["/dev/outbox", "/account/check-your-email?from=sign-in", "/%2F%2Fevil.example"])
def test_a_path_on_this_site_is_followed(helper, make_user, target):
    make_user(email="ana@example.eu")
    response = helper.client.post("/account/sign-in", query_string={"next": target},
                                  data={"email": "ana@example.eu", "password": DEFAULT_PASSWORD,
                                        "csrf_token": helper.csrf_token("/account/sign-in")})
    assert response.headers["Location"] == target


def test_next_survives_the_sign_in_form(helper, make_user):
    make_user(email="ana@example.eu")
    page = helper.get("/account/sign-in", query_string={"next": "/dev/outbox"})
    action = page.soup.select_one("form")["action"]
    response = helper.client.post(action, data={"email": "ana@example.eu", "password": DEFAULT_PASSWORD,
                                                 "csrf_token": page.value_of("csrf_token")})
    assert response.headers["Location"] == "/dev/outbox"
