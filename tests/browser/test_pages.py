"""What applicants met on the start page, the legal notices, the definitions and the progress line, in Chromium
(issue 17 items 8, 11, 12 and 19). Every page on the way is audited by axe (tests/support/browser.py).
"""
import re

import pytest

from tests.browser import answers, flows

pytestmark = pytest.mark.browser

START_NAMES = {
    "cluster_organisation": "Start registering a cluster organisation",
    "cluster_member": "Start registering a member of a cluster organisation",
    "association": "Start registering an association of clusters or a metacluster",
    "partnership": "Start registering a cluster partnership or another EU-funded cluster initiative",
    "works_with_clusters": "Start registering an organisation that works with clusters",
}
LEGAL = {"Privacy notice": "/privacy", "Terms of use": "/terms", "Data protection notice": "/data-protection"}


def progress(visit) -> tuple[str, bool]:
    """The progress line as read, and whether a progress bar is shown."""
    return visit.page.locator("#wizard-progress-label").inner_text().strip(), visit.page.locator("progress").count() > 0


def test_each_start_button_says_what_it_starts(visits, site):
    visitor = visits(site.url, "visitor")
    visitor.goto("/")
    links = visitor.page.get_by_role("link", name=re.compile(r"^Start\b"))
    visible = links.evaluate_all("links => links.map(a => a.childNodes[0].textContent)")
    assert visible == ["Start"] * 5, "the visible text stays 'Start' (the rest is for screen readers)"
    names = [links.nth(i).evaluate("a => a.textContent.replace(/\\s+/g, ' ').trim()") for i in range(links.count())]
    assert sorted(names) == sorted(START_NAMES.values()), names
    cards = visitor.page.locator("main .card-text").all_inner_texts()
    assert all(re.match(r"^For (the|a|an|public) ", text) for text in cards), cards
    for key, name in START_NAMES.items():
        assert visitor.page.get_by_role("link", name=name, exact=True).get_attribute("href") == f"/start/{key}"
    visitor.submit(visitor.page.get_by_role("link", name=START_NAMES["association"], exact=True), expected=200)
    assert visitor.h1() == "Association of clusters or metacluster"
    assert visitor.page.locator("main .lead").inner_text().startswith("For an organisation whose members are")


def test_the_notices_are_linked_from_every_footer_and_from_the_consent(visits, site):
    visitor = visits(site.url, "applicant")
    visitor.goto("/")
    footer = visitor.page.get_by_role("navigation", name="Legal notices")
    for name, path in LEGAL.items():
        visitor.submit(footer.get_by_role("link", name=name, exact=True), expected=200)
        assert visitor.path() == path and visitor.h1() == name, (visitor.path(), visitor.h1())
    visitor.goto("/privacy")
    assert "30 days" in visitor.text(), "the anonymous drafts' lifetime (ANONYMOUS_DRAFT_DAYS) is stated"
    assert visitor.page.get_by_role("link", name="Your data").first.get_attribute("href") == "/account/my-data"
    visitor.goto("/data-protection")
    for right in ("access", "erasure", "data portability", "European Data Protection Supervisor"):
        assert right in visitor.text(), right

    journey = answers.works_with(flows.tag())
    flows.start(visitor, "works_with_clusters")
    flows.walk(visitor, journey)
    sign_in_from_check_answers(visitor, site)
    consent = visitor.page.locator("#legal-notices")
    for name, path in LEGAL.items():
        assert consent.get_by_role("link", name=name.lower(), exact=True).get_attribute("href") == path
    assert visitor.page.locator("#legal-notices + .form-check #consent").count() == 1, "the links sit by the consent"
    visitor.submit(consent.get_by_role("link", name="terms of use", exact=True), expected=200)
    assert visitor.h1() == "Terms of use"
    visitor.page.go_back()
    flows.submit_profile(visitor)


def open_definition(visit, question: str) -> str:
    summary = visit.page.locator("details.definition summary", has_text=question)
    assert summary.count() == 1, f"no '{question}' on {visit.page.url}"
    details = summary.locator("xpath=..")
    assert not details.evaluate("d => d.open"), "definitions start closed"
    summary.focus()
    visit.page.keyboard.press("Enter")  # opened by keyboard
    assert details.evaluate("d => d.open")
    return details.inner_text()


def test_definitions_beside_the_start_page_the_dg_grow_question_and_the_declaration(visits, site):
    applicant = visits(site.url, "applicant")
    applicant.goto("/start/cluster_organisation")
    text = open_definition(applicant, "What is a cluster organisation?")
    assert "legal entity that strengthens collaboration" in text
    assert "groups of firms" in open_definition(applicant, "What is a cluster?")
    applicant.submit("Start now")
    journey = answers.cluster_eu(flows.tag())
    flows.walk(applicant, journey, stop_at="support_programmes")
    text = open_definition(applicant, "What is a social economy cluster?")
    assert "social economy enterprises and related actors" in text
    # Right before the question it explains.
    question = applicant.page.locator("fieldset", has_text="recognised as a social economy cluster")
    assert question.evaluate("f => f.previousElementSibling.matches('details.definition')")
    flows.walk(applicant, journey, stop_at="check_answers")
    sign_in_from_check_answers(applicant, site)
    # The declaration says the organisation "fits the cluster definitions": they are right above it.
    for term in ("What is a cluster?", "What is a cluster organisation?", "What is a social economy cluster?"):
        assert applicant.page.locator("details.definition summary", has_text=term).count() == 1, term
    last = applicant.page.locator("details.definition").last
    assert last.evaluate("d => d.nextElementSibling.querySelector('#declaration') !== null")
    flows.submit_profile(applicant)


def sign_in_from_check_answers(visit, site) -> None:
    email = site.new_account(f"pages-{flows.tag()}@journeys.eu", flows.PASSWORD)
    visit.follow("sign in")
    flows.fill(visit, {"email": email, "password": flows.PASSWORD})
    visit.submit("Sign in", expected=200)
    assert visit.h1() == "Check your answers"


def test_progress_never_goes_backwards_when_the_country_changes(visits, site):
    """The country decides the branch: no number of steps is promised before it is behind the applicant."""
    applicant = visits(site.url, "applicant")
    flows.start(applicant, "cluster_organisation")
    assert progress(applicant) == ("Step 1: Country", False)
    journey = answers.cluster_eu(flows.tag())
    flows.fill(applicant, {"country": "NO"})
    applicant.submit("Save and continue")
    assert progress(applicant) == ("Step 2 of 5: Organisation", True), "Norway: the shorter branch, settled"
    applicant.submit("Previous step")
    assert progress(applicant) == ("Step 1: Country", False)
    flows.fill(applicant, {"country": "DE"})
    applicant.submit("Save and continue")
    # Whether "Collaboration with public bodies" applies hangs on the members step, still ahead.
    assert progress(applicant) == ("Step 2: Organisation", False)
    applicant.submit("Previous step")
    flows.fill(applicant, {"country": "NO"})
    applicant.submit("Save and continue")
    assert progress(applicant)[0] == "Step 2 of 5: Organisation"
    applicant.submit("Previous step")
    flows.fill(applicant, {"country": "DE"})
    applicant.submit("Save and continue")

    seen = []
    while flows.step_name(applicant) != "check_answers":
        label, bar = progress(applicant)
        seen.append(label)
        match = re.match(r"^Step (\d+)(?: of (\d+))?: (.+)$", label)
        assert match and bar == bool(match[2]), (label, bar)
        flows.fill(applicant, journey[flows.step_name(applicant)])
        applicant.submit("Save and continue")
    numbers = [int(re.match(r"Step (\d+)", label)[1]) for label in seen]
    assert numbers == list(range(2, 2 + len(seen))), seen
    totals = [re.search(r" of (\d+):", label) for label in seen]
    first_total = next(i for i, total in enumerate(totals) if total)
    assert all(totals[first_total:]), f"a total, once shown, stays: {seen}"
    assert {total[1] for total in totals[first_total:]} == {str(len(seen) + 1)}, seen
    assert seen[first_total].startswith("Step 6 of 11: List of members"), seen


def test_every_page_has_an_icon(visits, site):
    visitor = visits(site.url, "visitor")
    for path in ("/", "/directory/", "/privacy", "/account/sign-in"):
        visitor.goto(path)
        hrefs = visitor.page.locator("head link[rel=icon]").evaluate_all("links => links.map(l => l.href)")
        assert any(href.endswith(".svg") for href in hrefs) and any(href.endswith("/favicon.ico") for href in hrefs)
    for href, kind in ((hrefs[0], "image/svg+xml"), (site.url + "/favicon.ico", "image/vnd.microsoft.icon")):
        response = visitor.context.request.get(href)
        assert response.status == 200 and response.headers["content-type"].startswith(kind), (href, response.status)
        assert len(response.body()) > 100
