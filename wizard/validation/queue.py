"""The validators' queue: which profiles wait for a decision, filtered and paged in a fixed number of queries."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from wizard.extensions import db
from wizard.models import Country, Profile
from wizard.models.base import utcnow
from wizard.models.profiles import ProfileStatus
from wizard.services.directory import Paged, paginate

PER_PAGE = 25
#: Statuses validators work with; drafts are the applicants' private work in progress.
QUEUE_STATUSES = (ProfileStatus.SUBMITTED, ProfileStatus.CHANGES_REQUESTED, ProfileStatus.PUBLISHED,
                  ProfileStatus.REJECTED, ProfileStatus.WITHDRAWN)
ANY = "any"


@dataclass(frozen=True)
class QueueFilters:
    profile_type: str = ""
    country: str = ""
    eu_cosme: str = ""  # "yes", "no" or "" for either
    status: str = ProfileStatus.SUBMITTED.value  # or ANY
    older_than_days: int | None = None
    newest_first: bool = False


@dataclass(frozen=True)
class QueueRow:
    profile: Profile
    eu_cosme: bool
    days_waiting: int | None


@dataclass(frozen=True)
class StatusCount:
    status: ProfileStatus
    count: int
    #: The bar's length as a share of the largest count, 0-100.
    percent: int


def status_counts() -> list[StatusCount]:
    """How many profiles are in each status validators work with (one GROUP BY query)."""
    counts = dict(db.session.execute(
        select(Profile.status, func.count()).where(Profile.status.in_([s.value for s in QUEUE_STATUSES]))
        .group_by(Profile.status)
    ).all())
    largest = max(counts.values(), default=0)
    return [StatusCount(status, counts.get(status.value, 0),
                        round(100 * counts.get(status.value, 0) / largest) if largest else 0)
            for status in QUEUE_STATUSES]


def _days_since(moment: datetime | None, now: datetime) -> int | None:
    return (now - moment).days if moment is not None else None


def queue(filters: QueueFilters, page: int, per_page: int = PER_PAGE) -> Paged:
    """The page of the queue: a count and one query joined to the countries, whatever the page size."""
    query = select(Profile, func.coalesce(Country.eu_cosme, False)).outerjoin(
        Country, Country.code == Profile.country_code)
    if filters.status == ANY:
        query = query.where(Profile.status.in_([s.value for s in QUEUE_STATUSES]))
    else:
        query = query.where(Profile.status == filters.status)
    if filters.profile_type:
        query = query.where(Profile.profile_type == filters.profile_type)
    if filters.country:
        query = query.where(Profile.country_code == filters.country)
    if filters.eu_cosme == "yes":
        query = query.where(Country.eu_cosme.is_(True))
    elif filters.eu_cosme == "no":
        query = query.where(func.coalesce(Country.eu_cosme, False).is_(False))
    now = utcnow()
    if filters.older_than_days is not None:
        query = query.where(Profile.submitted_at <= now - timedelta(days=filters.older_than_days))
    order = Profile.submitted_at.desc() if filters.newest_first else Profile.submitted_at.asc()
    paged = paginate(query.order_by(order, Profile.id), page, per_page, scalars=False)
    rows = [QueueRow(profile, bool(eu), _days_since(profile.submitted_at, now)) for profile, eu in paged.items]
    return Paged(rows, paged.total, paged.page, paged.per_page)
