"""F17: the sign-in limits hold across gunicorn's two workers, because they are counted in Redis.

gunicorn runs with `-w 2` and the limits on, as in production; the access log carries each request's
worker pid, so the test sees that the attempts were shared by both workers. With a per-process store
(memory://) the same traffic lets more than N attempts through: the last test shows that this
traffic can tell the two apart.
"""
import os
import re
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.support.server import LiveServer, sqlite_database

pytestmark = [pytest.mark.sqlite_only, pytest.mark.figure("F17")]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = 6  # sign-in attempts per minute from one address
THROTTLE = 3  # failed attempts on one account before it is throttled
PASSWORD = "a long enough password 2026"  # noqa: S105 - test account
# Each access-log line names the worker that served it.
ACCESS_LOG_FORMAT = "--access-logformat 'F17 pid=%(p)s %(m)s %(U)s %(s)s'"
MAX_ATTEMPTS = 60  # well inside the one-minute window
SERVED = re.compile(r"F17 pid=<(\d+)> POST /account/sign-in (\d{3})")


@pytest.fixture(scope="module")
def redis_store():
    """Redis for the limits, under a key prefix of this run only; its keys are removed afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (the limits' shared store): {error}")
    prefix = f"f17-{uuid.uuid4().hex}"
    yield client, prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


def limits_keys(redis_store) -> list[bytes]:
    client, prefix = redis_store
    return list(client.scan_iter(match=f"*{prefix}*"))


def clear_limits(redis_store) -> None:
    client, _prefix = redis_store
    for key in limits_keys(redis_store):
        client.delete(key)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated SQLite file, copied for each server: migrating twice would cost seconds."""
    folder = tmp_path_factory.mktemp("f17-template")
    sqlite_database(folder)
    return folder / "live.sqlite3"


def start_server(migrated: Path, folder: Path, monkeypatch, storage_uri: str, prefix: str, name: str) -> LiveServer:
    shutil.copy(migrated, folder / "live.sqlite3")
    monkeypatch.setenv("GUNICORN_CMD_ARGS", ACCESS_LOG_FORMAT)
    overrides = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage_uri, "RATELIMIT_KEY_PREFIX": prefix,
                 "SIGNIN_RATE_LIMIT": f"{LIMIT} per minute", "ACCOUNT_THROTTLE_ATTEMPTS": THROTTLE}
    return LiveServer(f"sqlite:///{folder}/live.sqlite3", folder, overrides, workers=2, name=name).start()


@pytest.fixture(scope="module")
def server(tmp_path_factory, migrated, redis_store):
    folder = tmp_path_factory.mktemp("f17")
    with pytest.MonkeyPatch.context() as monkeypatch:
        live = start_server(migrated, folder, monkeypatch, REDIS_URL, redis_store[1], "f17-redis")
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def make_user_on():
    """Verified accounts in the live server's database (through its twin), with PASSWORD."""
    from wizard.models import User
    from wizard.models.base import utcnow
    from wizard.passwords import hash_password

    def make(live: LiveServer, email: str) -> None:
        with live.database() as session:
            if session.query(User).filter_by(email=email).first() is None:
                session.add(User(email=email, password_hash=hash_password(PASSWORD), email_verified_at=utcnow()))
                session.commit()

    return make


class Visitor:
    """One browser: a session cookie and its CSRF token, then sign-in attempts (safe to share across threads)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        http = requests.Session()
        http.trust_env = False  # loopback only
        page = http.get(f"{base_url}/account/sign-in", timeout=10)
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        self.cookies = http.cookies.get_dict()

    def sign_in(self, email: str, password: str) -> requests.Response:
        fields = {"csrf_token": self.token, "email": email, "password": password}
        return requests.post(f"{self.base_url}/account/sign-in", data=fields, cookies=self.cookies,
                             allow_redirects=False, timeout=30)


def attempts_at_once(visitor: Visitor, count: int) -> list[int]:
    """`count` failed sign-ins to as many unknown addresses, eight at a time, so both workers take some."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = pool.map(lambda n: visitor.sign_in(f"guess{n}-{uuid.uuid4().hex[:6]}@example.eu", "wrong"),
                             range(count))
        return [response.status_code for response in responses]


def sign_ins_logged(live: LiveServer) -> list[tuple[str, str]]:
    """(worker pid, status) of every sign-in attempt in the access log, in order."""
    return SERVED.findall(live.log_text())


def logged_since(live: LiveServer, before: int, count: int) -> list[tuple[str, str]]:
    """The log lines of the `count` attempts after the first `before`: a worker writes its line just after
    it answers, so the last lines may still be on their way."""
    deadline = time.monotonic() + 10
    while len(lines := sign_ins_logged(live)[before:]) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return lines


def attempts_on_both_workers(live: LiveServer, visitor: Visitor) -> tuple[list[int], set[str]]:
    """2N failed sign-ins, then more until the access log shows that both workers answered some.

    The kernel decides which worker takes a connection; concurrent attempts make both take some,
    and the extra rounds only make sure of it. Returns every status and the pids that answered.
    """
    before = len(sign_ins_logged(live))
    statuses = attempts_at_once(visitor, 2 * LIMIT)
    while True:
        workers = {pid for pid, _status in logged_since(live, before, len(statuses))}
        if len(workers) == 2 or len(statuses) >= MAX_ATTEMPTS:
            return statuses, workers
        statuses += attempts_at_once(visitor, 4)


def test_the_nth_plus_one_attempt_gets_429_although_two_workers_share_the_attempts(server, redis_store):
    clear_limits(redis_store)
    visitor = Visitor(server.url)
    statuses, workers = attempts_on_both_workers(server, visitor)

    assert len(workers) == 2, f"only worker {workers} answered {len(statuses)} attempts"
    assert statuses.count(400) == LIMIT  # not about 2N let through
    assert statuses.count(429) == len(statuses) - LIMIT
    one_more = visitor.sign_in("one-more@example.eu", "wrong")
    assert one_more.status_code == 429
    assert 0 < int(one_more.headers["Retry-After"]) <= 60
    assert limits_keys(redis_store), "the limits were not counted in Redis"


def test_one_throttled_account_does_not_block_another(server, redis_store, make_user_on):
    clear_limits(redis_store)
    make_user_on(server, "target@example.eu")
    make_user_on(server, "bystander@example.eu")
    visitor = Visitor(server.url)
    for _ in range(THROTTLE):
        refused = visitor.sign_in("target@example.eu", "not the password")
        assert refused.status_code == 400
        assert "The e-mail address or password is not right." in refused.text

    throttled = visitor.sign_in("target@example.eu", PASSWORD)
    assert throttled.status_code == 400
    assert "Too many attempts to sign in to this account." in throttled.text
    signed_in = visitor.sign_in("bystander@example.eu", PASSWORD)
    assert signed_in.status_code == 302


def test_a_per_process_store_would_let_more_than_n_through(migrated, tmp_path, monkeypatch):
    """The control: the same traffic against memory:// storage, counted by each worker on its own."""
    live = start_server(migrated, tmp_path, monkeypatch, "memory://", "f17-memory", "f17-memory")
    try:
        statuses, workers = attempts_on_both_workers(live, Visitor(live.url))
    finally:
        live.stop()
    assert len(workers) == 2, f"only worker {workers} answered {len(statuses)} attempts"
    assert statuses.count(400) > LIMIT
