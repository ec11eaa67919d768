"""Field and cross-field validation, table-driven: each error inline, in the summary, with the typed value kept."""
import pytest

from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU, CLUSTER_EU_STEPS, PARTNERSHIP
from wizard.services.drafts import path_for

CASES = {
    "organisation": [
        ({"website": "https://192.168.1.10"}, "website", "Enter the address of your organisation's own website"),
        ({"website": "http://localhost:8000"}, "website", "Enter the address of your organisation's own website"),
        ({"website": "https://intranet/"}, "website", "Enter the address of your organisation's own website"),
        ({"website": "www.silicon-saxony.de"}, "website",
            "Enter the address of your website starting with http:// or https://"),
        ({"website": "https://user@silicon-saxony.de"}, "website",
            "Enter the address of your website starting with http://"),
        ({"year_established": "2999"}, "year_established",
            "Enter the year the organisation was established: a year that is not after"),
        ({"year_established": "1700"}, "year_established",
            "Enter the year the organisation was established, from 1800 on"),
        ({"year_established": "twenty"}, "year_established",
            "Enter the year the organisation was established, for example 2005"),
        ({"description": "x" * 1501}, "description", "Keep the description to 1,500 characters"),
        ({"name": "Bell\x07 GmbH"}, "name", "Organisation name must be on one line"),
        ({"name": "   "}, "name", "Enter the name of your organisation"),
    ],
    "contact": [
        ({"contact_phone": "call me"}, "contact_phone", "Enter a phone number in digits"),
        ({"contact_email": ""}, "contact_email", "Enter the contact person's e-mail address"),
    ],
    "management": [
        ({"management_fte": "NaN"}, "management_fte", "Enter the size of the management team as a number, like 1.5"),
        ({"management_fte": "Infinity"}, "management_fte",
            "Enter the size of the management team as a number, like 1.5"),
        ({"management_fte": "1e999999"}, "management_fte", "Enter a number of FTE, 0 or more"),
        ({"management_fte": "-0.5"}, "management_fte", "Enter a number of FTE, 0 or more"),
        ({"management_fte": ""}, "management_fte", "Enter the size of the management team"),
    ],
    "members": [
        ({"count_university": "-3", "total_members": "17"}, "count_university",
         "Enter the number of universities and higher education institutions as a whole number, 0 or more"),
        ({"count_other": "1.5"}, "count_other", "Enter the number of other members as a whole number, like 12"),
        ({"total_members": ""}, "total_members", "Enter the total number of committed members"),
        ({"total_members": "19"}, "total_members", "The members by type add up to 20, not 19"),
    ],
    "focus": [
        ({"ecosystems": ["digital", "bogus"]}, "ecosystems-0",
            "Choose industrial ecosystems from the options shown"),
    ],
}


@pytest.mark.parametrize("step", list(CASES))
def test_each_mistake_is_shown_inline_and_in_the_summary(helper, step):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:CLUSTER_EU_STEPS.index(step)])
    for changes, target, message in CASES[step]:
        typed = {**CLUSTER_EU[step], **changes}
        page = walk.fill(helper, public_id, step, typed, expected=400)
        assert len(page.error_summary) == 1 and message in page.error_summary[0], (changes, page.error_summary)
        assert page.error_links == [f"#{target}"]
        field = page.soup.find(id=target)
        assert field is not None
        described = (field.get("aria-describedby") or field.find_parent("fieldset").get("aria-describedby")).split()
        assert any(message in page.soup.find(id=i).get_text() for i in described), "the error is tied to the input"
        for name, value in changes.items():
            if isinstance(value, str) and name != "name":
                shown = page.value_of(name).removeprefix("\r\n")
                assert shown == value, f"{name} was not kept"


def test_numbers_as_europeans_type_them(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:3])
    for typed in ("0,5", "2.25", "0"):
        walk.fill(helper, public_id, "management", {"management_fte": typed})
        assert walk.stored(public_id, "management")["_valid"] is True, typed
        assert helper.get(f"/drafts/{public_id}/management").value_of("management_fte") == typed


def test_a_total_of_zero_members_is_an_answer(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:4])
    page = walk.fill(helper, public_id, "members", {"total_members": "0"})
    # No public body among zero members: the collaboration step applies next.
    assert helper.redirect_target(page) == f"/drafts/{public_id}/member-list"
    assert "public_collaboration" in [s.name for s in path_for(walk.profile_of(public_id)).steps]


@pytest.mark.parametrize(("dates", "message"), [
    ({"start_date": "2024-01-01", "end_date": "2024-01-01"}, "The end date must be after the start date"),
    ({"start_date": "2024-01-01", "end_date": "2023-12-31"}, "The end date must be after the start date"),
    ({"start_date": "2024-02-30", "end_date": "2025-01-01"},
     "Enter the start date as day/month/year, for example 31/01/2025"),
    ({"start_date": "", "end_date": "2025-01-01"}, "Enter the start date"),
])
def test_partnership_dates(helper, dates, message):
    public_id = walk.start(helper, "partnership")
    walk.walk(helper, public_id, PARTNERSHIP, ["country", "organisation", "contact"])
    page = walk.fill(helper, public_id, "partnership", {**PARTNERSHIP["partnership"], **dates}, expected=400)
    assert page.error_summary == [message]
    assert page.value_of("coordinator") == "Minalogic"


@pytest.mark.parametrize(("typed", "shown"), [
    ({"start_date": "31/01/2024", "end_date": "1.2.2025"}, "31 January 2024"),
    ({"start_date": "31-01-2024", "end_date": "2025-02-01"}, "1 February 2025"),
])
def test_partnership_dates_typed_as_day_month_year(helper, typed, shown):
    """The hint says day/month/year (issue 17, item 16), and that is how the dates are read and kept."""
    public_id = walk.start(helper, "partnership")
    walk.walk(helper, public_id, PARTNERSHIP, ["country", "organisation", "contact"])
    page = helper.get(f"/drafts/{public_id}/partnership")
    hint = page.soup.find(id="start_date-hint").get_text()
    assert "Day/month/year, for example 31/01/2025" in hint
    assert page.soup.find(id="start_date")["type"] == "text", "not the browser's date input, whose format varies"
    walk.fill(helper, public_id, "partnership", {**PARTNERSHIP["partnership"], **typed})
    assert walk.stored(public_id, "partnership")["_valid"] is True
    assert helper.get(f"/drafts/{public_id}/partnership").value_of("start_date") == typed["start_date"]
    assert shown in helper.get(f"/drafts/{public_id}/check-answers").text()


def test_a_month_day_year_date_is_refused_not_misread(helper):
    public_id = walk.start(helper, "partnership")
    walk.walk(helper, public_id, PARTNERSHIP, ["country", "organisation", "contact"])
    page = walk.fill(helper, public_id, "partnership", {**PARTNERSHIP["partnership"], "start_date": "01/31/2024"},
                     expected=400)
    assert page.error_summary == ["Enter the start date as day/month/year, for example 31/01/2025"]
    assert page.value_of("start_date") == "01/31/2024"
