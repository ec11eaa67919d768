"""A cluster organisation outside the EU/COSME countries, registered with the keyboard alone."""
import pytest

from tests.browser import answers, flows, keyboard

pytestmark = pytest.mark.browser


def test_cluster_organisation_elsewhere_with_the_keyboard_alone(visits, site):
    journey = answers.cluster_elsewhere(flows.tag())
    email = site.new_account(f"keyboard-{flows.tag()}@journeys.eu", flows.PASSWORD)
    applicant = visits(site.url, "applicant")
    page = applicant.page

    applicant.goto("/")
    keyboard.press(applicant, page.locator('main a[href="/start/cluster_organisation"]'), "the start link")
    keyboard.press(applicant, page.get_by_role("button", name="Start now"), "Start now")
    # On the first step: send it empty, then go from the error summary straight to the field.
    keyboard.press(applicant, page.get_by_role("button", name="Save and continue", exact=True), "Save", expected=400)
    keyboard.follow_first_error(applicant)
    keyboard.walk(applicant, journey)

    keyboard.press(applicant, page.get_by_role("link", name="sign in", exact=True), "the sign-in link")
    keyboard.type_into(applicant, {"email": email, "password": flows.PASSWORD})
    keyboard.press(applicant, page.get_by_role("button", name="Sign in", exact=True), "Sign in")
    assert applicant.h1() == "Check your answers"
    keyboard.type_into(applicant, {"consent": "y", "declaration": "y"})
    keyboard.press(applicant, page.get_by_role("button", name="Submit for validation"), "Submit")
    assert applicant.h1() == "Profile submitted"

    name = journey["organisation"]["name"]
    validator = visits(site.url, "validator")
    flows.validator_decides(validator, site.validator, site.password, name, "publish")
    flows.listed_in_directory(visits(site.url, "public"), name)
