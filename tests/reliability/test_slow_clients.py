"""Floods and slow clients do not take the site down (issue 14 item 4 and 8; F26).

gunicorn -w 2 serves the app as deployed; Debian's nginx, with the site file README installs, stands in front.
Slow upload bodies trickle in through nginx while other pages are timed; short bodies and a million-field
body go to gunicorn directly, as a client reaching the workers without nginx would send them.
"""
import http.client
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.reliability.figures import scaled
from tests.support.nginx import SERVER_NAME, Nginx, client_tls
from tests.support.server import LiveServer, sqlite_database

pytestmark = [pytest.mark.figure("F26"), pytest.mark.sqlite_only]
#: How long a body may pause inside gunicorn before the app answers 400 (gunicorn.conf.py; 15 s deployed).
BODY_IDLE_TIMEOUT = 1
SLOW_CLIENTS = 4


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow-clients")
    os.environ["GUNICORN_BODY_IDLE_TIMEOUT"] = str(BODY_IDLE_TIMEOUT)
    try:
        live = LiveServer(sqlite_database(folder), folder, workers=2, name="slow-clients").start()
    finally:
        del os.environ["GUNICORN_BODY_IDLE_TIMEOUT"]
    yield live
    live.stop()


@pytest.fixture(scope="module")
def nginx(server, tmp_path_factory):
    proxy = Nginx(server.port, tmp_path_factory.mktemp("nginx")).start()
    yield proxy
    proxy.stop()


def request_head(path: str, length: int, content_type: str, host: str = SERVER_NAME) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\n").encode()


def status_of(sock: socket.socket, timeout: float) -> int:
    """The status code of the answer, read from the socket; 0 when the connection closes without one."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return 0
        data += chunk
    return int(data.split(b" ", 2)[1])


def trickle(port: int, stop: threading.Event, sent: list[int]) -> None:
    """An upload of 5 MB sent 100 bytes at a time, 4 times a second, until told to stop."""
    boundary = "slowslowslow"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
            client_tls().wrap_socket(raw, server_hostname=SERVER_NAME) as sock:
        sock.sendall(request_head("/account/sign-in", 5 * 1024 * 1024, f"multipart/form-data; boundary={boundary}"))
        sock.sendall(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
                     .encode())
        while not stop.wait(0.25):
            sock.sendall(b"x" * 100)
            sent.append(100)


def timed_get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=client_tls())
    try:
        connection.request("GET", path, headers={"Host": SERVER_NAME})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def test_slow_upload_bodies_behind_nginx_leave_other_pages_answering(server, nginx):
    """Straight to gunicorn, 2 such clients held both workers and every page timed out."""
    seconds = scaled(3, 30)
    stop, sent = threading.Event(), []
    slow = [threading.Thread(target=trickle, args=(nginx.port, stop, sent), daemon=True) for _ in range(SLOW_CLIENTS)]
    for thread in slow:
        thread.start()
    timings = []
    try:
        time.sleep(0.5)  # every slow client has taken its connection
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for path in ("/", "/account/sign-in", "/directory/"):
                timings.append((path, *timed_get(nginx.port, path)))
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=5)
    assert len(sent) >= SLOW_CLIENTS * seconds * 2, "the slow clients did not keep sending"
    assert all(status == 200 for _, status, _ in timings), timings
    slowest = max(elapsed for _, _, elapsed in timings)
    print(f"F26: {SLOW_CLIENTS} slow bodies for {seconds} s behind nginx, "
          f"slowest of {len(timings)} pages {slowest:.3f} s")
    assert slowest < 1.0, f"slowest page {slowest:.2f} s over {len(timings)} requests"


def test_nginx_refuses_a_body_larger_than_any_the_app_takes(nginx):
    with socket.create_connection(("127.0.0.1", nginx.port), timeout=10) as raw, \
            client_tls().wrap_socket(raw, server_hostname=SERVER_NAME) as sock:
        sock.sendall(request_head("/account/sign-in", 50 * 1024 * 1024, "application/octet-stream"))
        assert status_of(sock, 5) == 413


@pytest.mark.parametrize("ending", ["pause", "close"])
def test_a_short_body_gets_400_and_frees_the_worker(server, ending):
    """Content-Length promises 100 bytes, 11 come: the client then waits, or closes its side."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request_head("/account/sign-in", 100, "application/x-www-form-urlencoded", "127.0.0.1")
                     + b"email=a%40b")
        started = time.perf_counter()
        if ending == "close":
            sock.shutdown(socket.SHUT_WR)
        status = status_of(sock, 30)
        waited = time.perf_counter() - started
    assert status == 400
    assert waited < BODY_IDLE_TIMEOUT + 2
    assert '"POST /account/sign-in HTTP/1.1" 500' not in server.log_text()


def worker_pids(server) -> list[int]:
    master = server._process.pid
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


def test_a_million_field_body_gets_413_at_once_and_costs_the_worker_no_memory(server):
    body = b"&".join(b"f%d=1" % n for n in range(1_000_000))
    workers = worker_pids(server)
    baseline = {}
    for pid in workers:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak (VmHWM) starts again from the current size
        baseline[pid] = status_kb(pid, "VmRSS")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        started = time.perf_counter()
        sock.sendall(request_head("/account/sign-in", len(body), "application/x-www-form-urlencoded", "127.0.0.1")
                     + body[:65536])
        status = status_of(sock, 10)
        elapsed = time.perf_counter() - started
    growth_mb = max(status_kb(pid, "VmHWM") - baseline[pid] for pid in workers) / 1024
    print(f"F26: 1M-field body ({len(body) / 1e6:.1f} MB): {status} in {elapsed:.4f} s, "
          f"worker peak +{growth_mb:.1f} MB")
    assert status == 413
    assert elapsed < 0.1, f"{elapsed:.3f} s"
    assert growth_mb < 15, f"a worker grew by {growth_mb:.1f} MB"


def test_a_chunked_flood_is_cut_at_the_cap(server):
    """Without Content-Length the worker reads up to MAX_URLENCODED_BYTES (2 MB), then answers 413."""
    chunk = b"&".join(b"f%d=1" % n for n in range(5000))
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"POST /account/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
        status = 0
        try:
            for _ in range(200):
                sock.sendall(b"%x\r\n%s&\r\n" % (len(chunk) + 1, chunk))
        except OSError:
            pass  # the server answered and closed while more was being sent
        status = status_of(sock, 10)
    assert status == 413
