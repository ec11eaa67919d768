"""Double submission: two simultaneous POSTs of "Submit", then three replays of the same form, for each of many
drafts (reliability.md CC-2, EM-4; F12). Every POST lands on the confirmation page; each draft makes exactly
one submission and one e-mail per recipient (the applicant and the one validator: k = 2).

CI runs 10 drafts; F12's own count, 50, runs with FIGURES_FULL=1 (scripts/figures.sh). Each browser is its own
test client with its own session, and each request runs in its own thread's application context.
"""
from collections import Counter
from functools import partial

import pytest
from sqlalchemy import func, select

from tests.faults.world import ready_drafts
from tests.reliability.figures import scaled
from tests.support.pages import Page
from tests.support.together import run_together
from wizard.extensions import db
from wizard.models import OutboxMessage, Submission

pytestmark = pytest.mark.figure("F12")

DRAFTS = scaled(ci=10, full=50)
REPLAYS = 3


def submit_form(client, url: str) -> dict:
    page = Page(client.get(url))
    assert page.status == 200, page.status
    return {"version": page.value_of("version"), "consent": "y", "declaration": "y",
            "csrf_token": page.value_of("csrf_token")}


def post_together(app, posts) -> list[str]:
    def post(client, url, form) -> str:
        response = client.post(url, data=form)
        return f"{response.status_code} {response.headers.get('Location', '')}"

    return run_together(app, [partial(post, *args) for args in posts])


@pytest.mark.config(RATELIMIT_ENABLED=False)
def test_simultaneous_and_replayed_submits_make_one_submission_per_draft(app, applicant, validator, sign_in):
    tabs = [app.test_client(), app.test_client()]
    for tab in tabs:
        sign_in(applicant, on_client=tab)
    public_ids = ready_drafts(applicant, DRAFTS, prefix="Twice")
    problems = []
    for public_id in public_ids:
        url = f"/drafts/{public_id}/check-answers"
        forms = [submit_form(tab, url) for tab in tabs]  # both tabs show the same version
        answers = post_together(app, [(tab, url, form) for tab, form in zip(tabs, forms, strict=True)])
        for replay in range(REPLAYS):  # back button and "send again", from either tab
            response = tabs[replay % 2].post(url, data=forms[replay % 2])
            answers.append(f"{response.status_code} {response.headers.get('Location', '')}")
        confirmation = f"/drafts/{public_id}/submitted"
        landed = [a for a in answers if a.split(" ")[0] in ("302", "303") and a.endswith(confirmation)]
        if len(landed) != 2 + REPLAYS:
            problems.append(f"{public_id}: {answers}")
    assert not problems, problems
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Submission)) == DRAFTS
    recipients = Counter(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {applicant.email: DRAFTS, validator.email: DRAFTS}, recipients
