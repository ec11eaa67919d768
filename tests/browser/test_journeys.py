"""From the start page to the public directory, one journey per profile type and branch, in Chromium.

Every page on the way is checked by axe-core and screenshotted, and no page may raise a CSP
violation, a script error or a dialog (tests/support/browser.py). The member journey with a
published cluster organisation runs with JavaScript disabled; the cluster organisation outside the
EU/COSME countries is registered with the keyboard alone (test_keyboard.py).
"""
import pytest
from PIL import Image

from tests.browser import answers, flows
from wizard.steps.cluster_member import CLUSTERS_NOT_LISTED
from wizard.steps.common import LOGO

MANUAL_STEP, LOGO_STEP = CLUSTERS_NOT_LISTED.name, LOGO.name

pytestmark = pytest.mark.browser


def fill_in_wizard(visits, site, profile_type: str, journey: dict, javascript: bool = True,
                   errors_on: tuple[str, ...] = ()):
    applicant = visits(site.url, "applicant", javascript=javascript)
    flows.start(applicant, profile_type)
    flows.walk(applicant, journey, errors_on=errors_on)
    return applicant


def sign_in_and_submit(applicant, site, journey: dict, mistakes: bool = False) -> None:
    """An applicant with an account: "sign in" from "Check your answers", back there, submit.

    With `mistakes`, a wrong password first, and a first press of "Submit" without the declarations.
    """
    email = site.new_account(f"applicant-{flows.tag()}@journeys.eu", flows.PASSWORD)
    applicant.follow("sign in")
    if mistakes:
        flows.fill(applicant, {"email": email, "password": "not the password at all"})
        applicant.submit("Sign in", expected=400)
        flows.check_error_summary(applicant)
    flows.fill(applicant, {"email": email, "password": flows.PASSWORD})
    applicant.submit("Sign in", expected=200)
    assert applicant.h1() == "Check your answers", applicant.h1()
    if mistakes:
        applicant.submit("Submit for validation", expected=400)
        flows.check_error_summary(applicant)
    flows.submit_profile(applicant)


def validator_publishes(visits, site, name: str) -> None:
    validator = visits(site.url, "validator")
    flows.validator_decides(validator, site.validator, site.password, name, "publish")
    assert "published" in validator.text().lower(), validator.text()[:500]


def validator_sees_published_on_approval(visits, site, name: str) -> None:
    validator = visits(site.url, "validator-list")
    flows.sign_in(validator, site.validator, site.password, next_path="/validation/")
    validator.follow("Members published on approval")
    assert validator.page.get_by_role("link", name=name, exact=True).count() == 1, validator.text()[:800]


def in_directory(visits, site, name: str) -> None:
    flows.listed_in_directory(visits(site.url, "public"), name)


def test_cluster_organisation_in_an_eu_cosme_country(visits, site):
    """A newcomer: no account until the end, registers, confirms the address from the e-mail, submits."""
    journey = answers.cluster_eu(flows.tag())
    applicant = fill_in_wizard(visits, site, "cluster_organisation", journey,
                               errors_on=("organisation", "members", "member_list"))
    check_answers = applicant.path()
    applicant.goto("/account/register")
    applicant.submit("Create account", expected=400)
    flows.check_error_summary(applicant)
    applicant.goto(check_answers)
    # Issue 17 item 4: after creating the account, confirming it and signing in, back on the draft.
    flows.sign_up_on_the_way(applicant, journey["contact"]["contact_email"])
    assert applicant.h1() == "Check your answers", applicant.h1()
    flows.submit_profile(applicant)
    validator_publishes(visits, site, journey["organisation"]["name"])
    in_directory(visits, site, journey["organisation"]["name"])


def test_association_with_hostile_text_in_every_field(visits, site):
    """Script payloads typed into the answers are shown on every page as text: no dialog ever opens."""
    journey = answers.association(flows.tag(), xss=True)
    applicant = fill_in_wizard(visits, site, "association", journey, errors_on=("association",))
    sign_in_and_submit(applicant, site, journey)
    validator_publishes(visits, site, journey["organisation"]["name"])
    in_directory(visits, site, journey["organisation"]["name"])


def test_partnership_or_eu_funded_initiative(visits, site):
    journey = answers.partnership(flows.tag())
    applicant = fill_in_wizard(visits, site, "partnership", journey, errors_on=("contact", "partnership"))
    sign_in_and_submit(applicant, site, journey, mistakes=True)
    validator_publishes(visits, site, journey["organisation"]["name"])
    in_directory(visits, site, journey["organisation"]["name"])


def test_organisation_that_works_with_clusters(visits, site):
    journey = answers.works_with(flows.tag())
    applicant = fill_in_wizard(visits, site, "works_with_clusters", journey, errors_on=("country", "works_with"))
    sign_in_and_submit(applicant, site, journey)
    validator_publishes(visits, site, journey["organisation"]["name"])
    in_directory(visits, site, journey["organisation"]["name"])


def test_member_of_a_published_cluster_without_javascript(visits, site):
    """The cluster's administrator approves from the e-mailed link; everyone here browses without JavaScript."""
    journey = answers.member(flows.tag())
    journey["clusters"] = flows.choose_cluster(site.cluster_name.split()[0], site.cluster_name)
    journey[LOGO_STEP] = {}
    applicant = fill_in_wizard(visits, site, "cluster_member", journey, javascript=False,
                               errors_on=("member_organisation", "clusters"))
    sign_in_and_submit(applicant, site, journey, mistakes=True)
    name = journey["organisation"]["name"]

    cluster_admin = visits(site.url, "cluster-admin", javascript=False)
    flows.open_email_link(cluster_admin, site.cluster_admin, "/affiliations/decide/",
                          subject="A membership request for your cluster organisation",
                          after="To approve")
    assert name in cluster_admin.text()
    flows.fill(cluster_admin, {"confirm": "y"})
    cluster_admin.submit("Approve membership", expected=200)

    # Issue 17 item 2: the approval itself makes the member public; validators see it on their list.
    in_directory(visits, site, name)
    validator_sees_published_on_approval(visits, site, name)


def test_member_of_a_cluster_not_on_the_platform_with_proof(visits, site, tmp_path):
    """The cluster is typed in with an uploaded proof; a validator checks the proof and validates it."""
    proof = tmp_path / "membership-certificate.png"
    Image.new("RGB", (640, 360), (30, 90, 160)).save(proof)
    suffix = flows.tag()
    journey = answers.member(suffix)
    journey["clusters"] = flows.cluster_not_listed
    journey[MANUAL_STEP] = {"manual_clusters-0-cluster_name": f"Unlisted Cluster {suffix}",
                                  "manual_clusters-0-cluster_website": f"https://unlisted-{suffix}.eu",
                                  "manual_clusters-0-cluster_country": "AT",
                                  "manual_clusters-0-proof": str(proof)}
    journey[LOGO_STEP] = {}
    applicant = fill_in_wizard(visits, site, "cluster_member", journey, errors_on=(MANUAL_STEP,))
    assert "membership-certificate.png" in applicant.text()  # listed on "Check your answers"
    sign_in_and_submit(applicant, site, journey)
    name = journey["organisation"]["name"]

    validator = visits(site.url, "validator")
    flows.open_email_link(validator, site.validator, "/members/manual-affiliations",
                          subject="A membership to check")
    if validator.h1() == "Sign in":
        flows.fill(validator, {"email": site.validator, "password": site.password})
        validator.submit("Sign in", expected=200)
    validator.submit(validator.page.get_by_role("button", name=f"Approve {name} in Unlisted Cluster {suffix}"),
                     expected=200)
    # Validating the membership with its proof is the one decision: the member is public.
    in_directory(visits, site, name)
