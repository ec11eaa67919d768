"""directory and picker: a stored "listed" flag, and name-ordered indexes for the directory and the picker

Revision ID: e1directory01
Revises: d1validation01
Create Date: 2026-11-25 19:00:00

`profiles.listed` is a stored copy of the visibility rule (wizard/services/visibility.py): published,
and for a cluster member an approved affiliation to a published cluster organisation or one approved
by the validators. The directory filtered on the rule itself evaluated it for every published row
(on PostgreSQL it hashed every approved affiliation first); with the flag, a page walks
(listed, lower(name)), or (listed, country_code, lower(name)) for a country, and stops after a page.
The flag is filled here from the rule; from now on visibility.py keeps it current.

The cluster-organisation picker, when a word matches many cluster organisations, walks
(profile_type, status, name) in name order and keeps those that match, instead of sorting every match;
whether a profile matches is one seek in (profile_id, term), which replaces the index on profile_id alone.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e1directory01'
down_revision = 'd1validation01'
branch_labels = None
depends_on = None

# The rule of wizard/services/visibility.py as it stands at this revision, in SQL.
BACKFILL = """
UPDATE profiles SET listed = (
    status = 'published' AND (
        profile_type <> 'cluster_member' OR EXISTS (
            SELECT 1 FROM affiliations a
            WHERE a.member_profile_id = profiles.id AND a.status = 'approved'
              AND (a.cluster_profile_id IS NULL OR EXISTS (
                  SELECT 1 FROM profiles c WHERE c.id = a.cluster_profile_id AND c.status = 'published')))))
"""


def upgrade():
    op.add_column('profiles', sa.Column('listed', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(BACKFILL)
    op.create_index('ix_profiles_listed_lower_name', 'profiles', ['listed', sa.text('lower(name)')], unique=False)
    op.create_index('ix_profiles_listed_country_lower_name', 'profiles',
                    ['listed', 'country_code', sa.text('lower(name)')], unique=False)
    op.create_index('ix_profiles_type_status_name', 'profiles', ['profile_type', 'status', 'name'], unique=False)
    op.create_index('ix_profile_search_terms_profile_term', 'profile_search_terms', ['profile_id', 'term'],
                    unique=False)
    op.drop_index('ix_profile_search_terms_profile_id', table_name='profile_search_terms')


def downgrade():
    op.create_index('ix_profile_search_terms_profile_id', 'profile_search_terms', ['profile_id'], unique=False)
    op.drop_index('ix_profile_search_terms_profile_term', table_name='profile_search_terms')
    op.drop_index('ix_profiles_type_status_name', table_name='profiles')
    op.drop_index('ix_profiles_listed_country_lower_name', table_name='profiles')
    op.drop_index('ix_profiles_listed_lower_name', table_name='profiles')
    op.drop_column('profiles', 'listed')  # SQLite 3.35+ drops a column in place
