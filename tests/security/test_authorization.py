"""Every route × six personas → the status the policy table says, the security headers and ZAP's
passive checks on every response, and no database change for any refused call (reliability.md AZ-1,
AZ-2, HD-1, HD-2; F6, F19)."""
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.security.headers import body_problems, header_problems
from tests.security.policy import ALLOWED, OK, POLICY, SIGN_IN, cases
from tests.security.state import changed_tables, snapshot
from tests.security.world import PERSONAS, build_world
from wizard.extensions import db

pytestmark = pytest.mark.figure("F6", "F19")

REFUSALS = {401, 403, 404, SIGN_IN}


@pytest.fixture
def world(app):
    return build_world(app)


def csrf_token(client) -> str:
    """A valid token of this client's own session, read from a public form (once per client)."""
    if not hasattr(client, "csrf_token"):
        page = BeautifulSoup(client.get("/account/forgot-password").get_data(as_text=True), "html.parser")
        client.csrf_token = page.find("input", attrs={"name": "csrf_token"})["value"]
    return client.csrf_token


def is_sign_in_redirect(response) -> bool:
    return response.status_code in (302, 303) and urlsplit(response.headers.get("Location", "")).path == \
        "/account/sign-in"


def meets(response, expected) -> bool:
    status = response.status_code
    if expected == SIGN_IN:
        return is_sign_in_redirect(response)
    if expected == OK:
        return status in (200, 302, 303) and not is_sign_in_redirect(response)
    if expected == ALLOWED:
        return status < 500 and status not in (401, 403, 404) and not is_sign_in_redirect(response)
    return status == expected


def test_every_route_and_method_is_in_the_policy_table(app):
    """A new route fails here until someone decides who may call it (tests/security/policy.py)."""
    problems = []
    endpoints = set()
    for rule in app.url_map.iter_rules():
        endpoints.add(rule.endpoint)
        known = POLICY.get(rule.endpoint)
        if known is None:
            problems.append(f"{rule.endpoint} ({rule.rule}) has no policy")
            continue
        for method, covered in (("GET", any(c.get for c in known)), ("POST", any(c.post for c in known))):
            if method in rule.methods and not covered:
                problems.append(f"{rule.endpoint}: {method} has no policy")
            if method not in rule.methods and covered:
                problems.append(f"{rule.endpoint}: the policy covers {method}, which the route does not accept")
    stale = POLICY.keys() - endpoints
    problems += [f"{endpoint} is in the policy table but is no route any more" for endpoint in stale]
    assert not problems, "\n".join(problems)


def check_case(world, case, methods: tuple[str, ...]) -> list[str]:
    url = case.url.format(**world.ids)
    failures = []
    state = None  # the database as last seen; refused calls must leave it as it is
    for method, expectations in (("GET", case.get), ("POST", case.post)):
        if method not in methods or not expectations:
            continue
        for persona in PERSONAS:
            client = world.clients[persona]
            expected = expectations[persona]
            data = {"csrf_token": csrf_token(client)} if method == "POST" else None
            if expected in REFUSALS and state is None:
                state = snapshot(db.engine)
            response = client.open(url, method=method, data=data)
            response.close()  # static files are streamed from an open file
            where = f"{method} {url} as {persona}"
            if not meets(response, expected):
                failures.append(f"{where}: {response.status_code} {response.headers.get('Location', '')}, "
                                f"expected {expected}" + (f" ({case.note})" if case.note else ""))
            failures += [f"{where}: {problem}" for problem in header_problems(response, url) + body_problems(response)]
            if expected not in REFUSALS:
                state = None  # an allowed call may change things
            elif changed := changed_tables(state, after := snapshot(db.engine)):
                failures.append(f"{where} was refused but changed {changed}")
                state = after
    return failures


def test_every_page_answers_each_persona_as_the_policy_says(app, world):
    """GET changes nothing, so one world serves every route's GET cases."""
    failures = [failure for _, _, case in cases() for failure in check_case(world, case, ("GET",))]
    assert not failures, "\n".join(failures)


POSTS = [(endpoint, number, case) for endpoint, number, case in cases() if case.post]


@pytest.mark.parametrize(("endpoint", "number", "case"), POSTS, ids=[f"{e}-{n}" for e, n, _ in POSTS])
def test_every_post_answers_each_persona_as_the_policy_says(app, world, endpoint, number, case):
    """A POST may change the world, so each route gets a fresh one."""
    failures = check_case(world, case, ("POST",))
    assert not failures, "\n".join(failures)
