"""Cluster organisation: the full set in EU/COSME countries (checked against the criteria), a shorter one elsewhere."""
from dataclasses import replace

from wizard.engine import DraftView, ProfileType, Step
from wizard.forms import cluster_organisation as forms
from wizard.forms.common_steps import ClusterOrganisationDetailsForm
from wizard.steps.answers import public_body_among, whole_number
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION
from wizard.taxonomies import MEMBER_TYPES


def in_eu_cosme(view: DraftView) -> bool:
    return view.in_eu_cosme_country


def elsewhere(view: DraftView) -> bool:
    return bool(view.country) and not view.in_eu_cosme_country


def no_public_body_among_members(view: DraftView) -> bool:
    if not in_eu_cosme(view) or not view.answered("members"):
        return False
    counts = {key: whole_number(view.value("members", f"count_{key}")) for key, _ in MEMBER_TYPES}
    return not public_body_among(counts)


STEPS = (
    COUNTRY,
    # The same step (and answers) as every type's, asking for the English version of the website.
    replace(ORGANISATION, form=ClusterOrganisationDetailsForm),
    CONTACT,
    Step("management", "Cluster management", forms.ManagementForm, when=in_eu_cosme),
    Step("members", "Committed members", forms.CommittedMembersForm, when=in_eu_cosme,
         intro="How many clearly committed members the cluster has, by type of member."),
    # Shown on the public page a page at a time (services/directory.listed_members), not as answers.
    Step("member_list", "List of members", forms.MemberListForm, when=in_eu_cosme, public=False),
    Step("public_collaboration", "Collaboration with public bodies", forms.PublicCollaborationForm,
         when=no_public_body_among_members),
    Step("focus", "Thematic focus", forms.FocusForm, when=in_eu_cosme),
    Step("activities", "Activities", forms.ActivitiesForm, when=in_eu_cosme),
    Step("support_programmes", "Regional/National Support Programmes", forms.SupportProgrammesForm,
         when=in_eu_cosme, definitions={"social_economy": ("social_economy_cluster",)}),
    Step("excellence_label", "Excellence label", forms.ExcellenceLabelForm, when=in_eu_cosme),
    Step("cluster_profile", "Cluster profile", forms.OtherCountryClusterForm, when=elsewhere),
    LOGO,
)

PROFILE_TYPE = ProfileType(
    key="cluster_organisation",
    name="Cluster organisation",
    purpose="The organisation that manages a cluster (its management team)",
    start_text="registering a cluster organisation",
    declaration="the organisation fits the cluster definitions and the validation criteria, or belongs to a "
                "recognised programme named under 'Regional/National Support Programmes'.",
    declaration_definitions=("cluster", "cluster_organisation", "social_economy_cluster"),
    start_definitions=("cluster", "cluster_organisation"),
    steps=STEPS,
    # Only the EU/COSME branch is checked against the criteria (domain.md §3).
    criteria_apply=in_eu_cosme,
    receives_members=True,
)
