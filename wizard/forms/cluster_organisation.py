"""Forms of the cluster organisation profile (full set for EU/COSME countries, shorter elsewhere)."""
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Length, NumberRange, Optional

from wizard.forms.common import Required, RequiredChoice, http_url, no_control_characters, strip_text
from wizard.forms.fields import CheckboxesField, options
from wizard.taxonomies import (
    CLUSTER_ACTIVITIES,
    EMERGING_INDUSTRIES,
    EXCELLENCE_LABELS,
    INDUSTRIAL_ECOSYSTEMS,
    MEMBER_TYPES,
    SECTORS,
)

TEXT = [strip_text]
YES_NO = [("yes", "Yes"), ("no", "No")]
COUNT_MESSAGE = "Enter a whole number, 0 or more"


class ManagementForm(FlaskForm):
    management_fte = DecimalField(
        "Size of the cluster management team, in full-time equivalents (FTE)",
        description="For example 2.5 for two full-time people and one half-time.", places=2,
        validators=[Required("the size of the management team"),
                    NumberRange(min=0, max=10000, message="Enter a number of FTE, 0 or more, like 1.5")],
        render_kw={"inputmode": "decimal"},
    )


def _count_field(label: str) -> IntegerField:
    return IntegerField(label, default=0, validators=[Optional(), NumberRange(min=0, max=1_000_000, message=COUNT_MESSAGE)],
                        render_kw={"inputmode": "numeric"})


class CommittedMembersForm(FlaskForm):
    """Counts by member type, then the total they must add up to (fields are added below, in that order)."""

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        by_type = sum(getattr(self, f"count_{key}").data or 0 for key, _ in MEMBER_TYPES)
        if self.total_members.data is not None and by_type != self.total_members.data:
            self.total_members.errors.append(
                f"The members by type add up to {by_type}, not {self.total_members.data}: make the total match")
            return False
        return True


for _key, _label in MEMBER_TYPES:
    setattr(CommittedMembersForm, f"count_{_key}", _count_field(_label))
CommittedMembersForm.total_members = IntegerField(
    "Total number of committed members",
    validators=[Required("the total number of committed members"),
                NumberRange(min=0, max=1_000_000, message=COUNT_MESSAGE)],
    render_kw={"inputmode": "numeric"},
)


class MemberRowForm(Form):
    member_name = StringField("Member name", filters=TEXT, validators=[Optional(), Length(max=300), no_control_characters])
    member_website = StringField("Member website", filters=TEXT, validators=[Optional(), Length(max=500), http_url],
                                 render_kw={"inputmode": "url", "spellcheck": "false"})

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.member_website.data and not self.member_name.data:
            self.member_name.errors.append("Enter the name of the member whose website you gave")
            return False
        return ok


class MemberListForm(FlaskForm):
    member_list = FieldList(
        FormField(MemberRowForm), label="Name and link of cluster members of the ecosystem", min_entries=3,
        max_entries=2000,
        description="One member per row, with its website. Leave extra rows empty; use 'Add another row' for more.",
    )


class PublicCollaborationForm(FlaskForm):
    public_collaboration = TextAreaField(
        "How does the cluster collaborate with public bodies?",
        description="None of your members is a public authority or agency. Describe the collaboration with public "
                    "bodies: support, programme funding, a mandate ...",
        filters=TEXT, validators=[Required("how the cluster collaborates with public bodies", verb="Describe"),
                                  Length(max=2000), no_control_characters],
        render_kw={"rows": 5},
    )


class FocusForm(FlaskForm):
    ecosystems = CheckboxesField("Industrial ecosystems", choices=options(INDUSTRIAL_ECOSYSTEMS),
                                 validators=[RequiredChoice("at least one industrial ecosystem")])
    emerging_industries = CheckboxesField("Emerging industries", choices=options(EMERGING_INDUSTRIES),
                                          validators=[Optional()])
    technical_focus = TextAreaField("Technical focus", description="The technologies or sectors the cluster focuses on.",
                                    filters=TEXT, validators=[Optional(), Length(max=1000), no_control_characters],
                                    render_kw={"rows": 3})


class ActivitiesForm(FlaskForm):
    activities = CheckboxesField("Cluster-specific activities offered", choices=options(CLUSTER_ACTIVITIES),
                                 validators=[RequiredChoice("the activities the cluster offers")])
    activities_link = StringField(
        "Where are these activities described on your website?", filters=TEXT,
        validators=[Required("the address of the page that describes the activities"), Length(max=500), http_url],
        render_kw={"inputmode": "url", "spellcheck": "false"},
    )


class SupportProgrammesForm(FlaskForm):
    recognised_programme = RadioField(
        "Is the cluster officially recognised by a regional or national cluster policy programme?",
        choices=options(YES_NO), validators=[RequiredChoice("yes or no")])
    programme_name = StringField("Name of the programme", filters=TEXT,
                                 validators=[Optional(), Length(max=300), no_control_characters])
    programme_evidence = StringField("Link to evidence of the recognition", filters=TEXT,
                                     validators=[Optional(), Length(max=500), http_url],
                                     render_kw={"inputmode": "url", "spellcheck": "false"})
    social_economy = RadioField(
        "Is the cluster recognised as a social economy cluster by the European Commission (DG GROW)?",
        choices=options(YES_NO), validators=[RequiredChoice("yes or no")])

    def validate_programme_name(self, field):
        if self.recognised_programme.data == "yes" and not field.data:
            raise ValidationError("Enter the name of the programme that recognises the cluster")

    def validate_programme_evidence(self, field):
        if self.recognised_programme.data == "yes" and not field.data:
            raise ValidationError("Enter a link to evidence of the recognition")


class ExcellenceLabelForm(FlaskForm):
    label = RadioField("Cluster management excellence label", choices=options([("none", "No label"), *EXCELLENCE_LABELS]),
                       default="none", validators=[RequiredChoice("a label, or 'No label'")])
    label_issuer = StringField("Issuing body", filters=TEXT, validators=[Optional(), Length(max=200), no_control_characters])
    label_valid_until = DateField("Valid until", validators=[Optional()],
                                  description="As on the certificate.")

    def validate_label_issuer(self, field):
        if self.label.data not in (None, "", "none") and not field.data:
            raise ValidationError("Enter the body that issued the label")

    def validate_label_valid_until(self, field):
        if self.label.data not in (None, "", "none") and not field.data:
            raise ValidationError("Enter the date until which the label is valid, like 2027-06-30")


class OtherCountryClusterForm(FlaskForm):
    sectors = CheckboxesField("Sectors", choices=options(SECTORS), validators=[RequiredChoice("at least one sector")])
    approximate_members = IntegerField("Approximate number of members",
                                       validators=[Required("the approximate number of members"),
                                                   NumberRange(min=0, max=1_000_000, message=COUNT_MESSAGE)],
                                       render_kw={"inputmode": "numeric"})
    activities = CheckboxesField("Activities offered", choices=options(CLUSTER_ACTIVITIES),
                                 validators=[RequiredChoice("at least one activity")])
    cooperation_interest = TextAreaField(
        "Interest in cooperation with European clusters",
        description="What kind of cooperation you are looking for, with which sectors or countries.",
        filters=TEXT, validators=[Required("your interest in cooperation", verb="Describe"), Length(max=1500),
                                  no_control_characters], render_kw={"rows": 4})
