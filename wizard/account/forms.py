"""Forms of the account holder's own data pages."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import Length

from wizard.forms.common import Required
from wizard.passwords import MAX_LENGTH


class WithdrawForm(FlaskForm):
    version = HiddenField()


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", description="To be sure it is you.",
                             validators=[Required("your password"), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
