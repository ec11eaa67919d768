"""A real S3-protocol server on loopback: moto's standalone server, started and stopped by the tests.

No S3 server (MinIO, Ceph) is installable here; moto speaks the same HTTP protocol boto3 uses against
AWS, so the `s3` backend is exercised over real sockets. `CuttingProxy` sits between the app and
moto and can cut every connection after N bytes, which is the object store failing mid-write.
A missing moto fails the tests (it is in the test extra), never skips them.
"""
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

import pytest

from tests.support.server import free_port

CREDENTIALS = {"UPLOAD_S3_ACCESS_KEY_ID": "testing", "UPLOAD_S3_SECRET_ACCESS_KEY": "testing"}


class MotoServer:
    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._process = None

    def start(self, timeout: float = 20.0) -> "MotoServer":
        command = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
        if command is None:
            pytest.fail("moto_server is missing: install the test extra (pip install -e '.[test]')")
        self._process = subprocess.Popen([command, "-H", "127.0.0.1", "-p", str(self.port)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1):  # noqa: S310 - loopback
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"moto_server did not answer on {self.endpoint} within {timeout} s")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106

    def new_bucket(self) -> str:
        name = "uploads-" + secrets.token_hex(6)
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        answer = self.client().list_objects_v2(Bucket=bucket)
        return [item["Key"] for item in answer.get("Contents", [])]

    def settings(self, bucket: str, endpoint: str | None = None) -> dict:
        """The app settings of the `s3` backend for this server (or a proxy in front of it)."""
        return {"UPLOAD_STORAGE": "s3", "UPLOAD_S3_BUCKET": bucket, "UPLOAD_S3_PREFIX": "uploads/",
                "UPLOAD_S3_ENDPOINT_URL": endpoint or self.endpoint, "UPLOAD_S3_REGION": "us-east-1",
                "UPLOAD_S3_ADDRESSING_STYLE": "path", "UPLOAD_S3_TIMEOUT_SECONDS": 3, "UPLOAD_S3_MAX_ATTEMPTS": 2,
                **CREDENTIALS}


class CuttingProxy:
    """A TCP proxy to `target_port`; with `cut_after` set, each connection is closed after that many bytes
    of the request have gone through (a store that dies in the middle of a PUT's body)."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.cut_after: int | None = None
        self.cut = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._stopped = False
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self._open += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, self.cut_after), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, None), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        passed = 0
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if limit is not None and passed + len(data) >= limit:
                    sink.sendall(data[:limit - passed])
                    self.cut += 1
                    break
                sink.sendall(data)
                passed += len(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with suppress(OSError):
                    sock.close()

    def stop(self) -> None:
        """The store is gone: no new connections, and the kept-alive ones are dropped too."""
        self._stopped = True
        with suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # close() alone leaves a blocked accept() listening
        self._listener.close()
        for sock in self._open:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with suppress(OSError):
                sock.close()


@pytest.fixture(scope="session")
def s3_server():
    server = MotoServer().start()
    # boto3 must not pick up a developer's real credentials or profile in any test.
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    yield server
    server.stop()
