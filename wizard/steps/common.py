"""Steps every profile type asks. Same names everywhere, so answers survive a change of type."""
from wizard.engine import Step
from wizard.forms.common_steps import ContactForm, CountryForm, OrganisationForm
from wizard.forms.members import LogoForm

COUNTRY = Step(
    "country", "Country", CountryForm,
    intro="Please fill in the country first: the profile fields differ for cluster organisations in "
          "EU/COSME countries and in other countries.",
    shown_to_cluster_admin=True,
)
# Saving the organisation's name and website is the moment a duplicate becomes visible.
ORGANISATION = Step("organisation", "Organisation", OrganisationForm,
                    interrupt="wizard.members.step_hooks:possible_duplicate", shown_to_cluster_admin=True)
CONTACT = Step("contact", "Contact person", ContactForm,
               intro="The person the validation team and other cluster actors can contact.",
               shown_to_cluster_admin=True)
#: Every type's last step (domain.md §2: "logo (optional image)" for all types), shown on the public page.
LOGO = Step(
    "logo", "Logo", LogoForm, template="members/step_files.html",
    intro="Optional: a logo for your public profile.",
    handle_files="wizard.members.step_hooks:store_files", context="wizard.members.step_hooks:files_context",
    stays_on_page=True,
)
