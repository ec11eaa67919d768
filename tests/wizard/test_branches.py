"""Going back, changing the country or the type, adding rows: steps are recomputed and nothing that applies is lost."""
from sqlalchemy import select

from tests.wizard import walk
from tests.wizard.answers import (
    ASSOCIATION,
    CLUSTER_ELSEWHERE,
    CLUSTER_EU,
    CLUSTER_EU_STEPS,
)
from wizard.extensions import db
from wizard.models import Submission
from wizard.services.drafts import path_for


def test_country_eu_to_elsewhere_and_back_keeps_every_answer_that_applies(helper, applicant, sign_in):
    sign_in(applicant)
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS)

    # To Norway: the EU/COSME steps no longer apply; the shorter "cluster profile" step does.
    page = walk.fill(helper, public_id, "country", {"country": "NO"}, returning=True)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/cluster-profile?return=check"
    assert helper.get(f"/drafts/{public_id}/management", expected=302)  # a step that does not apply
    walk.fill(helper, public_id, "cluster_profile", CLUSTER_ELSEWHERE["cluster_profile"], returning=True)
    check = helper.get(f"/drafts/{public_id}/check-answers")
    assert "Cluster management" not in check.text() and "Interest in cooperation" in check.text()
    assert not check.select("#self-check-heading"), "the criteria do not apply outside EU/COSME countries"

    # Back to Germany: every EU answer is still there, nothing to type again.
    page = walk.fill(helper, public_id, "country", {"country": "DE"}, returning=True)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/check-answers"
    members = helper.get(f"/drafts/{public_id}/members")
    assert members.value_of("total_members") == "20"
    assert helper.get(f"/drafts/{public_id}/focus").soup.find("input", attrs={"value": "digital"}).has_attr("checked")

    walk.submit(helper, public_id)
    submission = db.session.scalars(select(Submission)).one()
    assert list(submission.answers) == CLUSTER_EU_STEPS
    assert "cluster_profile" not in submission.answers, "answers of a step that no longer applies are not submitted"
    assert "cluster_profile" in walk.profile_of(public_id).answers, "but they are kept in the draft"


def test_country_changed_to_elsewhere_submits_none_of_the_eu_answers(helper, applicant, sign_in):
    sign_in(applicant)
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS)
    walk.fill(helper, public_id, "country", {"country": "NO"})
    walk.fill(helper, public_id, "cluster_profile", CLUSTER_ELSEWHERE["cluster_profile"])
    walk.submit(helper, public_id)
    submission = db.session.scalars(select(Submission)).one()
    assert list(submission.answers) == ["country", "organisation", "contact", "cluster_profile", "logo"]
    assert submission.answers["country"]["country"] == ["NO"]


def test_changing_the_type_keeps_the_shared_steps_and_drops_the_others(helper, applicant, sign_in):
    sign_in(applicant)
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS)
    # "Previous step" on the first step leads to the kind of profile.
    page = walk.fill(helper, public_id, "country", {"country": "DE"}, action="back")
    assert helper.redirect_target(page) == f"/drafts/{public_id}/type"
    type_page = helper.get(f"/drafts/{public_id}/type")
    assert type_page.soup.find("input", attrs={"value": "cluster_organisation"}).has_attr("checked")
    page = helper.post(f"/drafts/{public_id}/type", {"profile_type": "association"}, expected=302)
    assert helper.redirect_target(page) == f"/drafts/{public_id}"
    # The shared steps are answered: the draft continues at the association's own step.
    assert [s.name for s in path_for(walk.profile_of(public_id)).steps] == \
        ["country", "organisation", "contact", "association", "member_clusters", "logo"]
    resumed = helper.client.get(f"/drafts/{public_id}")
    assert resumed.headers["Location"].endswith(f"/drafts/{public_id}/association")
    for step in ("association", "member_clusters", "member_clusters_typed"):
        walk.fill(helper, public_id, step, ASSOCIATION[step])
    walk.submit(helper, public_id)
    submission = db.session.scalars(select(Submission)).one()
    assert list(submission.answers) == ["country", "organisation", "contact", "association", "member_clusters",
                                        "member_clusters_typed", "logo"]
    assert submission.answers["organisation"]["name"] == [CLUSTER_EU["organisation"]["name"]]


def test_an_unknown_type_is_refused_with_a_form_error(helper):
    public_id = walk.start(helper, "association")
    page = helper.post(f"/drafts/{public_id}/type", {"profile_type": "spaceship"}, expected=400)
    assert page.error_summary == ["Choose the kind of profile from the options shown"]


def test_previous_step_saves_what_was_typed_even_when_invalid(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:3])
    half_done = {"management_fte": "not sure yet"}
    page = walk.fill(helper, public_id, "management", half_done, action="back")
    assert helper.redirect_target(page) == f"/drafts/{public_id}/contact"
    again = helper.get(f"/drafts/{public_id}/management")
    assert again.value_of("management_fte") == "not sure yet"
    assert not again.error_summary, "errors are shown when the step is sent, not when it is opened again"
    # And "Save and come back later" saves too.
    page = walk.fill(helper, public_id, "management", {"management_fte": "0,75"}, action="save")
    assert helper.redirect_target(page) == f"/drafts/{public_id}/save-for-later"
    assert walk.stored(public_id, "management") == {"management_fte": ["0,75"], "_valid": True}


def test_add_another_row_without_javascript(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:5])
    page = helper.get(f"/drafts/{public_id}/member-list")
    assert len(page.select(".repeat-row")) == 3
    # Enter in a text box presses the first button of the form: it must continue, not add a row.
    assert page.select_one("form[method=post] button[type=submit]")["value"] == "continue"
    typed = {f"member_list-{n}-member_name": f"Member {n}" for n in range(3)}
    typed["member_list-1-member_website"] = "not a website"
    page = walk.fill(helper, public_id, "member_list", {**typed, "add_row": "member_list"})
    assert helper.redirect_target(page) == f"/drafts/{public_id}/member-list#member_list-3-member_name"
    page = helper.get(f"/drafts/{public_id}/member-list")
    assert len(page.select(".repeat-row")) == 4
    assert [page.value_of(f"member_list-{n}-member_name") for n in range(4)] == ["Member 0", "Member 1", "Member 2", ""]
    assert page.value_of("member_list-1-member_website") == "not a website"
    assert page.soup.find("label", attrs={"for": "member_list-3-member_name"}).get_text(strip=True) == "Member name 4"
    # Sending the step shows the row's error inline and in the summary, linked to the input.
    page = walk.fill(helper, public_id, "member_list", typed, expected=400)
    assert page.error_links == ["#member_list-1-member_website"]
    page = walk.fill(helper, public_id, "member_list", {**typed, "member_list-1-member_website": "https://m1.eu"})
    assert helper.redirect_target(page) == f"/drafts/{public_id}/focus"


def test_two_drafts_in_two_tabs_never_overwrite_each_other(helper):
    first = walk.start(helper, "cluster_organisation")
    second = walk.start(helper, "cluster_organisation")
    assert first != second
    walk.fill(helper, first, "country", {"country": "DE"})
    walk.fill(helper, second, "country", {"country": "NO"})
    walk.fill(helper, first, "organisation", {**CLUSTER_EU["organisation"], "name": "First tab"})
    walk.fill(helper, second, "organisation", {**CLUSTER_EU["organisation"], "name": "Second tab"})
    assert walk.profile_of(first).name == "First tab" and walk.profile_of(first).country_code == "DE"
    assert walk.profile_of(second).name == "Second tab" and walk.profile_of(second).country_code == "NO"


def test_someone_elses_draft_is_not_found(helper, app):
    public_id = walk.start(helper, "association")
    stranger = app.test_client()
    for url in (f"/drafts/{public_id}/country", f"/drafts/{public_id}/check-answers"):
        assert stranger.get(url).status_code == 404
    # The draft's own address, which e-mails link to, asks a signed-out stranger to sign in (as for any id).
    assert stranger.get(f"/drafts/{public_id}").headers["Location"] == f"/account/sign-in?next=/drafts/{public_id}"
    assert helper.get("/drafts/no-such-draft/country", expected=404)
    assert helper.get("/start/spaceship", expected=404)
