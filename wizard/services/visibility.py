"""Who the public may see: the one place that decides whether a member profile shows (domain.md §4).

"Your profile as a cluster member will only become visible when the corresponding cluster organisation
profile is published and/or when your membership is accepted (affiliation approved) by the profile
administrator of the corresponding cluster organisation(s) or after validation of the validation
team in case your cluster organisation is not profiled."

So a member profile is public when it is itself published and at least one of its affiliations is
approved, either to a published cluster organisation or, for a cluster organisation typed in by hand,
by the validators. Every page that lists or shows member profiles asks this module, in SQL for lists
(`public_profile_clause`, no query per row) or for one profile (`member_profile_is_public`).
"""
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased

from wizard.extensions import db
from wizard.models import Affiliation, AffiliationStatus, Profile, ProfileStatus

MEMBER_TYPE = "cluster_member"


def _counting_affiliation(member_id_column) -> ColumnElement[bool]:
    """An approved affiliation of the member that counts for visibility."""
    cluster = aliased(Profile)
    cluster_published = exists().where(cluster.id == Affiliation.cluster_profile_id,
                                       cluster.status == ProfileStatus.PUBLISHED.value)
    return exists().where(
        Affiliation.member_profile_id == member_id_column,
        Affiliation.status == AffiliationStatus.APPROVED.value,
        # A manual affiliation is only ever approved by validators; one with a cluster row, by its admins.
        or_(Affiliation.cluster_profile_id.is_(None), cluster_published),
    )


def public_profile_clause(profile=Profile) -> ColumnElement[bool]:
    """SQL condition over `profile` (the entity or an alias): the member profile may be shown to anyone."""
    return and_(profile.status == ProfileStatus.PUBLISHED.value, _counting_affiliation(profile.id))


def member_profile_is_public(profile: Profile) -> bool:
    if profile.profile_type != MEMBER_TYPE or profile.status != ProfileStatus.PUBLISHED.value:
        return False
    return bool(db.session.scalar(select(_counting_affiliation(profile.id))))


def profile_is_public(profile: Profile) -> bool:
    """Any profile type: published, and for members the rule above."""
    if profile.profile_type == MEMBER_TYPE:
        return member_profile_is_public(profile)
    return profile.status == ProfileStatus.PUBLISHED.value


def public_member_ids(profile_ids: Iterable[int]) -> set[int]:
    """Which of these member profiles are public, in one query (for lists)."""
    ids = set(profile_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Profile.id).where(Profile.id.in_(ids), Profile.profile_type == MEMBER_TYPE,
                                                           public_profile_clause(Profile))))


def visible_affiliations(member: Profile) -> list[Affiliation]:
    """What a public member page may list: approved affiliations only, to published or validated clusters."""
    cluster = aliased(Profile)
    query = (select(Affiliation).outerjoin(cluster, cluster.id == Affiliation.cluster_profile_id)
             .where(Affiliation.member_profile_id == member.id, Affiliation.status == AffiliationStatus.APPROVED.value,
                    or_(Affiliation.cluster_profile_id.is_(None), cluster.status == ProfileStatus.PUBLISHED.value))
             .order_by(Affiliation.id))
    return list(db.session.scalars(query))
