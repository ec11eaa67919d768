"""Every POST route without a CSRF token, with a garbage one and with another session's → 400 and the
database unchanged; a browser saying the request comes from another site → 403 (CS-1, CS-3; F7)."""
import pytest
from bs4 import BeautifulSoup

from tests.security.policy import ALLOWED, POLICY
from tests.security.state import changed_tables, snapshot
from tests.security.world import PERSONAS, build_world
from tests.support.factories import DEFAULT_PASSWORD
from wizard.extensions import db

pytestmark = pytest.mark.figure("F7")


def post_routes() -> list[tuple[str, str, str]]:
    """(endpoint, URL template, persona allowed to post there) for every POST route of the policy table."""
    routes = []
    for endpoint, endpoint_cases in POLICY.items():
        for case in endpoint_cases:
            allowed = [p for p in reversed(PERSONAS) if case.post and case.post[p] == ALLOWED]
            if allowed:
                routes.append((endpoint, case.url, allowed[0]))
                break
    return routes


ROUTES = post_routes()


def token_of(client) -> str:
    page = BeautifulSoup(client.get("/account/forgot-password").get_data(as_text=True), "html.parser")
    return page.find("input", attrs={"name": "csrf_token"})["value"]


def test_every_post_route_is_crawled(app):
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    crawled = {endpoint for endpoint, _, _ in ROUTES}
    # Routes whose POST nobody may make (bogus tokens only) are refused before CSRF matters; the rest are here.
    refused_for_all = {e for e in posting - crawled if all(not c.post or ALLOWED not in c.post.values()
                                                           for c in POLICY.get(e, []))}
    assert posting - crawled - refused_for_all == set()


@pytest.mark.parametrize(("endpoint", "url", "persona"), ROUTES, ids=[r[0] for r in ROUTES])
def test_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(app, endpoint, url, persona):
    world = build_world(app)
    client = world.clients[persona]
    url = url.format(**world.ids)
    stranger = world.clients["other_applicant" if persona != "other_applicant" else "applicant"]
    variants = {"no token": {}, "garbage token": {"csrf_token": "garbage.token.value"},
                "another session's token": {"csrf_token": token_of(stranger)}}
    typical = {"email": "someone@example.eu", "password": "correct horse battery staple", "action": "continue",
               "decision": "approve", "confirm": "y", "country": "DE", "name": "Posted Name"}
    before = snapshot(db.engine)
    for variant, token in variants.items():
        response = client.post(url, data={**typical, **token})
        assert response.status_code == 400, f"{endpoint} with {variant}: {response.status_code}"
        page = response.get_data(as_text=True)
        # A wizard step comes back filled with what was posted (nothing typed is lost), other forms show the error page.
        assert "expired or was sent from somewhere else" in page or "your answers were not saved yet" in page, \
            f"{endpoint} with {variant}: no explanation on the page"
        assert changed_tables(before, snapshot(db.engine)) == [], f"{endpoint} with {variant} changed the database"

    for says in CROSS_SITE:
        cross_site = client.post(url, data={**typical, "csrf_token": token_of(client)}, headers=says)
        assert cross_site.status_code == 403, f"{endpoint} from another site ({says}): {cross_site.status_code}"
        assert changed_tables(before, snapshot(db.engine)) == [], f"{endpoint} from another site changed the database"


#: What a browser says about a post made by another site's page, with a valid CSRF token stolen or not needed.
CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://attacker.example"},
    {"Origin": "http://localhost.attacker.example"},
    {"Origin": "https://localhost"},  # another scheme is another origin
    {"Referer": "https://attacker.example/page"},  # an old browser sends no Origin, only the Referer
    {"Origin": "null", "Referer": "http://attacker.example/"},
]


@pytest.mark.parametrize("says", [{}, {"Origin": "http://localhost"}, {"Referer": "http://localhost/account/sign-in"},
                                  {"Origin": "null"}, {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}],
                         ids=["neither header", "own origin", "own referer", "origin null", "fetch metadata"])
def test_same_site_posts_still_work(helper, make_user, says):
    """Old browsers send neither Origin nor Referer; a page with `Referrer-Policy: no-referrer` makes Chromium
    send `Origin: null`: both are left to the CSRF token."""
    make_user(email="ana@example.eu")
    page = helper.post("/account/sign-in", {"email": "ana@example.eu", "password": DEFAULT_PASSWORD}, headers=says)
    assert page.response.status_code == 302, page.text()[:300]
