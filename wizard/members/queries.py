"""The lists behind the decision pages: paged, with the member (and proof) loaded in the same query."""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from wizard.extensions import db
from wizard.models import Affiliation, AffiliationStatus, Profile, ProfileStatus

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def page_number(raw) -> int:
    try:
        return max(1, min(int(raw or 1), 100_000))
    except (TypeError, ValueError):
        return 1


def _paged(query, page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = max(1, min(page, max(1, -(-total // PER_PAGE))))
    rows = db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique()
    return Page(list(rows), total, page)


def _with_member():
    return select(Affiliation).options(joinedload(Affiliation.member_profile), joinedload(Affiliation.proof))


def pending_requests(cluster_id: int, page: int) -> Page:
    return _paged(_with_member().where(Affiliation.cluster_profile_id == cluster_id,
                                       Affiliation.status == AffiliationStatus.PENDING.value)
                  .order_by(Affiliation.created_at, Affiliation.id), page)


def current_members(cluster_id: int, page: int) -> Page:
    return _paged(_with_member().where(Affiliation.cluster_profile_id == cluster_id,
                                       Affiliation.status == AffiliationStatus.APPROVED.value)
                  .order_by(Affiliation.decided_at.desc(), Affiliation.id), page)


def manual_requests(page: int) -> Page:
    return _paged(_with_member().where(Affiliation.cluster_profile_id.is_(None),
                                       Affiliation.status == AffiliationStatus.PENDING.value)
                  .order_by(Affiliation.created_at, Affiliation.id), page)


def cluster_by_public_id(public_id: str) -> Profile | None:
    """A cluster organisation whose members can be decided on (submitted or published, not a draft)."""
    return db.session.scalar(select(Profile).where(
        Profile.public_id == public_id, Profile.profile_type == "cluster_organisation",
        Profile.status.in_([ProfileStatus.SUBMITTED.value, ProfileStatus.PUBLISHED.value,
                            ProfileStatus.CHANGES_REQUESTED.value])))
