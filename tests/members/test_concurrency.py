"""Exactly one decision per request, also when approve and decline arrive at the same instant (CC-1).

Two administrators of one cluster open their e-mailed links and press at once: threads released by a
barrier, each with its own client, session and database connection. Runs on SQLite and, in the
PostgreSQL pass, on PostgreSQL.
"""
from functools import partial

import pytest
from sqlalchemy import func, select

from tests.members.conftest import affiliation_between, decision_links
from tests.reliability.figures import scaled
from tests.support.pages import ClientHelper
from tests.support.together import run_together
from wizard.extensions import db
from wizard.models import AuditEntry, OutboxMessage

TRIALS = scaled(ci=20, full=100)  # F11 asks 100: FIGURES_FULL=1 (scripts/figures.sh)
# A cluster's administrators get at most 25 affiliation e-mails a day (services.affiliations): a new cluster
# every 20 trials keeps the race, not that cap, under test.
TRIALS_PER_CLUSTER = 20


@pytest.mark.config(RATELIMIT_ENABLED=False)  # forty link clicks a minute from one address would be throttled
def test_approve_against_decline_records_one_decision(app, submitted_member, make_cluster, make_admin):
    for trial in range(TRIALS):
        batch = trial // TRIALS_PER_CLUSTER
        anna, ben = f"anna{batch}@sisax.example", f"ben{batch}@sisax.example"
        if trial % TRIALS_PER_CLUSTER == 0:
            cluster = make_cluster(name=f"Silicon Saxony {batch}", acronym=f"SiSax{batch}",
                                   website=f"https://www.silicon-saxony-{batch}.de",
                                   admins=[make_admin(anna), make_admin(ben)])
        member = submitted_member(cluster, name=f"Member {trial}", website=f"https://member-{trial}.example.de")
        presses = []
        for admin, action in ((anna, "approve"), (ben, "decline")):
            client = app.test_client()
            link = decision_links(admin)[action]
            presses.append((client, link, ClientHelper(app, client).csrf_token(link), action))
        def press(client, link, token):
            return client.post(link, data={"confirm": "y", "csrf_token": token}).status_code

        statuses = run_together(app, [partial(press, client, link, token) for client, link, token, _ in presses])
        answers = {action: status for (*_, action), status in zip(presses, statuses, strict=True)}
        db.session.expire_all()
        affiliation = affiliation_between(member, cluster)
        assert sorted(answers.values()) == [200, 409], (trial, answers)
        winner = next(action for action, status in answers.items() if status == 200)
        assert affiliation.status == {"approve": "approved", "decline": "declined"}[winner]
        decisions = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.subject_type == "affiliation", AuditEntry.subject_id == affiliation.id,
            AuditEntry.action.in_(["affiliation_approved", "affiliation_declined"])))
        outcomes = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.dedupe_key.like(f"affout:{affiliation.id}:%")))
        assert (decisions, outcomes) == (1, 1), trial
