"""Association of clusters or metacluster.

Member clusters are picked from the published cluster organisations (the members' picker, any
country) and/or typed in on the next step (name and website), as domain.md §2 asks.
"""
from wizard.engine import DraftView, ProfileType, Step
from wizard.forms.members import MemberClustersForm
from wizard.forms.other_types import AssociationForm, TypedMemberClustersForm
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
         context="wizard.members.step_hooks:picker_context", stays_on_page=True),
    Step("member_clusters_typed", "Member clusters not on the platform", TypedMemberClustersForm,
         when=some_not_on_the_platform),
    LOGO,
)

PROFILE_TYPE = ProfileType(
    key="association",
    name="Association of clusters or metacluster",
    purpose="An organisation whose members are cluster organisations",
    start_text="registering an association of clusters or a metacluster",
    declaration="there is no duplicate profile, the data agree with the website, and the organisation has the scope "
                "of an organisation associating cluster organisations.",
    declaration_definitions=("cluster_organisation",),
    steps=STEPS,
)
