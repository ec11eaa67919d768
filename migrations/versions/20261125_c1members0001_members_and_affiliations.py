"""members and affiliations

Revision ID: c1members0001
Revises: b6a815d1961f
Create Date: 2026-11-25 15:40:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'c1members0001'
down_revision = 'b6a815d1961f'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
