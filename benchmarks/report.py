"""Writes benchmarks/RESULTS.md from benchmarks/work/results.json and the dataset manifests.

    python -m benchmarks.report
"""
import json
import os
import platform
import subprocess
from datetime import UTC, datetime

from benchmarks.common import DATABASES, RESULTS_JSON, ROOT, SIZES, dataset_name, load_manifest

RESULTS_MD = ROOT / "benchmarks" / "RESULTS.md"
PAGES = [("start_page", "Start page, for reference (one template; no database, no session)"),
         ("step_get", "Wizard step GET (country, ~250 options)"), ("step_post", "Wizard step POST (country)"),
         ("check_answers", "Check your answers"), ("directory", "Directory with a filter (country, ecosystem or type)"),
         ("picker", "Picker: clusters step with a search"), ("picker_json", "Picker: type-ahead JSON"),
         ("queue", "Validators' queue (validator signed in)")]
#: Pages with a target on their throughput (RATIO_TARGET), and on their p95 growth with the data (P95_GROWTH_TARGET).
RATIO_PAGES = {"step_get", "step_post"}
SIZE_PAGES = {"directory", "picker", "picker_json"}
RATIO_TARGET, P95_GROWTH_TARGET, SMTP_TARGET, MEMORY_TARGET_MB = 0.33, 1.5, 1.2, 15


def verdict(ok: bool | None) -> str:
    return "pending" if ok is None else ("**met**" if ok else "**missed**")


def command(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine(run: dict) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    memory_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    wrk_version = command("wrk", "--version").splitlines()[0:1] or ["wrk"]
    return [
        f"- Date: {run.get('started', 'unknown')} (measurements; written {datetime.now(UTC):%H:%M} UTC)",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {memory_kb / 2**20:.0f} GiB RAM, {platform.platform()}",
        f"- Commit: {run.get('commit', 'unknown')}",
        f"- Python {platform.python_version()}; {wrk_version[0].split(' [')[0]}; PostgreSQL on 127.0.0.1:5432",
    ]


def fmt(value, unit: str = "", digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}{unit}"


def dataset_section(data: dict) -> list[str]:
    lines = ["## Dataset", "", "| database | profiles (published) | listed members | affiliations | picker terms | "
             "answers check | build + insert (s) |", "|---|---|---|---|---|---|---|"]
    for database in DATABASES:
        for profiles in SIZES:
            try:
                m = load_manifest(database, profiles)
            except FileNotFoundError:
                continue
            counts, seconds = m["counts"], m["seconds"]
            checks = sorted(set(m["answers_check"].values()))
            lines.append(f"| {database} | {counts['profiles']:,} ({m['published']:,}) | {counts['listed_members']:,} | "
                         f"{counts['affiliations']:,} | {counts.get('profile_search_terms', 0):,} | "
                         f"{', '.join(checks)} | {seconds['build rows (shared)']} + {seconds['insert']} |")
    return lines + [""]


def load_section(load: dict, database: str) -> tuple[list[str], list[tuple[str, bool | None]]]:
    big, small = load.get(dataset_name(database, 20_000), {}), load.get(dataset_name(database, 100), {})
    lines = [f"### {database}", "", "| page | req/s | × bare (bare req/s) | × bare by CPU/request (ms) | p50 ms | "
             "p95 ms | p99 ms | p95 at 100 | p95 20k ÷ 100 | others' CPU | target |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for key, label in PAGES:
        run, base = big.get(key, {}), small.get(key, {})
        if "pending" in run or not run:
            lines.append(f"| {label} | pending: {run.get('pending', 'not run')} ||||||||||")
            if key in RATIO_PAGES | SIZE_PAGES:
                verdicts.append((f"{database}: {label}", None))
            continue
        growth = run["p95_ms"] / base["p95_ms"] if base.get("p95_ms") else None
        target, ok = "", None
        if key in RATIO_PAGES:
            ok = run["valid"] and run["ratio"] >= RATIO_TARGET
            target = f"≥ {RATIO_TARGET}× bare: {verdict(ok)}"
        elif key in SIZE_PAGES:
            ok = None if growth is None else run["valid"] and growth <= P95_GROWTH_TARGET
            target = f"p95 ≤ {P95_GROWTH_TARGET}× at 100: {verdict(ok)}"
        if ok is not None or key in SIZE_PAGES:
            verdicts.append((f"{database}: {label}", ok))
        invalid = "" if run["valid"] else f" (INVALID: {run['classes']} {run['socket_errors']})"
        lines.append(
            f"| {label} | {fmt(run['rps'])}{invalid} | {run['ratio']:.2f}× ({fmt(run['bare_rps'], digits=0)}) | "
            f"{run['cpu_ratio']:.2f}× ({run['cpu_ms_per_request']:.2f} vs {run['bare_cpu_ms_per_request']:.2f}) | "
            f"{fmt(run['p50_ms'])} | {fmt(run['p95_ms'])} | {fmt(run['p99_ms'])} | {fmt(base.get('p95_ms'))} | "
            f"{fmt(growth, '×', 2)} | {run['other_processes_cpu']:.0%} | {target} |")
    return lines + [""], verdicts


def queries_section(queries: dict) -> tuple[list[str], list[tuple[str, bool | None]]]:
    names = [dataset_name(d, size) for d in DATABASES for size in SIZES]
    lines = ["## SQL queries per page", "", "Counted with SQLAlchemy's `before_cursor_execute` event, one request per "
             "variant of the page (filters, search terms), after a warm-up; statements in "
             "`benchmarks/work/queries-*.txt`.", "",
             "| page | " + " | ".join(names) + " | target: same at both sizes |", "|---" * (len(names) + 2) + "|"]
    verdicts = []
    for key, label in PAGES:
        cells = [queries.get(name, {}).get(key) for name in names]
        if any(not isinstance(c, dict) for c in cells):
            lines.append(f"| {label} | " + " | ".join(str(c) if not isinstance(c, dict) else counts_text(c)
                                                       for c in cells) + " | pending |")
            verdicts.append((f"queries: {label}", None))
            continue
        small, big = SIZES
        ok = all(queries[dataset_name(d, small)][key]["queries"] == queries[dataset_name(d, big)][key]["queries"]
                 for d in DATABASES)
        verdicts.append((f"same queries at 100 and 20,000 profiles: {label}", ok))
        lines.append(f"| {label} | " + " | ".join(counts_text(c) for c in cells) + f" | {verdict(ok)} |")
    return lines + [""] + timing_section(queries), verdicts


def counts_text(cell: dict) -> str:
    counts = cell["queries"]
    return str(counts[0]) if len(set(counts)) == 1 else "/".join(map(str, counts))


def timing_section(queries: dict) -> list[str]:
    """In-process time per request: CPU time does not suffer from a busy machine the way wall time under load does."""
    lines = ["### Time per request in process (median of 12, no concurrency)", "",
             "On SQLite the CPU time includes the queries' own work; on PostgreSQL the server's share is in wall "
             "time only.", "", "| page | " + " | ".join(f"{d}: CPU ms 100 → 20k (×) | {d}: wall ms 100 → 20k (×)"
                                                        for d in DATABASES) + " |",
             "|---" * (1 + 2 * len(DATABASES)) + "|"]
    for key, label in PAGES:
        cells = []
        for d in DATABASES:
            small = queries.get(dataset_name(d, SIZES[0]), {}).get(key)
            big = queries.get(dataset_name(d, SIZES[1]), {}).get(key)
            for unit in ("cpu_ms", "wall_ms"):
                if isinstance(small, dict) and isinstance(big, dict):
                    cells.append(f"{small[unit]:.1f} → {big[unit]:.1f} ({big[unit] / small[unit]:.2f}×)")
                else:
                    cells.append("pending")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines + [""]


def smtp_section(smtp: dict) -> tuple[list[str], list[tuple[str, bool | None]]]:
    lines = ["## Submission latency with a slow SMTP server", "",
             "A signed-in applicant submits N complete drafts one after the other, with `flask outbox send --loop` "
             "running beside gunicorn; only the submitting POST is timed.", "",
             "| database | SMTP | submissions | p50 ms | p95 ms | max ms | e-mails received meanwhile | "
             "outbox not yet sent at the end | target |", "|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for database in DATABASES:
        fast, slow = smtp.get(f"{database}-instant"), smtp.get(f"{database}-slow")
        ok = None if not (fast and slow) else slow["p95_ms"] <= SMTP_TARGET * fast["p95_ms"]
        verdicts.append((f"{database}: slow-SMTP submission p95 ≤ {SMTP_TARGET}× instant", ok))
        for mode, run in (("instant", fast), ("2 s per message", slow)):
            if run:
                target = f"p95 ≤ {SMTP_TARGET}× instant ({slow['p95_ms'] / fast['p95_ms']:.2f}×): {verdict(ok)}" \
                    if run is slow and ok is not None else ""
                lines.append(f"| {database} | {mode} | {run['submissions']} | {fmt(run['p50_ms'])} | "
                             f"{fmt(run['p95_ms'])} | {fmt(run['max_ms'])} | "
                             f"{run['messages_received_during_submissions']} | {run['outbox_not_yet_sent_at_end']} | "
                             f"{target} |")
    return lines + [""], verdicts


def memory_section(memory: dict) -> tuple[list[str], list[tuple[str, bool | None]]]:
    lines = ["## Worker memory during a 10 MB upload", "",
             "VmHWM of each gunicorn worker, reset to its RSS after a warm-up; the worst worker is shown.", "",
             "| case | upload | idle RSS MB | peak MB | growth MB | target |", "|---|---|---|---|---|---|"]
    verdicts = []
    labels = {"receive": "10 MB posted to a step without a file field (receiving only)"}
    for key, run in memory.items():
        database, _, name = key.rpartition("-")  # "sqlite-proof_jpeg"; older results have no database
        label = labels.get(name, f"10 MB {name.replace('_', ' ')} on the member's upload step")
        label = f"{database}: {label}" if database else label
        if "pending" in run:
            lines.append(f"| {label} | pending: {run['pending']} |||||")
            verdicts.append((f"memory: {label}", None))
            continue
        ok = run["growth_mb"] < MEMORY_TARGET_MB
        verdicts.append((f"memory: {label}", ok))
        lines.append(f"| {label} | {run['upload_mb']} MB × {run['uploads']} | {run['idle_rss_mb']} | "
                     f"{run['peak_mb']} | {run['growth_mb']} | < {MEMORY_TARGET_MB} MB: {verdict(ok)} |")
    return lines + [""], verdicts


def main() -> None:
    data = json.loads(RESULTS_JSON.read_text())
    settings = data.get("load", {}).get("settings", {})
    lines = ["# Benchmark results", "", "Written by `benchmarks/run.sh` (`make bench`); do not edit by hand. "
             "How to read them: benchmarks/README.md.", "", *machine(data.get("run", {})),
             f"- Load: wrk -t{settings.get('threads')} -c{settings.get('connections')}, {settings.get('seconds')} s "
             f"per page, each bracketed by two {settings.get('bare_seconds')} s runs of the bare Flask app "
             f"(benchmarks/bare_app.py) under the same gunicorn command: `{settings.get('gunicorn')}`, "
             "WIZARD_ENV=production, rate limits off, plain-HTTP cookies.",
             "- \"others' CPU\": the share of the machine used by processes other than the server under test and "
             "wrk during the run (this machine is shared; a high share makes that row noisy). \"By CPU/request\": "
             "the bare app's CPU per request (gunicorn workers plus wrk) over the page's: the ratio an idle "
             "machine would show, and steadier than req/s when others' CPU is high.", ""]
    lines += dataset_section(data)
    all_verdicts: list[tuple[str, bool | None]] = []
    lines += ["## Throughput and latency (20,000 profiles; p95 at 100 profiles beside it)", "",
              "The start page has no target: it is the app's cheapest rendered page (the request hooks, the "
              "security headers and the base layout, without a database query or a session), so its ratio is "
              "the most any page of the app can reach here.", ""]
    for database in DATABASES:
        section, verdicts = load_section(data.get("load", {}), database)
        lines += section
        all_verdicts += verdicts
    for builder, key in ((queries_section, "queries"), (smtp_section, "smtp"), (memory_section, "memory")):
        section, verdicts = builder(data.get(key, {}))
        lines += section
        all_verdicts += verdicts
    lines += ["## Targets", "", "| target | verdict |", "|---|---|"]
    lines += [f"| {name} | {verdict(ok)} |" for name, ok in all_verdicts]
    RESULTS_MD.write_text("\n".join(lines) + "\n")
    print(RESULTS_MD.read_text())


if __name__ == "__main__":
    main()
