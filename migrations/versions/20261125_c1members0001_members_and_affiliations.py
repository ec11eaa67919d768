"""members and affiliations: one request per member and cluster, who decided, the picker's search terms

Revision ID: c1members0001
Revises: b6a815d1961f
Create Date: 2026-11-25 15:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c1members0001'
down_revision = 'b6a815d1961f'
branch_labels = None
depends_on = None

# Byte order on PostgreSQL, so a prefix search is an index range scan whatever the locale.
TERM_TYPE = sa.String(length=100).with_variant(sa.String(length=100, collation='C'), 'postgresql')


def upgrade():
    # Plain ADD COLUMN and CREATE INDEX, which SQLite does in place (no batch copy of the table).
    op.add_column('affiliations', sa.Column('decided_by_label', sa.String(length=254), nullable=True))
    op.add_column('affiliations', sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('uq_affiliations_member_cluster', 'affiliations', ['member_profile_id', 'cluster_profile_id'],
                    unique=True)

    op.create_table('profile_search_terms',
    sa.Column('term', TERM_TYPE, nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_search_terms_profile_id_profiles'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term', 'profile_id', name=op.f('pk_profile_search_terms'))
    )
    with op.batch_alter_table('profile_search_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_search_terms_profile_id'), ['profile_id'], unique=False)
    _index_existing_profiles()


def _index_existing_profiles():
    """Profiles created before this revision get their search terms too."""
    from wizard.members.search import terms_for

    connection = op.get_bind()
    profiles = connection.execute(sa.text('SELECT id, name, acronym, website_domain FROM profiles')).all()
    rows = [{'term': term, 'profile_id': pid} for pid, name, acronym, domain in profiles
            for term in terms_for(name or '', acronym or '', domain)]
    if rows:
        table = sa.table('profile_search_terms', sa.column('term'), sa.column('profile_id'))
        op.bulk_insert(table, rows)


def downgrade():
    with op.batch_alter_table('profile_search_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_search_terms_profile_id'))
    op.drop_table('profile_search_terms')
    op.drop_index('uq_affiliations_member_cluster', table_name='affiliations')
    # SQLite (3.35+) drops a column in place; a batch copy would reflect every related table.
    op.drop_column('affiliations', 'ended_at')
    op.drop_column('affiliations', 'decided_by_label')
