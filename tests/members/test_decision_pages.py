"""Deciding while signed in: a cluster's "Pending members" page, and the validators' manual affiliations."""
import pytest
from sqlalchemy import select

from tests.members.conftest import affiliation_between
from tests.members.test_affiliations import MANUAL_ROW
from wizard.extensions import db
from wizard.models import Affiliation
from wizard.services.outbox import send_due


@pytest.fixture
def anna(make_admin):
    return make_admin("anna@sisax.example")


@pytest.fixture
def sisax(make_cluster, anna):
    return make_cluster(admins=[anna])


def test_pending_members_lists_and_decides(helper, sign_in, submitted_member, sisax, anna, make_cluster, applicant,
                                           smtp_server):
    first = submitted_member(sisax)
    second = submitted_member(sisax, name="Dresden Photonics", website="https://dresden-photonics.example.de")
    sign_in(anna)
    url = f"/clusters/{sisax.public_id}/members/pending"
    page = helper.get(url)
    assert page.h1 == "Pending members"
    assert [h.get_text(strip=True) for h in page.select("li h2")] == ["Saxon Sensor Works GmbH", "Dresden Photonics"]
    request = affiliation_between(first, sisax)
    done = helper.post(f"/clusters/{sisax.public_id}/members/{request.id}/decide", {"decision": "approve"},
                       form_url=url, expected=302)
    assert helper.redirect_target(done) == url
    page = helper.get(url)
    assert "You approved the request of Saxon Sensor Works GmbH" in page.text()
    assert [h.get_text(strip=True) for h in page.select("li h2")] == ["Dresden Photonics"]
    assert "Saxon Sensor Works GmbH" in page.select_one("table").text
    # A second decision on the same request changes nothing and says who decided.
    helper.post(f"/clusters/{sisax.public_id}/members/{request.id}/decide", {"decision": "decline"}, form_url=url,
                expected=302)
    assert "already approved by anna@sisax.example" in helper.get(url).text()
    assert affiliation_between(first, sisax).status == "approved"
    # Later, the cluster ends the membership; the member is told.
    helper.post(f"/clusters/{sisax.public_id}/members/{request.id}/end", {}, form_url=url, expected=302)
    assert affiliation_between(first, sisax).status == "ended"
    assert affiliation_between(second, sisax).status == "pending"
    send_due()
    smtp_server.take(to=applicant.email, subject_contains="confirmed")
    smtp_server.take(to=applicant.email, subject_contains="ended")


def test_a_decision_needs_a_valid_choice(helper, sign_in, submitted_member, sisax, anna):
    member = submitted_member(sisax)
    sign_in(anna)
    url = f"/clusters/{sisax.public_id}/members/pending"
    request = affiliation_between(member, sisax)
    helper.post(f"/clusters/{sisax.public_id}/members/{request.id}/decide", {"decision": "publish"}, form_url=url,
                expected=302)
    assert "Choose approve or decline" in helper.get(url).text()
    assert affiliation_between(member, sisax).status == "pending"


def test_other_people_cannot_see_or_decide(helper, client, sign_in, submitted_member, sisax, make_cluster, make_admin,
                                           applicant, validator):
    member = submitted_member(sisax)
    request = affiliation_between(member, sisax)
    url = f"/clusters/{sisax.public_id}/members/pending"
    decide = f"/clusters/{sisax.public_id}/members/{request.id}/decide"
    assert client.get(url).status_code == 302, "anonymous visitors are sent to sign in"
    other_admin = make_admin("dora@other.example")
    other = make_cluster("Other Cluster", "OC", "https://other-cluster.example.de", admins=[other_admin])
    for person in (other_admin, applicant, validator):
        sign_in(person)
        helper.get(url, expected=404)
        token = helper.csrf_token("/account/sign-in")
        assert client.post(decide, data={"decision": "approve", "csrf_token": token}).status_code == 404
    # The other cluster's admin cannot reach this request through their own cluster's address either.
    sign_in(other_admin)
    token = helper.csrf_token("/account/sign-in")
    assert client.post(f"/clusters/{other.public_id}/members/{request.id}/decide",
                       data={"decision": "approve", "csrf_token": token}).status_code == 404
    assert affiliation_between(member, sisax).status == "pending"


def test_validators_decide_manual_affiliations_with_the_proof(helper, client, sign_in, submitted_member, validator,
                                                              applicant, smtp_server):
    member = submitted_member(manual=[MANUAL_ROW])
    request = db.session.scalar(select(Affiliation).where(Affiliation.member_profile_id == member.id))
    sign_in(applicant)
    helper.get("/members/manual-affiliations", expected=403)
    sign_in(validator)
    page = helper.get("/members/manual-affiliations")
    assert "Bavarian Robotics Network" in page.text() and "Saxon Sensor Works GmbH" in page.text()
    proof_link = page.select_one('a[href^="/uploads/"]')["href"]
    download = client.get(proof_link, buffered=True)
    assert download.status_code == 200 and download.mimetype == "image/png"
    helper.post(f"/members/manual-affiliations/{request.id}/decide", {"decision": "approve", "note": "Proof checked"},
                form_url="/members/manual-affiliations", expected=302)
    db.session.expire_all()
    assert db.session.get(Affiliation, request.id).status == "approved"
    page = helper.get("/members/manual-affiliations")
    assert "Nothing to check" in page.text()
    send_due()
    outcome = smtp_server.take(to=applicant.email, subject_contains="confirmed")
    assert "Bavarian Robotics Network" in outcome.text and "Proof checked" in outcome.text
