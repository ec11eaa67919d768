"""Association of clusters or metacluster.

Member clusters are picked from the published cluster organisations (the members' picker, any
country) and/or typed in on the next step (name and website), as domain.md §2 asks.
"""
from wizard.engine import DraftView, Step
from wizard.forms.members import MemberClustersForm
from wizard.forms.other_types import AssociationForm, TypedMemberClustersForm
from wizard.members import step_hooks
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION

PICKER = "member_clusters"


def some_not_on_the_platform(view: DraftView) -> bool:
    return bool(view.value(PICKER, "not_listed"))


STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("association", "Scope and activities", AssociationForm),
    Step(PICKER, "Member clusters", MemberClustersForm, template="members/step_clusters.html",
         intro="Search the cluster organisations published on the platform and add your member clusters. Tick "
               "the box below for those that are not on the platform: you type them in on the next page.",
         context=step_hooks.picker_context_for(PICKER)),
    Step("member_clusters_typed", "Member clusters not on the platform", TypedMemberClustersForm,
         when=some_not_on_the_platform),
    LOGO,
)
