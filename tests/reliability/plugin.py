"""pytest plugin: which tests measure which figure, and (with FIGURES_REPORT=path) a table of their outcomes.

`FIGURES_REPORT=test-artifacts/figures` writes figures.json and figures.md: for each figure F1-F28 its target,
its scripts and every test that measures it with passed / failed / skipped. A figure is "met" in this pass only
when it has tests, all ran and all passed; "not measured here" when none of its tests ran in this pass.
Works under pytest-xdist: the figure ids travel to the controller in each report's user_properties.
"""
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

from tests.reliability.figures import FULL, SCRIPTS, TARGETS, figures_of

_outcomes: dict[str, dict[str, str]] = defaultdict(dict)  # figure -> test node id -> outcome


def figures_of_item(item) -> list[str]:
    marked = [figure for mark in item.iter_markers("figure") for figure in mark.args]
    unknown = [figure for figure in marked if figure not in TARGETS]
    if unknown:
        raise pytest.UsageError(f"{item.nodeid}: unknown figure {unknown} (see tests/reliability/figures.py)")
    return sorted(set(marked) | set(figures_of(item.nodeid)), key=lambda f: int(f[1:]))


@pytest.hookimpl(tryfirst=True)  # before `-m figure` selects on the marker added here
def pytest_collection_modifyitems(items):
    for item in items:
        figures = figures_of_item(item)
        if figures:
            item.add_marker(pytest.mark.figure(*figures))
            item.user_properties.append(("figures", ",".join(figures)))


def pytest_runtest_logreport(report):
    figures = dict(report.user_properties).get("figures")
    if not figures:
        return
    for figure in figures.split(","):
        known = _outcomes[figure].get(report.nodeid)
        if report.failed:
            _outcomes[figure][report.nodeid] = "failed"
        elif report.skipped and known != "failed":
            _outcomes[figure][report.nodeid] = "skipped"
        elif report.when == "call" and report.passed and known is None:
            _outcomes[figure][report.nodeid] = "passed"


def verdict(tests: dict[str, str]) -> str:
    if not tests:
        return "not measured here"
    if "failed" in tests.values():
        return "missed"
    return "met" if set(tests.values()) == {"passed"} else "incomplete (skipped tests)"


def table() -> dict:
    database = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    rows = {}
    for figure, target in TARGETS.items():
        tests = dict(sorted(_outcomes.get(figure, {}).items()))
        rows[figure] = {"target": target, "script": SCRIPTS.get(figure), "verdict": verdict(tests),
                        "passed": sum(o == "passed" for o in tests.values()),
                        "failed": sum(o == "failed" for o in tests.values()),
                        "skipped": sum(o == "skipped" for o in tests.values()), "tests": tests}
    return {"database": database, "full_counts": FULL, "figures": rows}


def markdown(report: dict) -> str:
    lines = [f"# Figures ({report['database']} pass, {'full' if report['full_counts'] else 'CI'} counts)", "",
             "| figure | verdict | passed | failed | skipped | script | target |", "|---|---|---|---|---|---|---|"]
    for figure, row in report["figures"].items():
        lines.append(f"| {figure} | {row['verdict']} | {row['passed']} | {row['failed']} | {row['skipped']} | "
                     f"{row['script'] or ''} | {row['target']} |")
    lines += ["", "## Tests per figure", ""]
    for figure, row in report["figures"].items():
        lines += [f"- **{figure}**"] + [f"  - {outcome}: `{nodeid}`" for nodeid, outcome in row["tests"].items()]
    return "\n".join(lines) + "\n"


def pytest_sessionfinish(session):
    target = os.environ.get("FIGURES_REPORT")
    if not target or hasattr(session.config, "workerinput"):  # xdist workers report to the controller
        return
    stem = Path(target)
    if stem.suffix in (".json", ".md"):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    report = table()
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report))
