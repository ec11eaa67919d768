"""Read model of the validators' queue (views read it, nothing here writes): which profiles wait for a
decision, filtered and paged in a fixed number of queries."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import load_only

from wizard.extensions import db
from wizard.models import Country, Profile
from wizard.models.base import utcnow
from wizard.models.profiles import ProfileStatus
from wizard.services.paging import Paged, paginate

PER_PAGE = 25
#: Statuses validators work with; drafts are the applicants' private work in progress.
QUEUE_STATUSES = (ProfileStatus.SUBMITTED, ProfileStatus.CHANGES_REQUESTED, ProfileStatus.PUBLISHED,
                  ProfileStatus.REJECTED, ProfileStatus.WITHDRAWN)
ANY = "any"
#: What a queue row shows; the answers (a large JSON document) are read on the profile's own page only.
ROW_COLUMNS = (Profile.id, Profile.public_id, Profile.profile_type, Profile.status, Profile.country_code,
               Profile.name, Profile.acronym, Profile.submitted_at)


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
    #: More than `count` (STATUS_COUNT_CAP): published profiles number in the tens of thousands.
    capped: bool = False


#: Each status is counted up to this many: an exact count of every published profile read the whole table.
STATUS_COUNT_CAP = 1000


def status_counts() -> list[StatusCount]:
    """How many profiles are in each status validators work with, each counted up to STATUS_COUNT_CAP
    on the status index (one query)."""
    per_status = [select(literal(status.value).label("status"), func.count().label("n")).select_from(
        select(Profile.id).where(Profile.status == status.value).limit(STATUS_COUNT_CAP + 1).subquery())
        for status in QUEUE_STATUSES]
    counts = {status: n for status, n in db.session.execute(union_all(*per_status))}
    shown = {status: min(n, STATUS_COUNT_CAP) for status, n in counts.items()}
    largest = max(shown.values(), default=0)
    return [StatusCount(status, shown.get(status.value, 0),
                        round(100 * shown.get(status.value, 0) / largest) if largest else 0,
                        capped=counts.get(status.value, 0) > STATUS_COUNT_CAP)
            for status in QUEUE_STATUSES]


def _days_since(moment: datetime | None, now: datetime) -> int | None:
    return (now - moment).days if moment is not None else None


def queue(filters: QueueFilters, page: int, per_page: int = PER_PAGE) -> Paged:
    """The page of the queue: a count and one query joined to the countries, whatever the page size."""
    query = select(Profile, func.coalesce(Country.eu_cosme, False)).options(load_only(*ROW_COLUMNS)).outerjoin(
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
    return paged.with_items([QueueRow(profile, bool(eu), _days_since(profile.submitted_at, now))
                             for profile, eu in paged.items])
