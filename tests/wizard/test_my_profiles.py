"""My profiles: drafts and submissions with their status; after "changes requested", edit and resubmit."""
from sqlalchemy import select

from tests.wizard import walk
from tests.wizard.answers import ASSOCIATION, ASSOCIATION_STEPS, WORKS_WITH, WORKS_WITH_STEPS
from wizard.extensions import db
from wizard.models import AuditEntry, Submission
from wizard.services.outbox import send_due


def rows(page) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]


def test_my_profiles_needs_an_account(helper):
    page = helper.get("/my-profiles", expected=302)
    assert helper.redirect_target(page).startswith("/account/sign-in")


def test_drafts_and_submissions_with_their_status(helper, applicant, sign_in, make_user):
    sign_in(applicant)
    empty = helper.get("/my-profiles")
    assert "You have no profiles yet." in empty.text()
    submitted = walk.start(helper, "works_with_clusters")
    walk.walk(helper, submitted, WORKS_WITH, WORKS_WITH_STEPS)
    walk.submit(helper, submitted)
    draft = walk.start(helper, "association")
    walk.fill(helper, draft, "country", {"country": "BE"})
    someone_else = make_user(email="else@example.eu")
    assert someone_else.id != applicant.id
    page = helper.get("/my-profiles")
    listed = rows(page)
    assert [r[:3] for r in listed] == [["Untitled draft", "Association of clusters or metacluster", "Draft"],
                                       ["Cluster Consulting Ltd", "Organisation that works with clusters",
                                        "Submitted"]]
    links = [a["href"] for a in page.select("tbody a") if a["href"].startswith("/drafts/")]
    assert links == [f"/drafts/{draft}", f"/drafts/{submitted}/submitted"]
    # A submitted profile cannot be edited in the wizard any more.
    blocked = helper.get(f"/drafts/{submitted}/contact", expected=302)
    assert helper.redirect_target(blocked) == f"/drafts/{submitted}/submitted"


def test_changes_requested_then_edited_and_resubmitted(helper, applicant, sign_in, validator, smtp_server):
    sign_in(applicant)
    public_id = walk.start(helper, "association")
    walk.walk(helper, public_id, ASSOCIATION, ASSOCIATION_STEPS)
    walk.submit(helper, public_id)
    send_due()
    smtp_server.received.clear()
    first_version = db.session.scalars(select(Submission)).one().version

    profile = walk.profile_of(public_id)
    profile.status = "changes_requested"  # what the validators' decision does (not this area's code)
    db.session.commit()
    page = helper.get("/my-profiles")
    assert rows(page)[0][2] == "Changes requested"
    link = next(a for a in page.select("tbody a") if a.get_text(" ", strip=True).startswith("Make the changes"))
    assert link["href"] == f"/drafts/{public_id}"
    # Every step is answered, so the wizard opens at "Check your answers"; change one answer and resubmit.
    assert helper.client.get(link["href"]).headers["Location"].endswith(f"/drafts/{public_id}/check-answers")
    changed = {**ASSOCIATION["association"], "geographic_scope": "international"}
    page = walk.fill(helper, public_id, "association", changed, returning=True)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/check-answers"
    walk.submit(helper, public_id)

    versions = db.session.scalars(select(Submission).order_by(Submission.version)).all()
    assert [s.version for s in versions] == [first_version, walk.profile_of(public_id).version]
    assert versions[0].answers["association"]["geographic_scope"] == ["european"], "the first submission is kept"
    assert versions[1].answers["association"]["geographic_scope"] == ["international"]
    assert walk.profile_of(public_id).status == "submitted"
    assert [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == \
        ["submitted", "resubmitted"]
    assert send_due().sent == 2
    resubmitted = smtp_server.take(to=validator.email)
    assert resubmitted.subject == "Resubmitted profile to validate"
    assert "European Cluster Alliance Demo" in resubmitted.text
    assert f"/validation/profiles/{public_id}" in resubmitted.text
    smtp_server.take(to=applicant.email, subject_contains="received")
