"""The consent and type-specific declaration on "Check your answers", and the small wizard forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField
from wtforms.validators import DataRequired, Email, Regexp

from wizard.forms.common import (
    MaxLength,
    Required,
    RequiredChoice,
    strip_text,
)
from wizard.forms.fields import RadiosField, options
from wizard.taxonomies import PROFILE_TYPE_CHOICES

#: What each type declares, as it reads after "I declare that " (one sentence, no capital).
DECLARATIONS = {
    "cluster_organisation": "the organisation fits the cluster definitions and the validation criteria, or belongs "
                            "to a recognised programme named under 'Regional/National Support Programmes'.",
    "cluster_member": "no published profile exists yet for this organisation, the data agree with its website, and "
                      "it is a member of the cluster organisation(s) named.",
    "partnership": "there is no duplicate profile, the data agree with the website, and the partnership has a clear "
                   "cluster-related dimension.",
    "association": "there is no duplicate profile, the data agree with the website, and the organisation has the "
                   "scope of an organisation associating cluster organisations.",
    "works_with_clusters": "there is no duplicate profile and the data agree with the website.",
}
#: The definitions (taxonomies.DEFINITIONS) a type's declaration relies on, shown beside it.
DECLARATION_DEFINITIONS = {
    "cluster_organisation": ("cluster", "cluster_organisation", "social_economy_cluster"),
    "cluster_member": ("cluster_organisation",),
    "association": ("cluster_organisation",),
    "partnership": ("cluster",),
}
#: For a profile type declared without its own declaration.
GENERAL_DECLARATION = "there is no duplicate profile and the data agree with the organisation's website."


def declaration_for(profile_type: str) -> str:
    return DECLARATIONS.get(profile_type, GENERAL_DECLARATION)


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

    def set_declaration(self, profile_type: str) -> None:
        self.declaration.label.text = f"I declare that {declaration_for(profile_type)}"
        self.declaration_definitions = DECLARATION_DEFINITIONS.get(profile_type, ())


class ProfileTypeForm(FlaskForm):
    profile_type = RadiosField("What kind of profile is this?", choices=options(PROFILE_TYPE_CHOICES),
                               validators=[RequiredChoice("the kind of profile")])


class ResumeEmailForm(FlaskForm):
    email = EmailField("E-mail address", filters=[strip_text],
                       description="We will send a link to this address so you can continue later.",
                       validators=[Required("your e-mail address"), MaxLength(254),
                                   Email(message="Enter an e-mail address like name@example.eu")],
                       render_kw={"autocomplete": "email", "spellcheck": "false"})
