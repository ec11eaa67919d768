"""Member of a cluster organisation. Its cluster organisation(s) are chosen on the "clusters" step,
which the members module provides (wizard/steps/member_clusters.py once it exists)."""
from wizard.engine import Step
from wizard.forms.other_types import MemberOrganisationForm
from wizard.steps.common import CONTACT, COUNTRY, ORGANISATION

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("member_organisation", "Type and sectors", MemberOrganisationForm),
)
