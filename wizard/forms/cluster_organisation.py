"""Forms of the cluster organisation profile (full set for EU/COSME countries, shorter elsewhere)."""
from flask_wtf import FlaskForm
from wtforms import Form, FormField, TextAreaField
from wtforms.validators import NumberRange, Optional

from wizard.forms.common import (
    MaxLength,
    Named,
    Required,
    RequiredChoice,
    RequiredIf,
    RequiredNumber,
    RequiredYes,
    Shown,
    WholeNumberRange,
    at_least_one_row,
    http_url,
    no_control_characters,
    strip_text,
)
from wizard.forms.fields import (
    CheckboxesField,
    DateInputField,
    NumberField,
    RadiosField,
    RowsField,
    SingleLineField,
    WholeNumberField,
    options,
)
from wizard.taxonomies import (
    CLUSTER_ACTIVITIES,
    EMERGING_INDUSTRIES,
    EXCELLENCE_LABELS,
    INDUSTRIAL_ECOSYSTEMS,
    MEMBER_TYPES,
    SECTORS,
)

TEXT = [strip_text]
URL_KW = {"inputmode": "url", "spellcheck": "false"}
YES_NO = [("yes", "Yes"), ("no", "No")]
MAX_COUNT = 1_000_000


class ManagementForm(FlaskForm):
    management_fte = NumberField(
        "Size of the cluster management team, in full-time equivalents (FTE)",
        description="For example 2.5 for two full-time people and one half-time.", places=2,
        validators=[RequiredNumber("the size of the management team"),
                    NumberRange(min=0, max=10000, message="Enter a number of FTE, 0 or more, like 1.5")],
    )


#: How the count fields' messages name them ("Enter the number of start-ups and SMEs as a whole number, 0 or more").
COUNTED = {
    "startup_sme": "start-ups and SMEs", "large_company": "large companies",
    "university": "universities and higher education institutions",
    "research_organisation": "research and technology organisations",
    "public_authority": "public authorities and agencies",
    "business_support": "business support and intermediary organisations",
    "financial_investor": "financial institutions and investors",
    "civil_society": "civil society organisations, NGOs and social economy organisations", "other": "other members",
}


def _count_field(key: str, label: str) -> WholeNumberField:
    return WholeNumberField(label, validators=[Named(f"the number of {COUNTED[key]}"), Optional(),
                                               WholeNumberRange(0, MAX_COUNT)])


class CommittedMembersForm(FlaskForm):
    """Counts by member type, then the total they must add up to (fields are added below, in that order)."""

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        by_type = sum(getattr(self, f"count_{key}").data or 0 for key, _ in MEMBER_TYPES)
        if by_type != self.total_members.data:
            self.total_members.errors.append(
                f"The members by type add up to {by_type}, not {self.total_members.data}: make the total match")
            return False
        return True


for _key, _label in MEMBER_TYPES:
    setattr(CommittedMembersForm, f"count_{_key}", _count_field(_key, _label))
CommittedMembersForm.total_members = WholeNumberField(
    "Total number of committed members",
    description="The sum of the numbers above.",
    validators=[RequiredNumber("the total number of committed members"), WholeNumberRange(0, MAX_COUNT)],
)


class MemberRowForm(Form):
    member_name = SingleLineField("Member name", filters=TEXT, validators=[Optional(), MaxLength(300)])
    member_website = SingleLineField("Member website", filters=TEXT, validators=[Optional(), MaxLength(500), http_url],
                                 render_kw=URL_KW)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.member_website.data and not self.member_name.data:
            self.member_name.errors.append("Enter the name of the member whose website you gave")
            return False
        return ok


class MemberListForm(FlaskForm):
    member_list = RowsField(
        FormField(MemberRowForm), label="Name and link of cluster members of the ecosystem", min_entries=3,
        max_rows=400, noun="members",
        description="One member per row, with its website. Leave extra rows empty; use 'Add another row' for more.",
        validators=[at_least_one_row("member_name", "Enter at least one member of the cluster")],
    )


class PublicCollaborationForm(FlaskForm):
    public_collaboration = TextAreaField(
        "How does the cluster collaborate with public bodies?",
        description="None of your members is a public authority or agency. Describe the collaboration with public "
                    "bodies: support, programme funding, a mandate ...",
        filters=TEXT, validators=[Required("how the cluster collaborates with public bodies", verb="Describe"),
                                  MaxLength(2000), no_control_characters,
                                  Shown(public_label="Collaboration with public bodies")],
        render_kw={"rows": 5},
    )


class FocusForm(FlaskForm):
    ecosystems = CheckboxesField("Industrial ecosystems", choices=options(INDUSTRIAL_ECOSYSTEMS),
                                 description="Choose one or more.",
                                 validators=[RequiredChoice("at least one industrial ecosystem")])
    emerging_industries = CheckboxesField("Emerging industries", choices=options(EMERGING_INDUSTRIES),
                                          validators=[Optional()])
    technical_focus = TextAreaField("Technical focus",
                                    description="The technologies or sectors the cluster focuses on.", filters=TEXT,
                                    validators=[Optional(), MaxLength(1000), no_control_characters],
                                    render_kw={"rows": 3})


class ActivitiesForm(FlaskForm):
    activities = CheckboxesField("Cluster-specific activities offered", choices=options(CLUSTER_ACTIVITIES),
                                 description="Choose every kind of activity the cluster offers its members.",
                                 validators=[RequiredChoice("the activities the cluster offers")])
    activities_link = SingleLineField(
        "Where are these activities described on your website?", filters=TEXT,
        validators=[Required("the address of the page that describes the activities"), MaxLength(500), http_url,
                    Shown(public_label="Activities described at")],
        render_kw=URL_KW,
    )


class SupportProgrammesForm(FlaskForm):
    recognised_programme = RadiosField(
        "Is the cluster officially recognised by a regional or national cluster policy programme?",
        choices=options(YES_NO),
        validators=[RequiredYes("the cluster is officially recognised by a regional or national cluster policy "
                                "programme"),
                    Shown(public_label="Recognised by a regional or national cluster policy programme")])
    programme_name = SingleLineField(
        "Name of the programme", filters=TEXT,
        validators=[RequiredIf("recognised_programme", ("yes",), "Enter the name of the programme that recognises the "
                               "cluster", when="if yes"), MaxLength(300)])
    programme_evidence = SingleLineField(
        "Link to evidence of the recognition", filters=TEXT,
        validators=[RequiredIf("recognised_programme", ("yes",), "Enter a link to evidence of the recognition",
                               when="if yes"), MaxLength(500), http_url], render_kw=URL_KW)
    social_economy = RadiosField(
        "Is the cluster recognised as a social economy cluster by the European Commission (DG GROW)?",
        choices=options(YES_NO),
        validators=[RequiredYes("the cluster is recognised as a social economy cluster by the European Commission"),
                    Shown(public_label="Recognised as a social economy cluster by the European Commission (DG GROW)")])


LABELS = tuple(key for key, _ in EXCELLENCE_LABELS)


class ExcellenceLabelForm(FlaskForm):
    label = RadiosField("Cluster management excellence label",
                        choices=options([("none", "No label"), *EXCELLENCE_LABELS]),
                        default="none", validators=[RequiredChoice("a label, or 'No label'")])
    label_issuer = SingleLineField(
        "Issuing body", filters=TEXT, description="Only if the cluster holds a label.",
        validators=[RequiredIf("label", LABELS, "Enter the body that issued the label"), MaxLength(200)])
    label_valid_until = DateInputField(
        "Valid until", description="Only if the cluster holds a label: the date on the certificate.",
        validators=[Named("the date until which the label is valid"),
                    RequiredIf("label", LABELS, "Enter the date until which the label is valid")])


class OtherCountryClusterForm(FlaskForm):
    sectors = CheckboxesField("Sectors", choices=options(SECTORS), validators=[RequiredChoice("at least one sector")])
    approximate_members = WholeNumberField(
        "Approximate number of members",
        validators=[RequiredNumber("the approximate number of members"), WholeNumberRange(0, MAX_COUNT)])
    activities = CheckboxesField("Activities offered", choices=options(CLUSTER_ACTIVITIES),
                                 validators=[RequiredChoice("at least one activity")])
    cooperation_interest = TextAreaField(
        "Interest in cooperation with European clusters",
        description="What kind of cooperation you are looking for, with which sectors or countries.",
        filters=TEXT, validators=[Required("your interest in cooperation", verb="Describe"), MaxLength(1500),
                                  no_control_characters], render_kw={"rows": 4})
