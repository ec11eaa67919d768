"""Cluster partnership or other EU-funded cluster initiative."""
from wizard.engine import Step
from wizard.forms.other_types import PartnershipForm
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("partnership", "Programme and partners", PartnershipForm),
    LOGO,
)
