"""Forms of the administration pages."""
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, ValidationError
from wtforms.validators import Length

from wizard.forms.common import Required, strip_text


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
