"""Steps every profile type asks. Same names everywhere, so answers survive a change of type."""
from wizard.engine import DraftView, Step
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


def platform_clusters_then_typed(name: str, title: str, form, typed_form, intro: str) -> tuple[Step, Step]:
    """A picker of the cluster organisations published on the platform (any country), and the step after it
    where those not on the platform are typed in, asked when its "not on the platform" box is ticked: an
    association's member clusters and a partnership's partners (domain.md §2)."""

    def some_not_on_the_platform(view: DraftView) -> bool:
        return bool(view.value(name, "not_listed"))

    picker = Step(name, title, form, template="members/step_clusters.html", intro=intro,
                  context="wizard.members.step_hooks:picker_context", stays_on_page=True)
    typed = Step(f"{name}_typed", f"{title} not on the platform", typed_form, when=some_not_on_the_platform)
    return picker, typed
