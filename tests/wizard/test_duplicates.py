"""Duplicate detection on the organisation step: told, shown the profile, ask for access or continue."""
import pytest
from sqlalchemy import select

from tests.support.emails import queued_emails
from tests.wizard import walk
from tests.wizard.answers import COMMON
from wizard.extensions import db
from wizard.matching import identifying_domain, normalise_name
from wizard.models import Profile, ProfileAdmin
from wizard.services import search_terms, visibility
from wizard.services.duplicates import DAILY_ACCESS_REQUESTS
from wizard.services.outbox import send_due


@pytest.fixture
def existing(make_user):
    """Makes a profile as the wizard leaves it after submission, administered by a new account."""

    def make(name: str, website: str, status: str = "published", country: str = "DE") -> Profile:
        admin = make_user()
        profile = Profile(profile_type="cluster_organisation", status=status, name=name, website=website,
                          website_domain=identifying_domain(website), normalised_name=normalise_name(name),
                          country_code=country, answers={})
        db.session.add(profile)
        db.session.flush()
        db.session.add(ProfileAdmin(profile_id=profile.id, user_id=admin.id))
        visibility.follow(profile.id)
        search_terms.follow(profile)
        db.session.commit()
        profile.admin_email = admin.email
        return profile

    return make


def to_organisation(helper, **changes) -> tuple[str, object]:
    public_id = walk.start(helper, "cluster_organisation")
    walk.fill(helper, public_id, "country", {"country": "DE"})
    page = walk.fill(helper, public_id, "organisation", {**COMMON["organisation"], **changes})
    return public_id, page


def test_same_website_domain_interrupts_and_shows_the_profile(helper, existing):
    match = existing("Silicon Saxony Association", "http://silicon-saxony.de/en/")
    public_id, page = to_organisation(helper)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/possible-duplicate"
    shown = helper.get(f"/drafts/{public_id}/possible-duplicate")
    assert shown.h1 == "This organisation may already have a profile"
    text = shown.text()
    assert "Silicon Saxony Association" in text and "Germany" in text and "http://silicon-saxony.de/en/" in text
    assert shown.soup.find("form", attrs={"action": f"/drafts/{public_id}/possible-duplicate/{match.public_id}/ask"})
    assert walk.stored(public_id, "organisation")["_valid"] is True, "the answers are saved before the question"


@pytest.mark.parametrize("status", ["submitted", "changes_requested"])
def test_a_match_that_is_not_public_shows_nothing_of_it(helper, existing, status):
    match = existing("Sächsischer Halbleiterverbund", "https://www.silicon-saxony.de/impressum", status=status,
                     country="AT")
    public_id, _page = to_organisation(helper)
    shown = helper.get(f"/drafts/{public_id}/possible-duplicate")
    text = shown.text()
    assert "A profile that is not public yet" in text and "we will check with the validation team" in text
    for detail in ("Sächsischer Halbleiterverbund", "Austria", "impressum", "Submitted", "Changes requested"):
        assert detail not in text, detail
    # Not even its public id: the request for access goes by the draft alone.
    assert match.public_id not in shown.response.get_data(as_text=True)
    assert shown.soup.find("form", attrs={"action": f"/drafts/{public_id}/possible-duplicate/ask"})


def test_asking_about_a_match_that_is_not_public_does_not_name_it(helper, existing, applicant, sign_in):
    match = existing("Sächsischer Halbleiterverbund", "https://www.silicon-saxony.de", status="submitted")
    sign_in(applicant)
    public_id, _page = to_organisation(helper)
    shown = helper.get(f"/drafts/{public_id}/possible-duplicate")
    token = {"csrf_token": shown.value_of("csrf_token")}
    # Its public id, learnt elsewhere, does not confirm that it matches.
    helper.post(f"/drafts/{public_id}/possible-duplicate/{match.public_id}/ask", token, expected=404)
    answer = helper.post(f"/drafts/{public_id}/possible-duplicate/ask", token, expected=200)
    assert answer.h1 == "Your request has been sent"
    assert "Sächsischer Halbleiterverbund" not in answer.text() and "check with the validation team" in answer.text()
    assert len(queued_emails(to=match.admin_email, subject_contains="administer")) == 1
    # Asking again, or about a draft that matches nothing hidden, answers the same words.
    again = helper.post(f"/drafts/{public_id}/possible-duplicate/ask", token, expected=200)
    assert again.h1 == answer.h1 and again.select_one("p.lead").text == answer.select_one("p.lead").text
    assert len(queued_emails(to=match.admin_email, subject_contains="administer")) == 1


def test_same_normalised_name_interrupts(helper, existing):
    existing("SILICON SAXONY", "https://www.other-domain.eu", status="changes_requested")
    public_id, page = to_organisation(helper)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/possible-duplicate"


@pytest.mark.parametrize("status", ["draft", "rejected", "withdrawn"])
def test_drafts_and_closed_profiles_are_not_duplicates(helper, existing, status):
    existing("Silicon Saxony e.V.", "https://www.silicon-saxony.de", status=status)
    public_id, page = to_organisation(helper)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/contact"


def test_a_different_organisation_continues_and_is_not_asked_again(helper, existing):
    existing("Silicon Saxony Association", "https://silicon-saxony.de")
    public_id, _ = to_organisation(helper)
    page = helper.post(f"/drafts/{public_id}/possible-duplicate/different", {},
                       form_url=f"/drafts/{public_id}/possible-duplicate", expected=302)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/contact"
    again = walk.fill(helper, public_id, "organisation", {**COMMON["organisation"], "city": "Leipzig"})
    assert helper.redirect_target(again) == f"/drafts/{public_id}/contact"
    # A new match (by name, another profile) is raised, and only that one is shown.
    existing("Silicon Saxony e.V.", "https://elsewhere.example.com", status="submitted")
    again = walk.fill(helper, public_id, "organisation", COMMON["organisation"])
    assert helper.redirect_target(again) == f"/drafts/{public_id}/possible-duplicate"
    shown = helper.get(f"/drafts/{public_id}/possible-duplicate")
    assert [h.get_text(strip=True) for h in shown.select("section h2")] == ["A profile that is not public yet"]
    assert shown.soup.find("form", attrs={"action": f"/drafts/{public_id}/possible-duplicate/ask"})
    # The acknowledgement is not an answer: it is neither shown nor submitted.
    assert "_different_from" not in walk.profile_of(public_id).answers["organisation"]


def test_asking_for_access_e_mails_the_profiles_administrators_once(helper, existing, applicant, smtp_server):
    match = existing("Silicon Saxony Association", "https://silicon-saxony.de")
    public_id, _ = to_organisation(helper)
    ask = f"/drafts/{public_id}/possible-duplicate/{match.public_id}/ask"
    form_url = f"/drafts/{public_id}/possible-duplicate"
    page = helper.post(ask, {}, form_url=form_url, expected=302)
    assert helper.redirect_target(page).startswith("/account/sign-in?next=")
    assert queued_emails() == []
    walk.sign_in_through_form(helper, applicant.email, form_url)
    page = helper.post(ask, {}, form_url=form_url, expected=200)
    assert page.h1 == "Your request has been sent"
    assert send_due().sent == 1
    message = smtp_server.take(to=match.admin_email)
    assert message.subject == "Someone asks to help administer your profile"
    assert applicant.email in message.text and "Silicon Saxony Association" in message.text
    page = helper.post(ask, {}, form_url=form_url, expected=200)
    assert page.h1 == "You have already asked for access"
    assert send_due().sent == 0
    # The draft is still there, continuing is still possible.
    assert helper.get(form_url).h1 == "This organisation may already have a profile"


def test_access_requests_are_capped_per_account_per_day(helper, existing, applicant, sign_in):
    sign_in(applicant)
    for n in range(DAILY_ACCESS_REQUESTS + 1):
        match = existing(f"Cluster number {n}", f"https://cluster-{n}.eu")
        public_id, page = to_organisation(helper, name=match.name, website=match.website)
        expected = 200 if n < DAILY_ACCESS_REQUESTS else 429
        page = helper.post(f"/drafts/{public_id}/possible-duplicate/{match.public_id}/ask", {},
                           form_url=f"/drafts/{public_id}/possible-duplicate", expected=expected)
    assert "as many access requests as we allow in a day" in page.text()
    assert len(queued_emails(subject_contains="administer")) == DAILY_ACCESS_REQUESTS


def test_an_administrator_of_the_match_is_pointed_to_their_profiles(helper, existing, applicant, sign_in):
    match = existing("Silicon Saxony Association", "https://silicon-saxony.de")
    db.session.add(ProfileAdmin(profile_id=match.id, user_id=applicant.id))
    db.session.commit()
    sign_in(applicant)
    public_id, _ = to_organisation(helper)
    shown = helper.get(f"/drafts/{public_id}/possible-duplicate")
    assert "You already administer this profile" in shown.text()
    assert not shown.select(f"form[action$='{match.public_id}/ask']")


def test_asking_about_a_profile_that_is_not_a_match_is_404(helper, existing):
    existing("Silicon Saxony Association", "https://silicon-saxony.de")
    unrelated = existing("Unrelated Cluster", "https://unrelated.eu")
    public_id, _ = to_organisation(helper)
    helper.post(f"/drafts/{public_id}/possible-duplicate/{unrelated.public_id}/ask", {},
                form_url=f"/drafts/{public_id}/possible-duplicate", expected=404)
    assert db.session.scalars(select(Profile).where(Profile.status == "draft")).all()
