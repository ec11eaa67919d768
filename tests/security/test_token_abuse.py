"""E-mailed links: each works only at its own address; forged, expired and cross-purpose ones are refused
with the "link not valid" page, never a 500; opening a link as a mail scanner would changes nothing
(reliability.md TK-2, LS-1; F4, F5). Links are taken from the e-mails the app queued, as a person would."""
import os
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.figures import FULL
from tests.security.state import changed_tables, snapshot
from tests.security.world import build_world
from tests.support.clients import IsolatedClient
from tests.support.emails import link_path, queued_emails
from wizard.extensions import db
from wizard.models import Profile
from wizard.models.base import utcnow
from wizard.services import accounts, coadmins, drafts

#: link kind -> the path prefix of its page
ENDPOINTS = {
    "verify": "/account/verify/",
    "reset": "/account/reset-password/",
    "resume": "/resume/",
    "decision": "/affiliations/decide/",
    "invitation": "/profiles/invitations/",
}
#: The longest a link of each kind lives under the test settings.
LIFETIME = {"verify": "VERIFY_EMAIL_MAX_AGE", "reset": "RESET_PASSWORD_MAX_AGE", "resume": "RESUME_DRAFT_MAX_AGE",
            "decision": "AFFILIATION_DECISION_MAX_AGE", "invitation": "COADMIN_INVITE_MAX_AGE"}


def latest_link(prefix: str, to: str | None = None) -> str:
    message = [m for m in queued_emails(to) if prefix in m.body_text][-1]
    return link_path(message, prefix) if prefix != "/affiliations/decide/" else \
        [p for p in _paths(message.body_text) if p.startswith(prefix)][0]


def _paths(text: str) -> list[str]:
    import re

    return [re.sub(r"^https?://[^/]+", "", link) for link in re.findall(r"https?://[^\s<>\"']+", text)]


@pytest.fixture
def links(app):
    """One fresh, unused link of every kind, made by the app's own services."""
    world = build_world(app)
    accounts.register("newcomer@matrix.eu", "a long enough passphrase 2026", "Newcomer")
    accounts.request_password_reset("other@matrix.eu")
    anonymous_draft = drafts.start_draft("works_with_clusters", None, drafts.new_anon_key())
    drafts.send_resume_link(anonymous_draft, "visitor@matrix.eu")
    cluster = db.session.query(Profile).filter_by(public_id=world.ids["cluster"]).one()
    coadmins.invite(cluster, world.users["applicant"], "cluster2-admin@matrix.eu")
    found = {kind: latest_link(prefix) for kind, prefix in ENDPOINTS.items()}
    return world, {kind: path.rsplit("/", 1)[1] for kind, path in found.items()}


def page_of(response) -> str:
    return response.get_data(as_text=True)


def is_refusal(response) -> bool:
    return response.status_code == 404 and ("not valid" in page_of(response) or "no longer" in page_of(response)
                                            or "link" in page_of(response).lower())


@pytest.mark.figure("F4")
def test_each_link_opens_only_its_own_page(app, links):
    """The diagonal works; a token of one kind at another kind's address is refused like a made-up one."""
    _, tokens = links
    client = IsolatedClient.for_app(app)
    problems = []
    for kind, token in tokens.items():
        for page_kind, prefix in ENDPOINTS.items():
            response = client.get(prefix + token)
            works = response.status_code == 200
            if page_kind == kind and not works:
                problems.append(f"{kind} link at its own page: {response.status_code}")
            if page_kind != kind and not is_refusal(response):
                problems.append(f"{kind} token at the {page_kind} page: {response.status_code}")
    assert not problems, problems


@pytest.mark.figure("F5")
@pytest.mark.parametrize("kind", ENDPOINTS)
def test_opening_a_link_like_a_mail_scanner_changes_nothing(app, links, kind):
    """GET five times, HEAD, a prefetch, with and without cookies: nothing decided, nothing consumed."""
    _, tokens = links
    url = ENDPOINTS[kind] + tokens[kind]
    before = snapshot(db.engine)
    scanner = IsolatedClient(app, app.response_class, use_cookies=False)
    for _ in range(5):
        assert scanner.get(url).status_code == 200
    assert scanner.head(url).status_code == 200
    assert scanner.get(url, headers={"Purpose": "prefetch", "Sec-Purpose": "prefetch"}).status_code == 200
    assert IsolatedClient.for_app(app).get(url).status_code == 200
    assert changed_tables(before, snapshot(db.engine)) == []


@pytest.mark.figure("F4")
@pytest.mark.parametrize("kind", ENDPOINTS)
def test_an_expired_link_is_refused(app, links, kind):
    _, tokens = links
    lifetime = app.config[LIFETIME[kind]]
    with time_machine.travel(utcnow() + timedelta(seconds=lifetime + 1), tick=False):
        response = IsolatedClient.for_app(app).get(ENDPOINTS[kind] + tokens[kind])
    assert response.status_code == 404, response.status_code
    assert "expired" in page_of(response).lower() or "no longer" in page_of(response).lower()


#: F4: 1,000 forgeries in all (200 for each of the 5 link kinds); the PostgreSQL pass repeats 40 per kind.
FORGERIES_PER_KIND = 40 if os.environ.get("TEST_DATABASE_URL") and not FULL else 200


def mutations(token: str):
    """Forgeries of a real token: a character changed, removed or added; cut short; its parts swapped."""
    index = st.integers(0, len(token) - 1)
    # No "/": it would make another address (a path of two segments), not a forged token at this one.
    char = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%=+")
    return st.one_of(
        st.tuples(index, char).map(lambda p: token[:p[0]] + p[1] + token[p[0] + 1:]),
        index.map(lambda i: token[:i] + token[i + 1:]),
        st.tuples(index, char).map(lambda p: token[:p[0]] + p[1] + token[p[0]:]),
        index.map(lambda i: token[:i]),
        st.just(".".join(reversed(token.split(".")))),
        st.text(min_size=1, max_size=200).filter(lambda t: "/" not in t and t not in (".", "..")),
    ).filter(lambda forged: forged != token)


@pytest.mark.figure("F4")
@pytest.mark.config(RATELIMIT_ENABLED=False)  # the per-address limit on link pages has its own tests
@pytest.mark.parametrize("kind", ENDPOINTS)
def test_forged_links_are_refused_never_a_500(app, links, kind):
    _, tokens = links
    client = IsolatedClient.for_app(app)
    form = BeautifulSoup(client.get("/account/forgot-password").get_data(as_text=True), "html.parser")
    csrf = {"csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"], "confirm": "y"}

    @settings(max_examples=FORGERIES_PER_KIND, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(forged=mutations(tokens[kind]))
    def check(forged):
        for method in ("GET", "POST"):
            response = client.open(ENDPOINTS[kind] + forged, method=method, data=csrf if method == "POST" else None)
            assert response.status_code in (400, 404), f"{method} {kind} {forged!r}: {response.status_code}"

    check()
