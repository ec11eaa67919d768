"""Drafts follow the visitor: at sign-in, at registration, and through an e-mailed resume link."""
import re

from sqlalchemy import select

from tests.support.emails import link_path
from tests.support.pages import ClientHelper, Page
from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU, CLUSTER_EU_STEPS
from wizard.extensions import db
from wizard.models import LinkToken, OutboxMessage, User
from wizard.services.outbox import send_due


def test_an_anonymous_draft_follows_the_visitor_at_sign_in(helper, applicant):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:3])
    check = helper.get(f"/drafts/{public_id}/check-answers")
    sign_in_link = check.soup.find("a", string="sign in")["href"]
    walk.sign_in_through_form(helper, applicant.email, sign_in_link.split("next=")[1].replace("%2F", "/"))
    profile = walk.profile_of(public_id)
    assert profile.owner_id == applicant.id and profile.anon_key_hash is None
    mine = helper.get("/my-profiles")
    assert "Silicon Saxony e.V." in mine.text() and "Draft" in mine.text()
    # The draft is the account's now, in any browser signed in to it.
    assert helper.get(f"/drafts/{public_id}/management").h1 == "Cluster management"


def test_an_anonymous_draft_follows_the_visitor_who_registers_then_signs_in(helper, smtp_server):
    public_id = walk.start(helper, "association")
    walk.fill(helper, public_id, "country", {"country": "BE"})
    helper.post("/account/register", {"full_name": "New Person", "email": "new@example.eu",
                                      "password": "a long enough passphrase", "confirm": "a long enough passphrase"},
                expected=302)
    send_due()
    verify = smtp_server.take(to="new@example.eu", subject_contains="Confirm")
    verify_path = re.sub(r"^https?://[^/]+", "", re.search(r"https?://\S+/account/verify/\S+", verify.text).group(0))
    helper.get(verify_path)
    helper.post(verify_path, {}, expected=302)
    walk.sign_in_through_form(helper, "new@example.eu", "/my-profiles", password="a long enough passphrase")
    user = db.session.scalar(select(User).where(User.email == "new@example.eu"))
    assert walk.profile_of(public_id).owner_id == user.id
    assert helper.get(f"/drafts/{public_id}/country").value_of("country") == "BE"


def test_save_and_come_back_later_e_mails_a_link_that_works(helper, app, smtp_server):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:4])
    page = walk.fill(helper, public_id, "members", {"total_members": "7"}, action="save")
    assert helper.redirect_target(page) == f"/drafts/{public_id}/save-for-later"
    form_page = helper.get(f"/drafts/{public_id}/save-for-later")
    assert form_page.soup.find("label", attrs={"for": "email"})
    sent = helper.post(f"/drafts/{public_id}/save-for-later", {"email": "visitor@example.eu"}, expected=200)
    assert "visitor@example.eu" in sent.text()
    assert send_due().sent == 1
    message = smtp_server.take(to="visitor@example.eu", subject_contains="Continue your profile")
    resume_path = link_path(db.session.scalars(select(OutboxMessage)).one(), "/resume/")
    assert f"http://localhost{resume_path}" in message.text and f'href="http://localhost{resume_path}"' in message.html

    # Another browser (or the same one, later) opens the link: the page only shows, nothing changes.
    other = app.test_client()
    before = (walk.profile_of(public_id).anon_key_hash, db.session.scalars(select(LinkToken)).one().used_at)
    for _ in range(3):
        shown = other.get(resume_path)
        assert shown.status_code == 200 and b"Continue where I stopped" in shown.data
    assert other.head(resume_path).status_code == 200
    db.session.expire_all()
    assert (walk.profile_of(public_id).anon_key_hash, db.session.scalars(select(LinkToken)).one().used_at) == before
    assert other.get(f"/drafts/{public_id}/members").status_code == 404

    # The button continues at the first unfinished step, with what was typed there.
    token = Page(other.get(resume_path)).value_of("csrf_token")
    went = other.post(resume_path, data={"csrf_token": token})
    assert went.status_code == 302 and went.headers["Location"].endswith(f"/drafts/{public_id}")
    continued = other.get(f"/drafts/{public_id}")
    assert continued.headers["Location"].endswith(f"/drafts/{public_id}/members")
    assert b'value="7"' in other.get(f"/drafts/{public_id}/members").data
    # The link works once.
    assert other.post(resume_path, data={"csrf_token": token}).status_code == 404


def test_resuming_keeps_the_other_drafts_of_the_browser(helper, app):
    """The resume link hands the draft to this browser's existing key, so its other drafts stay reachable."""
    elsewhere = app.test_client()
    other_helper = ClientHelper(app, elsewhere)
    saved = walk.start(other_helper, "association")
    other_helper.post(f"/drafts/{saved}/save-for-later", {"email": "me@example.eu"}, expected=200)
    resume_path = link_path(db.session.scalars(select(OutboxMessage)).one(), "/resume/")
    mine = walk.start(helper, "partnership")
    page = helper.get(resume_path)
    helper.post(resume_path, {"csrf_token": page.value_of("csrf_token")}, expected=302)
    assert helper.get(f"/drafts/{mine}/country").h1 == "Country"
    assert helper.get(f"/drafts/{saved}/country").h1 == "Country"


def test_an_accounts_draft_link_asks_for_sign_in(helper, applicant, sign_in, app):
    sign_in(applicant)
    public_id = walk.start(helper, "association")
    sent = helper.post(f"/drafts/{public_id}/save-for-later", {"email": "someone.else@example.eu"}, expected=200)
    assert applicant.email in sent.text(), "a signed-in applicant's link goes to their own address"
    resume_path = link_path(db.session.scalars(select(OutboxMessage)).one(), "/resume/")
    stranger = app.test_client()
    token = Page(stranger.get(resume_path)).value_of("csrf_token")
    went = stranger.post(resume_path, data={"csrf_token": token})
    assert "/account/sign-in?next=" in went.headers["Location"]
    assert stranger.get(f"/drafts/{public_id}/country").status_code == 404


def test_a_bad_resume_link_gets_the_link_page(helper):
    page = helper.get("/resume/not-a-real-token", expected=404)
    assert page.h1 == "This link is not valid"
