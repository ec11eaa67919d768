"""association and partnership: typed-in clusters move to their own steps

Revision ID: types01
Revises: g1outbox01
Create Date: 2026-12-04 03:55:00

Issue 17 item 7: an association's member clusters and a partnership's partners are now picked from the
platform on a step of their own ("member_clusters", "partner_clusters"), and those not on the platform are
typed in on the step after it ("member_clusters_typed", "partner_clusters_typed"). Rows typed before this
revision sat in the "association" and "partnership" steps; they move to the typed-in step, and the picker
step says "some are not on the platform", so drafts, submissions and public pages keep every row. Stored
answers are {step: {field: [values]}, ...} with a "_valid" flag per step (wizard/engine.py).
"""
from alembic import op
import sqlalchemy as sa


revision = 'types01'
down_revision = 'g1outbox01'
branch_labels = None
depends_on = None

# profile type -> (its old step, the rows' field prefix, the picker step, the typed-in step)
MOVES = {"association": ("association", "member_clusters-", "member_clusters", "member_clusters_typed"),
         "partnership": ("partnership", "partners-", "partner_clusters", "partner_clusters_typed")}

profiles = sa.table("profiles", sa.column("id", sa.Integer), sa.column("profile_type", sa.String),
                    sa.column("answers", sa.JSON))
submissions = sa.table("submissions", sa.column("id", sa.Integer), sa.column("profile_id", sa.Integer),
                       sa.column("answers", sa.JSON))


def forward(answers: dict, profile_type: str) -> dict | None:
    old_step, prefix, picker, typed = MOVES[profile_type]
    old = dict(answers.get(old_step) or {})
    rows = {key: value for key, value in old.items() if key.startswith(prefix)}
    if not rows or picker in answers:
        return None
    for key in rows:
        del old[key]
    filled = any(str(v).strip() for values in rows.values() for v in (values if isinstance(values, list) else [values]))
    moved = {**answers, old_step: old}
    moved[typed] = {**rows, "_valid": bool(old.get("_valid"))}
    moved[picker] = {"clusters": [], "not_listed": ["y"] if filled else [], "_valid": filled}
    return moved


def backward(answers: dict, profile_type: str) -> dict | None:
    old_step, prefix, picker, typed = MOVES[profile_type]
    if typed not in answers and picker not in answers:
        return None
    moved = {key: value for key, value in answers.items() if key not in (picker, typed)}
    rows = {key: value for key, value in (answers.get(typed) or {}).items() if key.startswith(prefix)}
    moved[old_step] = {**(answers.get(old_step) or {}), **rows}
    return moved


def _rewrite(change) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(profiles.c.id, profiles.c.profile_type, profiles.c.answers)
                        .where(profiles.c.profile_type.in_(list(MOVES)))).all()
    types = {}
    for profile_id, profile_type, answers in rows:
        types[profile_id] = profile_type
        new = change(answers or {}, profile_type)
        if new is not None:
            bind.execute(profiles.update().where(profiles.c.id == profile_id).values(answers=new))
    if not types:
        return
    frozen = bind.execute(sa.select(submissions.c.id, submissions.c.profile_id, submissions.c.answers)
                          .where(submissions.c.profile_id.in_(list(types)))).all()
    for submission_id, profile_id, answers in frozen:
        new = change(answers or {}, types[profile_id])
        if new is not None:
            bind.execute(submissions.update().where(submissions.c.id == submission_id).values(answers=new))


def upgrade():
    _rewrite(forward)


def downgrade():
    _rewrite(backward)
