"""The gunicorn access log never holds a usable e-mailed link: run the real server and read its log."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.database import run_migrations
from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "InF6dFZ0UjlrN0xuUjRVbTBNbnNNWlNPaGc4c0VqbHZoYW1zMFNkbW5qYXci.rL9pQm2y0rJ8dZ3kQ1dXz"


def test_tokens_in_paths_and_queries_are_masked_in_the_access_log(tmp_path):
    database = f"sqlite:///{tmp_path}/app.sqlite3"
    run_migrations(database)
    port = free_port()
    log_file = tmp_path / "access.log"
    env = {**os.environ, "WIZARD_ENV": "testing", "DATABASE_URL": database, "GUNICORN_WORKERS": "1",
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": str(log_file)}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(port)
        for path in (f"/account/verify/{TOKEN}", f"/account/reset-password/{TOKEN}?again={TOKEN}", "/directory/"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)  # noqa: S310 - loopback
            except urllib.error.HTTPError:
                pass
    finally:
        server.terminate()
        server.wait(timeout=10)
    log = log_file.read_text()
    assert "/account/verify/[token]" in log
    assert TOKEN not in log
    assert "/directory/" in log


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")
