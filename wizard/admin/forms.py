"""Forms of the administration pages and of the applicant's own data pages."""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, ValidationError
from wtforms.validators import Length

from wizard.forms.common import Required, strip_text
from wizard.passwords import MAX_LENGTH


class AddValidatorForm(FlaskForm):
    email = EmailField("E-mail address of the account", filters=[strip_text],
                       description="The person must already have an account with a confirmed address.",
                       validators=[Required("the e-mail address of the account"), Length(max=254)],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})


class CountryFlagForm(FlaskForm):
    eu_cosme = HiddenField()

    def validate_eu_cosme(self, field):
        if field.data not in ("on", "off"):
            raise ValidationError("Choose whether the country is an EU/COSME country")


class WithdrawForm(FlaskForm):
    version = HiddenField()


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", description="To be sure it is you.",
                             validators=[Required("your password"), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
