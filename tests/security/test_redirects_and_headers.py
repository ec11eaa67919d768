"""Open redirects through `next=` on every page, methods a route does not take, NUL bytes, and the
security headers on those answers too (reliability.md AU-7, HD-1, HD-2, HD-4; F19, F20)."""
from urllib.parse import quote, urlsplit

import pytest

from tests.security.headers import header_problems
from tests.security.policy import POLICY, cases
from tests.security.world import build_world
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.pages import ClientHelper

PAYLOADS = [
    "//evil.example", "///evil.example", "////evil.example/x", "https://evil.example", "http://evil.example/",
    "https:evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "%2F%2Fevil.example",
    "/%2F%2Fevil.example", "/%5C%5Cevil.example", "https%3A%2F%2Fevil.example", "/\t/evil.example",
    "/\r\n/evil.example", "/%0d%0aLocation:%20https://evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "//localhost@evil.example", "https://localhost@evil.example",
    "https://evil.example#@localhost", "／／evil.example", "//evil。example", "/.//evil.example", " //evil.example",
    "//evil.example/%2e%2e", "http:\\\\evil.example", "%09//evil.example", "/%09/evil.example",
]


def stays_on_site(response) -> bool:
    location = response.headers.get("Location")
    if not location:
        return True
    parts = urlsplit(location)
    return parts.scheme in ("", "http") and parts.netloc in ("", "localhost") and not location.startswith(
        ("//", "\\", "/\\")) and not location.lower().startswith(("javascript:", "data:"))


@pytest.mark.config(RATELIMIT_ENABLED=False)
@pytest.mark.figure("F20")
@pytest.mark.parametrize("target", PAYLOADS)
def test_signing_in_never_leads_off_site(helper, make_user, target):
    make_user(email="redirected@example.eu")
    page = helper.post(f"/account/sign-in?next={quote(target, safe='')}",
                       {"email": "redirected@example.eu", "password": DEFAULT_PASSWORD},
                       form_url="/account/sign-in", expected=302)
    assert stays_on_site(page.response), page.response.headers["Location"]


@pytest.mark.figure("F20")
def test_no_page_redirects_off_site_whatever_next_says(app):
    """Every route of the policy table, as a signed-out and as a signed-in person, with hostile `next`s."""
    world = build_world(app)
    failures = []
    for endpoint, _, case in cases():
        if not case.get:
            continue
        for persona in ("anonymous", "applicant"):
            for target in PAYLOADS[:8]:
                url = case.url.format(**world.ids)
                joiner = "&" if "?" in url else "?"
                response = world.clients[persona].get(f"{url}{joiner}next={quote(target, safe='')}")
                response.close()
                if not stays_on_site(response):
                    failures.append(f"{endpoint} as {persona} with next={target!r}: {response.headers['Location']}")
    assert not failures, "\n".join(failures)


@pytest.mark.figure("F19")
def test_methods_a_route_does_not_take_get_405_with_the_headers(app):
    client = app.test_client()
    failures = []
    for rule in app.url_map.iter_rules():
        case = POLICY[rule.endpoint][0]
        url = case.url.format(draft="x", member="x", cluster="x", other_cluster="x", other_draft="x",
                              member_draft="x", affiliation=1, manual_affiliation=1, upload=1, message=1, owner_id=1,
                              validator_id=1)
        for method in ("PUT", "DELETE", "PATCH", "TRACE"):
            response = client.open(url, method=method)
            response.close()
            if response.status_code != 405:
                failures.append(f"{method} {url}: {response.status_code}")
            failures += [f"{method} {url}: {problem}" for problem in header_problems(response, url)]
    assert not failures, "\n".join(failures[:40])


@pytest.mark.figure("F19")
@pytest.mark.parametrize("url", ["/no/such/page", "/drafts/%00/country", "/directory/?q=%00",
                                 "/static/../config.py", "/uploads/abc"])
def test_odd_addresses_get_a_4xx_page_with_the_headers(helper, url):
    response = helper.client.get(url)
    response.close()
    assert 400 <= response.status_code < 500, response.status_code
    assert header_problems(response, url) == []


@pytest.mark.figure("F19")
def test_nul_bytes_in_a_form_are_refused_not_a_500(app, helper, make_user):
    """PostgreSQL cannot hold a NUL byte: without the refusal, this was a 500 there."""
    make_user(email="nul@example.eu")
    helper.client.get("/start/works_with_clusters")
    for url, data in (("/account/sign-in", {"email": "nul\x00@example.eu", "password": "x"}),
                      ("/account/forgot-password", {"email": "a\x00b@example.eu"})):
        page = helper.post(url, data)
        assert page.status == 400, (url, page.status)
    assert ClientHelper(app, helper.client).get("/directory/", expected=400, query_string={"q": "a\x00"}).h1
