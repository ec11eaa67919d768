"""Validators' decisions through their page: each one changes the status once, is audited and e-mailed."""
from sqlalchemy import select

from tests.support.emails import link_path, only_email
from tests.validation.factory import RECOGNISED, answers_with, submitted_profile
from wizard.extensions import db
from wizard.models import AuditEntry, ListedMember, Profile, Role, Submission
from wizard.services import decisions
from wizard.services.drafts import path_for, save_step
from wizard.services.outbox import send_due
from wizard.services.submission import submit_draft


def _decide(helper, profile, decision, message="", version=None, expected=302):
    url = f"/validation/profiles/{profile.public_id}"
    page = helper.get(url)
    data = {"decision": decision, "message": message,
            "version": str(version) if version is not None else page.value_of("version")}
    return helper.post(f"{url}/decision", data, form_url=url, expected=expected)


def _decisions(profile):
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.subject_id == profile.id, AuditEntry.action.in_(["published", "rejected", "changes_requested"]))))


def test_publishing_sets_the_status_audits_and_emails_the_applicant(helper, sign_in, applicant, validator,
                                                                    smtp_server):
    profile = submitted_profile(applicant)
    seen = profile.version
    db.session.query(ListedMember).delete()  # publishing must rebuild the searchable member list
    db.session.commit()
    sign_in(validator)
    page = _decide(helper, profile, "publish")
    assert helper.redirect_target(page) == "/validation/"
    db.session.refresh(profile)
    assert profile.status == "published" and profile.published_at is not None
    assert profile.version == seen + 1
    assert {m.name for m in db.session.scalars(select(ListedMember).where(ListedMember.profile_id == profile.id))} \
        == {"Infineon Technologies AG", "TU Dresden"}
    [entry] = _decisions(profile)
    assert (entry.action, entry.actor_id, entry.actor_label, entry.profile_version) == \
        ("published", validator.id, validator.email, seen)
    message = only_email(to=applicant.email, subject_contains="published")
    assert link_path(message, "/directory/") == f"/directory/{profile.public_id}"
    send_due()
    received = smtp_server.take(to=applicant.email, subject_contains="Your profile is published")
    assert "Silicon Saxony" in received.text and f"/directory/{profile.public_id}" in received.html


def test_asking_for_changes_reopens_the_draft_for_the_applicant(helper, client, sign_in, applicant, validator,
                                                                smtp_server):
    profile = submitted_profile(applicant)
    sign_in(validator)
    _decide(helper, profile, "request_changes", "Please list at least 15 members by name.")
    db.session.refresh(profile)
    assert profile.status == "changes_requested" and profile.is_editable
    [entry] = _decisions(profile)
    assert entry.reason == "Please list at least 15 members by name."
    send_due()
    received = smtp_server.take(to=applicant.email, subject_contains="Changes needed")
    assert "Please list at least 15 members by name." in received.text
    link = received.text.split("http://localhost", 2)[1].split()[0]
    assert link == f"/drafts/{profile.public_id}"

    sign_in(applicant)
    page = helper.get(link, expected=302)
    assert helper.redirect_target(page) == f"/drafts/{profile.public_id}/check-answers"
    check = helper.get(f"/drafts/{profile.public_id}/check-answers")
    assert "Silicon Saxony e.V." in check.text()
    page = helper.post(f"/drafts/{profile.public_id}/check-answers",
                       {"version": check.value_of("version"), "consent": "y", "declaration": "y"})
    assert page.status in (302, 303), page.error_summary
    db.session.refresh(profile)
    assert profile.status == "submitted"
    assert db.session.scalar(select(Submission.version).where(Submission.profile_id == profile.id)
                             .order_by(Submission.version.desc()).limit(1)) == profile.version


def test_rejecting_needs_a_reason_that_the_applicant_receives(helper, sign_in, applicant, validator, smtp_server):
    profile = submitted_profile(applicant)
    sign_in(validator)
    page = _decide(helper, profile, "reject", "", expected=400)
    assert page.error_summary == ["Enter the reason for rejecting the profile"]
    db.session.refresh(profile)
    assert profile.status == "submitted" and _decisions(profile) == []

    _decide(helper, profile, "reject", "This is a consultancy, not a cluster organisation.")
    db.session.refresh(profile)
    assert profile.status == "rejected"
    [entry] = _decisions(profile)
    assert entry.action == "rejected" and entry.reason.startswith("This is a consultancy")
    send_due()
    received = smtp_server.take(to=applicant.email, subject_contains="not accepted")
    assert "This is a consultancy, not a cluster organisation." in received.text


def test_a_decision_on_a_version_the_applicant_has_replaced_is_refused(helper, client, sign_in, applicant,
                                                                      validator, make_user):

    profile = submitted_profile(applicant)
    sign_in(validator)
    url = f"/validation/profiles/{profile.public_id}"
    stale_version = helper.get(url).value_of("version")
    # Meanwhile a colleague asks for changes and the applicant edits and resubmits.
    colleague = make_user(email="colleague@example.eu", role=Role.VALIDATOR)
    decisions.decide(profile, decisions.Decision.REQUEST_CHANGES, colleague, profile.version, "Fix the name.")
    step = path_for(profile).get("organisation")
    save_step(profile, step, {**profile.answers["organisation"], "name": ["Silicon Saxony"]}, True)
    submit_draft(profile, applicant, profile.version)
    db.session.refresh(profile)
    assert profile.status == "submitted"

    page = helper.post(f"{url}/decision", {"decision": "publish", "message": "", "version": stale_version},
                       form_url=url, expected=409)
    assert any("changed this profile since you opened it" in error for error in page.error_summary)
    db.session.refresh(profile)
    assert profile.status == "submitted"
    assert [e.action for e in _decisions(profile)] == ["changes_requested"]
    # The refreshed page shows the new answers and carries the new version: deciding now works.
    assert "Silicon Saxony" in page.text() and page.value_of("version") == str(profile.version)
    helper.post(f"{url}/decision", {"decision": "publish", "message": "", "version": page.value_of("version")},
                form_url=url, expected=302)
    db.session.refresh(profile)
    assert profile.status == "published"


def test_a_second_validator_is_told_who_decided_first(helper, sign_in, applicant, validator, admin_user):
    profile = submitted_profile(applicant)
    sign_in(validator)
    url = f"/validation/profiles/{profile.public_id}"
    version = helper.get(url).value_of("version")

    decisions.decide(profile, decisions.Decision.REJECT, admin_user, profile.version, "Duplicate of another profile.")
    page = helper.post(f"{url}/decision", {"decision": "publish", "message": "", "version": version},
                       form_url=url, expected=409)
    assert any("already been decided (rejected by admin@example.eu" in error for error in page.error_summary)
    db.session.refresh(profile)
    assert profile.status == "rejected" and len(_decisions(profile)) == 1
    assert page.select_one("#decision-heading ~ p").get_text(strip=True).startswith("This profile is not waiting")


def test_the_version_is_required_and_must_be_a_number(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant)
    sign_in(validator)
    url = f"/validation/profiles/{profile.public_id}"
    for version in ("", "abc"):
        page = helper.post(f"{url}/decision", {"decision": "publish", "version": version}, form_url=url, expected=400)
        assert page.error_summary
    page = helper.post(f"{url}/decision", {"decision": "sell", "version": str(profile.version)}, form_url=url,
                       expected=400)
    assert page.error_summary
    db.session.refresh(profile)
    assert profile.status == "submitted"


def test_the_waiver_switch_needs_a_stated_recognition(helper, sign_in, applicant, validator):
    weak = answers_with(management={"management_fte": "0.2"}, support_programmes=RECOGNISED)
    profile = submitted_profile(applicant, weak)
    sign_in(validator)
    url = f"/validation/profiles/{profile.public_id}"
    page = helper.get(url)
    rows = {row.th.get_text(strip=True): row.get_text(" ", strip=True)
            for row in page.select("#criteria-heading ~ table tbody tr")}
    # Stated, not yet confirmed: the validator sees a check to do, not a waiver (issue 17 item 9).
    assert rows["Management team"].startswith("Management team A validator checks this (recognised programme stated)")
    assert "Waived" not in " ".join(rows.values())
    assert "officially recognised by go-cluster" in page.text()
    helper.post(f"{url}/waiver", {"version": page.value_of("version"), "waived": "on"}, form_url=url, expected=302)
    db.session.refresh(profile)
    assert profile.criteria_waived is True
    rows = {row.th.get_text(strip=True): row.get_text(" ", strip=True)
            for row in helper.get(url).select("#criteria-heading ~ table tbody tr")}
    assert rows["Management team"].startswith("Management team Waived")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "criteria_waived"))
    assert entry.actor_id == validator.id and entry.reason == "officially recognised by go-cluster"
    page = helper.get(url)
    assert "the validation team confirmed that the cluster is officially recognised by go-cluster" in page.text()
    # A replayed click changes nothing and records nothing.
    helper.post(f"{url}/waiver", {"version": str(profile.version), "waived": "on"}, form_url=url, expected=302)
    assert db.session.query(AuditEntry).filter_by(action="criteria_waived").count() == 1


def test_no_waiver_without_a_recognition(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant)
    sign_in(validator)
    url = f"/validation/profiles/{profile.public_id}"
    page = helper.get(url)
    assert "cannot be waived" in page.text()
    page = helper.post(f"{url}/waiver", {"version": page.value_of("version"), "waived": "on"}, form_url=url,
                       expected=302)
    page = helper.get(url)
    assert "This one states neither" in page.text()
    db.session.refresh(profile)
    assert profile.criteria_waived is False
    assert db.session.query(AuditEntry).filter_by(action="criteria_waived").count() == 0


def test_publishing_a_waived_profile_says_so_in_the_email(applicant, validator):

    profile = submitted_profile(applicant, answers_with(management={"management_fte": "0.2"},
                                                           support_programmes=RECOGNISED))
    decisions.set_waiver(profile, validator, profile.version, True)
    decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version)
    message = only_email(to=applicant.email, subject_contains="published")
    assert "criteria were waived because the cluster is officially recognised by go-cluster" in message.body_text
    assert db.session.get(Profile, profile.id).status == "published"
