"""The app served by a real gunicorn process on a loopback port, over its own migrated database.

Browser journeys and fault tests talk to it over HTTP, as a browser does. The test process reads
and seeds the same database through a "twin": an app built with the same settings, never serving.
The gunicorn workers build their app from `app_from_environment()`, which reads the settings the
test chose from the environment, so the server and the twin cannot disagree.
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
OVERRIDES_ENV = "LIVE_APP_OVERRIDES"


def app_from_environment():
    """gunicorn's app factory: `gunicorn 'tests.support.server:app_from_environment()'`."""
    from config import TestingConfig
    from wizard import create_app

    return create_app(TestingConfig, json.loads(os.environ[OVERRIDES_ENV]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sqlite_database(folder: Path) -> str:
    """A fresh SQLite file migrated to head (the browser journeys run on SQLite only)."""
    from tests.support.database import run_migrations

    url = f"sqlite:///{folder}/live.sqlite3"
    run_migrations(url)
    return url


class LiveServer:
    """`gunicorn -w N` serving the app; `twin()` is the same app in this process for database work."""

    def __init__(self, database_url: str, folder: Path, overrides: dict | None = None, workers: int = 2,
                 name: str = "live", environment: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(folder)
        self.workers = workers
        self.log_path = ARTIFACTS / "server-logs" / f"{name}-{os.getpid()}-{self.port}.log"
        self.overrides = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(self.folder / "uploads"),
            "BASE_URL": self.url,  # e-mailed links lead back to this server
            # Journeys sign in many times from one address; the limits have their own tests.
            "SIGNIN_RATE_LIMIT": "10000 per minute",
            **(overrides or {}),
        }
        #: Extra environment variables of the server process (e.g. its own WIZARD_INSTANCE_PATH, as a host has).
        self.environment = environment or {}
        self._process: subprocess.Popen | None = None
        self._twin = None

    # --- the server process ---------------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> "LiveServer":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, OVERRIDES_ENV: json.dumps(self.overrides), "GUNICORN_BIND": f"127.0.0.1:{self.port}",
               "GUNICORN_WORKERS": str(self.workers), "GUNICORN_ACCESS_LOG": "-", "WIZARD_ENV": "testing",
               **self.environment}
        env.pop("TEST_DATABASE_URL", None)
        command = [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"),
                   "tests.support.server:app_from_environment()"]
        self._log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child process owns it until stop()
        self._process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self._wait_until_ready(timeout)
        return self

    def _wait_until_ready(self, timeout: float) -> None:
        """Until every worker has loaded the app and one answers: on a busy machine the second worker can
        take seconds longer than the first, and a test that counts on both would see only one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server stopped at start-up:\n{self.log_tail()}")
            if self._workers_ready() < self.workers:
                time.sleep(0.1)
                continue
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log_tail()}")

    def _workers_ready(self) -> int:
        """Workers that logged gunicorn.conf.py's "Worker ready" line since this start."""
        with open(self.log_path, "rb") as log:
            log.seek(self._log_start)
            return log.read().count(b"Worker ready (pid: ")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        self._process = None
        if self._twin is not None:
            from wizard.extensions import db

            with self._twin.app_context():
                db.engine.dispose()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # --- the twin: the same database, seen from the test ---------------------------------------------------

    def twin(self):
        if self._twin is None:
            from config import TestingConfig
            from wizard import create_app

            self._twin = create_app(TestingConfig, self.overrides)
            self._twin.instance_path = str(self.folder / "instance")
        return self._twin

    @contextmanager
    def database(self):
        """An app context on the twin: query and commit with `db.session` inside it."""
        from wizard.extensions import db

        with self.twin().app_context():
            try:
                yield db.session
            finally:
                db.session.remove()

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
