"""Debian's Chromium through Playwright, and a page wrapper that audits every page a journey visits.

Each page reached by `Visit.goto`, `Visit.submit` or `Visit.follow` is checked before the journey
goes on: the HTTP status is below 500, axe-core finds no WCAG 2.1 A/AA violation, and a full-page
screenshot is saved under test-artifacts/screenshots/<test>/. Over the whole visit no Content
Security Policy violation, JavaScript error or dialog (an executed XSS payload) may happen.

axe-core runs inside the page, so it cannot run where JavaScript is disabled: there the HTML as
the browser received it is replayed into a JavaScript-enabled auditor page at the same address.
"""
import os
import re
import shutil
from dataclasses import dataclass, field

import pytest

from tests.support.server import ARTIFACTS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = ARTIFACTS / "screenshots"
# Reported as a console error by our listener, so pages with JavaScript on show the directive and the URL.
CSP_LISTENER = ("document.addEventListener('securitypolicyviolation', function (e) {"
                " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });")


def chromium_path() -> str:
    """A missing browser fails the journeys (never skips them): `make test` installs Debian's chromium as root."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs it (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test session (per xdist worker); tests open their own contexts."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def axe():
    """The axe-core script shipped with axe-playwright-python (no download)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def run_axe(page, axe_script: str):
    """axe-core is added to each new document by an init script, so here it only runs (no re-injection)."""
    from axe_playwright_python.base import AxeResults

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return AxeResults(page.evaluate("options => axe.run(document, options)", options))


def slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit] or "page"


@dataclass
class Problems:
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def security_relevant(self) -> list[str]:
        csp = [m for m in self.console if "Content Security Policy" in m or m.startswith("CSP violation")]
        return [*(f"CSP: {m}" for m in csp), *(f"dialog: {m}" for m in self.dialogs),
                *(f"script error: {m}" for m in self.page_errors)]


class Visit:
    """One person's browser tab during a journey (a fresh context: cookies of its own)."""

    def __init__(self, browser, axe, base_url: str, name: str, javascript: bool = True):
        self.base_url = base_url.rstrip("/")
        self.javascript = javascript
        self.axe = axe
        self.context = browser.new_context(java_script_enabled=javascript, base_url=self.base_url,
                                           viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(CSP_LISTENER)
        self.context.add_init_script(axe)
        self.page = self.context.new_page()
        self.problems = Problems()
        self.page.on("console", lambda m: m.type == "error" and self.problems.console.append(m.text))
        self.page.on("dialog", self._on_dialog)
        self.page.on("pageerror", lambda e: self.problems.page_errors.append(str(e)))
        self._auditor = None
        if not javascript:
            auditor_context = browser.new_context(base_url=self.base_url, viewport={"width": 1280, "height": 900})
            auditor_context.add_init_script(axe)
            self._auditor = auditor_context.new_page()
        self.shots = SCREENSHOTS / slug(name, 120)
        shutil.rmtree(self.shots, ignore_errors=True)
        self.audited: list[str] = []
        self.last_status: int | None = None
        self.last_headers: dict[str, str] = {}

    def _on_dialog(self, dialog) -> None:
        self.problems.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    # --- moving around -------------------------------------------------------------------------------------

    def goto(self, path: str, expected: int | None = 200) -> "Visit":
        response = self.page.goto(path if path.startswith("http") else self.base_url + path)
        return self._arrived(response, expected)

    def submit(self, button, expected: int | None = None) -> "Visit":
        """Clicks a button or link (a Locator or its visible text) that loads a new page."""
        locator = self.page.get_by_role("button", name=button, exact=True) if isinstance(button, str) else button
        with self.page.expect_navigation() as navigation:
            locator.click()
        return self._arrived(navigation.value, expected)

    def follow(self, link_text: str, expected: int | None = 200) -> "Visit":
        with self.page.expect_navigation() as navigation:
            self.page.get_by_role("link", name=link_text, exact=True).first.click()
        return self._arrived(navigation.value, expected)

    def press_enter_and_wait(self, expected: int | None = None) -> "Visit":
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press("Enter")
        return self._arrived(navigation.value, expected)

    def _arrived(self, response, expected: int | None) -> "Visit":
        self.page.wait_for_load_state("load")
        status = response.status if response else None
        self.last_status = status
        self.last_headers = response.headers if response else {}
        assert status is not None and status < 500, f"{self.page.url}: HTTP {status}\n{self.text()[:600]}"
        if expected is not None:
            assert status == expected, f"{self.page.url}: HTTP {status}, expected {expected}: {self.errors()}"
        self.audit()
        return self

    # --- what every page must pass ------------------------------------------------------------------------

    def audit(self) -> None:
        """Screenshot, then axe-core; stops the journey at the first page with a violation."""
        label = f"{len(self.audited) + 1:02d}-{slug(self.page.title())}"
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.shots / f"{label}.jpeg"), full_page=True, type="jpeg", quality=70)
        target = self.page if self.javascript else self._replay_for_audit()
        results = run_axe(target, self.axe)
        self.audited.append(self.page.url)
        assert results.violations_count == 0, f"axe on {self.page.url} ({label}):\n{results.generate_report()}"
        assert not self.problems.security_relevant(), self.problems.security_relevant()

    def _replay_for_audit(self):
        """The no-JavaScript page's HTML, served again at its own URL to a page where axe can run."""
        html = self.page.content()
        url = self.page.url
        auditor = self._auditor
        def same_page(address: str) -> bool:
            return address == url

        # The page's own policies come along: without its Referrer-Policy the replay would send token URLs as Referer.
        headers = {name: value for name, value in self.last_headers.items()
                   if name.lower() in ("content-security-policy", "referrer-policy", "content-type")}
        auditor.route(same_page, lambda route: route.fulfill(status=200, headers=headers, body=html))
        try:
            auditor.goto(url)
        finally:
            auditor.unroute(same_page)
        return auditor

    def finish(self) -> None:
        """The end of the visit: nothing suspicious happened on any page; the context is closed."""
        try:
            assert not self.problems.security_relevant(), self.problems.security_relevant()
        finally:
            self.close()

    def close(self) -> None:
        if self._auditor is not None:
            self._auditor.context.close()
            self._auditor = None
        self.context.close()

    # --- reading the page ---------------------------------------------------------------------------------

    def text(self) -> str:
        return self.page.inner_text("body")

    def h1(self) -> str:
        return self.page.inner_text("h1").strip()

    def errors(self) -> list[str]:
        return [t.strip() for t in self.page.locator("#error-summary a").all_inner_texts()]

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)


@pytest.fixture
def visits(browser, axe, request):
    """Opens `Visit`s for the test (`visits(base_url, who)`) and checks and closes them at the end."""
    opened: list[Visit] = []

    def open_visit(base_url: str, who: str = "visitor", javascript: bool = True) -> Visit:
        visit = Visit(browser, axe, base_url, f"{request.node.name}-{who}", javascript=javascript)
        opened.append(visit)
        return visit

    yield open_visit
    failures = []
    for visit in opened:
        failures += visit.problems.security_relevant()
        visit.close()
    assert not failures, failures
