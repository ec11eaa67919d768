"""Does each speed-up still earn its keep? CPU per request of a page with it and with the plain code, side by side.

`python -m benchmarks.speedups` (after `make setup`): the app in this process on a fresh SQLite database with the
demo data, production settings; each page is requested through Flask's test client, in alternating rounds with
the speed-up in place and replaced by the ordinary code it stands in for, and the medians of the rounds' CPU per
request are compared. The gunicorn and network costs that `make bench` also counts are left out, so a saving here
is an upper bound of what a deployed page gains. A speed-up stays only where it saves at least 5 % on a page
(the developers' guide); the figures go in its comment.
"""
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from wtforms.widgets import Select

ROUNDS = 7
REQUESTS = 150


def _setup():
    from flask_migrate import upgrade

    from benchmarks.common import production_app

    folder = tempfile.mkdtemp(prefix="speedups-")
    app = production_app(f"sqlite:///{folder}/speedups.sqlite3")
    with app.app_context():
        upgrade(directory="migrations")
        from wizard.demo import create_demo_data
        from wizard.validation.demo_queue import create_demo_queue

        create_demo_data()
        create_demo_queue()
    return app


def _applicant_client(app):
    """A visitor with an anonymous draft at its country step: the session cookie is read and signed each time."""
    client = app.test_client()
    page = client.get("/start/cluster_organisation")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    started = client.post("/start/cluster_organisation", data={"csrf_token": token}, headers={"Origin": "http://localhost"})
    step = started.headers["Location"]
    saved = client.post(step, data={"csrf_token": token, "country": "DE", "action": "continue"},
                        headers={"Origin": "http://localhost"})
    return client, step, saved.headers["Location"], token


#: Posted as a page is ("POST", address, form): the country step saved again, as "Save and continue" does.
POSTS: dict[str, dict] = {}


def _cpu_per_request(client, path: str) -> float:
    posted = POSTS.get(path)
    started = time.process_time()
    for _ in range(REQUESTS):
        if posted is None:
            response = client.get(path)
        else:
            response = client.post(path.split(" ", 1)[1], data=posted, headers={"Origin": "http://localhost"})
        if response.status_code != (200 if posted is None else 302):
            raise RuntimeError(f"{path}: {response.status_code}")
    return (time.process_time() - started) / REQUESTS * 1000


def _orm_save_step(profile, step, posted, valid, countries=None, seen=None):
    """services/drafts.save_step through the ORM's unit of work (the flush writes the changed columns, the search
    terms' listener follows): the plain code the Core UPDATE stands in for, less its compare-and-set."""
    from wizard.extensions import db
    from wizard.services import drafts

    drafts._refuse_unseen_change(profile.answers, step, posted, seen)
    answers = drafts._answers_with(profile.answers, step, posted, valid)
    for name, value in drafts.derived_columns(answers, profile.website, profile.website_domain, countries).items():
        setattr(profile, name, value)
    profile.answers = answers
    profile.version += 1
    db.session.commit()
    return answers


def compare(client, path: str, plain: Callable[[], Iterator[None]]) -> tuple[float, float]:
    """(ms with the speed-up, ms with the plain code): medians over alternating rounds."""
    kept, replaced = [], []
    _cpu_per_request(client, path)  # warm-up
    for _ in range(ROUNDS):
        kept.append(_cpu_per_request(client, path))
        with plain():
            replaced.append(_cpu_per_request(client, path))
    return statistics.median(kept), statistics.median(replaced)


def _patched(target, name: str, value):
    @contextmanager
    def swap():
        original = getattr(target, name)
        setattr(target, name, value)
        try:
            yield
        finally:
            setattr(target, name, original)
    return swap


def candidates(app):
    """Kept ones, each with its figure in its comment (at a84104f: a step's save as one Core UPDATE 27.8-30.6 % of
    a step POST, country select 72 %, filter selects 53-62 %). The fixed-URL caches (templating.fixed_fragments)
    were taken out, then put back when benchmarks/versus.py showed the start page at 1.18 ms without them against
    0.72 ms with (their in-process figure here had been 9.2 %)."""
    from wizard.directory import forms as directory_forms
    from wizard.forms import fields

    # Measured and removed (issue 19, at b2ec797: in-process saving, then as a share of the page's CPU per request
    # under gunicorn in benchmarks/RESULTS.md): the session serializer built once, 0.072 ms of a 2.85 ms step GET
    # (2.5 %); the field_kind memo, 0.096 ms of it (3.4 %). The template guards around the hint and error macros
    # (components/forms.html) measured 2.1-9.5 % of the organisation step here and 6 % of its Python calls in
    # benchmarks/versus.py: they stay.
    from wizard.services import drafts

    return [
        ("a step's save as one Core UPDATE (drafts.save_step)", "step post",
         _patched(drafts, "save_step", _orm_save_step)),
        ("country <select> built once (fields.FastCountrySelectWidget)", "step",
         _patched(fields.CountryField, "widget", Select())),
        ("filter <select>s built once (directory.forms.OptionsBuiltOnce)", "directory",
         _patched(directory_forms.FilterSelect, "widget", Select())),
    ]


def main() -> None:
    app = _setup()
    client, step, organisation, token = _applicant_client(app)
    POSTS[f"POST {step}"] = {"csrf_token": token, "country": "DE", "action": "continue"}
    pages = {"step": step, "step post": f"POST {step}", "organisation step": organisation, "start": "/",
             "directory": "/directory/?country=DE"}
    print(f"CPU ms per request, medians of {ROUNDS} alternating rounds of {REQUESTS} requests (test client)")
    print("| speed-up | page | with it | plain code | saving |")
    print("|---|---|---|---|---|")
    for label, page, plain in candidates(app):
        kept, replaced = compare(client, pages[page], plain)
        print(f"| {label} | {pages[page].split('?')[0]} | {kept:.3f} | {replaced:.3f} | {1 - kept / replaced:+.1%} |",
              flush=True)


if __name__ == "__main__":
    main()
