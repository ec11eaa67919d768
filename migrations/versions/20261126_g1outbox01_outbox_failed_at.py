"""outbox: when an e-mail failed for good

Revision ID: g1outbox01
Revises: f1directory02
Create Date: 2026-11-26 04:30:00

The undelivered e-mails page showed only when a message was queued; an administrator correcting a mail
server needs to know when it gave up. Messages that failed before this revision have no such time: they
keep NULL, which the page shows as "not recorded" rather than a guess.
"""
from alembic import op
import sqlalchemy as sa


revision = 'g1outbox01'
down_revision = 'f1directory02'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('outbox_messages', sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('outbox_messages', 'failed_at')  # SQLite 3.35+ drops a column in place
