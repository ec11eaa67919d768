"""status and role columns accept only their known values

Revision ID: checks01
Revises: types01
Create Date: 2026-12-04 18:20:00

users.role, profiles.status, affiliations.status and outbox_messages.status hold one of a fixed set of
words (the enums in wizard/models). A row with any other word is refused by the database itself.

PostgreSQL gets CHECK constraints. SQLite cannot add one to an existing table without rebuilding it, and
a rebuild drops the expression indexes (lower(email), lower(name)) and, with foreign keys on, would
delete every row that references the table: there, triggers refuse the same rows with the same message.
"""
from alembic import op


revision = 'checks01'
down_revision = 'types01'
branch_labels = None
depends_on = None

# The values as of this revision: a copy, not an import of the enums.
ALLOWED = {
    ('users', 'role'): ('applicant', 'validator', 'admin'),
    ('profiles', 'status'): ('draft', 'submitted', 'changes_requested', 'published', 'rejected', 'withdrawn'),
    ('affiliations', 'status'): ('pending', 'approved', 'declined', 'ended', 'withdrawn'),
    ('outbox_messages', 'status'): ('pending', 'sending', 'sent', 'failed'),
}


def _condition(column, values, row=''):
    return f"{row}{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for (table, column), values in ALLOWED.items():
        name = f'ck_{table}_{column}'
        if not sqlite:
            op.create_check_constraint(op.f(name), table, _condition(column, values))
            continue
        for event in ('INSERT', f'UPDATE OF {column}'):
            op.execute(
                f"CREATE TRIGGER {name}_{event.split()[0].lower()} BEFORE {event} ON {table} "
                f"WHEN NOT ({_condition(column, values, 'NEW.')}) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
            )


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, column in ALLOWED:
        name = f'ck_{table}_{column}'
        if not sqlite:
            op.drop_constraint(op.f(name), table, type_='check')
            continue
        for event in ('insert', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS {name}_{event}')
