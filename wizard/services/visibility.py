"""Who the public may see: the one place that decides whether a member profile shows (domain.md §4).

"Your profile as a cluster member will only become visible when the corresponding cluster organisation
profile is published and/or when your membership is accepted (affiliation approved) by the profile
administrator of the corresponding cluster organisation(s) or after validation of the validation
team in case your cluster organisation is not profiled."

So a member profile is public when it is itself published and at least one of its affiliations is
approved, either to a published cluster organisation or, for a cluster organisation typed in by hand,
by the validators. That approval is itself the decision: it publishes the submitted member profile in
the same transaction (decisions.publish_on_approval), with no second "publish" by the validators, who
see such members on their "Published on approval" list and may unpublish one with a reason.

Every page that lists or shows member profiles asks this module, in SQL for lists
(`public_profile_clause`, no query per row) or for one profile (`member_profile_is_public`).

The directory lists by a stored copy of the rule, `Profile.listed` (indexed with the name order):
evaluating the rule for every row made a page cost as much as the whole directory. The services that
change what the rule reads (a profile's status or type, an affiliation) keep the copy, each calling
`follow` in its own transaction: `listed` is recomputed in SQL for those profiles and for the members
of those cluster organisations (their visibility follows the cluster's status).
"""
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, case, exists, or_, select, update
from sqlalchemy.orm import aliased

from wizard.extensions import db
from wizard.models import Affiliation, AffiliationStatus, Profile, ProfileStatus
from wizard.steps.cluster_member import PROFILE_TYPE as MEMBER_PROFILES

#: The member profiles this rule is about (wizard/steps/cluster_member.py declares them).
MEMBER_TYPE = MEMBER_PROFILES.key


def counting_affiliation(member_id_column) -> ColumnElement[bool]:
    """An approved affiliation of the member that counts for visibility: one to a published cluster
    organisation, or one to a cluster organisation typed in by hand that validators validated with its proof.
    Such an approval is what makes a submitted member profile public (services/decisions.py
    `publish_on_approval`, called in the approval's own transaction)."""
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
    return and_(profile.status == ProfileStatus.PUBLISHED.value, counting_affiliation(profile.id))


def member_profile_is_public(profile: Profile) -> bool:
    if profile.profile_type != MEMBER_TYPE or profile.status != ProfileStatus.PUBLISHED.value:
        return False
    return bool(db.session.scalar(select(counting_affiliation(profile.id))))


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


# --- the stored copy of the rule: Profile.listed ---


def listed_rule() -> ColumnElement[bool]:
    """The rule as a value for `Profile.listed` (any profile type)."""
    return case((and_(Profile.status == ProfileStatus.PUBLISHED.value,
                      or_(Profile.profile_type != MEMBER_TYPE, counting_affiliation(Profile.id))), True),
                else_=False)


def refresh_listed(connection, profile_ids: Iterable[int]) -> None:
    """Recomputes `listed` for these profiles and for the members affiliated to them (one UPDATE)."""
    ids = {i for i in profile_ids if i is not None}
    if not ids:
        return
    members = select(Affiliation.member_profile_id).where(Affiliation.cluster_profile_id.in_(ids))
    connection.execute(update(Profile).where(or_(Profile.id.in_(ids), Profile.id.in_(members)))
                       # updated_at kept as it is: its onupdate would make the row look freshly edited.
                       .values(listed=listed_rule(), updated_at=Profile.updated_at)
                       .execution_options(synchronize_session=False))


def follow(*profile_ids: int | None) -> None:
    """`listed` follows a change of what the rule reads: a profile's status or type, or an affiliation of it
    (pass the member's id). Every service that makes such a change calls this in its transaction, after the
    change; the members of a cluster organisation passed here follow too."""
    ids = {i for i in profile_ids if i is not None}
    if not ids:
        return
    db.session.flush()
    refresh_listed(db.session.connection(), ids)
    # Loaded profiles may hold the old value (the members' ids are not known here): read it again when used.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Profile):
            db.session.expire(obj, ["listed"])


def members_of(cluster_ids: Iterable[int]) -> list[int]:
    """The member profiles affiliated to these cluster organisations: read before deleting them, whose
    affiliations go with them (ON DELETE CASCADE), so that those members can follow."""
    ids = list(cluster_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(Affiliation.member_profile_id).where(Affiliation.cluster_profile_id.in_(ids))))
