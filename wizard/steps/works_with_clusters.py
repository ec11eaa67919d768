"""Organisation that works with clusters."""
from wizard.engine import Step
from wizard.forms.other_types import WorksWithClustersForm
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("works_with", "Work with clusters", WorksWithClustersForm),
    LOGO,
)
