"""Throughput and latency of each page under gunicorn, against a bare Flask app at the same concurrency.

    python -m benchmarks.load [--seconds 10]

The bare app runs all along on its own port. Every page's run is bracketed by two bare runs of
half its length (bare, page 1, bare, page 2, bare ...), and its ratio is taken to the mean of the
two runs beside it: this machine is shared, and a drift in the background load then shifts both
sides of a ratio alike. Every page at 20,000 profiles; the pages whose cost could grow with the
data (directory, picker, queue) at 100 profiles too.
"""
import argparse
import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime

from benchmarks import wrk
from benchmarks.browser import Browser, HttpTransport
from benchmarks.common import (
    DATABASES,
    WORK,
    app_env,
    database_url,
    dataset_name,
    free_port,
    gunicorn,
    production_app,
    save_result,
)
from benchmarks.pages import Request, prepare_pages, routes_of

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
          f"{result['cpu_ratio']:.2f} x), "
          f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
          f"{result['classes']}, other processes {result['other_processes_cpu']:.0%} of the CPU")
    return result


def app_pages(database: str, profiles: int, seconds: int, wizard: bool, bare: Bare) -> dict:
    url = database_url(database, profiles)
    routes = routes_of(production_app(url))
    port = free_port()
    results = {}
    with gunicorn("wsgi:app", port, app_env(url, port), f"gunicorn-{dataset_name(database, profiles)}") as server:
        pages = prepare_pages(lambda: Browser(HttpTransport(f"http://127.0.0.1:{port}")), routes, wizard=wizard)
        for page in pages:
            if page.pending:
                results[page.key] = {"pending": page.pending}
                print(f"  {page.key}: pending ({page.pending})")
                continue
            results[page.key] = measure(f"{dataset_name(database, profiles)}-{page.key}", port, server.pid,
                                        page.requests, seconds, page.expect, bare)
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
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    save_result("run", "started", f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    save_result("run", "commit", commit())
    port = free_port()
    with gunicorn("benchmarks.bare_app:app", port, app_env("sqlite://", port), "gunicorn-bare") as server:
        bare = Bare(port, server.pid, args.seconds / 2)
        wrk.run("bare-warm-up", port, BARE, WARM_UP_SECONDS, server.pid)
        for database in DATABASES:
            for profiles, wizard in ((20_000, True), (100, False)):
                print(f"wizard app on {dataset_name(database, profiles)}")
                save_result("load", dataset_name(database, profiles),
                            app_pages(database, profiles, args.seconds, wizard, bare))
    save_result("load", "settings", {"seconds": args.seconds, "bare_seconds": args.seconds / 2,
                                     "threads": wrk.THREADS, "connections": wrk.CONNECTIONS,
                                     "gunicorn": "gunicorn -w 2 -b 127.0.0.1:PORT wsgi:app"})


if __name__ == "__main__":
    main()
