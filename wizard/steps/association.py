"""Association of clusters or metacluster."""
from wizard.engine import Step
from wizard.forms.other_types import AssociationForm
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("association", "Scope and member clusters", AssociationForm),
    LOGO,
)
