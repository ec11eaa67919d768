"""Issue 17 items 17 and 18: what applicants, validators and visitors read, page by page."""
import io

import pytest

from tests.uploads.corpus import encode
from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU, CLUSTER_EU_STEPS, MEMBER, MEMBER_OWN_STEPS, WORKS_WITH, WORKS_WITH_STEPS
from wizard.services import decisions


def test_a_member_says_what_it_is_in_the_singular(helper):
    public_id = walk.start(helper, "cluster_member")
    walk.walk(helper, public_id, MEMBER, MEMBER_OWN_STEPS[:3])
    page = helper.get(f"/drafts/{public_id}/member-organisation")
    options = [label.get_text(strip=True) for label in page.select("fieldset label")]
    assert "Large company" in options and "Start-up/SME" in options and "Large companies" not in options


@pytest.mark.parametrize(("profile_type", "english_hint"), [
    ("cluster_organisation", True), ("cluster_member", False), ("association", False), ("partnership", False),
    ("works_with_clusters", False)])
def test_only_cluster_organisations_are_asked_for_the_english_version_of_their_website(
        helper, profile_type, english_hint):
    public_id = walk.start(helper, profile_type)
    walk.walk(helper, public_id, {"country": {"country": "DE"}}, ["country"])
    page = helper.get(f"/drafts/{public_id}/organisation")
    assert ("English version" in page.text()) is english_hint


def test_the_step_pages_offer_one_way_back(helper):
    public_id = walk.start(helper, "works_with_clusters")
    walk.walk(helper, public_id, WORKS_WITH, WORKS_WITH_STEPS[:2])
    page = helper.get(f"/drafts/{public_id}/contact")
    assert not [a for a in page.select("main a") if a.get_text(strip=True).startswith("Back")]
    assert page.soup.find("button", attrs={"name": "action", "value": "back"}).get_text(strip=True) == "Previous step"


def test_the_declaration_reads_as_one_sentence(helper, applicant):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS)
    walk.sign_in_through_form(helper, applicant.email, f"/drafts/{public_id}/check-answers")
    label = helper.get(f"/drafts/{public_id}/check-answers").select_one("label[for=declaration]").get_text(strip=True)
    assert label.startswith("I declare that the organisation fits the cluster definitions"), label


def test_the_not_listed_cluster_asks_only_what_it_needs_and_shows_its_country_by_name(helper, member_draft, app):
    from tests.members.conftest import choose

    public_id = member_draft()
    choose(helper, public_id, not_listed=True)
    page = helper.get(f"/drafts/{public_id}/clusters-not-listed")
    labels = {label["for"]: label.get_text(" ", strip=True) for label in page.select("label[for]")}
    for name in ("cluster_name", "cluster_website", "cluster_country", "proof"):
        label = labels[f"manual_clusters-0-{name}"]
        assert "(optional)" not in label, f"{label}: every started row needs it"
    walk.fill(helper, public_id, "clusters_not_listed", {
        "manual_clusters-0-cluster_name": "Milano Design Cluster", "manual_clusters-0-cluster_website":
        "https://www.milano-design.it", "manual_clusters-0-cluster_country": "IT",
        "manual_clusters-0-proof": (io.BytesIO(encode("PNG")), "proof.png")})
    check = helper.get(f"/drafts/{public_id}/check-answers").text()
    assert "Milano Design Cluster – https://www.milano-design.it – Italy – proof.png" in check
    assert "– IT –" not in check


def test_the_public_page_states_answers_and_links_the_websites(helper, applicant, validator):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS)
    walk.sign_in_through_form(helper, applicant.email, f"/drafts/{public_id}/check-answers")
    walk.submit(helper, public_id)
    profile = walk.profile_of(public_id)
    decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version)
    page = helper.get(f"/directory/{public_id}")
    terms = [dt.get_text(strip=True) for dt in page.select("main dt")]
    assert "Activities described at" in terms
    assert not [term for term in terms if term.endswith("?")], terms
    links = {a.get_text(strip=True): a for a in page.select("main dd a")}
    website = links[CLUSTER_EU["organisation"]["website"]]
    assert website["href"] == CLUSTER_EU["organisation"]["website"] and "noopener" in website["rel"]
    assert "noopener" in links[CLUSTER_EU["activities"]["activities_link"]]["rel"]


def test_a_validator_reads_version_1_for_a_first_submission(helper, sign_in, applicant, validator):
    """The draft was saved at every step, so the internal counter is far above 1."""
    public_id = walk.start(helper, "works_with_clusters")
    walk.walk(helper, public_id, WORKS_WITH, WORKS_WITH_STEPS)
    walk.sign_in_through_form(helper, applicant.email, f"/drafts/{public_id}/check-answers")
    walk.submit(helper, public_id)
    assert walk.profile_of(public_id).version > 1
    sign_in(validator)
    page = helper.get(f"/validation/profiles/{public_id}")
    assert "Version 1, submitted" in page.text()
    rows = page.select("#history-heading ~ table")[0].select("tbody tr")
    assert [row.td.get_text(strip=True) for row in rows] == ["1"]
