"""Organisation that works with clusters."""
from wizard.engine import ProfileType, Step
from wizard.forms.other_types import WorksWithClustersForm
from wizard.steps.common import CONTACT, COUNTRY, LOGO, ORGANISATION

STEPS = (
    COUNTRY,
    ORGANISATION,
    CONTACT,
    Step("works_with", "Work with clusters", WorksWithClustersForm),
    LOGO,
)

PROFILE_TYPE = ProfileType(
    key="works_with_clusters",
    name="Organisation that works with clusters",
    purpose="Public authorities, agencies, programme owners, consultancies, investors ... that work with clusters",
    start_text="registering an organisation that works with clusters",
    declaration="there is no duplicate profile and the data agree with the website.",
    steps=STEPS,
)
