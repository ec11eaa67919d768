"""The public directory: published profiles that the visibility rules let through, searched and paged.

Every page costs a fixed number of queries whatever the size of the directory: a capped count, the
page of rows, and one query per kind of detail for the rows of that page. The rows come in name order
from an index (migration e1directory01), so a page reads about as many rows as it shows.
"""
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import load_only

from wizard import engine
from wizard.extensions import db
from wizard.forms.members import ClusterChoiceField
from wizard.matching import normalise_name, safe_http_url
from wizard.models import Affiliation, AffiliationStatus, ListedMember, Profile, ProfileEcosystem, Upload
from wizard.services import uploads, visibility
from wizard.services.drafts import path_for
from wizard.services.paging import Paged, paginate
from wizard.steps.common import LOGO
from wizard.summary import Reader, Section, display_value, sections

PER_PAGE = 25
LISTED_MEMBERS_PER_PAGE = 50
MAX_SEARCH_LENGTH = 100
#: Beyond this many matches the directory says "more than 100": an exact count reads every match.
COUNT_CAP = 100
#: What a result row shows; the answers (a large JSON document) are only read on a profile's own page.
LISTING_COLUMNS = (Profile.id, Profile.public_id, Profile.profile_type, Profile.status, Profile.country_code,
                   Profile.name, Profile.acronym)

@dataclass(frozen=True)
class PublicLink:
    """A web address the applicant gave, shown as a link (only when it is safe to put in an href)."""

    text: str
    href: str


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
    """Published, visible profiles matching the filters, by name; each row with its ecosystems.

    Visibility is the stored `listed` flag (kept current by wizard/services/visibility.py), so a page
    walks an index in name order instead of testing the rule on every published profile."""
    query = select(Profile).options(load_only(*LISTING_COLUMNS)).where(Profile.listed == true())
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
        # An IN list from the (ecosystem, profile_id) index: the database can start from the profiles
        # of that ecosystem instead of testing every published profile.
        query = query.where(Profile.id.in_(select(ProfileEcosystem.profile_id)
                                           .where(ProfileEcosystem.ecosystem == filters.ecosystem)))
    paged = paginate(query.order_by(func.lower(Profile.name), Profile.id), page, per_page, cap=COUNT_CAP)
    ecosystems = _ecosystems_of([p.id for p in paged.items])
    return paged.with_items([DirectoryRow(p, ecosystems.get(p.id, [])) for p in paged.items])


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


def public_sections(profile: Profile) -> list[Section]:
    """The profile's answers as the public may read them (what each step and field declares public)."""
    return sections(path_for(profile), profile.answers or {}, Reader.PUBLIC, value=_public_value)


def _public_value(field) -> Any:
    """Cluster organisations picked from the platform link to their pages (those still published only)."""
    if isinstance(field, ClusterChoiceField):
        return [PublicAffiliation(field.clusters[pid].display_name, pid) for pid in field.data or []
                if pid in field.clusters]
    value = display_value(field)
    if value and isinstance(value, str) and (field.render_kw or {}).get("inputmode") == "url" and safe_http_url(value):
        return PublicLink(value, value)
    return value


def public_logo(profile: Profile) -> Upload | None:
    """The logo of a public profile (may_download lets anyone fetch it), if its logo step applies and has one."""
    if path_for(profile).get(LOGO.name) is None:
        return None
    form = engine.bind(LOGO, (profile.answers or {}).get(LOGO.name))
    return next(iter(uploads.step_uploads(profile, LOGO.name, form).values()), None)


def visible_members(cluster: Profile) -> list[Profile]:
    """Member profiles with an approved affiliation to this cluster organisation that may be shown."""
    approved = select(Affiliation.member_profile_id).where(
        Affiliation.cluster_profile_id == cluster.id, Affiliation.status == AffiliationStatus.APPROVED.value)
    return list(db.session.scalars(select(Profile).where(Profile.id.in_(approved), Profile.listed == true())
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
    return paged.with_items([ListedEntry(m.name, m.website if safe_http_url(m.website) else None)
                             for m in paged.items])


@dataclass(frozen=True)
class PublicAffiliation:
    name: str
    public_id: str | None  # set when the cluster organisation has a public page


def approved_affiliations(member: Profile) -> list[PublicAffiliation]:
    """A member's cluster organisations as the public sees them (the visibility module decides which)."""
    return [PublicAffiliation(a.manual_name, None) if a.is_manual
            else PublicAffiliation(a.cluster_profile.display_name, a.cluster_profile.public_id)
            for a in visibility.visible_affiliations(member)]
