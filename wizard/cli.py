"""Command-line tasks: `flask users ...`, `flask outbox ...`, `flask countries ...`, `flask demo-data`."""
import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from wizard.extensions import db
from wizard.models import Country, Role

users_cli = AppGroup("users", help="Manage accounts.")
outbox_cli = AppGroup("outbox", help="Deliver queued e-mails.")
countries_cli = AppGroup("countries", help="Manage countries and their EU/COSME status.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.APPLICANT.value)
@click.option("--name", default="", help="Full name.")
@click.password_option(help="Prompted for when not given.")
def create_user(email: str, role: str, name: str, password: str) -> None:
    """Create an account (validators and administrators are only created here)."""
    from email_validator import EmailNotValidError

    from wizard.forms.auth import checked_email
    from wizard.passwords import password_problem
    from wizard.services.accounts import find_user_by_email
    from wizard.services.accounts import register as register_account

    try:
        email = checked_email(email.strip())
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not a valid e-mail address: {error}") from error
    if problem := password_problem(password, email):
        raise click.ClickException(problem)
    if find_user_by_email(email):
        raise click.ClickException(f"An account for {email} already exists.")
    # Created by an operator: the address is vouched for, so no confirmation e-mail.
    user = register_account(email, password, name, Role(role), verified=True)
    if user is None:
        raise click.ClickException(f"An account for {email} already exists.")
    click.echo(f"Created {role} {email}")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_user_role(email: str, role: str) -> None:
    """Change an account's role; its sign-ins end at once."""
    from wizard.services.accounts import find_user_by_email
    from wizard.services.admin import change_role

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    change_role(user, Role(role), actor=None)
    click.echo(f"{email} is now {role}")


@outbox_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running and send as e-mails become due.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop.")
def send_outbox(loop: bool, interval: float) -> None:
    """Deliver the e-mails that are due."""
    from wizard.services.outbox import send_due, send_loop

    if loop:
        send_loop(interval)
    else:
        report = send_due()
        click.echo(f"Sent {report.sent}, to retry later {report.retried}, failed for good {report.failed}.")


@outbox_cli.command("failed")
@click.option("--limit", default=200, show_default=True, help="How many to list, the latest first.")
def list_failed(limit: int) -> None:
    """List the e-mails that failed for good (administrators send them again from /admin/emails/failed)."""
    from wizard.services.outbox import failed_messages

    messages = failed_messages(limit)
    for message in messages:
        failed = message.failed_at.strftime("%Y-%m-%d %H:%M UTC") if message.failed_at else "not recorded"
        click.echo(f"#{message.id}  failed: {failed}  {message.recipient}  {message.subject!r}  "
                   f"attempts: {message.attempts}  error: {message.last_error}")
    click.echo(f"{len(messages)} undelivered e-mail(s).")


@countries_cli.command("set-eu-cosme")
@click.argument("code")
@click.argument("state", type=click.Choice(["on", "off"]))
def set_eu_cosme(code: str, state: str) -> None:
    """Mark a country as EU/COSME (on) or not (off)."""
    from wizard.services.admin import AdminRefused
    from wizard.services.admin import set_eu_cosme as set_flag

    try:
        country = set_flag(code, state == "on", actor=None)
    except AdminRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    click.echo(f"{country.name} ({country.code}): EU/COSME {state}")


@countries_cli.command("list-eu-cosme")
def list_eu_cosme() -> None:
    """List the countries marked EU/COSME."""
    for country in db.session.scalars(select(Country).where(Country.eu_cosme).order_by(Country.name)):
        click.echo(f"{country.code}  {country.name}")


@click.command("demo-data")
def demo_data() -> None:
    """Create a validator, an admin and some published cluster organisations, and print the sign-ins."""
    from wizard.demo import create_demo_data

    for line in create_demo_data():
        click.echo(line)


def register(app: Flask) -> None:
    from wizard.members import cli as members_cli
    from wizard.validation import cli as validation_cli

    area_commands = [c for module in (members_cli, validation_cli) for c in module.commands]
    for command in (users_cli, outbox_cli, countries_cli, demo_data, *area_commands):
        app.cli.add_command(command)
