"""Read model of the member pages (nothing here writes): finding published cluster organisations by name,
acronym or website on an index (the picker), and the paged lists behind the decision pages.

Every profile keeps the words it can be found by in `profile_search_terms` (kept current by
wizard/services/search_terms.py). A query word matches a term
that starts with it: `term >= 'sax' AND term < 'sax' + U+10FFFF` is a range scan of the primary key
on SQLite and PostgreSQL alike, so the picker stays fast with tens of thousands of profiles.

Measured against the plain alternative, an indexed LIKE 'word%' on lower(name), lower(acronym) and the domain
(benchmarks/picker_index.py, SQLite, 20,000 profiles, at e64a56d): 0.8-6.6 ms per search here against 9.8-38 ms,
and LIKE 'word%' misses every match whose name does not start with the word ("saxony", "alliance": 100 of 100;
"aerospace", "digital": 76-80 of 100). So the terms table stays.

The statements are built once per shape (number of words, database) and take the words as parameters:
building one per request cost more than running it, and most on the largest datasets, where the capped
plan's statement is the larger one.

The picker counts at most PICKER_CAP matches ("more than 100": the applicant types one more word)
and reads a page in one of two ways, chosen by that count, so neither reads every match: a few
matches are read through the terms and sorted; many are read in name order from the index on
profiles (profile_type, status, name) and kept while they match, which stops after a page.
"""
import functools
from dataclasses import replace

from sqlalchemy import and_, bindparam, exists, intersect, select
from sqlalchemy.orm import aliased, joinedload, load_only

from wizard.clusters import CLUSTER_ORGANISATION, choosable
from wizard.extensions import db
from wizard.matching import identifying_domain, normalise_name, registrable_domain
from wizard.models import Affiliation, AffiliationStatus, Profile, ProfileStatus
from wizard.models.affiliations import ProfileSearchTerm
from wizard.services.paging import Paged, page_of, paginate

MAX_QUERY_WORDS = 6
MAX_QUERY_LENGTH = 200
PER_PAGE = 10
#: The picker says "more than 100" beyond this, and shows the first 100 by name only.
PICKER_CAP = 100
#: What a search result shows (the answers JSON is large and never needed here).
RESULT_COLUMNS = (Profile.id, Profile.public_id, Profile.profile_type, Profile.status, Profile.country_code,
                  Profile.name, Profile.acronym, Profile.website)
#: The decision pages' lists.
DECISIONS_PER_PAGE = 25
_TOP = "\U0010ffff"


def query_terms(text: str) -> list[str]:
    """What a query matches on: its domain when it looks like a web address, else its words."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if "." in text and not any(ch.isspace() for ch in text):
        domain = identifying_domain(text) or registrable_domain(text)
        if domain:
            return [domain]
    return normalise_name(text).split()[:MAX_QUERY_WORDS]


def _word_range(column, n: int):
    """`column` starts with query word n (parameters w<n> and w<n>_end, see `_word_params`)."""
    return and_(column >= bindparam(f"w{n}"), column < bindparam(f"w{n}_end"))


def _word_params(words: list[str]) -> dict[str, str]:
    return {name: value for n, word in enumerate(words)
            for name, value in ((f"w{n}", word), (f"w{n}_end", word + _TOP))}


def _has_word(n: int, profile_id):
    """The profile (by its id column) has a term starting with word n: a probe of a few index rows."""
    term = aliased(ProfileSearchTerm)  # never correlated with a terms table of the enclosing query
    return exists().where(term.profile_id == profile_id, _word_range(term.term, n))


@functools.cache
def _matching_ids_statement(word_count: int, sqlite: bool, eu_cosme_only: bool = True):
    """Ids of the choosable clusters matching every word, at most PICKER_CAP + 1 of them.

    One word: its terms, joined to the profiles until enough are found. Several: the profiles having
    terms for every word, read from the terms index alone."""
    if word_count == 1:
        query = (select(ProfileSearchTerm.profile_id).distinct()
                 .join(Profile, Profile.id == ProfileSearchTerm.profile_id)
                 .where(_word_range(ProfileSearchTerm.term, 0)))
    elif sqlite:
        word_ids = (select(ProfileSearchTerm.profile_id).where(_word_range(ProfileSearchTerm.term, n))
                    for n in range(word_count))
        query = select(Profile.id).where(Profile.id.in_(intersect(*word_ids)))
    else:
        # PostgreSQL runs this as a hash semi-join of the words' terms: twice as fast as its INTERSECT
        # when two common words have few matches together. SQLite would probe the index once per term.
        first_word = select(ProfileSearchTerm.profile_id).where(
            _word_range(ProfileSearchTerm.term, 0),
            *(_has_word(n, ProfileSearchTerm.profile_id) for n in range(1, word_count)))
        query = select(Profile.id).where(Profile.id.in_(first_word))
    # PostgreSQL has statistics and chooses well; hiding the columns from it would spoil its estimates.
    return choosable(query, eu_cosme_only, hidden_from_planner=sqlite).limit(PICKER_CAP + 1)


_RESULTS = select(Profile).options(load_only(*RESULT_COLUMNS)).order_by(Profile.name, Profile.id)
_RESULTS_BY_ID = _RESULTS.where(Profile.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _results_in_name_order(word_count: int, eu_cosme_only: bool = True):
    """Many matches: walk the choosable clusters in name order (index ix_profiles_type_status_name),
    keeping those that match; a page needs about per_page / share-of-matches rows."""
    return choosable(_RESULTS.where(*(_has_word(n, Profile.id) for n in range(word_count))), eu_cosme_only)


def search_clusters(text: str, page: int = 1, per_page: int = PER_PAGE, eu_cosme_only: bool = True) -> Paged:
    """Two queries whatever the size: the matches' ids (up to PICKER_CAP + 1) and one page of them, by name."""
    words = query_terms(text)
    if not words:
        return Paged([], 0, 1, per_page)
    params = _word_params(words)
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    ids = list(db.session.scalars(_matching_ids_statement(len(words), sqlite, eu_cosme_only), params))
    capped = len(ids) > PICKER_CAP
    if capped:
        page = min(page, PICKER_CAP // per_page)
        result = page_of(_results_in_name_order(len(words), eu_cosme_only), page, per_page, PICKER_CAP, True,
                         params=params)
        if result.page * per_page >= PICKER_CAP:
            result = replace(result, has_next=False)  # the first PICKER_CAP only
        return result
    return page_of(_RESULTS_BY_ID, page, per_page, len(ids), False, params={"ids": ids})


def _with_member():
    return select(Affiliation).options(joinedload(Affiliation.member_profile), joinedload(Affiliation.proof))


def _decisions_page(query, page: int) -> Paged:
    return paginate(query, page, DECISIONS_PER_PAGE, unique=True)


def pending_requests(cluster_id: int, page: int) -> Paged:
    return _decisions_page(_with_member().where(Affiliation.cluster_profile_id == cluster_id,
                                                Affiliation.status == AffiliationStatus.PENDING.value)
                           .order_by(Affiliation.created_at, Affiliation.id), page)


def current_members(cluster_id: int, page: int) -> Paged:
    return _decisions_page(_with_member().where(Affiliation.cluster_profile_id == cluster_id,
                                                Affiliation.status == AffiliationStatus.APPROVED.value)
                           .order_by(Affiliation.decided_at.desc(), Affiliation.id), page)


def manual_requests(page: int) -> Paged:
    return _decisions_page(_with_member().where(Affiliation.cluster_profile_id.is_(None),
                                                Affiliation.status == AffiliationStatus.PENDING.value)
                           .order_by(Affiliation.created_at, Affiliation.id), page)


def cluster_by_public_id(public_id: str) -> Profile | None:
    """A cluster organisation whose members can be decided on (submitted or published, not a draft)."""
    return db.session.scalar(select(Profile).where(
        Profile.public_id == public_id, Profile.profile_type == CLUSTER_ORGANISATION,
        Profile.status.in_([ProfileStatus.SUBMITTED.value, ProfileStatus.PUBLISHED.value,
                            ProfileStatus.CHANGES_REQUESTED.value])))
