"""Cluster partnership or other EU-funded cluster initiative.

Partner clusters are picked from the published cluster organisations (the members' picker, any
country) and/or typed in on the next step (name and website), as domain.md §2 asks.
"""
from wizard.engine import DraftView, ProfileType, Step
from wizard.forms.members import PartnersForm
from wizard.forms.other_types import PartnershipForm, TypedPartnersForm
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION

PICKER = "partner_clusters"


def some_not_on_the_platform(view: DraftView) -> bool:
    return bool(view.value(PICKER, "not_listed"))


STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("partnership", "Programme", PartnershipForm),
    Step(PICKER, "Partner clusters", PartnersForm, template="members/step_clusters.html",
         intro="Search the cluster organisations published on the platform and add the partners. Tick the box "
               "below for partners that are not on the platform: you type them in on the next page.",
         context="wizard.members.step_hooks:picker_context", stays_on_page=True),
    Step("partner_clusters_typed", "Partner clusters not on the platform", TypedPartnersForm,
         when=some_not_on_the_platform),
    LOGO,
)

PROFILE_TYPE = ProfileType(
    key="partnership",
    name="Cluster partnership or other EU funded cluster initiative",
    purpose="A partnership of clusters, e.g. funded by an EU programme",
    start_text="registering a cluster partnership or another EU-funded cluster initiative",
    declaration="there is no duplicate profile, the data agree with the website, and the partnership has a clear "
                "cluster-related dimension.",
    declaration_definitions=("cluster",),
    steps=STEPS,
)
