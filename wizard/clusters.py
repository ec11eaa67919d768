"""Which cluster organisations an applicant may choose: published ones, of an EU/COSME country for a member
(domain.md §4), of any country for an association's member clusters or a partnership's partners.

One rule for the pickers' search, their "Add" buttons, the choices a step stores, "already listed" and
the affiliation requests made at submission. It sits below the forms and services, which all read it.
"""
from sqlalchemy import select

from wizard.extensions import db
from wizard.models import Country, Profile, ProfileStatus

#: The profile type whose profiles are chosen (wizard/steps/cluster_organisation.py declares it). A copy of its
#: key: the declarations import this module (through their forms), so it cannot import them.
CLUSTER_ORGANISATION = "cluster_organisation"


def choosable(query, eu_cosme_only: bool, hidden_from_planner: bool = False):
    """`query` (over Profile) narrowed to the cluster organisations that may be chosen.

    hidden_from_planner: compare `column || ''` instead, the same values through no index: SQLite plans
    without statistics and would otherwise start from the (status, profile_type) index, testing every
    cluster organisation, where the caller has a better one (the picker's terms)."""
    kind, status = Profile.profile_type, Profile.status
    if hidden_from_planner:
        kind, status = kind.concat(""), status.concat("")
    query = query.where(kind == CLUSTER_ORGANISATION, status == ProfileStatus.PUBLISHED.value)
    if eu_cosme_only:
        query = query.join(Country, Country.code == Profile.country_code).where(Country.eu_cosme.is_(True))
    return query


def clusters_by_public_id(public_ids: list[str], eu_cosme_only: bool = True) -> dict[str, Profile]:
    """The choosable cluster organisations among `public_ids`, in one query."""
    if not public_ids:
        return {}
    rows = db.session.scalars(choosable(select(Profile), eu_cosme_only).where(Profile.public_id.in_(set(public_ids))))
    return {profile.public_id: profile for profile in rows}
