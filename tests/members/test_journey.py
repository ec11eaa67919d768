"""A member's whole journey through the pages: choose a cluster, add an unlisted one with proof, a logo,
submit, and the decisions that make the profile public."""
import io

from sqlalchemy import select

from tests.members.conftest import decision_links, publish
from tests.uploads.corpus import encode, pdf
from tests.wizard import walk
from tests.wizard.answers import MEMBER, MEMBER_OWN_STEPS
from wizard.extensions import db
from wizard.models import Affiliation
from wizard.services.outbox import send_due
from wizard.services.visibility import member_profile_is_public


def test_member_journey(helper, make_cluster, make_admin, applicant, validator, smtp_server, sign_in, client):
    sisax = make_cluster(admins=[make_admin("anna@sisax.example")])
    public_id = walk.start(helper, "cluster_member")
    assert walk.walk(helper, public_id, MEMBER, MEMBER_OWN_STEPS) == f"/drafts/{public_id}/clusters"

    # Search, add with the page's own "Add" button, and say another one is not listed.
    page = helper.get(f"/drafts/{public_id}/clusters", query_string={"q": "silicon"})
    add = page.select_one("#search-results button[name=add_cluster]")
    token = page.value_of("csrf_token")
    helper.post(add["formaction"], {"q": "silicon", add["name"]: add["value"], "csrf_token": token}, expected=302)
    page = helper.get(f"/drafts/{public_id}/clusters")
    done = helper.post(f"/drafts/{public_id}/clusters", {"clusters": page.value_of("clusters"), "not_listed": "y",
                                                         "action": "continue"}, expected=302)
    assert helper.redirect_target(done) == f"/drafts/{public_id}/clusters-not-listed"

    row = {"manual_clusters-0-cluster_name": "Bavarian Robotics Network",
           "manual_clusters-0-cluster_website": "https://bavarian-robotics.example.de",
           "manual_clusters-0-cluster_country": "DE", "action": "continue",
           "manual_clusters-0-proof": (io.BytesIO(pdf(text="Member since 2019")), "membership.pdf")}
    done = helper.post(f"/drafts/{public_id}/clusters-not-listed", row, expected=302)
    assert helper.redirect_target(done) == f"/drafts/{public_id}/logo"
    done = helper.post(f"/drafts/{public_id}/logo", {"action": "continue",
                                                      "logo": (io.BytesIO(encode("PNG")), "logo.png")}, expected=302)
    assert helper.redirect_target(done) == f"/drafts/{public_id}/check-answers"

    check = helper.get(f"/drafts/{public_id}/check-answers")
    for shown in ("Silicon Saxony (SiSax) – Germany", "Bavarian Robotics Network", "membership.pdf", "logo.png"):
        assert shown in check.text()
    walk.sign_in_through_form(helper, applicant.email, f"/drafts/{public_id}/check-answers")
    walk.submit(helper, public_id)
    member = walk.profile_of(public_id)
    assert member.status == "submitted"
    requests = db.session.scalars(select(Affiliation).where(Affiliation.member_profile_id == member.id)
                                  .order_by(Affiliation.id)).all()
    assert [(r.cluster_profile_id, r.status) for r in requests] == [(sisax.id, "pending"), (None, "pending")]
    assert requests[1].proof.original_name == "membership.pdf"

    # The cluster's administrator approves by e-mailed link; validators validate the unlisted one.
    send_due()
    received = smtp_server.take(to="anna@sisax.example", subject_contains="membership request")
    approve = decision_links("anna@sisax.example")["approve"]
    assert f"http://localhost{approve}" in received.text
    other = app_client(helper)
    other.post(approve, {"confirm": "y"}, expected=200)
    publish(member)
    assert member_profile_is_public(member)
    sign_in(validator)
    helper.post(f"/members/manual-affiliations/{requests[1].id}/decide", {"decision": "decline", "note": "No proof"},
                form_url="/members/manual-affiliations", expected=302)
    db.session.expire_all()
    assert [r.status for r in db.session.scalars(select(Affiliation).order_by(Affiliation.id))] == [
        "approved", "declined"]
    assert member_profile_is_public(member), "one approved affiliation to a published cluster is enough"


def app_client(helper):
    """The cluster administrator's own browser (not the applicant's)."""
    from tests.support.pages import ClientHelper

    return ClientHelper(helper.app, helper.app.test_client())
