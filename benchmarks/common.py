"""What the benchmark scripts share: where things live, database URLs, and starting servers on loopback."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
RESULTS_JSON = WORK / "results.json"
VENV_BIN = Path(sys.executable).parent
PG_BASE = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
SECRET_KEY = "benchmark-only-secret-key-0123456789abcdef"  # noqa: S105 - loopback benchmark, throwaway data
PASSWORD = "benchmark password 2026"  # noqa: S105
VALIDATOR_EMAIL = "bench-validator@example.eu"
APPLICANT_EMAIL = "bench-applicant@example.eu"
SIZES = (100, 20_000)
DATABASES = ("sqlite", "postgresql")


def dataset_name(database: str, profiles: int) -> str:
    return f"{database}-{profiles}"


def database_url(database: str, profiles: int) -> str:
    """The plain URL the app is given in DATABASE_URL (create_app picks the psycopg driver itself)."""
    if database == "sqlite":
        return f"sqlite:///{WORK / (dataset_name(database, profiles) + '.sqlite3')}"
    separator = "&" if "?" in PG_BASE else "?"
    return f"{PG_BASE}{separator}options=-csearch_path%3D{pg_schema(profiles)}"


def pg_schema(profiles: int) -> str:
    return f"bench_{profiles}"


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith("postgresql://") else url


def app_env(url: str, port: int, **extra: str) -> dict[str, str]:
    """Production settings as the deployment docs give them, loosened only where plain HTTP needs it."""
    env = {**os.environ, "WIZARD_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": url,
           "SESSION_COOKIE_SECURE": "false", "RATELIMIT_ENABLED": "false", "BASE_URL": f"http://127.0.0.1:{port}",
           "TRUSTED_HOSTS": "127.0.0.1,localhost",
           "WIZARD_INSTANCE_PATH": str(WORK / "instance"), "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": "1",
           "MAIL_USE_TLS": "false", "PYTHONUNBUFFERED": "1"}
    env.update(extra)
    return env


def production_app(url: str):
    """The app in this process, with the settings gunicorn gets from app_env (for url_map and query counts)."""
    os.environ.setdefault("WIZARD_INSTANCE_PATH", str(WORK / "instance"))
    from config import ProductionConfig
    from wizard import create_app

    return create_app(ProductionConfig, {
        "SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False, "MAIL_USE_TLS": False, "TRUSTED_HOSTS": ["127.0.0.1", "localhost"],
    })


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@contextmanager
def process(args: list[str], env: dict[str, str] | None = None, log_name: str | None = None, port: int | None = None):
    """Runs a command in its own process group; stops that group (and only it) on the way out."""
    log = open(WORK / f"{log_name}.log", "a") if log_name else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if port is not None:
            wait_for_port(port)
        if proc.poll() is not None:
            raise RuntimeError(f"{args[0]} exited with {proc.returncode}; see {log_name}.log")
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if log_name:
            log.close()


def gunicorn(app: str, port: int, env: dict[str, str], log_name: str):
    """`gunicorn -w 2 -b 127.0.0.1:PORT wsgi:app`, the command the deployment docs give."""
    return process([str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", app],
                   env=env, log_name=log_name, port=port)


def add_subset_options(parser) -> None:
    """--pages and --database, shared by the scripts that measure pages: for working on one page."""
    parser.add_argument("--pages", help="only these pages, comma-separated keys (step_get, step_post, check_answers, "
                                        "directory, picker, picker_json, queue); figures are then printed, not saved")
    parser.add_argument("--database", choices=DATABASES, action="append", help="only this database (repeatable)")


def pages_asked(args) -> set[str] | None:
    return set(args.pages.split(",")) if args.pages else None


def save_result(section: str, key: str, value) -> None:
    """Adds one measurement to results.json (read by report.py); each script writes its own section."""
    WORK.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    data.setdefault(section, {})[key] = value
    RESULTS_JSON.write_text(json.dumps(data, indent=2, sort_keys=True))


def load_manifest(database: str, profiles: int) -> dict:
    return json.loads((WORK / f"{dataset_name(database, profiles)}.json").read_text())
