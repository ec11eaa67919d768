"""validation and directory: the directory's name order among published profiles

Revision ID: d1validation01
Revises: c1members0001
Create Date: 2026-11-25 15:40:00

The directory lists published profiles by lower-cased name, 25 at a time; with this index the
database walks the published rows in that order and stops after a page, instead of sorting all
of them (20,000 at ten times the real platform's size). The queue, the type/country filters, the
ecosystem join and the duplicate checks use indexes made by the first migration.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd1validation01'
down_revision = 'c1members0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_profiles_status_lower_name', 'profiles', ['status', sa.text('lower(name)')], unique=False)


def downgrade():
    op.drop_index('ix_profiles_status_lower_name', table_name='profiles')
