"""F22: scripts/static_checks.sh reports pip-audit truthfully: "passed" only when it audited everything,
"not run" when it could not reach its service or is missing, FAILED on a known vulnerability.

bandit (0 high) and ruff's S rules already fail CI in scripts/test.sh; here stand-in pip-audit programs replay
what the real one prints in each case (reliability.md part 4), so the check takes no network and little time.
"""
import os
import stat
import subprocess

import pytest

pytestmark = [pytest.mark.figure("F22"), pytest.mark.sqlite_only]  # no database involved

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = {
    "unreachable": ("ERROR:pip_audit._cli:flask: Dependency not found on PyPI and could not be audited: flask (3.1.3)",
                    1, "pip-audit --strict: not run (vulnerability service unreachable"),
    "offline": ("requests.exceptions.ConnectionError: Max retries exceeded with url: /pypi/flask/json", 1,
                "pip-audit --strict: not run (vulnerability service unreachable"),
    "clean": ("No known vulnerabilities found", 0, "pip-audit --strict: passed"),
    "vulnerable": ("Found 1 known vulnerability in 1 package\nName Version ID\nflask 3.1.3 GHSA-xxxx", 1,
                   "pip-audit --strict: FAILED"),
}


def run_checks(tmp_path, output: str, code: int) -> subprocess.CompletedProcess:
    fake = tmp_path / "pip-audit"
    fake.write_text(f"#!/bin/sh\ncat <<'END'\n{output}\nEND\nexit {code}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return subprocess.run(["bash", "scripts/static_checks.sh"], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "CHECKS": "pip-audit", "PIP_AUDIT": str(fake)})


@pytest.mark.parametrize("case", CASES)
def test_pip_audit_is_never_reported_as_passed_unless_it_audited(tmp_path, case):
    output, code, expected = CASES[case]
    done = run_checks(tmp_path, output, code)
    assert done.stdout.startswith(expected), done.stdout + done.stderr
    assert done.returncode == (1 if case == "vulnerable" else 0)

