"""validation and directory

Revision ID: d1validation01
Revises: c1members0001
Create Date: 2026-11-25 15:40:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = 'd1validation01'
down_revision = 'c1members0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
