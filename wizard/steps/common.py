"""Steps every profile type asks. Same names everywhere, so answers survive a change of type."""
from wizard.engine import Step
from wizard.forms.common_steps import ContactForm, CountryForm, OrganisationForm
from wizard.forms.members import LogoForm
from wizard.members import step_hooks
from wizard.services.duplicates import interrupt_if_duplicate

COUNTRY = Step(
    "country", "Country", CountryForm,
    intro="Please fill in the country first: the profile fields differ for cluster organisations in "
          "EU/COSME countries and in other countries.",
    shown_to_cluster_admin=True,
)
# Saving the organisation's name and website is the moment a duplicate becomes visible.
ORGANISATION = Step("organisation", "Organisation", OrganisationForm, interrupt=interrupt_if_duplicate,
                    shown_to_cluster_admin=True)
CONTACT = Step("contact", "Contact person", ContactForm,
               intro="The person the validation team and other cluster actors can contact.",
               shown_to_cluster_admin=True)
#: Every type's last step (domain.md §2: "logo (optional image)" for all types), shown on the public page.
LOGO = Step(
    step_hooks.LOGO_STEP, "Logo", LogoForm, template="members/step_files.html",
    intro="Optional: a logo for your public profile.",
    handle_files=step_hooks.logo_files, context=step_hooks.files_context(step_hooks.LOGO_STEP),
    stays_on_page=True,
)
