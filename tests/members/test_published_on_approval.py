"""Issue 17 item 2: the approval is the decision (domain.md §4).

A member approved by the administrator of a published cluster organisation is public at once; so is a
member whose cluster organisation, typed in by hand, the validators validated with its proof. No second
"publish" is needed. Validators see those members on "Published on approval" and may unpublish one with
a reason that is e-mailed to the applicant.
"""
import pytest
from sqlalchemy import select

from tests.members.conftest import affiliation_between, decision_links
from tests.members.test_affiliations import MANUAL_ROW
from tests.support.emails import queued_emails
from wizard.extensions import db
from wizard.models import Affiliation, AuditEntry, Profile, ProfileStatus
from wizard.services import visibility


@pytest.fixture
def anna(make_admin):
    return make_admin("anna@sisax.example")


@pytest.fixture
def sisax(make_cluster, anna):
    return make_cluster(admins=[anna])


def in_directory(helper, member: Profile) -> bool:
    listing = helper.get("/directory/?q=" + member.name.split()[0])
    page = helper.client.get(f"/directory/{member.public_id}")
    shown = listing.select_one(f'a[href="/directory/{member.public_id}"]') is not None
    assert shown == (page.status_code == 200), "the list and the profile's page agree"
    return shown


def actions(profile: Profile) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_type == "profile",
                                                                   AuditEntry.subject_id == profile.id)
                                   .order_by(AuditEntry.id)))


def test_approved_by_the_clusters_administrator_by_e_mailed_link_the_member_is_public_at_once(
        helper, client, submitted_member, sisax, anna, applicant):
    member = submitted_member(sisax)
    assert not in_directory(helper, member)
    link = decision_links(anna.email)["approve"]
    helper.get(link)
    helper.post(link, {"confirm": "y"}, form_url=link, expected=200)
    db.session.expire_all()
    assert affiliation_between(member, sisax).status == "approved"
    assert db.session.get(Profile, member.id).status == ProfileStatus.PUBLISHED
    assert in_directory(helper, member), "public without a validator publishing it"
    assert "published_on_approval" in actions(member)
    outcome = [m for m in queued_emails(to=applicant.email) if "confirmed" in m.subject][-1]
    assert f"/directory/{member.public_id}" in outcome.body_text


def test_approved_on_the_pending_members_page_and_seen_by_validators(helper, sign_in, submitted_member, sisax,
                                                                      anna, validator):
    member = submitted_member(sisax)
    sign_in(anna)
    url = f"/clusters/{sisax.public_id}/members/pending"
    helper.get(url)
    helper.post(f"/clusters/{sisax.public_id}/members/{affiliation_between(member, sisax).id}/decide",
                {"decision": "approve"}, form_url=url, expected=302)
    assert in_directory(helper, member)
    sign_in(validator)
    listed = helper.get("/validation/published-on-approval")
    assert listed.h1 == "Members published on approval"
    assert [a.get_text(strip=True) for a in listed.select("tbody a")] == [member.name]
    assert "Members published on approval" in helper.get("/validation/").text()


def test_validated_manual_membership_makes_the_member_public_in_one_decision(helper, sign_in, submitted_member,
                                                                            validator):
    member = submitted_member(manual=[MANUAL_ROW])
    request = db.session.scalar(select(Affiliation).where(Affiliation.member_profile_id == member.id))
    assert not in_directory(helper, member)
    sign_in(validator)
    helper.get("/members/manual-affiliations")
    helper.post(f"/members/manual-affiliations/{request.id}/decide", {"decision": "approve", "note": "Proof checked"},
                form_url="/members/manual-affiliations", expected=302)
    assert in_directory(helper, member)
    assert member.name in helper.get("/validation/published-on-approval").text()


def test_no_publication_without_an_approval_that_counts(helper, sign_in, submitted_member, make_cluster, make_admin,
                                                        validator):
    declined_by = make_cluster(admins=[make_admin("dora@decline.example")])
    unpublished_admin = make_admin("uma@unpublished.example")
    unpublished = make_cluster(name="Minalogic", acronym="MNL", website="https://www.minalogic.com", country="FR",
                               admins=[unpublished_admin])
    declined = submitted_member(declined_by)
    not_counting = submitted_member(unpublished, name="Grenoble Optics", website="https://grenoble-optics.example.fr")
    unpublished.status = ProfileStatus.CHANGES_REQUESTED.value  # taken off the directory since the request
    visibility.follow(unpublished.id)
    db.session.commit()
    for admin, decision in (("dora@decline.example", "decline"), (unpublished_admin.email, "approve")):
        link = decision_links(admin)[decision]
        helper.get(link)
        helper.post(link, {"confirm": "y"}, form_url=link, expected=200)
    db.session.expire_all()
    for member in (declined, not_counting):
        assert db.session.get(Profile, member.id).status == ProfileStatus.SUBMITTED, "still waiting for validators"
        assert not in_directory(helper, member)
    assert "published_on_approval" not in actions(not_counting)


def test_an_approval_does_not_overrule_a_validators_decision(helper, sign_in, submitted_member, sisax, anna,
                                                             validator):
    member = submitted_member(sisax)
    sign_in(validator)
    page = helper.get(f"/validation/profiles/{member.public_id}")
    helper.post(f"/validation/profiles/{member.public_id}/decision",
                {"decision": "request_changes", "message": "Add your website", "version": page.value_of("version")},
                form_url=f"/validation/profiles/{member.public_id}", expected=302)
    link = decision_links(anna.email)["approve"]
    helper.get(link)
    helper.post(link, {"confirm": "y"}, form_url=link, expected=200)
    db.session.expire_all()
    assert db.session.get(Profile, member.id).status == ProfileStatus.CHANGES_REQUESTED
    assert not in_directory(helper, member)


def test_validator_unpublishes_a_member_with_a_reason_the_applicant_receives(helper, sign_in, submitted_member,
                                                                             sisax, anna, validator, applicant):
    member = submitted_member(sisax)
    link = decision_links(anna.email)["approve"]
    helper.get(link)
    helper.post(link, {"confirm": "y"}, form_url=link, expected=200)
    sign_in(validator)
    url = f"/validation/profiles/{member.public_id}"
    helper.get("/validation/published-on-approval").select_one("tbody a")  # the way there
    page = helper.get(url)
    version = page.value_of("version")
    empty = helper.post(f"{url}/unpublish", {"reason": "  ", "version": version}, form_url=url, expected=400)
    assert empty.error_summary == ["Enter the reason for unpublishing the profile"]
    assert empty.error_links == ["#reason"]
    assert "Enter the reason for unpublishing the profile" in empty.select_one("#reason-error-1").get_text()
    assert in_directory(helper, member), "an empty reason unpublishes nothing"
    helper.post(f"{url}/unpublish", {"reason": "The website does not mention the cluster.", "version": version},
                form_url=url, expected=302)
    db.session.expire_all()
    assert db.session.get(Profile, member.id).status == ProfileStatus.CHANGES_REQUESTED
    assert not in_directory(helper, member)
    assert "unpublished" in actions(member)
    mail = [m for m in queued_emails(to=applicant.email) if "unpublished" in m.subject][-1]
    assert "The website does not mention the cluster." in mail.body_text
    assert f"/drafts/{member.public_id}" in mail.body_text
    assert member.name not in helper.get("/validation/published-on-approval").select_one("main").get_text()
    # The same click again, on the version seen before, records nothing.
    again = helper.post(f"{url}/unpublish", {"reason": "Twice", "version": version}, form_url=url, expected=409)
    assert "Nothing was recorded" in again.text()
    assert actions(member).count("unpublished") == 1
