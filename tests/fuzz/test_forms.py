"""Arbitrary form data posted to every form of the app (every POST route of the policy table, by a person
allowed to post there), and arbitrary query strings to the search and filter pages → a page, a redirect
or a 4xx with an error message; never a 5xx (reliability.md IO-5; F8). The wizard's steps have their
own suite (test_wizard_steps.py).

The keys come from every form class of the app, so a new form's fields are fuzzed without listing them.
"""
import importlib
import pkgutil
from functools import cache

import pytest
from bs4 import BeautifulSoup
from flask_wtf import FlaskForm
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

import wizard
from tests.fuzz.strategies import EXTRA_KEYS, FUZZ, field_shapes, value_strategy
from tests.security.policy import ALLOWED, POLICY
from tests.security.world import PERSONAS, build_world

pytestmark = pytest.mark.figure("F8")

FUZZED_ELSEWHERE = {"wizard.step"}


@cache
def vocabulary() -> dict[str, list[str]]:
    """{field name: valid choices} over every form class the app defines."""
    for module in pkgutil.walk_packages(wizard.__path__, "wizard."):
        if module.name.endswith(("forms", "forms.members", "forms.auth")) or ".forms." in module.name:
            importlib.import_module(module.name)
    shapes: dict[str, list[str]] = {}
    classes, seen = list(FlaskForm.__subclasses__()), set()
    while classes:
        form_class = classes.pop()
        if form_class in seen:
            continue
        seen.add(form_class)
        classes += form_class.__subclasses__()
        for key, choices in field_shapes(form_class).items():
            shapes.setdefault(key, [])
            shapes[key] = sorted(set(shapes[key]) | set(choices))
    return shapes


@st.composite
def any_form(draw, names: list[str]) -> list[tuple[str, str]]:
    shapes = vocabulary()
    keys = draw(st.lists(st.sampled_from(names + EXTRA_KEYS), max_size=8, unique=True))
    return [(key, value) for key in keys
            for value in draw(st.lists(value_strategy(shapes.get(key, [])), min_size=1, max_size=2))]


def form_routes() -> list[tuple[str, str, str]]:
    routes = []
    for endpoint, endpoint_cases in POLICY.items():
        case = next((c for c in endpoint_cases if c.post and ALLOWED in c.post.values()), None)
        if case and endpoint not in FUZZED_ELSEWHERE:
            routes.append((endpoint, case.url, next(p for p in reversed(PERSONAS) if case.post[p] == ALLOWED)))
    return routes


ROUTES = form_routes()


def has_message(response) -> bool:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return bool(page.select("#error-summary a") or (page.h1 and page.h1.get_text(strip=True)))


def csrf_of(client) -> str:
    page = BeautifulSoup(client.get("/account/forgot-password").get_data(as_text=True), "html.parser")
    return page.find("input", {"name": "csrf_token"})["value"]


@pytest.mark.config(RATELIMIT_ENABLED=False)
@pytest.mark.parametrize(("endpoint", "url", "persona"), ROUTES, ids=[r[0] for r in ROUTES])
def test_arbitrary_posts_to_a_form_never_fail(app, endpoint, url, persona):
    world = build_world(app)
    client = world.clients[persona]
    url = url.format(**world.ids)
    token = csrf_of(client)
    page = client.get(url) if any(c.get for c in POLICY[endpoint]) else None
    on_page = sorted({tag["name"] for tag in BeautifulSoup(page.get_data(as_text=True), "html.parser")
                      .select("form [name]") if tag.get("name") != "csrf_token"}) if page else []
    names = on_page + sorted(vocabulary())

    @FUZZ
    @given(data=any_form(names))
    def post(data):
        response = client.post(url, data=MultiDict([*data, ("csrf_token", token)]))
        assert response.status_code < 500, f"{endpoint}: {response.status_code} for {data}"
        if response.status_code >= 400:
            assert has_message(response), f"{endpoint}: {response.status_code} without a message for {data}"

    post()


SEARCHES = [("/directory/", "anonymous"), ("/validation/", "validator"), ("/members/cluster-search", "anonymous"),
            ("/account/sign-in", "anonymous"), ("/my-profiles", "applicant")]
QUERY_KEYS = ["q", "page", "profile_type", "country", "ecosystem", "eu_cosme", "status", "older_than", "order",
              "members_page", "next", "return", "errors", "format"]


@pytest.mark.parametrize(("url", "persona"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_arbitrary_query_strings_never_fail(app, url, persona):
    world = build_world(app)
    client = world.clients[persona]
    shapes = vocabulary()

    @FUZZ
    @given(query=st.lists(st.tuples(st.sampled_from(QUERY_KEYS), st.one_of(
        st.sampled_from(["", "0", "-1", "99999999999999999999", "1e9"]), value_strategy([])))
        .flatmap(lambda pair: st.just(pair) if pair[0] not in shapes else
                 st.tuples(st.just(pair[0]), value_strategy(shapes[pair[0]]))), max_size=6))
    def search(query):
        response = client.get(url, query_string=MultiDict(query))
        assert response.status_code < 500, f"{url}: {response.status_code} for {query}"
        if response.status_code >= 400:
            assert has_message(response), f"{url}: {response.status_code} without a message for {query}"

    search()
