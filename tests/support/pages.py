"""Drive the app like a person: pages come back parsed, forms are posted with their CSRF token."""
import re
from collections import Counter

from bs4 import BeautifulSoup


class Page:
    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")

    def __getattr__(self, name):
        return getattr(self.soup, name)

    @property
    def h1(self) -> str:
        heading = self.soup.select_one("h1")
        return heading.get_text(" ", strip=True) if heading else ""

    @property
    def title(self) -> str:
        return self.soup.title.get_text(strip=True) if self.soup.title else ""

    @property
    def error_summary(self) -> list[str]:
        return [a.get_text(" ", strip=True) for a in self.soup.select("#error-summary a")]

    @property
    def error_links(self) -> list[str]:
        return [a["href"] for a in self.soup.select("#error-summary a")]

    def text(self) -> str:
        return self.soup.get_text(" ", strip=True)

    def value_of(self, name: str) -> str | None:
        element = self.soup.find(attrs={"name": name})
        if element is None:
            return None
        if element.name == "textarea":
            return element.get_text()
        if element.name == "select":
            chosen = element.find("option", selected=True)
            return chosen["value"] if chosen else None
        return element.get("value")

    def check_hygiene(self) -> None:
        """What every HTML page must have: a title, one h1, unique ids, labelled inputs, a CSRF token per POST form."""
        if "text/html" not in self.response.content_type:
            return
        assert self.title, "page has no <title>"
        assert self.soup.find("html").get("lang") == "en"
        ids = Counter(tag["id"] for tag in self.soup.find_all(id=True))
        duplicates = [i for i, n in ids.items() if n > 1]
        assert not duplicates, f"duplicate ids: {duplicates}"
        for form in self.soup.find_all("form"):
            if (form.get("method") or "get").lower() == "post":
                has_token = form.find("input", attrs={"name": "csrf_token"})
                assert has_token, f"POST form without CSRF token: {form.get('action')}"
        # One pass over the labels: a search per input made a page of 400 repeating rows take seconds.
        label_targets = {label.get("for") for label in self.soup.find_all("label")}
        for element in self.soup.select("input, select, textarea"):
            if element.get("type") in ("hidden", "submit", "button"):
                continue
            element_id = element.get("id")
            labelled = element_id and element_id in label_targets
            assert labelled or element.get("aria-label"), f"input without a label: {element}"
        assert not self.soup.select("script:not([src])"), "inline script (the CSP forbids it)"
        assert not self.soup.select("[style]"), "inline style attribute (the CSP forbids it)"


class ClientHelper:
    def __init__(self, app, client):
        self.app = app
        self.client = client

    def get(self, url: str, expected: int = 200, **kwargs) -> Page:
        response = self.client.get(url, **kwargs)
        assert response.status_code == expected, f"GET {url}: {response.status_code}, expected {expected}"
        page = Page(response)
        page.check_hygiene()
        return page

    def csrf_token(self, url: str = "/account/sign-in") -> str:
        page = Page(self.client.get(url))
        field = page.soup.find("input", attrs={"name": "csrf_token"})
        assert field is not None, f"no CSRF token on {url}"
        return field["value"]

    def post(self, url: str, data: dict | None = None, expected: int | None = None, form_url: str | None = None,
             follow: bool = False, **kwargs) -> Page:
        """Posts `data` with a CSRF token read from `form_url` (default: the same URL)."""
        payload = dict(data or {})
        if "csrf_token" not in payload:
            payload["csrf_token"] = self.csrf_token(form_url or url)
        response = self.client.post(url, data=payload, follow_redirects=follow, **kwargs)
        if expected is not None:
            assert response.status_code == expected, (
                f"POST {url}: {response.status_code}, expected {expected}: "
                f"{Page(response).error_summary or Page(response).text()[:400]}"
            )
        return Page(response)

    def redirect_target(self, page: Page) -> str:
        location = page.response.headers.get("Location", "")
        return re.sub(r"^https?://[^/]+", "", location)
