"""Member of a cluster organisation: its organisation, then its cluster organisation(s) (domain.md §4).

The clusters step searches the published cluster organisations of EU/COSME countries and stops with
"already listed" when a chosen one lists this organisation; a cluster organisation that is not on the
platform is typed in on the next step with proof of membership. The hooks live in
wizard/members/step_hooks.py.
"""
from wizard.engine import DraftView, ProfileType, Step
from wizard.forms.members import ClusterChoiceForm, ManualClustersForm
from wizard.forms.other_types import MemberOrganisationForm
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION


def cluster_not_listed(view: DraftView) -> bool:
    return bool(view.value("clusters", "not_listed"))


CLUSTERS = Step(
    "clusters", "Your cluster organisation(s)", ClusterChoiceForm, template="members/step_clusters.html",
    intro="This profile is for members of cluster organisations in EU/COSME countries that are not yet listed in "
          "their cluster organisation's list of members. Search for your cluster organisation and add it; you can "
          "add several.",
    interrupt="wizard.members.step_hooks:already_listed", context="wizard.members.step_hooks:picker_context",
    stays_on_page=True,
    # The public page shows the approved affiliations instead (services/visibility decides which).
    public=False,
)
CLUSTERS_NOT_LISTED = Step(
    "clusters_not_listed", "Cluster organisation not listed", ManualClustersForm, when=cluster_not_listed,
    template="members/step_files.html",
    intro="Give the name, website and country of your cluster organisation, and upload proof of your membership "
          "(e.g. a screenshot from the cluster organisation's website). The validation team checks it.",
    handle_files="wizard.members.step_hooks:store_files", context="wizard.members.step_hooks:files_context",
    stays_on_page=True, public=False,
)

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("member_organisation", "Type and sectors", MemberOrganisationForm, shown_to_cluster_admin=True),
    CLUSTERS,
    CLUSTERS_NOT_LISTED,
    LOGO,
)

PROFILE_TYPE = ProfileType(
    key="cluster_member",
    name="Member of cluster organisation",
    purpose="A member (company, university, public body, ...) of a cluster organisation in an EU/COSME country "
            "that is not already listed in that cluster organisation's profile",
    start_text="registering a member of a cluster organisation",
    declaration="no published profile exists yet for this organisation, the data agree with its website, and it is "
                "a member of the cluster organisation(s) named.",
    declaration_definitions=("cluster_organisation",),
    start_notes=("You will choose your cluster organisation(s); if yours is not listed, you can add it and upload "
                 "proof of membership (PNG, JPEG or PDF, up to 10 MB).",),
    steps=STEPS,
    # Each chosen cluster organisation's administrators are asked to approve the membership (domain.md §4).
    on_submit=("wizard.services.affiliations:create_affiliation_requests",),
    joins_clusters=True,
)
