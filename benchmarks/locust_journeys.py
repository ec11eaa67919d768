"""Locust users for F14 (run by `python -m benchmarks.journeys`, which passes the settings in the environment).

Each user is one visitor making the whole wizard journey once (`journeys.run_journey`) through the
benchmarks' own Browser, which keeps cookies by hand (the production cookie is `__Host-` and Secure);
requests go through locust's client so locust counts and times them. When every user is done, locust
quits and this file writes what each session posted, the failures and locust's counts to JOURNEYS_OUTPUT.
"""
import itertools
import json
import os
import re
import traceback

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

from benchmarks.browser import Browser
from benchmarks.journeys import LOCKED, run_journey

USERS = int(os.environ.get("JOURNEYS_USERS", "200"))
SERIAL_BASE = int(os.environ.get("JOURNEYS_SERIAL_BASE", "0"))
OUTPUT = os.environ.get("JOURNEYS_OUTPUT", "journeys-sessions.json")
DRAFT_ID = re.compile(r"/drafts/[^/?]+")

_indexes = itertools.count()
records: list[dict] = []
failures: list[dict] = []
locked: list[str] = []


class LocustTransport:
    """The Browser's transport over locust's HTTP client: one stats line per route, ids folded."""

    def __init__(self, client):
        self.client = client

    def send(self, method: str, path: str, headers: dict, body: bytes | None):
        name = f"{method} {DRAFT_ID.sub('/drafts/[id]', path.split('?', 1)[0])}"
        response = self.client.request(method, path, name=name, headers=headers, data=body,
                                       allow_redirects=False, timeout=120)
        self.client.cookies.clear()  # the Browser holds the cookies
        if LOCKED in response.text:
            locked.append(f"{name}: {response.status_code}")
        set_cookies = response.raw.headers.getlist("Set-Cookie") if response.raw is not None else []
        return response.status_code, set_cookies, response.headers, response.text


class Visitor(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.index = next(_indexes)

    @task
    def journey(self):
        if self.index >= USERS:
            # Locust replaces a stopped user to keep the count up; the replacements have no account and
            # nothing to do: the run is the USERS journeys, once each.
            gevent.sleep(1)
            raise StopUser()
        browser = Browser(LocustTransport(self.client))
        try:
            records.append(run_journey(browser, self.index, SERIAL_BASE + self.index))
        except Exception as error:  # noqa: BLE001 - every failed journey is counted and reported, never lost
            failures.append({"index": self.index, "error": str(error), "trace": traceback.format_exc(limit=3)})
        if len(records) + len(failures) >= USERS:
            gevent.spawn(self.environment.runner.quit)
        raise StopUser()


@events.quitting.add_listener
def write_results(environment, **_kwargs):
    total = environment.stats.total
    result = {
        "records": records, "failures": failures, "locked": len(locked),
        "requests": total.num_requests, "request_failures": total.num_failures,
        "errors": [{"name": e.name, "error": str(e.error), "occurrences": e.occurrences}
                   for e in environment.stats.errors.values()],
        "p50_ms": round(total.get_response_time_percentile(0.5) or 0, 1),
        "p95_ms": round(total.get_response_time_percentile(0.95) or 0, 1),
        "max_ms": round(total.max_response_time or 0, 1),
        "per_route": {name: {"requests": s.num_requests, "failures": s.num_failures,
                             "p95_ms": s.get_response_time_percentile(0.95)}
                      for (name, _method), s in environment.stats.entries.items()},
    }
    with open(OUTPUT, "w") as output:
        json.dump(result, output, indent=2)
