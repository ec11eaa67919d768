"""F23: nobody can make the app flood a third party's inbox, or carry their text into it.

`gunicorn -w 2` with the limits in Redis, as in production, and the real sender delivering to an SMTP
server on loopback. For every kind of e-mail a stranger or an unvalidated applicant can trigger (resume
link, "you already have an account", password reset, co-administrator invitation, request for access),
first from one client address, then from five, requests aimed at one recipient: that recipient receives
at most the per-recipient cap, none of it carries the requester's text (the recipient never confirmed
its address), and every answer is the same page, whether its e-mail went or was held back.
"""
import os
import re
import uuid

import pytest

from tests.reliability.figures import scaled
from tests.support import speed
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.loopback import Visitor, client_address
from tests.support.server import LiveServer, sqlite_database
from tests.support.smtp import SMTPServer

pytestmark = [pytest.mark.sqlite_only, pytest.mark.figure("F23")]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CAP = 3  # an hour, per recipient address
#: Requests from each client address: above the cap, below every per-client-address limit (resets: 5 a minute).
PER_CLIENT = scaled(5, 5)
SPAM = "Free prize! Visit https://evil.example/claim"
KINDS = ["resume link", "account exists", "password reset", "invitation", "access request"]


@pytest.fixture(scope="module")
def redis_prefix():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (the limits' shared store): {error}")
    prefix = f"f23-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def smtp():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_prefix, smtp):
    folder = tmp_path_factory.mktemp("f23")
    overrides = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": redis_prefix,
                 "MAIL_PER_RECIPIENT_LIMIT": f"{CAP} per hour; 10 per day", "MAIL_SERVER": "127.0.0.1",
                 "MAIL_PORT": smtp.port}
    live = LiveServer(sqlite_database(folder), folder, overrides, workers=2, name="f23").start()
    try:
        yield live
    finally:
        live.stop()


# ---- seeding through the twin ------------------------------------------------------------------------------------


def add_user(live: LiveServer, email: str, verified: bool, full_name: str = SPAM) -> int:
    from wizard.models import User
    from wizard.models.base import utcnow

    with live.database() as session:
        user = User(email=email, password_hash=speed.password_hash(DEFAULT_PASSWORD), full_name=full_name,
                    email_verified_at=utcnow() if verified else None)
        session.add(user)
        session.commit()
        return user.id


def add_profile(live: LiveServer, admin_id: int, status: str, website: str, name: str = SPAM,
                profile_type: str = "cluster_organisation", as_admin: bool = True) -> str:
    from wizard.matching import identifying_domain
    from wizard.models import Profile, ProfileAdmin
    from wizard.models.base import utcnow

    with live.database() as session:
        profile = Profile(profile_type=profile_type, status=status, name=name, website=website,
                          website_domain=identifying_domain(website), country_code="DE", answers={},
                          owner_id=admin_id, submitted_at=None if status == "draft" else utcnow(),
                          published_at=utcnow() if status == "published" else None)
        session.add(profile)
        session.flush()
        if as_admin:
            session.add(ProfileAdmin(profile_id=profile.id, user_id=admin_id))
        session.commit()
        return profile.public_id


def name_draft(live: LiveServer, public_id: str, name: str) -> None:
    from wizard.models import Profile

    with live.database() as session:
        session.query(Profile).filter_by(public_id=public_id).one().name = name
        session.commit()


def sign_in(visitor: Visitor, email: str) -> None:
    assert visitor.post("/account/sign-in", {"email": email, "password": DEFAULT_PASSWORD}).status_code == 302
    visitor.get("/")  # the new session's CSRF token


# ---- one scenario per kind: returns the request the i-th visitor makes the n-th time -------------------------


def prepare(live: LiveServer, kind: str, recipient: str, visitors: list[Visitor]):
    if kind == "resume link":
        drafts = []
        for visitor in visitors:
            started = visitor.post("/start/partnership", {})
            drafts.append(started.headers["Location"].split("/")[2])
            name_draft(live, drafts[-1], SPAM)
        return lambda v, n: visitors[v].post(f"/drafts/{drafts[v]}/save-for-later", {"email": recipient})
    if kind in ("account exists", "password reset"):
        add_user(live, recipient, verified=False)  # a stranger registered the victim's address first
        if kind == "account exists":
            fields = {"email": recipient, "full_name": SPAM, "password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD}
            return lambda v, n: visitors[v].post("/account/register", fields)
        return lambda v, n: visitors[v].post("/account/forgot-password", {"email": recipient})
    if kind == "invitation":
        inviter = f"inviter-{uuid.uuid4().hex[:8]}@example.eu"
        profile = add_profile(live, add_user(live, inviter, verified=False), "submitted",
                              "https://spam.example", profile_type="partnership")
        for visitor in visitors:
            sign_in(visitor, inviter)
        return lambda v, n: visitors[v].post(f"/profiles/{profile}/administrators/invite", {"email": recipient})
    assert kind == "access request"
    admin_id = add_user(live, recipient, verified=False, full_name="")
    websites = [f"https://target-{uuid.uuid4().hex[:8]}.eu" for _ in range(PER_CLIENT)]
    matches = [add_profile(live, admin_id, "published", website, name="Target Cluster") for website in websites]
    drafts = []
    for visitor in visitors:
        requester = f"requester-{uuid.uuid4().hex[:8]}@example.eu"
        requester_id = add_user(live, requester, verified=True)
        drafts.append([add_profile(live, requester_id, "draft", website, as_admin=False) for website in websites])
        sign_in(visitor, requester)
    return lambda v, n: visitors[v].post(f"/drafts/{drafts[v][n]}/possible-duplicate/{matches[n]}/ask", {})


def deliver(live: LiveServer) -> None:
    from wizard.services.outbox import send_due

    with live.database():
        while send_due().sent:
            pass


def answer(response) -> tuple:
    """What the requester learns: the status, where it leads, and the page without its per-request tokens."""
    page = re.sub(r'value="[^"]{30,}"', "", response.text)
    page = re.sub(r"/drafts/[A-Za-z0-9_-]{8,}/", "/drafts/ID/", page)  # each request for access has its draft
    return response.status_code, response.headers.get("Location"), page


@pytest.mark.parametrize("clients", [1, 5])
@pytest.mark.parametrize("kind", KINDS)
def test_one_recipient_gets_at_most_the_cap_and_no_typed_text(server, smtp, kind, clients):
    recipient = f"victim-{uuid.uuid4().hex[:8]}@example.eu"
    group = 100 + 10 * KINDS.index(kind) + clients
    visitors = [Visitor(server.url, client_address(group, n)) for n in range(clients)]
    for visitor in visitors:
        visitor.get("/account/sign-in")
    request = prepare(server, kind, recipient, visitors)
    answers = {v: [] for v in range(clients)}
    for n in range(PER_CLIENT):
        for v in range(clients):
            answers[v].append(answer(request(v, n)))
    deliver(server)

    received = [m for m in smtp.received if recipient in m.envelope_to]
    requests = clients * PER_CLIENT
    print(f"F23 {kind}, {clients} client address(es): {requests} requests, {len(received)} delivered")
    assert len(received) == CAP, f"{len(received)} e-mails to one recipient from {requests} requests"
    for message in received:
        for part in (message.subject, message.text, message.html):
            assert "evil.example" not in part and "Free prize" not in part, (kind, message.subject)
    for mine in answers.values():
        assert mine[0][0] in (200, 302), mine[0][:2]
        # Each visitor's first answers (their e-mails went) and the last (held back by the cap) are the same page.
        assert set(mine) == {mine[0]}, f"{kind}: the answers differ once the cap is reached"
