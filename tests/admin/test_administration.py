"""Administration pages: the EU/COSME flag of countries and the validator accounts (and the CLI beside them)."""
import pytest
from sqlalchemy import select

from tests.support.clients import IsolatedClient
from tests.support.pages import ClientHelper
from wizard.extensions import db
from wizard.models import AuditEntry, AuthSession, Country, Role, User

ADMIN_PAGES = ["/admin/", "/admin/countries", "/admin/validators"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/sign-in")


def test_only_administrators_get_in(helper, sign_in, applicant, validator, admin_user):
    for person in (applicant, validator):
        sign_in(person)
        for url in ADMIN_PAGES:
            helper.get(url, expected=403)
        response = helper.client.post("/admin/countries/NO", data={
            "eu_cosme": "on", "csrf_token": helper.csrf_token("/directory/")})
        assert response.status_code in (400, 403)
    assert db.session.get(Country, "NO").eu_cosme is False
    sign_in(admin_user)
    for url in ADMIN_PAGES:
        assert helper.get(url).h1


def test_an_administrator_sets_the_eu_cosme_flag(helper, sign_in, admin_user, restore_countries):
    sign_in(admin_user)
    page = helper.get("/admin/countries")
    row = page.select_one("#country-NO")
    assert row.select("td")[1].get_text(strip=True) == "No"
    assert row.select_one("input[name=eu_cosme]")["value"] == "on"
    assert "38 of " in page.text()
    result = helper.post("/admin/countries/NO", {"eu_cosme": "on"}, form_url="/admin/countries", expected=302)
    assert helper.redirect_target(result) == "/admin/countries#country-NO"
    db.session.expire_all()
    assert db.session.get(Country, "NO").eu_cosme is True
    # A replay sets the same value: nothing changes, nothing more is recorded.
    helper.post("/admin/countries/NO", {"eu_cosme": "on"}, form_url="/admin/countries", expected=302)
    page = helper.get("/admin/countries")
    assert "Norway is now an EU/COSME country." in page.text()
    assert page.select_one("#country-NO td:nth-of-type(2)").get_text(strip=True) == "Yes"
    helper.post("/admin/countries/no", {"eu_cosme": "off"}, form_url="/admin/countries", expected=302)
    assert db.session.get(Country, "NO").eu_cosme is False
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    actions = [(e.action, e.details, e.actor_id) for e in entries]
    assert actions == [("country_eu_cosme_on", {"code": "NO"}, admin_user.id),
                       ("country_eu_cosme_off", {"code": "NO"}, admin_user.id)]


def test_bad_country_requests_are_refused(helper, sign_in, admin_user, restore_countries):
    sign_in(admin_user)
    helper.post("/admin/countries/ZZ", {"eu_cosme": "on"}, form_url="/admin/countries", expected=404)
    helper.post("/admin/countries/NO", {"eu_cosme": "maybe"}, form_url="/admin/countries", expected=400)
    helper.post("/admin/countries/NO", {"eu_cosme": "on", "csrf_token": "forged"}, expected=400)
    assert db.session.get(Country, "NO").eu_cosme is False


def test_the_eu_cosme_flag_changes_the_wizard_branch(helper, sign_in, admin_user, restore_countries):
    from tests.validation.factory import answers_with, draft
    from wizard.services.drafts import path_for

    profile = draft(None, answers_with(country={"country": "NO"}))
    assert "management" not in path_for(profile).names()
    sign_in(admin_user)
    helper.post("/admin/countries/NO", {"eu_cosme": "on"}, form_url="/admin/countries", expected=302)
    assert "management" in path_for(profile).names()


def test_an_administrator_adds_and_removes_a_validator(app, helper, sign_in, admin_user, make_user):
    colleague = make_user(email="Colleague@Example.eu")
    colleague_client = IsolatedClient.for_app(app)
    sign_in(colleague, on_client=colleague_client)
    sign_in(admin_user)
    helper.post("/admin/validators", {"email": "colleague@example.EU"}, expected=302)
    db.session.expire_all()
    assert db.session.get(User, colleague.id).role == Role.VALIDATOR
    # The role change ended the colleague's sign-ins: they sign in again with the new role.
    assert db.session.scalar(select(AuthSession).where(AuthSession.user_id == colleague.id)) is None
    assert colleague_client.get("/my-profiles").status_code == 302
    page = helper.get("/admin/validators")
    assert "colleague@example.eu is now a validator" in page.text().lower()
    rows = {row.select("td")[0].get_text(strip=True): row for row in page.select("tbody tr")}
    assert set(rows) == {"Colleague@Example.eu", "admin@example.eu"}
    assert rows["admin@example.eu"].select_one("form") is None  # administrators are changed with the CLI

    sign_in(colleague, on_client=colleague_client)
    assert ClientHelper(app, colleague_client).get("/validation/").h1 == "Validation queue"
    action = rows["Colleague@Example.eu"].select_one("form")["action"]
    helper.post(action, {}, form_url="/admin/validators", expected=302)
    assert db.session.get(User, colleague.id).role == Role.APPLICANT
    assert colleague_client.get("/validation/").status_code == 302  # signed out by the change
    sign_in(colleague, on_client=colleague_client)
    assert colleague_client.get("/validation/").status_code == 403
    assert [e.details["role"] for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "role_changed").order_by(AuditEntry.id))] == ["validator", "applicant"]


@pytest.mark.parametrize("email,message", [
    ("nobody@example.eu", "No account uses this address"),
    ("admin@example.eu", "is already an administrator"),
    ("", "Enter the e-mail address of the account"),
])
def test_adding_a_validator_explains_a_refusal(helper, sign_in, admin_user, email, message):
    sign_in(admin_user)
    page = helper.post("/admin/validators", {"email": email}, expected=400)
    assert any(message in error for error in page.error_summary), page.error_summary


def test_an_unconfirmed_account_cannot_become_a_validator(helper, sign_in, admin_user, make_user):
    make_user(email="new@example.eu", verified=False)
    sign_in(admin_user)
    page = helper.post("/admin/validators", {"email": "new@example.eu"}, expected=400)
    assert page.error_summary == ["new@example.eu has not confirmed their e-mail address yet."]


def test_removing_someone_who_is_not_a_validator_changes_nothing(helper, sign_in, admin_user, applicant):
    sign_in(admin_user)
    for user_id in (applicant.id, admin_user.id, 9999):
        helper.post(f"/admin/validators/{user_id}/remove", {}, form_url="/admin/validators", expected=302)
    assert "not a validator" in helper.get("/admin/validators").text()
    db.session.expire_all()
    assert (applicant.role, admin_user.role) == ("applicant", "admin")


def test_the_command_line_and_the_pages_agree(helper, sign_in, admin_user, make_user, cli, restore_countries):
    make_user(email="vera@example.eu")
    assert cli("users", "set-role", "vera@example.eu", "validator").exit_code == 0
    assert cli("countries", "set-eu-cosme", "CH", "on").exit_code == 0
    sign_in(admin_user)
    assert "vera@example.eu" in helper.get("/admin/validators").text()
    assert helper.get("/admin/countries").select_one("#country-CH td:nth-of-type(2)").get_text(strip=True) == "Yes"
    helper.post("/admin/countries/CH", {"eu_cosme": "off"}, form_url="/admin/countries", expected=302)
    assert "CH  Switzerland" not in cli("countries", "list-eu-cosme").output
