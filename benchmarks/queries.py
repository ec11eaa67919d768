"""SQL queries per page at 100 and at 20,000 profiles, counted with SQLAlchemy events (the target: equal).

    python -m benchmarks.queries [--pages directory,picker] [--database sqlite]

The app runs in process with the production settings, over the generated datasets. Each of a
page's request variants (filters, search terms, drafts) is sent once to warm up, then once counted;
the statements go to benchmarks/work/queries-<dataset>.txt for reading. Then the page is timed in
process (median CPU and wall time of 12 requests): on SQLite that includes the queries' own work.
"""
import argparse
import statistics
import time

from sqlalchemy import event

from benchmarks.browser import Browser, FlaskTransport
from benchmarks.common import (
    DATABASES,
    SIZES,
    WORK,
    add_subset_options,
    database_url,
    dataset_name,
    pages_asked,
    production_app,
    save_result,
)
from benchmarks.pages import WIZARD_PAGES, prepare_pages, routes_of

#: Requests timed per page, in process (CPU time is steady on a busy machine, unlike wall time under load).
TIMED = 12


def count_pages(database: str, profiles: int, only: set[str] | None = None,
                timed: int = TIMED) -> dict[str, dict | str]:
    """{page: {"queries": [count per request variant], "cpu_ms": median, "wall_ms": median}} or "pending: ..."."""
    app = production_app(database_url(database, profiles))
    from wizard.extensions import db

    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, _params, _context, _many):
        statements.append(" ".join(statement.split()))

    pages = prepare_pages(lambda: Browser(FlaskTransport(app)), routes_of(app), sessions=3,
                          wizard=not only or bool(only & WIZARD_PAGES))
    pages = [page for page in pages if not only or page.key in only]
    results: dict[str, dict | str] = {}
    log = [f"# {dataset_name(database, profiles)}"]
    transport = FlaskTransport(app)

    def send(page, request) -> None:
        status = transport.send(request.method, request.path, request.headers, request.body or None)[0]
        if status // 100 != int(page.expect[0]):
            raise RuntimeError(f"{page.key}: {request.method} {request.path} answered {status}")

    event.listen(engine, "before_cursor_execute", record)
    try:
        for page in pages:
            if page.pending:
                results[page.key] = "pending: " + page.pending
                continue
            for request in page.requests:
                send(page, request)  # warm-up: templates compiled, caches filled
            counts = []
            for request in page.requests:
                statements.clear()
                send(page, request)
                counts.append(len(statements))
                log.append(f"\n## {page.key} ({request.method} {request.path}): {len(statements)} queries")
                log.extend(f"- {s[:300]}" for s in statements)
            cpu, wall = [], []
            for request in page.requests * max(1, timed // len(page.requests)):
                started_cpu, started = time.process_time(), time.perf_counter()
                send(page, request)
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
            results[page.key] = {"queries": counts, "cpu_ms": round(statistics.median(cpu), 2),
                                 "wall_ms": round(statistics.median(wall), 2)}
            if only:
                results[page.key].update(cpu_p95_ms=round(_p95(cpu), 2), wall_p95_ms=round(_p95(wall), 2))
    finally:
        event.remove(engine, "before_cursor_execute", record)
        with app.app_context():
            db.engine.dispose()
    (WORK / f"queries-{dataset_name(database, profiles)}.txt").write_text("\n".join(log) + "\n")
    return results


def _p95(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_subset_options(parser)
    parser.add_argument("--timed", type=int, default=TIMED, help="requests timed per page (with --pages)")
    args = parser.parse_args()
    only = pages_asked(args)
    for database in args.database or DATABASES:
        for profiles in SIZES:
            counts = count_pages(database, profiles, only, args.timed if only else TIMED)
            if only is None:
                save_result("queries", dataset_name(database, profiles), counts)
            print(dataset_name(database, profiles), counts)


if __name__ == "__main__":
    main()
