"""A submission's page: the answers as the wizard grouped them, the criteria, files, duplicates and history."""
from tests.validation.factory import (
    affiliate,
    answers_with,
    draft,
    member_profile,
    organisation,
    published_profile,
    stored_upload,
    submitted_profile,
)
from wizard.extensions import db
from wizard.services import decisions


def _section_titles(page) -> list[str]:
    return [h.get_text(" ", strip=True) for h in page.select("[id^=section-]")]


def test_the_page_shows_the_answers_grouped_as_in_the_wizard(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant)
    sign_in(validator)
    page = helper.get(f"/validation/profiles/{profile.public_id}")
    assert page.h1 == "Silicon Saxony e.V. (SiSax)"
    assert _section_titles(page)[:3] == ["Country", "Organisation", "Contact person"]
    assert "Cluster management" in _section_titles(page) and "Cluster profile" not in _section_titles(page)
    text = page.text()
    for answer in ("Infineon Technologies AG", "anna@silicon-saxony.de", "Microelectronics", "3.5"):
        assert answer in text
    criteria = page.select("#criteria-heading ~ table tbody tr")
    assert len(criteria) == 6
    assert "EU/COSME country" in text and "Version 1, submitted" in text
    assert page.select_one("input[name=version]")["value"] == str(profile.version)


def test_the_page_shows_the_submitted_answers_not_later_edits(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant)
    decisions.decide(profile, decisions.Decision.REQUEST_CHANGES, validator, profile.version, "Fix the name.")
    answers = dict(profile.answers)
    answers["organisation"] = {**answers["organisation"], "name": ["Half-typed new nam"]}
    profile.answers = answers
    db.session.commit()
    sign_in(validator)
    page = helper.get(f"/validation/profiles/{profile.public_id}")
    assert "Silicon Saxony e.V." in page.text() and "Half-typed" not in page.text()
    assert "not waiting for a decision" in page.text() and page.select_one("input[name=decision]") is None


def test_criteria_are_not_shown_where_they_do_not_apply(helper, sign_in, applicant, validator):
    from tests.wizard.answers import CLUSTER_ELSEWHERE

    profile = submitted_profile(applicant, CLUSTER_ELSEWHERE)
    member = member_profile(applicant, status="submitted")
    sign_in(validator)
    for submitted in (profile, member):
        page = helper.get(f"/validation/profiles/{submitted.public_id}")
        assert page.select_one("#criteria-heading") is None
    assert "Cluster profile" in _section_titles(helper.get(f"/validation/profiles/{profile.public_id}"))


def test_drafts_and_unknown_profiles_are_not_found(helper, sign_in, applicant, validator):
    private = draft(applicant)
    sign_in(validator)
    helper.get(f"/validation/profiles/{private.public_id}", expected=404)
    helper.get("/validation/profiles/does-not-exist", expected=404)
    response = helper.client.post(f"/validation/profiles/{private.public_id}/decision",
                                  data={"decision": "publish", "version": "1",
                                        "csrf_token": helper.csrf_token("/validation/")})
    assert response.status_code == 404


def test_possible_duplicates_by_domain_or_name(helper, sign_in, applicant, validator, make_user):
    other = make_user(email="other@example.eu")
    same_site = published_profile(other, validator, organisation("Saxony Silicon Network", "https://silicon-saxony.de/en"))
    same_name = submitted_profile(other, organisation("SILICON SAXONY", "https://sisax.example.eu"))
    submitted_profile(other, organisation("Unrelated Cluster", "https://unrelated.example.eu"))
    draft(other, organisation("Silicon Saxony", "https://draft.example.eu"))  # drafts are private
    profile = submitted_profile(applicant)
    sign_in(validator)
    page = helper.get(f"/validation/profiles/{profile.public_id}")
    listed = [a.get_text(strip=True) for a in page.select("#duplicates-heading ~ ul a")]
    assert listed == [same_site.name, same_name.name]


def test_uploaded_proofs_link_to_the_entitled_download(app, helper, sign_in, applicant, validator):
    member = member_profile(applicant, status="submitted")
    proof = stored_upload(app, member, applicant, name="membership screenshot.png")
    affiliation = affiliate(member, None, status="pending", manual_name="Hidden Valley Cluster")
    affiliation.proof_upload_id = proof.id
    db.session.commit()
    sign_in(validator)
    page = helper.get(f"/validation/profiles/{member.public_id}")
    link = page.select_one("#files-heading ~ ul a")
    assert link.get_text(strip=True) == "membership screenshot.png"
    assert "Hidden Valley Cluster" in page.text() and "Pending" in page.text()
    download = helper.client.get(link["href"])
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data.startswith(b"\x89PNG")
    download.close()


def test_the_history_lists_submissions_and_decisions(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant, answers_with())
    decisions.decide(profile, decisions.Decision.REQUEST_CHANGES, validator, profile.version, "Add members.")
    from wizard.services import drafts
    from wizard.services.submission import submit_draft

    step = drafts.path_for(profile).get("management")
    for fte in ("4", "4.5"):  # the applicant saves a step twice: each save counts in the internal version
        drafts.save_step(profile, step, {"management_fte": [fte]}, True)
        db.session.commit()
    db.session.refresh(profile)
    submit_draft(profile, applicant, profile.version)
    sign_in(validator)
    page = helper.get(f"/validation/profiles/{profile.public_id}")
    tables = page.select("#history-heading ~ table")
    submissions = [row.select("td")[0].get_text(strip=True) for row in tables[0].select("tbody tr")]
    # Issue 17 item 17: numbered as the validator counts them, not by the internal save counter.
    assert profile.version > 2, "the counter counts every change, so it says nothing to a person"
    assert submissions == ["2", "1"]
    assert "Version 2, submitted" in page.text()
    events = [[cell.get_text(" ", strip=True) for cell in row.select("td")][1:] for row in tables[1].select("tbody tr")]
    assert events[0][:3] == [applicant.email, "Resubmitted", "2"]
    assert ["validator@example.eu", "Changes requested", "1", "Add members."] in events
    assert [applicant.email, "Submitted", "1", ""] in events
