"""The applicant's rights: withdraw a submission, download everything held about them, delete the account."""
import json
import os

import pytest
from sqlalchemy import func, select

from tests.support.emails import only_email, queued_emails
from tests.support.factories import DEFAULT_PASSWORD
from tests.validation.factory import (
    affiliate,
    draft,
    member_profile,
    organisation,
    published_profile,
    stored_upload,
    submitted_profile,
)
from wizard import uploads
from wizard.extensions import db
from wizard.models import (
    Affiliation,
    AuditEntry,
    AuthSession,
    OutboxMessage,
    Profile,
    ProfileAdmin,
    Submission,
    Upload,
    User,
)
from wizard.services import decisions


@pytest.mark.parametrize("url", ["/account/my-data", "/account/my-data/export", "/account/my-data/delete",
                                 "/account/my-data/profiles/x/withdraw"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/sign-in")


# --- Withdrawing ------------------------------------------------------------------------------


def test_an_applicant_withdraws_a_submission(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant)
    sign_in(applicant)
    page = helper.get("/account/my-data")
    link = page.select_one("a[href$='/withdraw']")["href"]
    assert link == f"/account/my-data/profiles/{profile.public_id}/withdraw"
    helper.get(link)
    helper.post(link, {"version": str(profile.version)}, expected=302)
    db.session.refresh(profile)
    assert profile.status == "withdrawn"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "withdrawn"))
    assert (entry.actor_id, entry.subject_id) == (applicant.id, profile.id)
    assert "You have withdrawn Silicon Saxony e.V." in helper.get("/account/my-data").text()
    # The validators no longer see it waiting, and cannot decide on it.
    with pytest.raises(decisions.DecisionRefused, match="withdrawn"):
        decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version - 1)


def test_withdrawing_after_a_decision_is_refused(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant)
    sign_in(applicant)
    url = f"/account/my-data/profiles/{profile.public_id}/withdraw"
    version = helper.get(url).value_of("version")
    decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version)
    page = helper.post(url, {"version": version}, expected=409)
    assert page.error_summary == ["This profile is no longer waiting for validation (it is published), so there is "
                                  "nothing to withdraw."]
    assert "nothing to withdraw" in page.text() and page.select_one("button.btn-danger") is None
    db.session.refresh(profile)
    assert profile.status == "published"


def test_a_stale_or_broken_withdrawal_is_refused(helper, sign_in, applicant):
    profile = submitted_profile(applicant)
    sign_in(applicant)
    url = f"/account/my-data/profiles/{profile.public_id}/withdraw"
    page = helper.post(url, {"version": str(profile.version - 1)}, expected=409)
    assert page.error_summary == ["This profile changed in another window. Look at it again, then withdraw it."]
    helper.post(url, {"version": "soon"}, expected=400)
    db.session.refresh(profile)
    assert profile.status == "submitted"


def test_nobody_withdraws_someone_elses_profile(helper, sign_in, applicant, make_user):
    profile = submitted_profile(applicant)
    sign_in(make_user(email="someone@example.eu"))
    url = f"/account/my-data/profiles/{profile.public_id}/withdraw"
    helper.get(url, expected=404)
    response = helper.client.post(url, data={"version": str(profile.version),
                                             "csrf_token": helper.csrf_token("/account/my-data/delete")})
    assert response.status_code == 404
    db.session.refresh(profile)
    assert profile.status == "submitted"


# --- Downloading a copy -----------------------------------------------------------------------


def test_the_export_holds_everything_about_the_person(app, helper, sign_in, applicant, validator, make_user):
    profile = submitted_profile(applicant)
    decisions.decide(profile, decisions.Decision.REQUEST_CHANGES, validator, profile.version, "Add your members.")
    stored_upload(app, profile, applicant, name="logo.png", purpose="logo")
    member = member_profile(applicant, "Member Company")
    affiliate(member, None, status="approved", manual_name="Hand-typed Cluster", decided_by=validator)
    other = make_user(email="other@example.eu")
    submitted_profile(other, organisation("Not Mine", "https://not-mine.example.eu"))
    sign_in(applicant)
    response = helper.client.get("/account/my-data/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == applicant.email
    assert len(data["sign_ins"]) == 1
    by_name = {p["name"]: p for p in data["profiles"]}
    assert set(by_name) == {"Silicon Saxony e.V.", "Member Company"}
    mine = by_name["Silicon Saxony e.V."]
    assert mine["status"] == "changes_requested" and mine["answers"]["organisation"]["website"]
    assert [s["version"] for s in mine["submissions"]] == [profile.version - 1]
    assert mine["uploads"][0]["file_name"] == "logo.png" and "storage_name" not in mine["uploads"][0]
    assert data["affiliations"] == [{
        "member": "Member Company", "cluster_organisation": "Hand-typed Cluster", "entered_by_hand": True,
        "status": "approved", "requested_at": data["affiliations"][0]["requested_at"],
        "decided_at": data["affiliations"][0]["decided_at"], "note": ""}]
    history = [(h["who"], h["what"], h["reason"]) for h in data["history"]]
    assert ("you", "submitted", "") in history
    assert ("the validation team", "changes_requested", "Add your members.") in history
    assert {e["subject"] for e in data["emails"]} >= {"We have received your profile",
                                                       "Changes needed to your profile"}
    text = response.get_data(as_text=True)
    assert "Not Mine" not in text and validator.email not in text and "password" not in text.replace(
        "password_changed_at", "")


# --- Deleting the account ---------------------------------------------------------------------


def test_a_wrong_password_deletes_nothing(helper, sign_in, applicant):
    profile = draft(applicant)
    sign_in(applicant)
    page = helper.post("/account/my-data/delete", {"password": "not my password"}, expected=400)
    assert page.error_summary == ["The password is not right."]
    assert db.session.get(User, applicant.id) is not None and db.session.get(Profile, profile.id) is not None


def test_deleting_the_account_removes_its_data_and_keeps_shared_profiles(app, helper, sign_in, applicant,
                                                                         validator, make_user):
    colleague = make_user(email="colleague@example.eu")
    my_draft = draft(applicant)
    waiting = submitted_profile(applicant, organisation("Waiting Cluster", "https://waiting.example.eu"))
    alone = published_profile(applicant, validator, organisation("Alone Cluster", "https://alone.example.eu"))
    shared = published_profile(applicant, validator, organisation("Shared Cluster", "https://shared.example.eu"))
    db.session.add(ProfileAdmin(profile_id=shared.id, user_id=colleague.id))
    db.session.commit()
    files = [stored_upload(app, profile, applicant) for profile in (my_draft, waiting, shared)]
    member = member_profile(colleague, "Colleague's Member")
    affiliate(member, alone, status="approved")
    paths = [uploads.path_for(app.config["UPLOAD_FOLDER"], f.storage_name) for f in files]
    applicant_id, address = applicant.id, applicant.email
    removed_ids = [my_draft.id, waiting.id, alone.id]
    sign_in(applicant)
    page = helper.get("/account/my-data/delete")
    removed = [li.get_text(" ", strip=True) for li in page.select("main ul")[0].select("li")]
    kept = [li.get_text(" ", strip=True) for li in page.select("main ul")[1].select("li")]
    assert sorted(removed) == ["Alone Cluster (published)", "Silicon Saxony e.V. (draft)",
                               "Waiting Cluster (submitted)"]
    assert kept == ["Shared Cluster (published)"]

    result = helper.post("/account/my-data/delete", {"password": DEFAULT_PASSWORD}, expected=302)
    assert helper.redirect_target(result) == "/account/deleted"
    assert helper.get("/account/deleted").h1 == "Your account is deleted"
    db.session.expire_all()
    assert db.session.get(User, applicant_id) is None
    assert db.session.scalar(select(AuthSession).where(AuthSession.user_id == applicant_id)) is None
    remaining = {p.name: p for p in db.session.scalars(select(Profile))}
    assert set(remaining) == {"Shared Cluster", "Colleague's Member"}
    assert remaining["Shared Cluster"].owner_id == colleague.id and remaining["Shared Cluster"].status == "published"
    assert [a.user_id for a in db.session.scalars(select(ProfileAdmin).where(ProfileAdmin.profile_id == shared.id))] \
        == [colleague.id]
    assert db.session.scalar(select(func.count()).select_from(Submission).where(
        Submission.profile_id.in_(removed_ids))) == 0
    assert db.session.scalar(select(func.count()).select_from(Affiliation)) == 0  # its cluster is gone
    # The shared profile's file stays with it; the others' files are gone from the disk too.
    assert [u.profile_id for u in db.session.scalars(select(Upload))] == [shared.id]
    assert [os.path.exists(path) for path in paths] == [False, False, True]
    # Decisions stay in the audit log without naming the person.
    labels = {e.actor_label for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "submitted"))}
    assert labels == {"deleted account"}
    assert address not in {e.actor_label for e in db.session.scalars(select(AuditEntry))}
    [message] = queued_emails(to=address)
    assert message.subject == "Your account has been deleted" and "Shared Cluster" in message.body_text
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient == address)) == 1
    # Signed out: the old cookie no longer opens anything.
    assert helper.client.get("/account/my-data").status_code == 302


def test_staff_accounts_are_not_deleted_here(helper, sign_in, validator):
    sign_in(validator)
    page = helper.get("/account/my-data/delete", expected=403)
    assert "Staff accounts are removed by an administrator" in page.text()
    assert page.select_one("input[name=password]") is None
    db.session.expire_all()
    assert db.session.get(User, validator.id) is not None


def test_the_deletion_email_is_delivered(helper, sign_in, applicant, smtp_server):
    from wizard.services.outbox import send_due

    draft(applicant)
    address = applicant.email
    sign_in(applicant)
    helper.post("/account/my-data/delete", {"password": DEFAULT_PASSWORD}, expected=302)
    only_email(to=address)
    send_due()
    received = smtp_server.take(to=address, subject_contains="deleted")
    assert "we have deleted your account" in received.text
