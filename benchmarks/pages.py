"""The pages under measurement, each as ready-made requests (a session cookie, a CSRF token) to replay.

`prepare_pages` walks real sessions through the app first (start a draft, fill every step, sign a
validator in), exactly as a browser would, so every replayed request is one the app accepts.
Pages whose route has not landed yet come back with `pending` set instead of requests.
"""
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks import answers as gen
from benchmarks.browser import Browser, form_fields, query, step_form_hidden, urlencoded
from benchmarks.common import PASSWORD, SIZES, VALIDATOR_EMAIL, database_url, sqlalchemy_url

SESSIONS = 16  # one per wrk connection
#: The pages `wizard_pages` prepares (the others take longer to prepare and are skipped when only these are asked).
WIZARD_PAGES = {"start_page", "step_get", "step_post", "check_answers"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Page:
    key: str
    label: str
    expect: str  # "2xx" or "3xx": anything else makes the run invalid
    requests: list[Request] = field(default_factory=list)
    pending: str = ""


def routes_of(app) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules()}


#: Organisations typed in by the benchmark get names and websites of their own, run after run, so the
#: wizard's duplicate checks never stop a walk on one that an earlier run submitted.
_serials = itertools.count(int(time.time() * 100) % 10**10 * 100)


def walk_answers() -> dict:
    """A complete EU cluster organisation, as typed into the wizard (20 listed members)."""
    serial = next(_serials)
    rng = random.Random(serial)
    name, acronym, website = gen.cluster_identity(rng, serial)
    members = [gen.company_identity(rng, serial * 100 + i) for i in range(20)]
    return gen.cluster_eu(rng, gen.common(rng, "DE", name, acronym, website), members)


def start_draft(browser: Browser, profile_type: str = "cluster_organisation") -> str:
    response = browser.post_form(f"/start/{profile_type}", {})
    return response.location.split("/")[2]


def member_answers() -> dict:
    """A member of a cluster organisation, up to the step where it picks its cluster organisations."""
    serial = next(_serials)
    rng = random.Random(serial)
    name, website, _domain = gen.company_identity(rng, serial)
    return gen.other_type(rng, "cluster_member", gen.common(rng, "DE", name, "", website))


def walk(browser: Browser, public_id: str, answers: dict, stop_at: str = "check-answers", max_steps: int = 30) -> str:
    """Fills every step the app asks for, in its order, until it lands on `stop_at`; returns that path."""
    path = f"/drafts/{public_id}/country"
    for _ in range(max_steps):
        step = path.rsplit("/", 1)[1].replace("-", "_")  # addresses are kebab-case, step names snake_case
        if step not in answers:
            raise RuntimeError(f"the wizard asked for step {step!r}, which the benchmark has no answers for")
        hidden = step_form_hidden(browser.get(path).text)
        response = browser.post(path, {**form_fields(answers[step]), **hidden, "action": "continue"})
        if response.location.rsplit("/", 1)[1].split("?")[0] == stop_at:
            return response.location
        path = response.location
    raise RuntimeError(f"no {stop_at} page after {max_steps} steps")


def wizard_pages(new_browser: Callable[[], Browser], sessions: int = SESSIONS) -> list[Page]:
    # The reference for the step pages: the app's cheapest rendered page (no database, no session), through
    # the same request hooks and base layout. A step page cannot come nearer the bare app than this.
    start = Page("start_page", "Start page (one template; no database, no session)", "2xx", [Request("GET", "/")])
    step_get = Page("step_get", "Wizard step GET (country, ~250 options)", "2xx")
    step_post = Page("step_post", "Wizard step POST (country, CSRF + session)", "3xx")
    check = Page("check_answers", "Check your answers", "2xx")
    for _ in range(sessions):
        browser = new_browser()
        public_id = start_draft(browser)
        walk(browser, public_id, walk_answers())
        cookie = {"Cookie": browser.cookie_header()}
        country = f"/drafts/{public_id}/country"
        page = browser.get(country).text
        if page.count("<option") < 240:
            raise RuntimeError("the country step does not show the ~250 countries")
        # The step's form has no file fields, so a browser posts it url-encoded.
        content_type, body = urlencoded({**step_form_hidden(page), "country": "DE", "action": "continue"})
        step_get.requests.append(Request("GET", country, cookie))
        step_post.requests.append(Request("POST", country, {**cookie, "Content-Type": content_type}, body))
        check.requests.append(Request("GET", f"/drafts/{public_id}/check-answers", cookie))
    return [start, step_get, step_post, check]


QUEUE_VIEWS = ["/validation/", "/validation/?country=DE", "/validation/?profile_type=cluster_organisation&order=newest"]


def _dataset_100():
    from sqlalchemy import create_engine

    return create_engine(sqlalchemy_url(database_url("sqlite", min(SIZES))))


def picker_terms() -> list[str]:
    """What people type, with matches at 100 profiles too: the three commonest words of published cluster
    organisations' names, two of them together, a prefix of the first, and a website."""
    from sqlalchemy import text

    engine = _dataset_100()
    with engine.connect() as connection:
        words = list(connection.scalars(text(
            "SELECT t.term FROM profile_search_terms t JOIN profiles p ON p.id = t.profile_id "
            "WHERE p.status = 'published' AND p.profile_type = 'cluster_organisation' AND t.term NOT LIKE '%.%' "
            "AND t.term NOT GLOB '*[0-9]*' GROUP BY t.term ORDER BY count(*) DESC, t.term LIMIT 3")))
        website = connection.scalar(text("SELECT website FROM profiles WHERE status = 'published' AND "
                                         "profile_type = 'cluster_organisation' ORDER BY id LIMIT 1"))
    engine.dispose()
    return [*words, f"{words[0]} {words[1]}", words[0][:4], website]


def directory_filters() -> list[dict[str, str]]:
    """Filters with results at 100 profiles too (the same at both sizes, so only the data's size differs):
    the commonest country + ecosystem pair, the commonest country, the commonest ecosystem, and the type."""
    from sqlalchemy import text

    engine = _dataset_100()
    published = "FROM profiles p JOIN profile_ecosystems e ON e.profile_id = p.id WHERE p.status = 'published'"
    with engine.connect() as connection:
        pair = connection.execute(text(f"SELECT p.country_code, e.ecosystem {published} "
                                       "GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1")).one()
        country = connection.scalar(text(f"SELECT p.country_code {published} GROUP BY 1 ORDER BY count(*) DESC, 1"))
        ecosystem = connection.scalar(text(f"SELECT e.ecosystem {published} GROUP BY 1 ORDER BY count(*) DESC, 1"))
    engine.dispose()
    return [{"country": pair[0], "ecosystem": pair[1]}, {"country": country}, {"ecosystem": ecosystem},
            {"profile_type": "cluster_organisation"}]


def directory_page(routes: set[str]) -> Page:
    page = Page("directory", "Directory with a filter (country, ecosystem, type)", "2xx")
    if "/directory/" not in routes:
        page.pending = "the directory (/directory/) has not landed yet"
        return page
    page.requests = [Request("GET", query("/directory/", params)) for params in directory_filters()]
    return page


def picker_pages(routes: set[str], new_browser: Callable[[], Browser], sessions: int = 4) -> list[Page]:
    """The member profile's clusters step searching (works without JavaScript), and its type-ahead's JSON."""
    step = Page("picker", "Cluster-organisation picker: clusters step with a search", "2xx")
    typeahead = Page("picker_json", "Cluster-organisation picker: type-ahead JSON", "2xx")
    terms = picker_terms()
    if "/members/cluster-search" in routes:
        typeahead.requests = [Request("GET", query("/members/cluster-search", {"q": term})) for term in terms]
    else:
        typeahead.pending = "the type-ahead (/members/cluster-search) has not landed yet"
    try:
        for serial in range(sessions):
            browser = new_browser()
            public_id = start_draft(browser, "cluster_member")
            walk(browser, public_id, member_answers(), stop_at="clusters")
            for term in terms:
                path = query(f"/drafts/{public_id}/clusters", {"q": term})
                if serial == 0 and term == terms[0] and "found for" not in browser.get(path).text:
                    raise RuntimeError("no search results on the page")
                step.requests.append(Request("GET", path, {"Cookie": browser.cookie_header()}))
    except RuntimeError as error:
        step.requests, step.pending = [], f"the clusters step could not be searched: {error}"
    return [step, typeahead]


def queue_page(routes: set[str], new_browser: Callable[[], Browser]) -> Page:
    page = Page("queue", "Validators' queue, signed in as a validator (default, by country, newest)", "2xx")
    if "/validation/" not in routes:
        page.pending = "the validators' queue (/validation/) has not landed yet"
        return page
    browser = new_browser()
    browser.sign_in(VALIDATOR_EMAIL, PASSWORD)
    cookie = {"Cookie": browser.cookie_header()}
    page.requests = [Request("GET", path, cookie) for path in QUEUE_VIEWS]
    for path in QUEUE_VIEWS:
        browser.get(path)
    return page


def prepare_pages(new_browser: Callable[[], Browser], routes: set[str], wizard: bool = True,
                  sessions: int = SESSIONS) -> list[Page]:
    pages = wizard_pages(new_browser, sessions) if wizard else []
    return [*pages, directory_page(routes), *picker_pages(routes, new_browser), queue_page(routes, new_browser)]
