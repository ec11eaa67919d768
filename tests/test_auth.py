"""Registering, confirming the address, signing in and out, resetting a password: the paths and the bad ones."""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.support.clients import IsolatedClient
from tests.support.emails import link_path, only_email, queued_emails
from tests.support.factories import DEFAULT_PASSWORD
from wizard.errors import human_wait
from wizard.extensions import db
from wizard.models import LinkToken, LoginAttempt, User
from wizard.services import accounts
from wizard.tokens import Purpose, issue_token

NEW_PASSWORD = "lantern pebble orchard"  # noqa: S105 - a test password
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def client(app):
    """Each request in its own application context, so nothing cached in `g` hides what the cookie says."""
    return IsolatedClient.for_app(app)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def register(helper, email="ana@example.eu", password="plum tractor gossip", confirm=None, full_name="Ana Example",
             **kwargs):
    return helper.post("/account/register", {"full_name": full_name, "email": email, "password": password,
                                             "confirm": password if confirm is None else confirm}, **kwargs)


def sign_in_page(helper, email, password, url="/account/sign-in", **kwargs):
    return helper.post(url, {"email": email, "password": password}, **kwargs)


def user_by_email(email: str) -> User | None:
    db.session.expire_all()
    return accounts.find_user_by_email(email)


def signed_in_as(helper) -> str | None:
    """The address the header's sign-out button names, or None when the visitor is anonymous."""
    page = helper.get("/")
    button = page.soup.select_one("form[action='/account/sign-out'] button")
    return button.select_one(".visually-hidden").get_text(strip=True) if button else None


# --- registration and e-mail confirmation -------------------------------------------------------------------


def test_register_confirm_sign_in_and_out(helper):
    page = register(helper, expected=302)
    assert helper.redirect_target(page) == "/account/check-your-email"
    page = helper.get("/account/check-your-email")
    assert page.h1 == "Check your e-mail"
    assert "ana@example.eu" in page.text()

    user = user_by_email("ana@example.eu")
    assert user.full_name == "Ana Example" and not user.is_verified
    confirm_path = link_path(only_email("ana@example.eu", "Confirm your e-mail address"), "/account/verify/")

    # Mail scanners open links: looking at the page, however often, confirms nothing.
    for _ in range(3):
        page = helper.get(confirm_path)
        assert page.h1 == "Confirm your e-mail address"
    assert helper.client.head(confirm_path).status_code == 200
    assert not user_by_email("ana@example.eu").is_verified
    assert db.session.scalar(select(LinkToken.used_at)) is None

    page = helper.post(confirm_path, expected=302)
    assert helper.redirect_target(page) == "/account/sign-in"
    assert user_by_email("ana@example.eu").is_verified
    assert "Your e-mail address is confirmed." in helper.get("/account/sign-in").text()

    page = sign_in_page(helper, "ana@example.eu", "plum tractor gossip", expected=302)
    assert helper.redirect_target(page) == "/"
    assert signed_in_as(helper) == "ana@example.eu"

    helper.post("/account/sign-out", form_url="/", expected=302)
    assert signed_in_as(helper) is None


MALFORMED = ["not-an-email", "ana@example", "ana@@example.eu", "ana@example..eu", "ana @example.eu",
             "<script>@example.eu", "ana@[127.0.0.1]", "ünï@example.eu"]


@pytest.mark.config(SIGNIN_RATE_LIMIT="100 per minute")
def test_malformed_e_mail_is_refused(helper, subtests):
    for email in MALFORMED:
        with subtests.test(email=email):
            page = register(helper, email=email, expected=400)
            assert page.title.startswith("Error: ")
            assert len(page.error_summary) == 1
            assert page.error_summary[0].startswith("Enter a valid e-mail address, like name@example.eu")
            assert page.error_links == ["#email"]
            assert page.value_of("email") == email
    assert count(User) == 0 and queued_emails() == []


def test_missing_answers_are_listed_in_page_order(helper):
    page = helper.post("/account/register", {}, expected=400)
    assert page.error_summary == ["Enter your full name", "Enter your e-mail address", "Choose a password",
                                  "Enter the password again"]


TOO_COMMON = "This password is too common. Choose a less predictable one, for example three random words."


REFUSED_PASSWORDS = [
    ("short pass", None, "Your password must be at least 12 characters long."),
    ("password1234", None, TOO_COMMON),
    ("qwertyuiop12", None, TOO_COMMON),
    ("ana@example.eu", None, "Your password must not be your e-mail address."),
    ("x" * 129, None, "Your password must be 128 characters or fewer."),
    ("plum tractor gossip", "plum tractor gossips", "The two passwords are not the same"),
]


@pytest.mark.config(SIGNIN_RATE_LIMIT="100 per minute")
def test_weak_or_mismatched_password_is_refused(helper, subtests):
    for password, confirm, message in REFUSED_PASSWORDS:
        with subtests.test(password=password[:20]):
            page = register(helper, password=password, confirm=confirm, expected=400)
            assert page.error_summary == [message]
            assert page.value_of("password") in (None, "")  # a password is never echoed back into the page
    assert count(User) == 0 and queued_emails() == []


@pytest.mark.parametrize("typed", ["ana@example.eu", "ANA@Example.EU", "  Ana@example.eu  "])
def test_registering_an_existing_address_tells_the_owner_and_nobody_else(helper, make_user, typed):
    owner = make_user(email="ana@example.eu", password=DEFAULT_PASSWORD)
    page = register(helper, email=typed, expected=302)

    assert helper.redirect_target(page) == "/account/check-your-email"
    assert helper.get("/account/check-your-email").h1 == "Check your e-mail"
    assert count(User) == 1
    db.session.refresh(owner)
    assert accounts.passwords.verify_password(owner.password_hash, DEFAULT_PASSWORD)  # untouched
    message = only_email("ana@example.eu")
    assert message.subject == "You already have an account"
    assert link_path(message, "/account/forgot-password") == "/account/forgot-password"


def test_new_and_existing_addresses_get_the_same_page(helper, make_user):
    make_user(email="taken@example.eu")
    register(helper, email="taken@example.eu", expected=302)
    taken = helper.get("/account/check-your-email")
    register(helper, email="fresh@example.eu", expected=302)
    fresh = helper.get("/account/check-your-email")
    assert taken.h1 == fresh.h1
    assert taken.text().replace("taken@", "fresh@") == fresh.text()


def test_resending_the_confirmation_supersedes_the_first_link(helper, make_user, sign_in):
    register(helper, expected=302)
    first = link_path(only_email(subject_contains="Confirm"), "/account/verify/")
    sign_in(user_by_email("ana@example.eu"))

    helper.post("/account/resend-verification", form_url="/", expected=302)
    assert "We have sent you a new confirmation link." in helper.get("/").text()
    second_message = queued_emails(subject_contains="Confirm")[-1]
    second = link_path(second_message, "/account/verify/")
    assert second != first

    page = helper.get(first, expected=404)
    assert page.h1 == "This link is not valid"
    helper.post(second, expected=302)
    assert user_by_email("ana@example.eu").is_verified


# --- bad confirmation and reset links ------------------------------------------------------------------------


def _verify_link(helper) -> str:
    register(helper, expected=302)
    return link_path(only_email(subject_contains="Confirm"), "/account/verify/")


def _reset_link(helper, make_user, email="reset@example.eu") -> str:
    make_user(email=email)
    helper.post("/account/forgot-password", {"email": email}, expected=200)
    return link_path(only_email(email, "Choose a new password"), "/account/reset-password/")


def _tamper(path: str) -> str:
    prefix, token = path.rsplit("/", 1)
    middle = len(token) // 2
    swapped = "A" if token[middle] != "A" else "B"
    return f"{prefix}/{token[:middle]}{swapped}{token[middle + 1:]}"


def _assert_link_problem(helper, path: str, heading: str):
    """GET and POST both answer with a plain page, change nothing, and never fail with a 500."""
    before = (count(User), count(LinkToken), len(queued_emails()),
              db.session.scalar(select(func.count()).where(User.email_verified_at.is_not(None))))
    page = helper.get(path, expected=404)
    assert page.h1 == heading
    page = helper.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, form_url="/account/sign-in",
                       expected=404)
    assert page.h1 == heading
    db.session.expire_all()
    after = (count(User), count(LinkToken), len(queued_emails()),
             db.session.scalar(select(func.count()).where(User.email_verified_at.is_not(None))))
    assert after == before
    return page


def test_expired_confirmation_link(helper):
    with time_machine.travel(START, tick=False) as traveller:
        path = _verify_link(helper)
        traveller.shift(timedelta(hours=48, seconds=1))
        page = _assert_link_problem(helper, path, "This link has expired")
    assert "ask for a new confirmation link" in page.text()
    assert not user_by_email("ana@example.eu").is_verified


def test_confirmation_link_just_before_expiry_works(helper):
    with time_machine.travel(START, tick=False) as traveller:
        path = _verify_link(helper)
        traveller.shift(timedelta(hours=48, seconds=-1))
        helper.post(path, expected=302)
    assert user_by_email("ana@example.eu").is_verified


def test_invalid_confirmation_links(helper, subtests):
    path = _verify_link(helper)
    bad_links = {
        "forged": "/account/verify/InRoaXMgaXMgbm90IGEgdG9rZW4i.bm90IGEgc2lnbmF0dXJl",
        "tampered": _tamper(path),
        "truncated": path[:-3],
        "wrong purpose": path.replace("/account/verify/", "/account/reset-password/"),
    }
    for kind, bad in bad_links.items():
        with subtests.test(kind):
            _assert_link_problem(helper, bad, "This link is not valid")
    assert not user_by_email("ana@example.eu").is_verified
    helper.post(path, expected=302)  # the real link still works


def test_used_confirmation_link(helper):
    path = _verify_link(helper)
    helper.post(path, expected=302)
    page = _assert_link_problem(helper, path, "This link has already been used")
    assert "Each link in our e-mails works once." in page.text()


def test_confirmation_link_of_a_deleted_account(helper):
    path = _verify_link(helper)
    db.session.delete(user_by_email("ana@example.eu"))
    db.session.commit()
    _assert_link_problem(helper, path, "This link is not valid")


# --- signing in ---------------------------------------------------------------------------------------------


def test_wrong_password_and_unknown_address_get_the_same_answer(helper, make_user):
    make_user(email="known@example.eu")
    wrong = sign_in_page(helper, "known@example.eu", "not the password at all")
    unknown = sign_in_page(helper, "nobody@example.eu", "not the password at all")

    assert wrong.status == unknown.status == 400
    assert wrong.error_summary == unknown.error_summary == ["The e-mail address or password is not right."]
    assert wrong.h1 == unknown.h1 == "Sign in"
    assert wrong.value_of("email") == "known@example.eu"
    assert signed_in_as(helper) is None


def test_a_disabled_account_cannot_sign_in(helper, make_user):
    user = make_user(email="off@example.eu")
    user.is_disabled = True
    db.session.commit()
    page = sign_in_page(helper, "off@example.eu", DEFAULT_PASSWORD, expected=400)
    assert page.error_summary == ["The e-mail address or password is not right."]


def test_sign_in_ignores_the_case_of_the_address(helper, make_user):
    make_user(email="Mixed.Case@example.eu")
    sign_in_page(helper, "mixed.case@EXAMPLE.eu", DEFAULT_PASSWORD, expected=302)
    assert signed_in_as(helper) == "Mixed.Case@example.eu"


def test_sixth_attempt_on_one_account_is_refused_but_other_accounts_still_sign_in(helper, make_user):
    make_user(email="target@example.eu")
    make_user(email="bystander@example.eu")
    with time_machine.travel(START, tick=False) as traveller:
        for attempt in range(5):
            # Case does not make a new account to guess against.
            email = "target@example.eu" if attempt % 2 else "TARGET@example.eu"
            page = sign_in_page(helper, email, f"guess number {attempt}", expected=400)
            assert page.error_summary == ["The e-mail address or password is not right."]

        page = sign_in_page(helper, "target@example.eu", DEFAULT_PASSWORD, expected=400)
        assert page.error_summary == ["Too many attempts to sign in to this account. Wait a minute and try again."]
        assert signed_in_as(helper) is None

        # Same browser, same address: the throttle is per account, not per client.
        sign_in_page(helper, "bystander@example.eu", DEFAULT_PASSWORD, expected=302)
        assert signed_in_as(helper) == "bystander@example.eu"
        helper.post("/account/sign-out", form_url="/", expected=302)

        traveller.shift(timedelta(seconds=61))
        sign_in_page(helper, "target@example.eu", DEFAULT_PASSWORD, expected=302)
        assert signed_in_as(helper) == "target@example.eu"
    assert count(LoginAttempt) == 0  # a successful sign-in clears the account's failures


def test_an_unknown_address_is_throttled_like_a_known_one(helper):
    """Otherwise the throttle message would tell which addresses have an account."""
    for attempt in range(5):
        sign_in_page(helper, "nobody@example.eu", f"guess number {attempt}", expected=400)
    page = sign_in_page(helper, "nobody@example.eu", "guess number 6", expected=400)
    assert page.error_summary == ["Too many attempts to sign in to this account. Wait a minute and try again."]


def test_the_per_client_limit_answers_429_with_retry_after(helper, app):
    assert app.config["SIGNIN_RATE_LIMIT"] == "10 per minute"
    for n in range(10):
        sign_in_page(helper, f"guess{n}@example.eu", "not the password at all", expected=400)
    page = sign_in_page(helper, "guess10@example.eu", "not the password at all", expected=429)

    assert page.h1 == "Too many attempts"
    retry_after = int(page.response.headers["Retry-After"])
    assert 0 < retry_after <= 60
    assert f"Wait {human_wait(retry_after)} and try again." in page.text()
    assert page.response.headers["Content-Security-Policy"]
    # Another client (another address) is not affected.
    other = IsolatedClient.for_app(app)
    assert other.get("/account/sign-in", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200


@pytest.mark.config(SIGNIN_RATE_LIMIT="3 per hour")
def test_the_429_page_states_the_wait_that_retry_after_gives(helper):
    """An hourly limit: the page must not say "a minute" while Retry-After says nearly an hour."""
    for n in range(3):
        sign_in_page(helper, f"guess{n}@example.eu", "not the password at all", expected=400)
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=50), tick=False):
        page = sign_in_page(helper, "guess3@example.eu", "not the password at all", expected=429)
        retry_after = int(page.response.headers["Retry-After"])

    assert 3500 <= retry_after <= 3600
    assert f"Wait {human_wait(retry_after)} and try again." in page.text()
    assert "minute and" not in page.text()


@pytest.mark.parametrize("seconds, said", [(1, "1 second"), (45, "45 seconds"), (60, "about a minute"),
                                           (89, "about a minute"), (3550, "about 59 minutes"),
                                           (3599, "about an hour"), (86400, "about 24 hours")])
def test_waits_are_said_as_people_say_them(seconds, said):
    assert human_wait(seconds) == said


def test_sign_out_needs_a_post(helper, make_user, sign_in):
    sign_in(make_user(email="stay@example.eu"))
    page = helper.get("/account/sign-out", expected=405)
    assert page.h1 == "That cannot be done here"
    assert signed_in_as(helper) == "stay@example.eu"


# --- resetting a password -----------------------------------------------------------------------------------


def test_forgotten_password_page_says_the_same_for_known_and_unknown_addresses(helper, make_user):
    make_user(email="known@example.eu")
    known = helper.post("/account/forgot-password", {"email": "known@example.eu"}, expected=200)
    unknown = helper.post("/account/forgot-password", {"email": "unknown@example.eu"}, expected=200)

    assert known.h1 == unknown.h1 == "Check your e-mail"
    assert known.text().replace("known@", "unknown@") == unknown.text()
    # Both are e-mailed (the same work on both sides, F24); only the account's owner gets a link that works.
    sent = {m.recipient: m for m in queued_emails()}
    assert sorted(sent) == ["known@example.eu", "unknown@example.eu"]
    assert "/account/reset-password/" in sent["known@example.eu"].body_text
    assert "no account we can reset" in sent["unknown@example.eu"].body_text
    assert "/account/reset-password/" not in sent["unknown@example.eu"].body_text


def test_reset_password_journey(helper, make_user):
    path = _reset_link(helper, make_user)

    page = helper.get(path)
    assert page.h1 == "Choose a new password"
    assert db.session.scalar(select(LinkToken.used_at)) is None

    page = helper.post(path, {"password": "password1234", "confirm": "password1234"}, expected=400)
    assert page.error_summary == [TOO_COMMON]
    assert db.session.scalar(select(LinkToken.used_at)) is None

    page = helper.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, expected=302)
    assert helper.redirect_target(page) == "/account/sign-in"
    assert "Your password has been changed." in helper.get("/account/sign-in").text()
    assert only_email("reset@example.eu", "Your password has been changed")

    page = sign_in_page(helper, "reset@example.eu", DEFAULT_PASSWORD, expected=400)
    assert page.error_summary == ["The e-mail address or password is not right."]
    sign_in_page(helper, "reset@example.eu", NEW_PASSWORD, expected=302)
    assert signed_in_as(helper) == "reset@example.eu"

    page = helper.get(path, expected=404)
    assert page.h1 == "This link has already been used"
    assert page.soup.find("a", string="Send me a new password reset link")["href"] == "/account/forgot-password"


def test_reset_proves_the_address(helper, make_user):
    make_user(email="unverified@example.eu", verified=False)
    helper.post("/account/forgot-password", {"email": "unverified@example.eu"}, expected=200)
    path = link_path(only_email("unverified@example.eu", "Choose a new password"), "/account/reset-password/")
    helper.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, expected=302)
    assert user_by_email("unverified@example.eu").is_verified


def test_reset_link_is_refused_after_the_password_changed(helper, make_user):
    with time_machine.travel(START, tick=False) as traveller:
        path = _reset_link(helper, make_user)
        traveller.shift(timedelta(minutes=5))
        accounts.change_password(user_by_email("reset@example.eu"), "a different new password")
        db.session.commit()
        traveller.shift(timedelta(minutes=5))
        _assert_link_problem(helper, path, "This link has already been used")
    sign_in_page(helper, "reset@example.eu", "a different new password", expected=302)


def test_a_new_reset_link_supersedes_the_old_one(helper, make_user):
    first = _reset_link(helper, make_user)
    helper.post("/account/forgot-password", {"email": "reset@example.eu"}, expected=200)
    second = link_path(queued_emails("reset@example.eu")[-1], "/account/reset-password/")
    _assert_link_problem(helper, first, "This link is not valid")
    helper.post(second, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, expected=302)


def test_expired_reset_link(helper, make_user):
    with time_machine.travel(START, tick=False) as traveller:
        path = _reset_link(helper, make_user)
        traveller.shift(timedelta(hours=1, seconds=1))
        page = _assert_link_problem(helper, path, "This link has expired")
    assert page.soup.find("a", string="Send me a new password reset link")


def test_invalid_reset_links(helper, make_user, subtests):
    path = _reset_link(helper, make_user)
    verify_value = issue_token(Purpose.VERIFY_EMAIL, user_by_email("reset@example.eu").id, 3600)
    db.session.commit()
    bad_links = {
        "forged": "/account/reset-password/bm90LWEtdG9rZW4.c2lnbmF0dXJl",
        "tampered": _tamper(path),
        "wrong purpose": f"/account/reset-password/{verify_value}",
        "empty-ish": "/account/reset-password/.",
    }
    for kind, bad in bad_links.items():
        with subtests.test(kind):
            _assert_link_problem(helper, bad, "This link is not valid")
    sign_in_page(helper, "reset@example.eu", DEFAULT_PASSWORD, expected=302)  # the password is unchanged


def test_reset_ends_every_other_session(app, helper, make_user, sign_in):
    user = make_user(email="reset@example.eu")
    laptop = IsolatedClient.for_app(app)
    sign_in(user, on_client=laptop)
    assert "reset@example.eu" in laptop.get("/").get_data(as_text=True)

    helper.post("/account/forgot-password", {"email": "reset@example.eu"}, expected=200)
    path = link_path(only_email("reset@example.eu", "Choose a new password"), "/account/reset-password/")
    helper.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, expected=302)

    assert "reset@example.eu" not in laptop.get("/").get_data(as_text=True)
    assert laptop.get("/").get_data(as_text=True).count('href="/account/sign-in"') >= 1
