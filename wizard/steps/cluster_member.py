"""Member of a cluster organisation: its organisation, then its cluster organisation(s) (domain.md §4).

The clusters step searches the published cluster organisations of EU/COSME countries and stops with
"already listed" when a chosen one lists this organisation; a cluster organisation that is not on the
platform is typed in on the next step with proof of membership. The hooks live in
wizard/members/step_hooks.py.
"""
from wizard.engine import DraftView, Step
from wizard.forms.members import ClusterChoiceForm, ManualClustersForm
from wizard.forms.other_types import MemberOrganisationForm
from wizard.members import step_hooks
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION


def cluster_not_listed(view: DraftView) -> bool:
    return bool(view.value("clusters", "not_listed"))


CLUSTERS = Step(
    "clusters", "Your cluster organisation(s)", ClusterChoiceForm, template="members/step_clusters.html",
    intro="This profile is for members of cluster organisations in EU/COSME countries that are not yet listed in "
          "their cluster organisation's list of members. Search for your cluster organisation and add it; you can "
          "add several.",
    interrupt=step_hooks.already_listed, context=step_hooks.picker_context,
)
CLUSTERS_NOT_LISTED = Step(
    step_hooks.MANUAL_STEP, "Cluster organisation not listed", ManualClustersForm, when=cluster_not_listed,
    template="members/step_files.html",
    intro="Give the name, website and country of your cluster organisation, and upload proof of your membership "
          "(e.g. a screenshot from the cluster organisation's website). The validation team checks it.",
    handle_files=step_hooks.manual_cluster_files, context=step_hooks.files_context(step_hooks.MANUAL_STEP),
)

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("member_organisation", "Type and sectors", MemberOrganisationForm),
    CLUSTERS,
    CLUSTERS_NOT_LISTED,
    LOGO,
)
