"""What people do in the browser, as small reusable steps: a journey is a short list of these.

Every step goes through `Visit` (tests/support/browser.py), so each page reached is audited.
E-mailed links are followed the way a newcomer does: from the development outbox page.
"""
import re
import secrets

from bs4 import BeautifulSoup

from tests.support.browser import Visit

#: The password of the accounts journeys create (the demo accounts have the demo password).
PASSWORD = "journey lantern pebble 2026"  # noqa: S105 - a test account's password

ROW_KEY = re.compile(r"^(?P<list>[a-z_]+)-(?P<index>\d+)-")


def tag() -> str:
    """A short unique suffix: journeys share one database, so names and websites must not collide."""
    return secrets.token_hex(3)


# --- filling forms ---------------------------------------------------------------------------------------


def controls(visit: Visit) -> dict[str, str]:
    """{field name: "select" | "radio" | "checkbox" | "file" | "text"} for the page, from one read of its HTML."""
    kinds = {}
    soup = BeautifulSoup(visit.page.content(), "html.parser")
    for element in soup.select("select[name], input[name], textarea[name]"):
        kind = "select" if element.name == "select" else (element.get("type") or "text").lower()
        kind = kind if kind in ("select", "radio", "checkbox", "file", "hidden") else "text"
        if kinds.get(element["name"], "hidden") == "hidden":  # a visible control wins over a hidden copy
            kinds[element["name"]] = kind
    return kinds


def fill(visit: Visit, fields: dict) -> None:
    """Fills a form by field name, whatever the control: text, select, radios, checkboxes or file."""
    page = visit.page
    kinds = controls(visit)
    for name, value in fields.items():
        values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        if name not in kinds:
            add_row_for(visit, name)
            kinds = controls(visit)
        kind = kinds[name]
        if kind == "select":
            select = page.locator(f'select[name="{name}"]')
            if select.is_visible():
                select.select_option(values)
            else:
                type_ahead(visit, select, values[0])
        elif kind == "radio":
            page.locator(f'input[type=radio][name="{name}"][value="{values[0]}"]').check()
        elif kind == "checkbox":
            boxes = page.locator(f'input[type=checkbox][name="{name}"]')
            if boxes.count() == 1 and values[0] in ("y", "1", ""):
                boxes.set_checked(values[0] != "")
                continue
            for index in range(boxes.count()):
                box = boxes.nth(index)
                box.set_checked(box.get_attribute("value") in values)
        elif kind == "file":
            page.locator(f'input[type=file][name="{name}"]').set_input_files(values[0])
        else:
            page.locator(f'[name="{name}"]:not([type=hidden])').fill(values[0])


def type_ahead(visit: Visit, select, value: str) -> None:
    """A select that JavaScript made a type-ahead (static/countries.js): type the start of the name, pick it."""
    name = select.locator(f'option[value="{value}"]').inner_text().strip()
    box = visit.page.locator(f'[id="{select.get_attribute("id").removesuffix("-select")}"]')
    box.fill(name[:4])
    visit.page.get_by_role("option", name=name, exact=True).click()


def add_row_for(visit: Visit, name: str) -> None:
    """Repeating rows: presses "Add another ..." (a plain submit button, works without JavaScript)."""
    match = ROW_KEY.match(name)
    assert match, f"no field named {name!r} on {visit.page.url}"
    visit.submit(visit.page.locator(f'button[name="add_row"][value="{match["list"]}"]'))
    assert name in controls(visit), f"adding a row did not make {name!r} appear"


def step_name(visit: Visit) -> str:
    """The declared name of the step on screen (its address is kebab-case); "check_answers" on that page."""
    match = re.search(r"/drafts/[^/]+/([^/?#]+)", visit.page.url)
    return match.group(1).replace("-", "_") if match else ""


def public_id_of(visit: Visit) -> str:
    return re.search(r"/drafts/([^/?#]+)", visit.page.url).group(1)


# --- the wizard ----------------------------------------------------------------------------------------------


def start(visit: Visit, profile_type: str) -> str:
    """From the start page: the type's "Start" link, then "Start now". Returns the draft's public id."""
    visit.goto("/")
    visit.submit(visit.page.locator(f'main a[href="/start/{profile_type}"]'), expected=200)
    visit.submit("Start now")
    assert step_name(visit) == "country", visit.page.url
    return public_id_of(visit)


def walk(visit: Visit, answers: dict, stop_at: str = "check_answers", errors_on: tuple[str, ...] = ()) -> list[str]:
    """Answers each step the wizard shows, in its order, until `stop_at`; returns the steps seen.

    On the steps named in `errors_on` the person first presses "Save and continue" without answering,
    so the page with its errors is audited too.
    """
    seen = []
    while (name := step_name(visit)) != stop_at:
        assert name in answers, f"the wizard asked for {name!r}, which this journey has no answers for"
        assert name not in seen, f"the wizard came back to {name!r}: {visit.errors()}"
        seen.append(name)
        if name in errors_on:
            visit.submit("Save and continue", expected=400)
            check_error_summary(visit)
        if callable(answers[name]):
            answers[name](visit)  # a step that needs more than typing, e.g. searching for a cluster
        else:
            fill(visit, answers[name])
            visit.submit("Save and continue")
    return seen


def check_error_summary(visit: Visit) -> None:
    """Errors are listed at the top, each linking to its field, and the summary has the focus (with JavaScript)."""
    links = visit.page.locator("#error-summary a")
    assert links.count(), f"no error summary on {visit.page.url}"
    for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
        assert href.startswith("#") and visit.page.locator(f'[id="{href[1:]}"]').count() == 1, \
            f"error link {href} leads nowhere on {visit.page.url}"
    assert visit.page.title().startswith("Error: "), visit.page.title()
    if visit.javascript:
        assert visit.page.evaluate("document.activeElement.id") == "error-summary", "the summary did not get the focus"


def choose_cluster(search: str, result_name: str):
    """The member's cluster step: search, add the published cluster organisation, continue."""

    def choose(visit: Visit) -> None:
        fill(visit, {"q": search})
        visit.submit("Search", expected=200)
        visit.submit(visit.page.get_by_role("button", name=f"Add {result_name}", exact=True), expected=200)
        assert visit.page.locator("#clusters").get_by_text(result_name).count(), "the chosen cluster is not listed"
        visit.submit("Save and continue")

    return choose


def cluster_not_listed(visit: Visit) -> None:
    fill(visit, {"not_listed": "y"})
    visit.submit("Save and continue")


def submit_profile(visit: Visit) -> None:
    """On "Check your answers", signed in: the consent, the declaration, then submit."""
    assert visit.h1() == "Check your answers", visit.h1()
    fill(visit, {"consent": "y", "declaration": "y"})
    visit.submit("Submit for validation", expected=200)
    assert visit.h1() == "Profile submitted", visit.text()[:500]


# --- accounts and e-mail ---------------------------------------------------------------------------------------


def sign_in(visit: Visit, email: str, password: str = PASSWORD, next_path: str | None = None) -> None:
    visit.goto("/account/sign-in" + (f"?next={next_path}" if next_path else ""))
    fill(visit, {"email": email, "password": password})
    visit.submit("Sign in", expected=200)
    assert "You are signed in" in visit.text(), visit.errors() or visit.text()[:300]


def sign_out(visit: Visit) -> None:
    visit.submit(visit.page.locator("form[action='/account/sign-out'] button"), expected=200)


def register_and_confirm(visit: Visit, email: str, full_name: str = "Journey Person") -> None:
    """Creates an account, confirms the address from the e-mail, signs in: anonymous drafts come along."""
    visit.goto("/account/register")
    fill(visit, {"full_name": full_name, "email": email, "password": PASSWORD, "confirm": PASSWORD})
    visit.submit("Create account", expected=200)
    open_email_link(visit, email, "/account/verify/")
    visit.submit("Confirm my e-mail address", expected=200)
    sign_in(visit, email)


def sign_up_on_the_way(visit: Visit, email: str, full_name: str = "Journey Person") -> None:
    """From the page with the "create an account" link: create it, confirm the address from the e-mail,
    and sign in on the page the confirmation leads to, wherever that then goes."""
    visit.follow("create an account")
    fill(visit, {"full_name": full_name, "email": email, "password": PASSWORD, "confirm": PASSWORD})
    visit.submit("Create account", expected=200)
    open_email_link(visit, email, "/account/verify/")
    visit.submit("Confirm my e-mail address", expected=200)
    assert visit.h1() == "Sign in", visit.h1()
    fill(visit, {"email": email, "password": PASSWORD})
    visit.submit("Sign in", expected=200)
    assert "You are signed in" in visit.text(), visit.errors() or visit.text()[:300]


def open_email(visit: Visit, recipient: str, subject: str | None = None) -> None:
    """Opens the newest e-mail to `recipient` whose subject, or else whose text, contains `subject`, on /dev/outbox.

    Subjects carry no text an applicant typed (RL-2), so an e-mail about a named profile is found by its body."""
    visit.goto("/dev/outbox")
    rows = visit.page.locator("tbody tr").filter(has=visit.page.get_by_role("cell", name=recipient, exact=True))
    assert rows.count(), f"no e-mail to {recipient} in the outbox"
    if not subject or rows.filter(has_text=subject).count():
        visit.submit((rows.filter(has_text=subject) if subject else rows).first.get_by_role("link"), expected=200)
        return
    for n in range(min(rows.count(), 8)):
        visit.submit(rows.nth(n).get_by_role("link"), expected=200)
        if subject in visit.text():
            return
        visit.goto("/dev/outbox")
        rows = visit.page.locator("tbody tr").filter(has=visit.page.get_by_role("cell", name=recipient, exact=True))
    raise AssertionError(f"no e-mail to {recipient} about {subject} in the outbox")


def open_email_link(visit: Visit, recipient: str, link_prefix: str, subject: str | None = None,
                    after: str | None = None) -> str:
    """Opens the e-mail and follows its one link to `link_prefix` (or the one right after the words `after`)."""
    open_email(visit, recipient, subject)
    links = visit.page.locator(f'pre a[href*="{link_prefix}"]')
    if after:
        links = visit.page.locator(f'xpath=//pre/a[contains(preceding-sibling::text()[1], "{after}")]')
    assert links.count() == 1, f"expected one link to {link_prefix} in the e-mail: {visit.text()[:800]}"
    href = links.first.get_attribute("href")
    visit.submit(links.first)
    return href


# --- staff ---------------------------------------------------------------------------------------------------


def validator_decides(visit: Visit, email: str, password: str, profile_name: str, decision: str = "publish",
                      message: str = "") -> None:
    """The validator follows the "new profile" e-mail to the submission, signs in, and records a decision."""
    # Subjects carry no applicant's text (RL-2): the newest such e-mail is this journey's; the h1 below checks it.
    open_email_link(visit, email, "/validation/profiles/", subject="New profile to validate")
    if visit.h1() == "Sign in":
        fill(visit, {"email": email, "password": password})
        visit.submit("Sign in", expected=200)
    assert profile_name in visit.h1(), visit.h1()
    fill(visit, {"decision": decision, **({"message": message} if message else {})})
    visit.submit("Record the decision", expected=200)


def listed_in_directory(visit: Visit, name: str) -> None:
    """The public directory finds the profile by name, and its page opens."""
    visit.goto("/directory/")
    fill(visit, {"q": name})
    visit.submit("Search", expected=200)
    visit.follow(name)
    assert name in visit.h1(), visit.h1()
