"""A small browser for setting up benchmark sessions, over HTTP (gunicorn) or in process (Flask's test client).

It keeps cookies itself: in production the session cookie is `__Host-session` and Secure, which
HTTP libraries rightly refuse to send over plain HTTP, and the benchmarks run on plain loopback.
"""
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests

from wizard.engine import SEEN_FIELD


@dataclass
class Response:
    status: int
    location: str
    text: str


def multipart(fields: dict, files: dict | None = None) -> tuple[str, bytes]:
    """(content type, body) as a browser posts a form with enctype="multipart/form-data"."""
    boundary = "----bench" + uuid.uuid4().hex
    parts = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in (files or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def urlencoded(fields: dict) -> tuple[str, bytes]:
    """(content type, body) as a browser posts a form without files."""
    return "application/x-www-form-urlencoded", urlencode(fields, doseq=True).encode()


class HttpTransport:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()
        self.http.trust_env = False  # loopback only: never a proxy

    def send(self, method: str, path: str, headers: dict, body: bytes | None):
        response = self.http.request(method, self.base_url + path, headers=headers, data=body,
                                     allow_redirects=False, timeout=60)
        self.http.cookies.clear()
        return response.status_code, response.raw.headers.getlist("Set-Cookie"), response.headers, response.text


class FlaskTransport:
    def __init__(self, app):
        self.client = app.test_client(use_cookies=False)

    def send(self, method: str, path: str, headers: dict, body: bytes | None):
        response = self.client.open(path, method=method, headers=headers, data=body)
        return response.status_code, response.headers.getlist("Set-Cookie"), response.headers, response.get_data(True)


class Browser:
    def __init__(self, transport):
        self.transport = transport
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None) -> Response:
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        if content_type:
            headers["Content-Type"] = content_type
        status, set_cookies, response_headers, text = self.transport.send(method, path, headers, body)
        for line in set_cookies:
            name, _, value = line.split(";", 1)[0].partition("=")
            expired = "max-age=0" in line.lower().replace(" ", "") or "expires=thu, 01 jan 1970" in line.lower()
            if expired:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        parts = urlsplit(response_headers.get("Location", ""))
        return Response(status, parts.path + (f"?{parts.query}" if parts.query else ""), text)

    def get(self, path: str, expect: int = 200) -> Response:
        response = self.request("GET", path)
        if not matches(response.status, expect):
            raise RuntimeError(f"GET {path}: {response.status}, expected {expect}")
        return response

    def post(self, path: str, fields: dict, expect: int = 302, files: dict | None = None) -> Response:
        content_type, body = multipart(fields, files)
        response = self.request("POST", path, body, content_type)
        if not matches(response.status, expect):
            raise RuntimeError(f"POST {path}: {response.status}, expected {expect}")
        return response

    def post_form(self, path: str, fields: dict, expect: int = 302) -> Response:
        """Fills in the CSRF token from the form page first, as a person's browser would have it."""
        token = csrf_token(self.get(path).text)
        return self.post(path, {**fields, "csrf_token": token}, expect)

    def sign_in(self, email: str, password: str) -> None:
        self.post_form("/account/sign-in", {"email": email, "password": password})


def matches(status: int, expect: int) -> bool:
    """Any redirect where a redirect is expected (302 or 303 after a POST are both right)."""
    return status == expect or (300 <= expect < 400 and 300 <= status < 400)


def hidden_value(html: str, name: str) -> str | None:
    """The value of the page's first input named `name`, or None."""
    quoted = re.escape(name)
    match = re.search(rf'<input[^>]*name="{quoted}"[^>]*value="([^"]*)"|<input[^>]*value="([^"]*)"[^>]*name="{quoted}"',
                      html)
    return None if match is None else next(group for group in match.groups() if group is not None)


def csrf_token(html: str) -> str:
    token = hidden_value(html, "csrf_token")
    if not token:
        raise RuntimeError("no CSRF token on the page")
    return token


def version_of(html: str) -> str:
    version = hidden_value(html, "version")
    if not version:
        raise RuntimeError("no version field on the page")
    return version


def step_form_hidden(html: str) -> dict[str, str]:
    """What a step page's form posts besides the answers: its CSRF token and the saved answers it showed."""
    seen = hidden_value(html, SEEN_FIELD)
    return {"csrf_token": csrf_token(html), **({SEEN_FIELD: seen} if seen is not None else {})}


def form_fields(stored_step: dict) -> dict:
    """A stored step's answers as the fields a browser posts (the stored "_valid" flag is ours, not a field)."""
    return {name: values for name, values in stored_step.items() if name != "_valid"}


def query(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params)}" if params else path
