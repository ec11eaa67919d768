"""The wizard as a hypothesis state machine (reliability.md AZ-4, CC-2, part 3.7; F8): a signed-in applicant
starts from a complete draft and saves steps in any order, with valid and invalid answers, with "Continue",
"Back" or "Save and come back later", opens pages, and submits twice in a row. After every action: what was
last posted on each step is what the draft holds (nothing typed is lost, valid or not), no 5xx, and a draft
makes at most one submission.

CI runs 10 walks of up to 30 actions; F8's own count, 100 walks, runs with FIGURES_FULL=1 (scripts/figures.sh).
"""
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import func, select

from tests.reliability.figures import scaled
from tests.support.pages import ClientHelper
from tests.wizard import walk
from tests.wizard.answers import WORKS_WITH
from wizard import engine
from wizard.extensions import db
from wizard.models import Submission

pytestmark = pytest.mark.figure("F8")

WALKS = scaled(ci=10, full=100)
STEPS = ["organisation", "contact", "works_with"]  # "country" stays GB, so the path keeps its steps
TEXT = {"organisation": "name", "contact": "contact_name", "works_with": "how_it_works"}
ACTIONS = ["continue", "back", "save"]


def answer(step: str, variant: int, valid: bool) -> dict:
    data = dict(WORKS_WITH[step])
    data[TEXT[step]] = f"{data[TEXT[step]]} {variant}" if valid else ""  # a required field left empty
    return data


def wizard_machine(app, helper: ClientHelper, submissions: list):
    class ApplicantWalk(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.public_id = walk.start(helper, "works_with_clusters")
            walk.fill(helper, self.public_id, "country", WORKS_WITH["country"])
            self.posted: dict[str, tuple[dict, bool]] = {}
            for step in STEPS:  # a complete draft to start from, so that walks can reach a submission
                walk.fill(helper, self.public_id, step, answer(step, 0, True))
                self.posted[step] = (answer(step, 0, True), True)
            walk.fill(helper, self.public_id, "logo", {})  # the optional last step, answered once with no file
            self.submitted = False

        @precondition(lambda self: not self.submitted)
        @rule(step=st.sampled_from(STEPS), variant=st.integers(0, 9), valid=st.sampled_from([True, True, True, False]),
              action=st.sampled_from(ACTIONS))
        def save(self, step, variant, valid, action):
            data = answer(step, variant, valid)
            page = walk.fill(helper, self.public_id, step, data, action=action, expected=None)
            expected = 302 if valid or action != "continue" else 400
            assert page.status == expected, (step, valid, action, page.status, page.error_summary)
            self.posted[step] = (data, valid)

        @rule(step=st.sampled_from(["country", *STEPS, "check-answers"]))
        def look(self, step):
            status = helper.client.get(walk.step_url(self.public_id, step)).status_code
            assert status in (200, 302), (step, status)

        @precondition(lambda self: not self.submitted and len(self.posted) == len(STEPS)
                      and all(valid for _, valid in self.posted.values()))
        @rule()
        def submit_twice(self):
            url = f"/drafts/{self.public_id}/check-answers"
            check = helper.get(url)
            form = {"version": check.value_of("version"), "consent": "y", "declaration": "y",
                    "csrf_token": check.value_of("csrf_token")}
            first, again = helper.client.post(url, data=form), helper.client.post(url, data=form)  # a double click
            self.submitted = True
            submissions.append(self.public_id)
            assert [first.status_code, again.status_code] == [303, 303] or \
                {first.status_code, again.status_code} <= {302, 303}, (first.status_code, again.status_code)

        @invariant()
        def nothing_typed_is_lost(self):
            stored = walk.profile_of(self.public_id).answers or {}
            for step, (data, valid) in self.posted.items():
                held = stored.get(step) or {}
                lost = {k: v for k, v in data.items() if held.get(k) != (v if isinstance(v, list) else [v])}
                assert not lost, f"{step}: posted {lost}, the draft holds {held}"
                assert bool(held.get(engine.VALID_FLAG)) == valid, (step, held.get(engine.VALID_FLAG), valid)

        @invariant()
        def at_most_one_submission(self):
            profile = walk.profile_of(self.public_id)
            count = db.session.scalar(select(func.count()).select_from(Submission)
                                      .where(Submission.profile_id == profile.id))
            assert count == (1 if self.submitted else 0), count

    return ApplicantWalk


@pytest.mark.config(RATELIMIT_ENABLED=False)
def test_walks_in_any_order_lose_nothing_and_submit_once(app, client, applicant, sign_in):
    sign_in(applicant)
    submissions: list[str] = []
    machine = wizard_machine(app, ClientHelper(app, client), submissions)
    # No shrinking: a failing walk is printed as it ran, at once, rather than after minutes of shrinking.
    run_state_machine_as_test(machine, settings=settings(
        max_examples=WALKS, stateful_step_count=30, derandomize=True, deadline=None, database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
    # A sanity check that the walks reach the double submission at all (about half of them do).
    assert len(submissions) >= max(1, WALKS // 4), f"only {len(submissions)} of {WALKS} walks reached a submission"
