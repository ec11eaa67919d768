"""Issue 17 item 5: "Change your password" while signed in.

The current password is required, the new one follows the registration rules, every other sign-in
ends (this browser stays signed in), the owner is e-mailed, and the change is audited.
"""
from sqlalchemy import func, select

from tests.support.clients import IsolatedClient
from tests.support.emails import only_email
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.pages import ClientHelper
from tests.test_sessions import sign_in_with_password, signed_in_as
from wizard.extensions import db
from wizard.models import AuditEntry, AuthSession
from wizard.services import accounts

NEW_PASSWORD = "a brand new passphrase for me"
URL = "/account/change-password"


def browser(app) -> ClientHelper:
    client = IsolatedClient.for_app(app)
    return ClientHelper(app, client)


def change(helper, current: str, new: str, confirm: str | None = None, expected: int = 302):
    return helper.post(URL, {"current_password": current, "password": new,
                             "confirm": new if confirm is None else confirm}, form_url=URL, expected=expected)


def test_signed_in_the_owner_changes_the_password_and_other_sessions_end(app, applicant):
    laptop, phone = browser(app), browser(app)
    sign_in_with_password(laptop, applicant.email)
    sign_in_with_password(phone, applicant.email)
    menu = laptop.get("/my-profiles").soup.find("a", string="Change your password")
    assert menu is not None and menu["href"] == URL
    page = laptop.get(URL)
    assert page.h1 == "Change your password"

    done = change(laptop, DEFAULT_PASSWORD, NEW_PASSWORD)

    landing = laptop.get(laptop.redirect_target(done))
    assert "Your password has been changed" in landing.text(), landing.text()
    assert signed_in_as(laptop.client) == applicant.email, "the browser it was changed on stays signed in"
    assert signed_in_as(phone.client) is None, "every other sign-in ended"
    assert db.session.scalar(select(func.count()).select_from(AuthSession)
                             .where(AuthSession.user_id == applicant.id)) == 1
    db.session.expire_all()
    assert accounts.passwords.verify_password(applicant.password_hash, NEW_PASSWORD)
    sign_in_with_password(browser(app), applicant.email, NEW_PASSWORD)
    refused = browser(app)
    refused.post("/account/sign-in", {"email": applicant.email, "password": DEFAULT_PASSWORD},
                 form_url="/account/sign-in", expected=400)
    mail = only_email(to=applicant.email, subject_contains="Your password has been changed")
    assert "/account/forgot-password" in mail.body_text
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "password_changed"))
    assert (entry.subject_type, entry.subject_id, entry.actor_id) == ("user", applicant.id, applicant.id)


def test_the_current_password_is_required_and_must_be_right(app, applicant):
    laptop, phone = browser(app), browser(app)
    sign_in_with_password(laptop, applicant.email)
    sign_in_with_password(phone, applicant.email)
    wrong = change(laptop, "not my password at all", NEW_PASSWORD, expected=400)
    assert wrong.error_summary == ["Your current password is not right."]
    assert wrong.error_links == ["#current_password"]
    assert wrong.select_one("#current_password-error-1") is not None
    missing = change(laptop, "", NEW_PASSWORD, expected=400)
    assert missing.error_links == ["#current_password"]
    db.session.expire_all()
    assert accounts.passwords.verify_password(applicant.password_hash, DEFAULT_PASSWORD), "unchanged"
    assert signed_in_as(phone.client) == applicant.email, "nothing ended"
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "password_changed")).all()


def test_the_new_password_follows_the_registration_rules(app, applicant):
    laptop = browser(app)
    sign_in_with_password(laptop, applicant.email)
    short = change(laptop, DEFAULT_PASSWORD, "short", expected=400)
    assert short.error_links == ["#password"]
    with_email = change(laptop, DEFAULT_PASSWORD, applicant.email.upper(), expected=400)
    assert with_email.error_links == ["#password"]
    mismatch = change(laptop, DEFAULT_PASSWORD, NEW_PASSWORD, confirm=NEW_PASSWORD + "x", expected=400)
    assert mismatch.error_summary == ["The two passwords are not the same"]
    db.session.expire_all()
    assert accounts.passwords.verify_password(applicant.password_hash, DEFAULT_PASSWORD)


def test_signed_out_the_page_asks_to_sign_in(app):
    helper = browser(app)
    assert helper.redirect_target(helper.get(URL, expected=302)).startswith("/account/sign-in")
