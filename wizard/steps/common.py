"""Steps that open every profile type. Same names everywhere, so answers survive a change of type."""
from wizard.engine import Step
from wizard.forms.common_steps import ContactForm, CountryForm, OrganisationForm
from wizard.services.duplicates import interrupt_if_duplicate

COUNTRY = Step(
    "country", "Country", CountryForm,
    intro="Please fill in the country first: the profile fields differ for cluster organisations in "
          "EU/COSME countries and in other countries.",
)
# Saving the organisation's name and website is the moment a duplicate becomes visible.
ORGANISATION = Step("organisation", "Organisation", OrganisationForm, interrupt=interrupt_if_duplicate)
CONTACT = Step("contact", "Contact person", ContactForm,
               intro="The person the validation team and other cluster actors can contact.")
