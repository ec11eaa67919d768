"""In Chromium against the real server: e-mailed links opened by a JavaScript-running mail scanner decide
nothing (reliability.md LS-1; F5), and signing in replaces the session cookie (SE-1; F16)."""
import pytest
from sqlalchemy import select

from tests.browser import flows
from tests.security.world import submitted_member
from tests.support.emails import links_in
from wizard.models import Affiliation, LinkToken, OutboxMessage, Profile, User

pytestmark = pytest.mark.browser

SCANNER_WAIT_MS = 5000  # F5: a scanner that runs the page's scripts for 5 s


def fresh_links(site) -> dict[str, str]:
    """One link of every kind, made by the app's services on the server's database."""
    from wizard.services import accounts, coadmins, drafts

    tag = flows.tag()
    with site.server.database() as session:
        accounts.register(f"scanned-{tag}@journeys.eu", flows.PASSWORD, "Scanned Newcomer")
        accounts.request_password_reset(site.validator)
        draft = drafts.start_draft("works_with_clusters", None, drafts.new_anon_key())
        drafts.send_resume_link(draft, f"visitor-{tag}@journeys.eu")
        cluster = session.scalar(select(Profile).where(Profile.name == site.cluster_name))
        member_owner = User(email=f"member-{tag}@journeys.eu", password_hash="x", email_verified_at=draft.created_at)
        session.add(member_owner)
        session.commit()
        submitted_member(member_owner, cluster, name=f"Scanned Member {tag}", website=f"https://scanned-{tag}.eu")
        coadmins.invite(cluster, session.scalar(select(User).where(User.email == site.cluster_admin)),
                        f"colleague-{tag}@journeys.eu")
        bodies = [m.body_text for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())
                                                      .limit(20))]
    wanted = {"verify": "/account/verify/", "reset": "/account/reset-password/", "resume": "/resume/",
              "approve": "/affiliations/decide/", "invitation": "/profiles/invitations/"}
    found = {}
    for kind, prefix in wanted.items():
        found[kind] = next(link for body in bodies for link in links_in(body) if prefix in link)
    return found


def unused_tokens(site) -> int:
    with site.server.database() as session:
        return len(session.scalars(select(LinkToken.id).where(LinkToken.used_at.is_(None))).all())


def test_a_mail_scanner_running_javascript_decides_nothing(visits, site):
    links = fresh_links(site)
    before = unused_tokens(site)
    for kind, link in links.items():
        scanner = visits(site.url, f"scanner-{kind}")
        scanner.goto(link)
        scanner.page.wait_for_timeout(SCANNER_WAIT_MS)  # a scanner renders and waits; it clicks nothing
        assert scanner.page.url == link, f"the {kind} page moved on by itself to {scanner.page.url}"
    assert unused_tokens(site) == before, "opening a link used a token"
    with site.server.database() as session:
        pending = session.scalars(select(Affiliation.status).order_by(Affiliation.id.desc()).limit(2)).all()
        assert "pending" in pending
        assert session.scalar(select(User.email_verified_at).where(User.full_name == "Scanned Newcomer")) is None


def test_signing_in_replaces_the_session_cookie_and_the_old_one_opens_nothing(visits, site, browser):
    visitor = visits(site.url, "visitor")
    public_id = flows.start(visitor, "works_with_clusters")
    before = {c["name"]: c["value"] for c in visitor.context.cookies()}["session"]

    email = site.new_account(f"renewed-{flows.tag()}@journeys.eu", flows.PASSWORD)
    flows.sign_in(visitor, email)
    after = {c["name"]: c["value"] for c in visitor.context.cookies()}["session"]
    assert after != before
    visitor.goto(f"/drafts/{public_id}/country")  # the visitor's draft came along to the account

    thief = visits(site.url, "old-cookie")
    thief.context.add_cookies([{"name": "session", "value": before, "url": site.url}])
    thief.goto(f"/drafts/{public_id}/country", expected=404)
    thief.goto("/my-profiles")
    assert thief.h1() == "Sign in", "the pre-sign-in cookie is signed in"

    flows.sign_out(visitor)
    copy = visits(site.url, "copied-cookie")
    copy.context.add_cookies([{"name": "session", "value": after, "url": site.url}])
    copy.goto("/my-profiles")
    assert copy.h1() == "Sign in", "a copy of the signed-in cookie still works after signing out"
