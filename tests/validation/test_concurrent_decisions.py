"""Two validators deciding the same submission at the same instant record exactly one decision.

Each thread has its own application context, so its own session and database connection; a
Barrier releases both decisions together. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""
from functools import partial

from sqlalchemy import func, select

from tests.reliability.figures import scaled
from tests.support.emails import queued_emails
from tests.support.together import run_together
from tests.validation.factory import bulk_submitted
from wizard.extensions import db
from wizard.models import AuditEntry, Profile, User
from wizard.services import decisions

TRIALS = scaled(ci=20, full=100)  # F11 asks 100: FIGURES_FULL=1 (scripts/figures.sh)


def _race(app, profile_id: int, version: int, contenders: list[tuple[int, decisions.Decision]]) -> list[str]:
    def contend(user_id: int, decision: decisions.Decision) -> str:
        profile = db.session.get(Profile, profile_id)
        user = db.session.get(User, user_id)
        try:
            decisions.decide(profile, decision, user, version, "Decided in a race.")
        except decisions.DecisionRefused as refusal:
            return f"refused:{refusal}"
        return f"won:{decision}"

    return run_together(app, [partial(contend, *contender) for contender in contenders])


def test_simultaneous_decisions_record_one(app, applicant, validator, admin_user):
    profiles = bulk_submitted(applicant, TRIALS)
    for n, profile in enumerate(profiles):
        first = decisions.Decision.PUBLISH
        second = decisions.Decision.REJECT if n % 2 else decisions.Decision.PUBLISH
        outcomes = _race(app, profile.id, profile.version, [(validator.id, first), (admin_user.id, second)])
        winners = [o for o in outcomes if o.startswith("won:")]
        losers = [o for o in outcomes if o.startswith("refused:")]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert "already been decided" in losers[0], losers
    db.session.expire_all()
    per_profile = dict(db.session.execute(
        select(AuditEntry.subject_id, func.count()).where(AuditEntry.action.in_(["published", "rejected"]))
        .group_by(AuditEntry.subject_id)).all())
    assert per_profile == {p.id: 1 for p in profiles}
    assert len(queued_emails(to=applicant.email)) == TRIALS
    statuses = [db.session.get(Profile, p.id).status for p in profiles]
    assert set(statuses) <= {"published", "rejected"} and len(statuses) == TRIALS
