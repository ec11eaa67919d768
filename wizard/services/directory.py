"""The public directory: published profiles that the visibility rules let through, searched and paged.

Every page costs a fixed number of queries whatever the size of the directory: a count, the page
of rows, and one query per kind of detail for the rows of that page.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from wizard import engine
from wizard.extensions import db
from wizard.matching import normalise_name, safe_http_url
from wizard.models import Affiliation, AffiliationStatus, ListedMember, Profile, ProfileEcosystem, ProfileStatus
from wizard.services import visibility
from wizard.services.drafts import path_for
from wizard.summary import SKIPPED_FIELDS, display_value
from wizard.templating import field_kind

PER_PAGE = 25
LISTED_MEMBERS_PER_PAGE = 50
MAX_SEARCH_LENGTH = 100

#: Fields never shown on a public page: contact details unless the applicant chose to publish them,
#: and the applicant's own settings.
CONTACT_DETAILS = {"contact_email", "contact_phone"}
NEVER_PUBLIC = {"publish_contact"}
#: Steps the public page shows in their own way: a member's cluster organisations from its approved
#: affiliations (so a declined or pending one never appears), a cluster's member list a page at a time.
STEPS_SHOWN_ELSEWHERE = {"clusters", "clusters_not_listed", "member_list"}


@dataclass(frozen=True)
class Paged:
    items: Sequence[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return min(self.page * self.per_page, self.total)


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything odd is page 1 (a bad link is not an error page)."""
    try:
        return max(1, min(int(raw or 1), 100_000))
    except ValueError:
        return 1


def paginate(query: Select, page: int, per_page: int, scalars: bool = True) -> Paged:
    """Two queries: the count of `query`'s rows and the requested page (clamped to the last one)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = query.limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.scalars(rows)) if scalars else list(db.session.execute(rows))
    return Paged(items, total, page, per_page)


def publicly_visible() -> ColumnElement[bool]:
    """SQL condition: the profile is published and, for a member profile, the visibility rules let it show."""
    return and_(Profile.status == ProfileStatus.PUBLISHED.value,
                or_(Profile.profile_type != visibility.MEMBER_TYPE, visibility.public_profile_clause(Profile)))


@dataclass(frozen=True)
class PublicSection:
    title: str
    rows: list[tuple[str, Any]]


@dataclass(frozen=True)
class DirectoryFilters:
    search: str = ""
    profile_type: str = ""
    country: str = ""
    ecosystem: str = ""


@dataclass(frozen=True)
class DirectoryRow:
    profile: Profile
    ecosystems: list[str] = field(default_factory=list)


def search(filters: DirectoryFilters, page: int, per_page: int = PER_PAGE) -> Paged:
    """Published, visible profiles matching the filters, by name; each row with its ecosystems."""
    query = select(Profile).where(publicly_visible())
    text = filters.search.strip()[:MAX_SEARCH_LENGTH]
    if text:
        # Names are compared in their normalised form (computed in Python on both sides), so case and
        # accents never matter, on SQLite too; acronyms are short and compared lower-cased.
        found = [func.lower(Profile.acronym).like(_contains(text.lower()), escape="\\")]
        if name := normalise_name(text):
            found.append(Profile.normalised_name.like(_contains(name), escape="\\"))
        query = query.where(or_(*found))
    if filters.profile_type:
        query = query.where(Profile.profile_type == filters.profile_type)
    if filters.country:
        query = query.where(Profile.country_code == filters.country)
    if filters.ecosystem:
        query = query.where(exists().where(ProfileEcosystem.profile_id == Profile.id,
                                           ProfileEcosystem.ecosystem == filters.ecosystem))
    paged = paginate(query.order_by(func.lower(Profile.name), Profile.id), page, per_page)
    ecosystems = _ecosystems_of([p.id for p in paged.items])
    rows = [DirectoryRow(p, ecosystems.get(p.id, [])) for p in paged.items]
    return Paged(rows, paged.total, paged.page, paged.per_page)


def _contains(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _ecosystems_of(profile_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if profile_ids:
        for profile_id, key in db.session.execute(
            select(ProfileEcosystem.profile_id, ProfileEcosystem.ecosystem)
            .where(ProfileEcosystem.profile_id.in_(profile_ids)).order_by(ProfileEcosystem.ecosystem)
        ):
            found.setdefault(profile_id, []).append(key)
    return found


def find_public(public_id: str) -> Profile | None:
    profile = db.session.scalar(select(Profile).where(Profile.public_id == public_id))
    return profile if profile is not None and visibility.profile_is_public(profile) else None


def public_sections(profile: Profile) -> list[PublicSection]:
    """The profile's answers as the public may read them: no private steps, files, unanswered
    questions, or contact details the applicant did not choose to publish."""
    path = path_for(profile)
    answers = profile.answers or {}
    contact = engine.bind(path.get("contact"), answers.get("contact")) if path.get("contact") else None
    show_contact = bool(contact is not None and contact.data.get("publish_contact"))
    hidden = NEVER_PUBLIC | (set() if show_contact else CONTACT_DETAILS)
    result = []
    for step in path.steps:
        if step.name in STEPS_SHOWN_ELSEWHERE:
            continue
        form = engine.bind(step, answers.get(step.name))
        rows = [(f.label.text, display_value(f)) for f in form
                if f.name not in hidden and f.name not in SKIPPED_FIELDS
                and field_kind(f) not in ("hidden", "submit", "file")]
        rows = [(label, value) for label, value in rows if value not in ("", [], None)]
        if rows:
            result.append(PublicSection(step.title, rows))
    return result


def visible_members(cluster: Profile) -> list[Profile]:
    """Member profiles with an approved affiliation to this cluster organisation that may be shown."""
    approved = select(Affiliation.member_profile_id).where(
        Affiliation.cluster_profile_id == cluster.id, Affiliation.status == AffiliationStatus.APPROVED.value)
    return list(db.session.scalars(select(Profile).where(Profile.id.in_(approved), publicly_visible())
                                   .order_by(func.lower(Profile.name), Profile.id)))


@dataclass(frozen=True)
class ListedEntry:
    name: str
    link: str | None  # only an address that is safe to put in an href


def listed_members(cluster: Profile, page: int) -> Paged:
    """The cluster organisation's own list of members, a page at a time (some list thousands)."""
    query = select(ListedMember).where(ListedMember.profile_id == cluster.id) \
        .order_by(func.lower(ListedMember.name), ListedMember.id)
    paged = paginate(query, page, LISTED_MEMBERS_PER_PAGE)
    entries = [ListedEntry(m.name, m.website if safe_http_url(m.website) else None) for m in paged.items]
    return Paged(entries, paged.total, paged.page, paged.per_page)


@dataclass(frozen=True)
class PublicAffiliation:
    name: str
    public_id: str | None  # set when the cluster organisation has a public page


def approved_affiliations(member: Profile) -> list[PublicAffiliation]:
    """A member's cluster organisations as the public sees them (the visibility module decides which)."""
    return [PublicAffiliation(a.manual_name, None) if a.is_manual
            else PublicAffiliation(a.cluster_profile.display_name, a.cluster_profile.public_id)
            for a in visibility.visible_affiliations(member)]
