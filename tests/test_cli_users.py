"""Command-line tasks: creating staff accounts, changing roles, the EU/COSME list, sending the outbox."""
import pytest
from sqlalchemy import select

from tests.support.clients import IsolatedClient
from tests.support.emails import queued_emails
from tests.support.pages import ClientHelper
from wizard.extensions import db
from wizard.models import AuditEntry, AuthSession, Country, OutboxMessage, OutboxStatus, Role, User
from wizard.passwords import verify_password
from wizard.services import accounts
from wizard.services.outbox import queue_email

PASSWORD = "granite kettle harbour"  # noqa: S105 - a test password


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        result = runner.invoke(args=list(args))
        db.session.expire_all()  # the command ran in its own application context and session
        return result

    return run


def users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.id)))


def test_create_a_validator(cli):
    result = cli("users", "create", "--role", "validator", "Vera@Example.EU", "--name", "Vera V",
                 "--password", PASSWORD)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created validator Vera@example.eu"
    [user] = users()
    assert (user.email, user.role, user.full_name) == ("Vera@example.eu", "validator", "Vera V")
    assert user.is_verified
    assert user.password_hash.startswith("$argon2id$") and verify_password(user.password_hash, PASSWORD)
    assert queued_emails() == []  # an operator vouched for the address: no "confirm your e-mail"


def test_the_created_validator_can_sign_in(app, cli):
    cli("users", "create", "--role", "validator", "vera@example.eu", "--password", PASSWORD)
    helper = ClientHelper(app, IsolatedClient.for_app(app))
    helper.post("/account/sign-in", {"email": "vera@example.eu", "password": PASSWORD}, expected=302)


def test_a_duplicate_is_refused_whatever_its_case(cli):
    cli("users", "create", "--role", "admin", "admin@example.eu", "--password", PASSWORD)
    result = cli("users", "create", "--role", "validator", "ADMIN@example.eu", "--password", "another good passphrase")

    assert result.exit_code != 0
    assert "An account for ADMIN@example.eu already exists." in result.output
    [user] = users()
    assert user.role == "admin" and verify_password(user.password_hash, PASSWORD)
    assert queued_emails() == []


def test_a_weak_password_is_refused(cli, subtests):
    for password, message in [("short", "at least 12 characters"), ("password1234", "too common"),
                              ("vera@example.eu", "must not be your e-mail address")]:
        with subtests.test(password=password):
            result = cli("users", "create", "--role", "validator", "vera@example.eu", "--password", password)
            assert result.exit_code != 0 and message in result.output
    assert users() == []


def test_a_malformed_address_is_refused(cli, subtests):
    for email in ["not-an-address", "vera@localhost", "ünï@example.eu"]:
        with subtests.test(email=email):
            result = cli("users", "create", "--role", "validator", email, "--password", PASSWORD)
            assert result.exit_code != 0 and "is not a valid e-mail address" in result.output
    assert users() == []


def test_an_unknown_role_is_refused(cli):
    result = cli("users", "create", "--role", "superuser", "vera@example.eu", "--password", PASSWORD)
    assert result.exit_code != 0 and "superuser" in result.output
    assert users() == []


def test_set_role_changes_the_role_and_ends_the_sessions(app, cli, make_user, sign_in):
    user = make_user(email="vera@example.eu", role=Role.VALIDATOR)
    browser = IsolatedClient.for_app(app)
    sign_in(user, on_client=browser)
    assert "vera@example.eu" in browser.get("/").get_data(as_text=True)

    result = cli("users", "set-role", "VERA@example.eu", "applicant")

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "VERA@example.eu is now applicant"
    assert db.session.get(User, user.id).role == "applicant"
    assert db.session.scalars(select(AuthSession)).all() == []
    assert "vera@example.eu" not in browser.get("/").get_data(as_text=True)
    # The same audit entry as the administrators' validators page writes.
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "role_changed")).all()
    assert (entry.subject_id, entry.details, entry.actor_id) == (user.id, {"role": "applicant"}, None)


def test_set_role_for_an_unknown_account(cli):
    result = cli("users", "set-role", "nobody@example.eu", "admin")
    assert result.exit_code != 0 and "No account for nobody@example.eu." in result.output


@pytest.fixture
def restore_countries(app):
    """The countries table is kept between tests: put back what a test changed."""
    before = {code: eu for code, eu in db.session.execute(select(Country.code, Country.eu_cosme))}
    yield
    db.session.rollback()
    for country in db.session.scalars(select(Country)):
        country.eu_cosme = before[country.code]
    db.session.commit()


def test_set_eu_cosme_on_and_off(cli, restore_countries):
    result = cli("countries", "set-eu-cosme", "no", "on")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Norway (NO): EU/COSME on"
    assert db.session.get(Country, "NO").eu_cosme is True
    assert "NO  Norway" in cli("countries", "list-eu-cosme").output
    # The same audit entry as the administrators' countries page writes; setting it again records nothing.
    assert cli("countries", "set-eu-cosme", "NO", "on").exit_code == 0
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("country_eu_cosme_%"))).all()
    assert [(e.action, e.details) for e in entries] == [("country_eu_cosme_on", {"code": "NO"})]

    result = cli("countries", "set-eu-cosme", "NO", "off")
    assert result.exit_code == 0
    assert db.session.get(Country, "NO").eu_cosme is False
    listed = cli("countries", "list-eu-cosme").output.splitlines()
    assert len(listed) == 38 and "NO  Norway" not in listed


def test_set_eu_cosme_with_an_unknown_code(cli, restore_countries, subtests):
    for code in ["ZZ", "EL", "", "NOR"]:
        with subtests.test(code=code):
            result = cli("countries", "set-eu-cosme", code, "on")
            assert result.exit_code != 0 and "There is no country with the code" in result.output
    assert len(cli("countries", "list-eu-cosme").output.splitlines()) == 38


def test_set_eu_cosme_with_an_unknown_state(cli, restore_countries):
    result = cli("countries", "set-eu-cosme", "NO", "maybe")
    assert result.exit_code != 0
    assert db.session.get(Country, "NO").eu_cosme is False


class FakeUser:
    full_name = "Ana Example"
    email = "ana@example.eu"


def test_outbox_send_prints_a_report(cli, smtp_server):
    smtp_server.handler.scripted_replies = ["550 5.1.1 no such mailbox", "451 4.3.0 later"]
    for n in range(3):
        queue_email(f"member{n}@example.eu", "reset_password", user=FakeUser(), link="http://localhost/x")
    db.session.commit()

    result = cli("outbox", "send")

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Sent 1, to retry later 1, failed for good 1."
    statuses = [row.status for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert statuses == [OutboxStatus.FAILED, OutboxStatus.PENDING, OutboxStatus.SENT]
    assert len(smtp_server.received) == 1
    assert cli("outbox", "send").output.strip() == "Sent 0, to retry later 0, failed for good 0."


def test_accounts_register_without_verified_sends_the_confirmation(app):
    """The web path still asks for confirmation; only the operator's path skips it."""
    user = accounts.register("web@example.eu", PASSWORD)
    assert not user.is_verified
    assert [row.subject for row in queued_emails()] == ["Confirm your e-mail address"]
