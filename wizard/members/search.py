"""Finding published cluster organisations by name, acronym or website, on an index.

Every profile keeps the words it can be found by in `profile_search_terms` (words of its normalised
name and acronym, its website's domain and the words of that domain). A query word matches a term
that starts with it: `term >= 'sax' AND term < 'sax' + U+10FFFF` is a range scan of the primary key
on SQLite and PostgreSQL alike, so the picker stays fast with tens of thousands of profiles.

The terms follow the profile by themselves: a flush listener rewrites them whenever a profile's
name, acronym or website domain changes through the ORM (bulk Core updates would bypass it).
"""
import re
from dataclasses import dataclass

from sqlalchemy import and_, delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from wizard.extensions import db
from wizard.matching import identifying_domain, normalise_name, registrable_domain
from wizard.models import Country, Profile, ProfileStatus
from wizard.models.affiliations import ProfileSearchTerm

MAX_TERM = 100
MAX_QUERY_WORDS = 6
MAX_QUERY_LENGTH = 200
PER_PAGE = 10
_TOP = "\U0010ffff"
_DOMAIN_WORDS = re.compile(r"[.\-]")


def terms_for(name: str, acronym: str, website_domain: str | None) -> set[str]:
    terms = set(normalise_name(name).split())
    acronym_words = normalise_name(acronym).split()
    terms.update(acronym_words)
    if len(acronym_words) > 1:
        terms.add("".join(acronym_words))  # "S.I.S." is found by "sis" too
    if website_domain:
        terms.add(website_domain)
        terms.update(word for word in _DOMAIN_WORDS.split(website_domain)[:-1] if word)
    return {term[:MAX_TERM] for term in terms if term}


def _changed(profile: Profile) -> bool:
    state = inspect(profile)
    return any(state.attrs[name].history.has_changes() for name in ("name", "acronym", "website_domain"))


@event.listens_for(Session, "after_flush")
def _keep_terms_current(session: Session, _context) -> None:
    profiles = [obj for obj in (*session.new, *session.dirty) if isinstance(obj, Profile) and obj.id is not None]
    changed = [p for p in profiles if p in session.new or _changed(p)]
    if not changed:
        return
    connection = session.connection()
    connection.execute(delete(ProfileSearchTerm).where(ProfileSearchTerm.profile_id.in_([p.id for p in changed])))
    rows = [{"term": term, "profile_id": p.id} for p in changed
            for term in terms_for(p.name or "", p.acronym or "", p.website_domain)]
    if rows:
        connection.execute(insert(ProfileSearchTerm), rows)


def query_terms(text: str) -> list[str]:
    """What a query matches on: its domain when it looks like a web address, else its words."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if "." in text and not any(ch.isspace() for ch in text):
        domain = identifying_domain(text) or registrable_domain(text)
        if domain:
            return [domain]
    return normalise_name(text).split()[:MAX_QUERY_WORDS]


def _starts_with(word: str):
    return select(ProfileSearchTerm.profile_id).where(ProfileSearchTerm.term >= word,
                                                     ProfileSearchTerm.term < word + _TOP)


def published_eu_cosme_clusters():
    """The cluster organisations a member may choose: published, in an EU/COSME country."""
    return select(Profile).join(Country, Country.code == Profile.country_code).where(
        Profile.profile_type == "cluster_organisation", Profile.status == ProfileStatus.PUBLISHED.value,
        Country.eu_cosme.is_(True))


@dataclass(frozen=True)
class SearchPage:
    query: str
    results: list[Profile]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search_clusters(text: str, page: int = 1, per_page: int = PER_PAGE) -> SearchPage:
    """Two queries whatever the size: the number of matches and one page of them, by name."""
    words = query_terms(text)
    if not words:
        return SearchPage(text, [], 0, 1, per_page)
    query = published_eu_cosme_clusters().where(and_(*(Profile.id.in_(_starts_with(w)) for w in words)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = db.session.scalars(query.order_by(Profile.name, Profile.id).limit(per_page).offset((page - 1) * per_page))
    return SearchPage(text, list(rows), total, page, per_page)


def clusters_by_public_id(public_ids: list[str]) -> dict[str, Profile]:
    """The choosable cluster organisations among `public_ids`, in one query."""
    if not public_ids:
        return {}
    rows = db.session.scalars(published_eu_cosme_clusters().where(Profile.public_id.in_(set(public_ids))))
    return {profile.public_id: profile for profile in rows}
