"""The Nu HTML checker (vnu.jar from the npm package `vnu-jar`, pinned in scripts/node/vnu/package.json).

`scripts/test.sh` installs it with `npm ci` when Java and npm are there; under CI=true a missing checker
fails the test that needs it rather than skipping it.
"""
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.support.server import REPO

VNU_FOLDER = REPO / "scripts" / "node" / "vnu"
VNU_JAR = VNU_FOLDER / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        # The C1 compiler alone and the serial collector start the checker 2-3 times faster for one short run.
        return [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU_JAR)]
    message = (f"the Nu HTML checker needs java and {VNU_JAR.relative_to(REPO)} "
               f"(npm ci --prefix {VNU_FOLDER.relative_to(REPO)}; scripts/test.sh does it)")
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def nu_errors(pages: dict[str, str], command: list[str] | None = None) -> dict[str, list[str]]:
    """{page name: ["line N: message (extract)", ...]} for every page with errors; all pages in one Java run."""
    command = command or vnu_command()
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for index, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = name
        names = [str(path) for path in sorted(Path(folder).iterdir())]
        done = subprocess.run([*command, "--errors-only", "--format", "json", *names],
                              capture_output=True, text=True, timeout=300)
        report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    found: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") != "error":
            continue
        url = message.get("url", "?")
        name = files.get(url.rsplit("/", 1)[-1], url)
        extract = (message.get("extract") or "").strip().replace("\n", " ")[:120]
        found.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']} ({extract})")
    return found
