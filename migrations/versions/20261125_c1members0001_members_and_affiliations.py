"""members and affiliations: one request per member and cluster, who decided, the picker's search terms

Revision ID: c1members0001
Revises: b6a815d1961f
Create Date: 2026-11-25 15:40:00

"""
import re
import unicodedata

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
    connection = op.get_bind()
    profiles = connection.execute(sa.text('SELECT id, name, acronym, website_domain FROM profiles')).all()
    rows = [{'term': term, 'profile_id': pid} for pid, name, acronym, domain in profiles
            for term in terms_for(name or '', acronym or '', domain)]
    if rows:
        table = sa.table('profile_search_terms', sa.column('term'), sa.column('profile_id'))
        op.bulk_insert(table, rows)


# The search words as this revision defined them (wizard/matching.py and wizard/services/search_terms.py then):
# a copy, not an import, so this migration keeps meaning what it meant when it was written.
_TRANSLITERATIONS = str.maketrans({
    "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
    "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ß": "ss",
})  # fmt: skip
_ONE_WORD_FORMS = """
    gmbh ggmbh mbh ag kg kgaa ohg gbr ug eg ev ek se
    ltd limited llc llp lp plc inc incorporated corp corporation co pty cic clg dac teo
    sa sas sasu sarl eurl snc sl slu sau sll spa sapa srl srls scarl scrl lda crl ltda
    bv nv vof cvba bvba sprl asbl aisbl vzw ivzw
    oy oyj ry ab aps as asa amba ehf hf
    sro doo dd dooel shpk kft zrt nyrt bt ou mtu sia uab vsi ad ead ood eood ike ae epe oe sti
"""
_MULTI_WORD_FORMS = (
    "gmbh co kg", "ag co kg", "se co kg", "ug haftungsbeschrankt", "e v", "e k", "l l c", "p l c",
    "s a", "s a s", "s a r l", "s l", "s l u", "s a u", "s p a", "s r l", "s c a r l", "unipessoal lda",
    "b v", "n v", "a s b l", "v z w", "ab publ", "a s", "sp z o o", "spolka z o o", "sp j", "sp k",
    "s r o", "spol s r o", "o p s", "z s", "d o o", "d d", "ltd sti",
)  # fmt: skip
_LEGAL_FORMS = frozenset([(form,) for form in _ONE_WORD_FORMS.split()]
                         + [tuple(form.split()) for form in _MULTI_WORD_FORMS])
_LONGEST_FORM = max(len(form) for form in _LEGAL_FORMS)


def _normalise_name(name):
    decomposed = unicodedata.normalize("NFKD", (name or "").translate(_TRANSLITERATIONS))
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    tokens = "".join(ch if ch.isalnum() else " " for ch in text).split()
    stripped = True
    while stripped:
        stripped = False
        for size in range(min(_LONGEST_FORM, len(tokens) - 1), 0, -1):
            if tuple(tokens[-size:]) in _LEGAL_FORMS:
                del tokens[-size:]
                stripped = True
                break
    return " ".join(tokens)


def terms_for(name, acronym, website_domain):
    terms = set(_normalise_name(name).split())
    acronym_words = _normalise_name(acronym).split()
    terms.update(acronym_words)
    if len(acronym_words) > 1:
        terms.add("".join(acronym_words))
    if website_domain:
        terms.add(website_domain)
        terms.update(word for word in re.split(r"[.\-]", website_domain)[:-1] if word)
    return {term[:100] for term in terms if term}


def downgrade():
    with op.batch_alter_table('profile_search_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_search_terms_profile_id'))
    op.drop_table('profile_search_terms')
    op.drop_index('uq_affiliations_member_cluster', table_name='affiliations')
    # SQLite (3.35+) drops a column in place; a batch copy would reflect every related table.
    op.drop_column('affiliations', 'ended_at')
    op.drop_column('affiliations', 'decided_by_label')
