"""The start page: five profile types with what each is for, the definitions, the criteria, a start button each."""
from tests.support.declared import PROFILE_TYPES
from tests.wizard import walk
from wizard.taxonomies import CRITERIA_TEXTS, DEFINITIONS


def test_start_page_lists_the_types_definitions_and_criteria(helper):
    page = helper.get("/")
    assert page.h1 == "Register your profile"
    text = page.text()
    for info in PROFILE_TYPES.values():
        assert info.name in text and info.purpose[1:60] in text
        button = page.soup.find("a", attrs={"href": f"/start/{info.key}"})
        assert button is not None and button.get_text(" ", strip=True).startswith("Start")
    for _, term, definition in DEFINITIONS:
        assert term in text and definition in text
    for _, title, criterion in CRITERIA_TEXTS:
        assert title in text and criterion in text
    assert "DG GROW" in text


def test_each_type_has_a_before_you_start_page(helper):
    for info in PROFILE_TYPES.values():
        page = helper.get(f"/start/{info.key}")
        assert page.h1 == info.name
        assert page.soup.find("button", string="Start now")
    cluster = helper.get("/start/cluster_organisation").text()
    assert "At least 15 clearly committed cluster members." in cluster


def test_starting_makes_a_draft_at_the_country_step(helper):
    public_id = walk.start(helper, "partnership")
    page = helper.get(f"/drafts/{public_id}/country")
    # Whether the partnership's typed-in partners step applies is decided on its partners step: until that lies
    # behind, the number of steps is not promised.
    assert page.select_one("#wizard-progress-label").get_text(strip=True) == "Step 1: Country"
    assert "Please fill in the country first" in page.text()
    assert walk.profile_of(public_id).status == "draft"


def test_the_profile_types_are_those_of_domain_section_1():
    assert [(key, declared.name) for key, declared in PROFILE_TYPES.items()] == [
        ("cluster_organisation", "Cluster organisation"),
        ("cluster_member", "Member of cluster organisation"),
        ("association", "Association of clusters or metacluster"),
        ("partnership", "Cluster partnership or other EU funded cluster initiative"),
        ("works_with_clusters", "Organisation that works with clusters"),
    ]
    assert all(declared.purpose and declared.declaration and declared.steps for declared in PROFILE_TYPES.values())
    starts = [declared.start_text for declared in PROFILE_TYPES.values()]
    assert len(set(starts)) == len(starts), "each Start button has a distinct accessible name"
