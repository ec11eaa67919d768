"""Affiliation requests: made at submission, e-mailed to the cluster's administrators, decided once."""
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.members.conftest import affiliation_between, decision_links
from tests.support.emails import queued_emails
from tests.uploads.corpus import encode
from wizard.extensions import db
from wizard.models import Affiliation, AuditEntry, LinkToken
from wizard.models.base import utcnow
from wizard.services import affiliations, coadmins
from wizard.services.accounts import find_user_by_email
from wizard.services.outbox import send_due
from wizard.tokens import Purpose, issue_token

MANUAL_ROW = {"cluster_name": "Bavarian Robotics Network", "cluster_website": "https://bavarian-robotics.example.de",
              "cluster_country": "DE", "proof": (encode("PNG"), "proof.png")}


@pytest.fixture
def sisax(make_cluster, make_admin):
    return make_cluster(admins=[make_admin("anna@sisax.example"), make_admin("ben@sisax.example")])


def decisions_of(affiliation) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject_type == "affiliation", AuditEntry.subject_id == affiliation.id,
        AuditEntry.action.in_(["affiliation_approved", "affiliation_declined"]))))


def test_submission_asks_each_cluster_and_the_validators(submitted_member, sisax, make_cluster, make_admin,
                                                         smtp_server, validator, applicant):
    minalogic = make_cluster("Minalogic", "", "https://www.minalogic.com", "FR",
                             admins=[make_admin("carl@mina.example")])
    member = submitted_member(sisax, minalogic, manual=[MANUAL_ROW])
    rows = db.session.scalars(select(Affiliation).where(Affiliation.member_profile_id == member.id)).all()
    assert sorted((a.cluster_profile_id or 0, a.status) for a in rows) == sorted(
        [(sisax.id, "pending"), (minalogic.id, "pending"), (0, "pending")])
    [manual] = [a for a in rows if a.cluster_profile_id is None]
    assert manual.manual_name == "Bavarian Robotics Network" and manual.proof.original_name == "proof.png"
    report = send_due()
    assert report.sent == len(queued_emails()) and report.failed == 0
    for admin, cluster in [("anna@sisax.example", "Silicon Saxony"), ("ben@sisax.example", "Silicon Saxony"),
                           ("carl@mina.example", "Minalogic")]:
        received = smtp_server.take(to=admin, subject_contains="membership request")
        assert received.subject == "A membership request for your cluster organisation"
        assert cluster in received.text
        assert received.text.count("http://localhost/affiliations/decide/") == 2
        assert "Saxon Sensor Works GmbH" in received.text and "Saxon Sensor Works" not in received.subject
    review = smtp_server.take(to=validator.email, subject_contains="cluster organisation not on the platform")
    assert "http://localhost/members/manual-affiliations" in review.text


def test_a_resubmission_makes_no_second_request(submitted_member, sisax, applicant):
    from wizard.models import ProfileStatus
    from wizard.services.submission import submit_draft

    member = submitted_member(sisax)
    first = affiliation_between(member, sisax)
    member.status = ProfileStatus.CHANGES_REQUESTED.value
    member.version += 1
    db.session.commit()
    submit_draft(member, applicant, member.version)
    assert db.session.scalar(select(func.count()).select_from(Affiliation)) == 1
    assert affiliation_between(member, sisax).id == first.id
    assert len(queued_emails(to="anna@sisax.example", subject_contains="membership request")) == 1


def test_opening_a_link_decides_nothing(helper, client, submitted_member, sisax):
    member = submitted_member(sisax)
    links = decision_links("anna@sisax.example")
    for _ in range(5):
        page = helper.get(links["approve"])
    assert page.h1 == "Approve a membership request"
    assert "Saxon Sensor Works GmbH" in page.text() and "https://www.saxon-sensors.de" in page.text()
    assert not page.select_one("#confirm").has_attr("checked"), "the decision needs a deliberate tick"
    assert page.response.headers["Referrer-Policy"] == "no-referrer"
    assert page.response.headers["Cache-Control"] == "no-store"
    assert client.head(links["approve"]).status_code == 200
    assert client.get(links["decline"], headers={"Sec-Purpose": "prefetch"}).status_code == 200
    assert affiliation_between(member, sisax).status == "pending"
    assert db.session.scalar(select(func.count()).where(LinkToken.used_at.is_not(None))) == 0


def test_an_approve_link_works_once_and_says_who_decided(helper, submitted_member, sisax, applicant, smtp_server):
    member = submitted_member(sisax)
    links = decision_links("anna@sisax.example")
    page = helper.post(links["approve"], {"note": ""}, expected=400)
    assert page.error_summary == ["Tick the box to confirm your decision"]
    assert affiliation_between(member, sisax).status == "pending"
    page = helper.post(links["approve"], {"confirm": "y"}, expected=200)
    assert page.h1 == "Membership approved"
    affiliation = affiliation_between(member, sisax)
    assert affiliation.status == "approved" and affiliation.decided_by.email == "anna@sisax.example"
    for url in (links["approve"], links["decline"]):
        again = helper.post(url, {"confirm": "y"}, form_url="/account/sign-in", expected=409)
        assert again.h1 == "This request was already approved"
        # Whoever holds the link learns that it was decided, not the deciding administrator's address.
        assert "by another administrator of this cluster on" in again.text()
        assert "anna@sisax.example" not in again.response.get_data(as_text=True)
    assert helper.get(links["decline"]).h1 == "This request was already approved"
    assert affiliation_between(member, sisax).status == "approved" and decisions_of(affiliation) == [
        "affiliation_approved"]
    send_due()
    outcome = smtp_server.take(to=applicant.email, subject_contains="membership")
    assert outcome.subject == "Your membership was confirmed" and "Silicon Saxony" in outcome.text
    confirmation = smtp_server.take(to="anna@sisax.example", subject_contains="You approved")
    assert "If this was not you" in confirmation.text


def test_only_the_clusters_administrators_see_who_decided(helper, sign_in, submitted_member, sisax, applicant,
                                                          make_admin):
    member = submitted_member(sisax)
    links = decision_links("anna@sisax.example")
    helper.post(links["approve"], {"confirm": "y"}, expected=200)
    assert affiliation_between(member, sisax).status == "approved"
    for stranger in (None, make_admin("someone@else.example"), applicant):
        if stranger is not None:
            sign_in(stranger)
        page = helper.get(links["decline"])
        assert "approved by another administrator of this cluster on" in page.text()
        assert "anna@sisax.example" not in page.response.get_data(as_text=True)
    sign_in(find_user_by_email("ben@sisax.example"))
    assert "approved by anna@sisax.example on" in helper.get(links["decline"]).text()


def test_a_decline_tells_the_member_why(helper, submitted_member, sisax, applicant, smtp_server):
    member = submitted_member(sisax)
    links = decision_links("ben@sisax.example")
    page = helper.post(links["decline"], {"confirm": "y", "note": "We have no member of that name."}, expected=200)
    assert page.h1 == "Membership declined"
    assert affiliation_between(member, sisax).status == "declined"
    send_due()
    outcome = smtp_server.take(to=applicant.email, subject_contains="declined")
    assert "We have no member of that name." in outcome.text


def test_an_expired_link_is_refused_with_a_clear_page(helper, submitted_member, sisax, app):
    member = submitted_member(sisax)
    links = decision_links("anna@sisax.example")
    lifetime = timedelta(seconds=app.config["AFFILIATION_DECISION_MAX_AGE"])
    assert lifetime == timedelta(days=14)
    with time_machine.travel(utcnow() + lifetime - timedelta(minutes=1), tick=False):
        assert helper.get(links["approve"]).h1 == "Approve a membership request"
    with time_machine.travel(utcnow() + lifetime + timedelta(seconds=1), tick=False):
        page = helper.get(links["approve"], expected=404)
        assert page.h1 == "This link has expired" and "Pending members" in page.text()
        helper.post(links["approve"], {"confirm": "y"}, form_url="/account/sign-in", expected=404)
    assert affiliation_between(member, sisax).status == "pending"


@pytest.mark.parametrize("mangle", [lambda t: t[:-1], lambda t: t[:-2] + ("A" if t[-2] != "A" else "B") + t[-1],
                                    lambda t: t + "x", lambda t: t.replace(".", ".."), lambda t: "a" * 60])
def test_a_tampered_link_is_refused(helper, submitted_member, sisax, mangle):
    member = submitted_member(sisax)
    links = decision_links("anna@sisax.example")
    prefix, token = links["approve"].rsplit("/", 1)
    page = helper.get(f"{prefix}/{mangle(token)}", expected=404)
    assert page.h1 == "This link is not valid"
    helper.post(f"{prefix}/{mangle(token)}", {"confirm": "y"}, form_url="/account/sign-in", expected=404)
    assert affiliation_between(member, sisax).status == "pending"


def test_a_link_never_decides_another_affiliation(helper, submitted_member, sisax, make_cluster, make_admin, app):
    minalogic = make_cluster("Minalogic", "", "https://www.minalogic.com", "FR",
                             admins=[make_admin("carl@mina.example")])
    member = submitted_member(sisax, minalogic)
    theirs = affiliation_between(member, minalogic)
    # A correctly signed link for Minalogic's request, but addressed to an administrator of Silicon Saxony only.
    forged = issue_token(Purpose.AFFILIATION_DECISION, theirs.id, 3600, action="approve",
                         recipient_email="anna@sisax.example")
    resume = issue_token(Purpose.RESUME_DRAFT, theirs.id, 3600)
    db.session.commit()
    for value in (forged, resume):
        helper.get(f"/affiliations/decide/{value}", expected=404)
        helper.post(f"/affiliations/decide/{value}", {"confirm": "y"}, form_url="/account/sign-in", expected=404)
    links = decision_links("anna@sisax.example")
    helper.post(links["approve"], {"confirm": "y"}, expected=200)
    assert affiliation_between(member, sisax).status == "approved"
    assert affiliation_between(member, minalogic).status == "pending"
    # An affiliation link is not an invitation either.
    helper.get(f"/profiles/invitations/{links['approve'].rsplit('/', 1)[1]}", expected=404)


def test_links_die_when_the_admin_is_removed_or_the_request_withdrawn(helper, submitted_member, sisax):
    member = submitted_member(sisax)
    anna_links, ben_links = decision_links("anna@sisax.example"), decision_links("ben@sisax.example")
    coadmins.remove(sisax, find_user_by_email("ben@sisax.example"), find_user_by_email("anna@sisax.example").id)
    assert helper.get(anna_links["approve"], expected=404).h1 == "This link is not valid"
    assert helper.get(ben_links["approve"]).h1 == "Approve a membership request"
    affiliations.withdraw(affiliation_between(member, sisax), reason="test")
    db.session.commit()
    helper.get(ben_links["approve"], expected=404)
    assert affiliation_between(member, sisax).status == "withdrawn"
