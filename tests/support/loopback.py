"""HTTP clients that come from different client addresses: each binds its socket to its own 127.0.0.0/8 address.

The app trusts no X-Forwarded-For unless PROXY_FIX_HOPS is set, so a limit per client address can only
be exercised from several real source addresses; on Linux every 127.x.y.z address is the loopback.
"""
import re

import requests
from requests.adapters import HTTPAdapter

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Visitor:
    """One browser at one client address: its cookies, and the CSRF token of its session."""

    def __init__(self, base_url: str, source: str = "127.0.0.1"):
        self.base_url = base_url
        self.source = source
        self.http = requests.Session()
        self.http.trust_env = False  # loopback only, never a proxy from the environment
        self.http.mount("http://", _SourceAddressAdapter(source))
        self.token = ""

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.http.get(self.base_url + path, timeout=30, **kwargs)
        if found := _CSRF.search(response.text):
            self.token = found.group(1)
        return response

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        if not self.token:
            self.get("/account/sign-in")  # the token belongs to the session, not to one form
        return self.http.post(self.base_url + path, data={"csrf_token": self.token, **data}, timeout=60,
                              allow_redirects=False, **kwargs)


def client_address(group: int, n: int) -> str:
    """The n-th client address of a group: 127.<group>.<n // 250>.<n % 250 + 1>."""
    return f"127.{group}.{n // 250}.{n % 250 + 1}"
