"""The consent and type-specific declaration on "Check your answers", and the small wizard forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField
from wtforms.validators import DataRequired, Email, Regexp

from wizard.engine import ProfileType
from wizard.forms.common import (
    MaxLength,
    Required,
    RequiredChoice,
    strip_text,
)
from wizard.forms.fields import RadiosField, options
from wizard.steps import type_choices


class SubmitForm(FlaskForm):
    #: The draft's version the applicant checked: a change in another window since then is caught.
    version = HiddenField(validators=[DataRequired(message="Reload the page and submit again"),
                                      Regexp(r"^\d{1,9}$", message="Reload the page and submit again")])
    consent = BooleanField(
        "I agree to the privacy notice, the terms of use and the data protection notice, and to the publication "
        "of this profile once it is validated.",
        validators=[DataRequired(message="Confirm that you agree to the privacy notice and to publication")],
    )
    declaration = BooleanField("", validators=[DataRequired(message="Confirm the declaration")])
    declaration_definitions: tuple[str, ...] = ()

    def set_declaration(self, declared: ProfileType) -> None:
        self.declaration.label.text = f"I declare that {declared.declaration}"
        self.declaration_definitions = declared.declaration_definitions


class ProfileTypeForm(FlaskForm):
    profile_type = RadiosField("What kind of profile is this?", choices=lambda: options(type_choices()),
                               validators=[RequiredChoice("the kind of profile")])


class ResumeEmailForm(FlaskForm):
    email = EmailField("E-mail address", filters=[strip_text],
                       description="We will send a link to this address so you can continue later.",
                       validators=[Required("your e-mail address"), MaxLength(254),
                                   Email(message="Enter an e-mail address like name@example.eu")],
                       render_kw={"autocomplete": "email", "spellcheck": "false"})
