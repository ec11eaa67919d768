"""Throughput and latency of each page under gunicorn, against a bare Flask app at the same concurrency.

    python -m benchmarks.load [--seconds 10]
    python -m benchmarks.load --pages step_get,step_post --database sqlite --profiles 100

The second form measures only the pages named (keys as in pages.py) on the datasets named, and
prints the figures without writing them to results.json: for working on one page.

The bare app runs all along on its own port. Every page's run is bracketed by two bare runs of
half its length (bare, page 1, bare, page 2, bare ...), and its ratio is taken to the mean of the
two runs beside it: this machine is shared, and a drift in the background load then shifts both
sides of a ratio alike. Every page at 20,000 profiles; the pages whose cost could grow with the
data (directory, picker, queue) at 100 profiles too, right after (both servers run all along), so
the p95 growth ratio compares runs side by side as well.
"""
import argparse
import os
import subprocess
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from benchmarks import wrk
from benchmarks.browser import Browser, HttpTransport
from benchmarks.common import (
    DATABASES,
    SIZES,
    WORK,
    add_subset_options,
    app_env,
    database_url,
    dataset_name,
    free_port,
    gunicorn,
    pages_asked,
    production_app,
    save_result,
)
from benchmarks.pages import WIZARD_PAGES, Page, Request, prepare_pages, routes_of, wizard_pages

WARM_UP_SECONDS = 2
BARE = [Request("GET", "/")]


@dataclass
class Bare:
    port: int
    pid: int
    seconds: float
    last: dict | None = None

    def run(self, label: str) -> dict:
        result = wrk.run(f"bare-{label}", self.port, BARE, self.seconds, self.pid)
        check(f"bare-{label}", result, "2xx")
        return result


def check(name: str, result: dict, expect: str) -> None:
    unexpected = {k: v for k, v in result["classes"].items() if k != expect}
    result["valid"] = not unexpected and not result["socket_errors"] and result["requests"] > 0
    if not result["valid"]:
        print(f"  !! {name}: unexpected answers {unexpected} or socket errors {result['socket_errors']}")


def measure(name: str, port: int, pid: int, requests, seconds: int, expect: str, bare: Bare) -> dict:
    wrk.run(name + "-warm-up", port, requests, WARM_UP_SECONDS, pid)
    before = bare.last or bare.run(name + "-before")
    result = wrk.run(name, port, requests, seconds, pid)
    check(name, result, expect)
    bare.last = after = bare.run(name + "-after")
    result["bare_rps"] = round((before["rps"] + after["rps"]) / 2, 1)
    result["bare_p95_ms"] = round((before["p95_ms"] + after["p95_ms"]) / 2, 2)
    result["ratio"] = round(result["rps"] / result["bare_rps"], 3)
    # The same ratio from CPU per request instead of requests per second: steadier on a busy machine.
    result["bare_cpu_ms_per_request"] = round((before["cpu_ms_per_request"] + after["cpu_ms_per_request"]) / 2, 3)
    result["cpu_ratio"] = round(result["bare_cpu_ms_per_request"] / result["cpu_ms_per_request"], 3)
    print(f"  {name}: {result['rps']} req/s = {result['ratio']:.2f} x bare ({result['bare_rps']}; by CPU per request "
          f"{result['cpu_ratio']:.2f} x: {result['cpu_ms_per_request']:.2f} vs "
          f"{result['bare_cpu_ms_per_request']:.2f} ms), "
          f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
          f"{result['classes']}, other processes {result['other_processes_cpu']:.0%} of the CPU")
    return result


@dataclass
class Served:
    """The wizard app under gunicorn on one dataset, with its pages ready to replay."""
    name: str
    port: int
    pid: int
    pages: list[Page]


@contextmanager
def served(database: str, profiles: int, wizard: bool, only: set[str] | None):
    url = database_url(database, profiles)
    routes = routes_of(production_app(url))
    port = free_port()
    name = dataset_name(database, profiles)
    with gunicorn("wsgi:app", port, app_env(url, port), f"gunicorn-{name}") as server:
        def new_browser():
            return Browser(HttpTransport(f"http://127.0.0.1:{port}"))

        if only is not None and only <= WIZARD_PAGES:
            pages = wizard_pages(new_browser)  # the other pages' sessions take long to prepare: skipped
        else:
            pages = prepare_pages(new_browser, routes, wizard=wizard)
        yield Served(name, port, server.pid, [page for page in pages if only is None or page.key in only])


def measure_side_by_side(apps: list[Served], seconds: int, bare: Bare) -> dict[str, dict]:
    """Each page on every dataset before the next page: a growth ratio (p95 at 20,000 over p95 at 100)
    then compares two runs a minute apart, not two runs several minutes apart, on a machine whose
    speed drifts."""
    results: dict[str, dict] = {app.name: {} for app in apps}
    keys = list(dict.fromkeys(page.key for app in apps for page in app.pages))
    for key in keys:
        for app in apps:
            page = next((p for p in app.pages if p.key == key), None)
            if page is None:
                continue
            if page.pending:
                results[app.name][key] = {"pending": page.pending}
                print(f"  {app.name}-{key}: pending ({page.pending})")
                continue
            results[app.name][key] = measure(f"{app.name}-{key}", app.port, app.pid, page.requests, seconds,
                                             page.expect, bare)
    return results


def commit() -> str:
    """The commit measured, and whether the working tree had changes on top of it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, cwd=WORK.parent.parent).stdout.strip()

    dirty = " plus uncommitted changes in the working tree" if git("status", "--porcelain") else ""
    return f"`{git('rev-parse', '--short', 'HEAD') or 'unknown'}`{dirty}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
    add_subset_options(parser)
    parser.add_argument("--profiles", type=int, choices=SIZES, help="only the dataset of this size")
    args = parser.parse_args()
    only = pages_asked(args)
    partial = only is not None or args.database is not None or args.profiles is not None
    WORK.mkdir(parents=True, exist_ok=True)
    if not partial:
        save_result("run", "started", f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        save_result("run", "commit", commit())
    port = free_port()
    with gunicorn("benchmarks.bare_app:app", port, app_env("sqlite://", port), "gunicorn-bare") as server:
        bare = Bare(port, server.pid, args.seconds / 2)
        wrk.run("bare-warm-up", port, BARE, WARM_UP_SECONDS, server.pid)
        for database in args.database or DATABASES:
            # (size, with the wizard's pages): those are measured at 20,000, or on whichever size was asked for.
            sizes = [(args.profiles, True)] if args.profiles is not None else [(20_000, True), (100, False)]
            if only is not None and only <= WIZARD_PAGES:
                sizes = [(profiles, wizard) for profiles, wizard in sizes if wizard]
            with ExitStack() as stack:
                apps = [stack.enter_context(served(database, profiles, wizard, only)) for profiles, wizard in sizes]
                print(f"wizard app on {', '.join(app.name for app in apps)}, page by page")
                results = measure_side_by_side(apps, args.seconds, bare)
            if not partial:
                for name, pages in results.items():
                    save_result("load", name, pages)
    if partial:
        return
    save_result("load", "settings", {"seconds": args.seconds, "bare_seconds": args.seconds / 2,
                                     "threads": wrk.THREADS, "connections": wrk.CONNECTIONS,
                                     "gunicorn": "gunicorn -w 2 -b 127.0.0.1:PORT wsgi:app"})


if __name__ == "__main__":
    main()
