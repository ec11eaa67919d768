"""Association of clusters or metacluster.

Member clusters are picked from the published cluster organisations (the members' picker, any
country) and/or typed in on the next step (name and website), as domain.md §2 asks.
"""
from wizard.engine import ProfileType, Step
from wizard.forms.members import MemberClustersForm
from wizard.forms.other_types import AssociationForm, TypedMemberClustersForm
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION, platform_clusters_then_typed

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("association", "Scope and activities", AssociationForm),
    *platform_clusters_then_typed(
        "member_clusters", "Member clusters", MemberClustersForm, TypedMemberClustersForm,
        intro="Search the cluster organisations published on the platform and add your member clusters. Tick "
              "the box below for those that are not on the platform: you type them in on the next page."),
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
