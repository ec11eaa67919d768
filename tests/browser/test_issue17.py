"""Issue 17 ("What applicants, cluster administrators and validators ran into"), items 6, 7, 9, 17 and 18, in
Chromium: every page on the way is checked by axe-core (tests/support/browser.py).

An association picks its member clusters with the type-ahead (JavaScript), types one in and adds a logo; a
partnership picks its partners without JavaScript. Both end on their public page, which links the picked
cluster organisations, shows the logo and links the website.
"""
import pytest
from PIL import Image

from tests.browser import answers, flows
from tests.browser.test_journeys import fill_in_wizard, sign_in_and_submit
from wizard import demo

pytestmark = pytest.mark.browser

OTHER_CLUSTER = demo.CLUSTERS[1].name  # in France; CLUSTERS[0] is the site's own cluster_name (Germany)


def pick_with_type_ahead(visit, search: str, name: str) -> None:
    visit.page.locator("#q").fill(search)
    visit.submit(visit.page.locator("#typeahead").get_by_role("button", name=f"Add {name}", exact=True),
                 expected=200)
    assert visit.page.locator("#clusters").get_by_text(name).count(), f"{name} is not among the chosen"


def pick_without_javascript(visit, search: str, name: str) -> None:
    flows.fill(visit, {"q": search})
    visit.submit("Search", expected=200)
    visit.submit(visit.page.get_by_role("button", name=f"Add {name}", exact=True), expected=200)
    assert visit.page.locator("#clusters").get_by_text(name).count(), f"{name} is not among the chosen"


def validator_opens(visits, site, name: str, javascript: bool = True):
    """The validator signs in and opens the submission from the queue (e-mail subjects carry no applicant text)."""
    validator = visits(site.url, "validator", javascript=javascript)
    flows.sign_in(validator, site.validator, site.password, next_path="/validation/")
    validator.goto("/validation/")
    validator.follow(name)
    assert name in validator.h1(), validator.h1()
    return validator


def publish(validator) -> None:
    flows.fill(validator, {"decision": "publish"})
    validator.submit("Record the decision", expected=200)
    assert "published" in validator.text().lower(), validator.text()[:500]


def public_page(visits, site, name: str):
    visitor = visits(site.url, "public")
    flows.listed_in_directory(visitor, name)
    return visitor


def test_an_association_picks_member_clusters_with_the_type_ahead_types_one_in_and_adds_a_logo(
        visits, site, tmp_path):
    logo = tmp_path / "association-logo.png"
    Image.new("RGB", (300, 100), (20, 120, 90)).save(logo)
    suffix = flows.tag()
    journey = answers.association(suffix)
    typed_in = journey["member_clusters_typed"]["member_clusters-0-cluster_name"]

    def member_clusters(visit) -> None:
        assert "in EU/COSME countries" not in visit.text(), "an association may bring together clusters from anywhere"
        pick_with_type_ahead(visit, site.cluster_name.split()[0], site.cluster_name)
        pick_with_type_ahead(visit, OTHER_CLUSTER.split()[1], OTHER_CLUSTER)
        flows.fill(visit, {"not_listed": "y"})
        visit.submit("Save and continue")

    journey["member_clusters"] = member_clusters
    journey["logo"] = {"logo": str(logo)}
    applicant = fill_in_wizard(visits, site, "association", journey, errors_on=("member_clusters",))
    for shown in (site.cluster_name, OTHER_CLUSTER, typed_in, "association-logo.png"):
        assert shown in applicant.text(), f"{shown} is not on Check your answers"
    assert "I declare that there is no duplicate profile" in applicant.text() or "sign in" in applicant.text()
    assert not applicant.page.get_by_role("link", name="Back", exact=True).count()
    sign_in_and_submit(applicant, site, journey)
    name = journey["organisation"]["name"]
    publish(validator_opens(visits, site, name))

    visitor = public_page(visits, site, name)
    picked = visitor.page.locator("main dd").get_by_role("link", name=site.cluster_name, exact=True)
    assert picked.get_attribute("href").startswith("/directory/"), "a picked cluster links to its page"
    assert typed_in in visitor.text()
    image = visitor.page.get_by_role("img", name=f"Logo of {name}")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 300, "the logo is shown"
    website = visitor.page.locator("main dd").get_by_role("link", name=journey["organisation"]["website"])
    assert "noopener" in website.get_attribute("rel")
    visitor.follow(site.cluster_name)
    assert site.cluster_name in visitor.h1()


def test_a_partnership_picks_its_partners_without_javascript(visits, site):
    journey = answers.partnership(flows.tag())

    def partner_clusters(visit) -> None:
        pick_without_javascript(visit, OTHER_CLUSTER.split()[1], OTHER_CLUSTER)
        visit.submit("Save and continue")

    journey["partner_clusters"] = partner_clusters
    applicant = fill_in_wizard(visits, site, "partnership", journey, javascript=False)
    assert OTHER_CLUSTER in applicant.text()
    assert "Partner clusters not on the platform" not in applicant.text(), "nothing ticked: that step does not apply"
    sign_in_and_submit(applicant, site, journey)
    name = journey["organisation"]["name"]
    publish(validator_opens(visits, site, name, javascript=False))

    visitor = public_page(visits, site, name)
    assert visitor.page.locator("main dd").get_by_role("link", name=OTHER_CLUSTER, exact=True).count() == 1
    assert not visitor.page.locator("main img").count(), "no logo was given"


def test_a_stated_recognition_is_a_validators_check_until_the_waiver_is_switched_on(visits, site):
    """Item 9: the applicant's self-check and the validator's checklist say "A validator checks this (recognised
    programme stated)" for an unmet criterion; "Waived" only once the validator switched the waiver on."""
    journey = answers.cluster_eu(flows.tag())
    journey["management"] = {"management_fte": "0.2"}
    journey["support_programmes"] = {"recognised_programme": "yes", "social_economy": "no",
                                     "programme_name": "go-cluster",
                                     "programme_evidence": "https://www.clusterplattform.de/go-cluster"}
    applicant = fill_in_wizard(visits, site, "cluster_organisation", journey)
    stated = "A validator checks this (recognised programme stated)"

    def management_result(visit) -> str:
        return visit.page.locator("tr", has=visit.page.get_by_role("rowheader", name="Management team")).inner_text()

    assert stated in management_result(applicant) and "Waived" not in applicant.text()
    sign_in_and_submit(applicant, site, journey)
    name = journey["organisation"]["name"]

    validator = validator_opens(visits, site, name)
    assert stated in management_result(validator)
    validator.submit("Waive the criteria (recognition checked)", expected=200)
    assert "Waived" in management_result(validator) and stated not in management_result(validator)
