"""Debian's nginx serving deploy/nginx/wizard.conf on loopback ports in front of a LiveServer, as deployed.

The site file is the one README's production section installs, with only its addresses and paths replaced
(each replacement must match, so the file cannot drift away from what is tested); the snippet it includes,
deploy/nginx/wizard-proxy.conf, is used as it is.
"""
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.server import REPO, free_port

NGINX = "/usr/sbin/nginx"
SITE = REPO / "deploy" / "nginx" / "wizard.conf"
SNIPPET = REPO / "deploy" / "nginx" / "wizard-proxy.conf"
SERVER_NAME = "clusters.example"


def nginx_path() -> str:
    """A missing nginx fails under CI=true (scripts/test.sh installs Debian's package as root), else skips."""
    if not os.access(NGINX, os.X_OK):
        message = f"{NGINX} is missing: scripts/test.sh installs it (apt-get install nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return NGINX


def client_tls() -> ssl.SSLContext:
    """The test's certificate is self-signed: the point here is nginx's buffering, not the chain of trust."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Nginx:
    def __init__(self, upstream_port: int, folder: Path):
        self.folder = Path(folder)
        self.port = free_port()
        self.http_port = free_port()
        self._upstream = upstream_port
        self._process: subprocess.Popen | None = None

    def _render(self) -> Path:
        certificate, key = self.folder / "cert.pem", self.folder / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",  # noqa: S607
                        f"/CN={SERVER_NAME}", "-keyout", str(key), "-out", str(certificate)],
                       check=True, capture_output=True)
        site = SITE.read_text()
        for old, new in [("server 127.0.0.1:8000;", f"server 127.0.0.1:{self._upstream};"),
                         ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
                         ("listen 443 ssl;", f"listen 127.0.0.1:{self.port} ssl;"),
                         (f"/etc/letsencrypt/live/{SERVER_NAME}/fullchain.pem", str(certificate)),
                         (f"/etc/letsencrypt/live/{SERVER_NAME}/privkey.pem", str(key)),
                         ("/etc/nginx/snippets/wizard-proxy.conf", str(SNIPPET))]:
            assert site.count(old) == 1, f"deploy/nginx/wizard.conf no longer has {old!r}"
            site = site.replace(old, new)
        (self.folder / "site.conf").write_text(site)
        temp = self.folder / "temp"
        temp.mkdir(exist_ok=True)
        main = self.folder / "nginx.conf"
        main.write_text(f"""
daemon off;
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log info;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 256; }}
http {{
    access_log {self.folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.folder}/site.conf;
}}
""")
        return main

    def start(self) -> "Nginx":
        main = self._render()
        command = [nginx_path(), "-p", str(self.folder), "-e", str(self.folder / "error.log"), "-c", str(main)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self._process.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not start:\n{self.error_log()}")

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        self._process = None
        shutil.rmtree(self.folder / "temp", ignore_errors=True)
