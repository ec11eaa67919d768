"""Drafts ready to submit, and a person submitting them over HTTP (the fault suites' common ground)."""
import time

import requests
from bs4 import BeautifulSoup

from tests.wizard.answers import WORKS_WITH, WORKS_WITH_STEPS
from wizard import engine
from wizard.extensions import db
from wizard.services import drafts


def ready_drafts(user, count: int, prefix: str = "Fault") -> list[str]:
    """`count` drafts of `user` whose every step is answered and valid, as if walked through the wizard."""
    public_ids = []
    for n in range(count):
        answers = {step: dict(WORKS_WITH[step]) for step in WORKS_WITH_STEPS}
        answers["organisation"].update(name=f"{prefix} Organisation {n}", website=f"https://www.{prefix.lower()}-{n}.eu")
        profile = drafts.start_draft("works_with_clusters", user, None)
        profile.answers = {step: {key: value if isinstance(value, list) else [value] for key, value in fields.items()}
                           | {engine.VALID_FLAG: True} for step, fields in answers.items()}
        drafts.sync_profile_columns(profile)
        public_ids.append(profile.public_id)
    db.session.commit()
    return public_ids


def form_fields(html: str, selector: str = "form[method=post]") -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    forms = [f for f in soup.select(selector) if f.find("input", {"name": "version"})] or soup.select(selector)
    return {i["name"]: i.get("value", "") for i in forms[-1].select("input[name]") if i.get("type") != "checkbox"}


class HttpPerson:
    """A browser without a browser: cookies, CSRF tokens read from the forms, timings of each request."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.timings: list[tuple[str, float]] = []

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._timed("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        return self._timed("POST", path, data=data, allow_redirects=False, **kwargs)

    def _timed(self, method: str, path: str, **kwargs) -> requests.Response:
        started = time.monotonic()
        response = self.session.request(method, self.base_url + path, timeout=60, **kwargs)
        self.timings.append((f"{method} {path}", time.monotonic() - started))
        return response

    def sign_in(self, email: str, password: str) -> None:
        token = form_fields(self.get("/account/sign-in").text)["csrf_token"]
        response = self.post("/account/sign-in", {"csrf_token": token, "email": email, "password": password})
        assert response.status_code == 302, f"sign-in failed: {response.status_code}"

    def submit(self, public_id: str) -> requests.Response:
        fields = form_fields(self.get(f"/drafts/{public_id}/check-answers").text)
        return self.post(f"/drafts/{public_id}/check-answers",
                         {"csrf_token": fields["csrf_token"], "version": fields["version"], "consent": "y",
                          "declaration": "y"})
