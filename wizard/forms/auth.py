"""Account forms."""
from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, ValidationError
from wtforms.validators import EqualTo

from wizard.forms.common import (
    MaxLength,
    Required,
    strip_text,
)
from wizard.forms.fields import SingleLineField
from wizard.passwords import MAX_LENGTH, password_problem


def checked_email(value: str) -> str:
    """The normalised address, or EmailNotValidError with the reason.

    Deliverability needs DNS, which is not always reachable: syntax is checked, delivery proves the rest.
    Accented letters before the @ need SMTPUTF8, which many mail servers (and Flask-Mail) cannot send to.
    """
    return validate_email(value or "", check_deliverability=False, allow_smtputf8=False).normalized


def valid_email(form, field) -> None:
    try:
        field.data = checked_email(field.data)
    except EmailNotValidError as error:
        raise ValidationError(f"Enter a valid e-mail address, like name@example.eu ({error})") from error


def acceptable_password(form, field) -> None:
    email = form.email.data if hasattr(form, "email") and form.email.data else getattr(form, "account_email", "")
    problem = password_problem(field.data or "", email)
    if problem:
        raise ValidationError(problem)


EMAIL_KW = {"autocomplete": "email", "spellcheck": "false"}


class RegisterForm(FlaskForm):
    full_name = SingleLineField("Your full name", filters=[strip_text],
                            validators=[Required("your full name"), MaxLength(200)],
                            render_kw={"autocomplete": "name"})
    email = EmailField("E-mail address", filters=[strip_text],
                       validators=[Required("your e-mail address"), MaxLength(254), valid_email],
                       render_kw=EMAIL_KW)
    password = PasswordField("Password", description="At least 12 characters. A few random words make a good one.",
                             validators=[Required("a password", verb="Choose"), acceptable_password],
                             render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH})
    confirm = PasswordField("Repeat the password",
                            validators=[Required("the password again"),
                                        EqualTo("password", message="The two passwords are not the same")],
                            render_kw={"autocomplete": "new-password"})


class SignInForm(FlaskForm):
    email = EmailField("E-mail address", filters=[strip_text],
                       validators=[Required("your e-mail address"), MaxLength(254)], render_kw=EMAIL_KW)
    password = PasswordField("Password", validators=[Required("your password"), MaxLength(MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})


class EmailOnlyForm(FlaskForm):
    email = EmailField("E-mail address", filters=[strip_text],
                       validators=[Required("your e-mail address"), MaxLength(254), valid_email],
                       render_kw=EMAIL_KW)


def _new_password() -> PasswordField:
    return PasswordField("New password", description="At least 12 characters.",
                         validators=[Required("a new password", verb="Choose"), acceptable_password],
                         render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH})


def _repeated_new_password() -> PasswordField:
    return PasswordField("Repeat the new password",
                         validators=[Required("the new password again"),
                                     EqualTo("password", message="The two passwords are not the same")],
                         render_kw={"autocomplete": "new-password"})


class NewPasswordForm(FlaskForm):
    password = _new_password()
    confirm = _repeated_new_password()


class ChangePasswordForm(FlaskForm):
    """Signed in: the current password proves it is the owner at the keyboard, not a borrowed session."""

    current_password = PasswordField("Current password",
                                     validators=[Required("your current password"), MaxLength(MAX_LENGTH)],
                                     render_kw={"autocomplete": "current-password"})
    password = _new_password()
    confirm = _repeated_new_password()

    def __init__(self, account_email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email  # the new password may not contain it (acceptable_password)


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token: the deliberate click behind an e-mailed link."""
