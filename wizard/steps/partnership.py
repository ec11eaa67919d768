"""Cluster partnership or other EU-funded cluster initiative.

Partner clusters are picked from the published cluster organisations (the members' picker, any
country) and/or typed in on the next step (name and website), as domain.md §2 asks.
"""
from wizard.engine import ProfileType, Step
from wizard.forms.members import PartnersForm
from wizard.forms.other_types import PartnershipForm, TypedPartnersForm
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION, platform_clusters_then_typed

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("partnership", "Programme", PartnershipForm),
    *platform_clusters_then_typed(
        "partner_clusters", "Partner clusters", PartnersForm, TypedPartnersForm,
        intro="Search the cluster organisations published on the platform and add the partners. Tick the box "
              "below for partners that are not on the platform: you type them in on the next page."),
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
