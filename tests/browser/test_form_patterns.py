"""The form patterns applicants ran into (issue 17, items 13-16; issue 14, item 9), walked in Chromium by visible
labels, with and without JavaScript. Every page reached is screenshotted and checked by axe (tests/support/browser.py).
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import answers, flows

pytestmark = pytest.mark.browser

YES_NO_MESSAGES = [
    "Select yes if the cluster is officially recognised by a regional or national cluster policy programme, or no "
    "if not",
    "Select yes if the cluster is recognised as a social economy cluster by the European Commission, or no if not",
]


def choose_country(visit, name: str) -> None:
    """The country step as a person does it: with JavaScript, types into the type-ahead and picks the name."""
    if visit.javascript:
        box = visit.page.get_by_role("combobox", name="Country")
        box.fill(name[:4])
        visit.page.get_by_role("option", name=name, exact=True).click()
    else:
        visit.page.get_by_label("Country", exact=True).select_option(label=name)
    visit.submit("Save and continue")


def to_support_programmes(visit, site) -> dict:
    journey = answers.cluster_eu(flows.tag())
    flows.start(visit, "cluster_organisation")
    flows.walk(visit, journey, stop_at="member_list")
    page = visit.page
    hint = page.locator("#member_list-hint")
    expect(hint).to_contain_text("You can add up to 400 members.")
    flows.walk(visit, journey, stop_at="support_programmes")
    return journey


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_support_programme_questions_name_themselves_and_its_fields_appear_under_yes(visits, site, javascript):
    visit = visits(site.url, "applicant", javascript=javascript)
    to_support_programmes(visit, site)
    page = visit.page
    name = page.get_by_label("Name of the programme (if yes)")
    evidence = page.get_by_label("Link to evidence of the recognition (if yes)")

    visit.submit("Save and continue", expected=400)
    assert visit.errors() == YES_NO_MESSAGES, "each yes/no question has its own message"
    recognised = page.get_by_role("group", name=re.compile("officially recognised"))
    expect(recognised).to_contain_text(YES_NO_MESSAGES[0])

    if javascript:
        expect(name).to_be_hidden()
        recognised.get_by_label("Yes", exact=True).check()
        expect(name).to_be_visible()
        name.fill("Saxon cluster programme")
        recognised.get_by_label("No", exact=True).check()
        expect(name).to_be_hidden()
        recognised.get_by_label("Yes", exact=True).check()
        expect(name).to_have_value("Saxon cluster programme")
        visit.audit()
    else:
        expect(name).to_be_visible()
        expect(evidence).to_be_visible()
        recognised.get_by_label("Yes", exact=True).check()
        name.fill("Saxon cluster programme")
    page.get_by_role("group", name=re.compile("social economy")).get_by_label("No", exact=True).check()
    visit.submit("Save and continue", expected=400)
    assert visit.errors() == ["Enter a link to evidence of the recognition"]
    expect(evidence).to_be_visible()
    expect(name).to_have_value("Saxon cluster programme")
    evidence.fill("https://www.cluster-programme.example.de/members")
    visit.submit("Save and continue")
    assert flows.step_name(visit) == "excellence_label", visit.errors()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_countries_are_chosen_without_ctrl_by_region_and_by_typing(visits, site, javascript):
    visit = visits(site.url, "applicant", javascript=javascript)
    journey = answers.works_with(flows.tag())
    flows.start(visit, "works_with_clusters")
    choose_country(visit, "United Kingdom")
    flows.walk(visit, journey, stop_at="works_with")
    page = visit.page
    countries = page.get_by_role("group", name="Countries where the organisation is active")
    page.get_by_role("group", name="Northern Europe").get_by_label("Ireland", exact=True).check()
    page.get_by_role("group", name="Southern Europe").get_by_label("Cyprus", exact=True).check()
    if javascript:
        finder = countries.get_by_role("combobox", name="Find a country to tick")
        finder.fill("Portu")
        page.get_by_role("option", name="Portugal", exact=True).click()
        expect(page.get_by_role("group", name="Southern Europe").get_by_label("Portugal", exact=True)).to_be_checked()
        expect(countries.locator("p[role=status]")).to_have_text("Portugal is ticked, under Southern Europe.")
    else:
        page.get_by_role("group", name="Southern Europe").get_by_label("Portugal", exact=True).check()
    flows.fill(visit, {"organisation_type": journey["works_with"]["organisation_type"],
                       "how_it_works": journey["works_with"]["how_it_works"]})
    visit.submit("Save and continue")
    flows.walk(visit, journey)  # the steps after it (the optional logo)
    assert visit.h1() == "Check your answers", visit.errors()
    text = visit.text()
    assert "United Kingdom" in text
    assert re.search(r"Cyprus, Ireland, Portugal|Ireland, Cyprus, Portugal|Ireland, Portugal, Cyprus", text) \
        or all(name in text for name in ("Ireland", "Cyprus", "Portugal")), text[:1500]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_partnership_dates_are_typed_as_their_hint_shows(visits, site, javascript):
    visit = visits(site.url, "applicant", javascript=javascript)
    journey = answers.partnership(flows.tag())
    flows.start(visit, "partnership")
    flows.walk(visit, journey, stop_at="partnership")
    page = visit.page
    start = page.get_by_label("Start date")
    expect(page.locator("#start_date-hint")).to_have_text("Day/month/year, for example 31/01/2025.")
    assert start.get_attribute("type") == "text", "the browser's date input shows its own locale's format"
    fields = {k: v for k, v in journey["partnership"].items() if k not in ("start_date", "end_date")}
    flows.fill(visit, fields)
    start.fill("01/31/2024")
    page.get_by_label("End date").fill("31/12/2025")
    visit.submit("Save and continue", expected=400)
    assert visit.errors() == ["Enter the start date as day/month/year, for example 31/01/2025"]
    expect(start).to_have_value("01/31/2024")
    start.fill("31/01/2024")
    visit.submit("Save and continue")
    flows.walk(visit, journey)  # the partner clusters and the optional logo
    assert visit.h1() == "Check your answers", visit.errors()
    assert "31 January 2024" in visit.text() and "31 December 2025" in visit.text()
