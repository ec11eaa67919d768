"""Two windows on one draft, in Chromium: a step saved in one after the other opened it is not overwritten
unseen. The second save comes back (409) with what was typed beside what was saved meanwhile, and every
page on the way passes axe (tests/support/browser.py)."""
import pytest

from tests.browser import answers, flows
from wizard.registration.views import CHANGED_MEANWHILE

pytestmark = pytest.mark.browser


def test_the_same_step_saved_in_two_windows_loses_neither_answer(visits, site):
    journey = answers.cluster_eu(flows.tag())
    applicant = visits(site.url, "applicant")
    flows.start(applicant, "cluster_organisation")
    flows.walk(applicant, journey, stop_at="organisation")
    step = applicant.path()
    first_window, other_name, own_name = applicant.page, f"Other Window {flows.tag()}", f"This Window {flows.tag()}"

    # A second window of the same browser saves the step while the first one still shows it.
    applicant.page = applicant.context.new_page()
    try:
        applicant.goto(step)
        flows.fill(applicant, {**journey["organisation"], "name": other_name})
        applicant.submit("Save and continue")
    finally:
        applicant.page.close()
        applicant.page = first_window

    flows.fill(applicant, {**journey["organisation"], "name": own_name})
    applicant.submit("Save and continue", expected=409)
    assert applicant.errors() == [CHANGED_MEANWHILE]
    assert other_name in applicant.page.inner_text("#saved-meanwhile")
    assert applicant.page.locator('input[name="name"]').input_value() == own_name

    applicant.submit("Save and continue")  # now knowingly over the other window's answers
    assert flows.step_name(applicant) != "organisation", applicant.errors()
    applicant.goto(f"/drafts/{flows.public_id_of(applicant)}/check-answers")
    assert own_name in applicant.text() and other_name not in applicant.text()
