"""Visibility of member profiles (domain.md §4), one rule: every combination, one by one and many at once."""
import itertools

from sqlalchemy import delete, event, select, update

from wizard.extensions import db
from wizard.models import Affiliation, AffiliationStatus, Profile, ProfileStatus
from wizard.services.visibility import (
    listed_rule,
    member_profile_is_public,
    profile_is_public,
    public_member_ids,
    public_profile_clause,
    visible_affiliations,
)

CLUSTER_STATES = [ProfileStatus.PUBLISHED, ProfileStatus.SUBMITTED]
AFFILIATION_STATES = [None, *AffiliationStatus]  # None: no request to a profiled cluster organisation
MANUAL_STATES = [None, AffiliationStatus.PENDING, AffiliationStatus.APPROVED, AffiliationStatus.DECLINED]
MEMBER_STATES = [ProfileStatus.PUBLISHED, ProfileStatus.SUBMITTED, ProfileStatus.REJECTED]
TABLE = list(itertools.product(CLUSTER_STATES, AFFILIATION_STATES, MANUAL_STATES, MEMBER_STATES))


def expected(cluster_state, affiliation_state, manual_state, member_state) -> bool:
    """domain.md §4, written out: approved by a published cluster, or a manual one validated by validators."""
    by_cluster = affiliation_state == AffiliationStatus.APPROVED and cluster_state == ProfileStatus.PUBLISHED
    by_validators = manual_state == AffiliationStatus.APPROVED
    return member_state == ProfileStatus.PUBLISHED and (by_cluster or by_validators)


def build(n, cluster_state, affiliation_state, manual_state, member_state) -> Profile:
    cluster = Profile(profile_type="cluster_organisation", status=cluster_state.value, name=f"Cluster {n}", answers={})
    member = Profile(profile_type="cluster_member", status=member_state.value, name=f"Member {n}", answers={})
    db.session.add_all([cluster, member])
    db.session.flush()
    if affiliation_state is not None:
        db.session.add(Affiliation(member_profile_id=member.id, cluster_profile_id=cluster.id,
                                   status=affiliation_state.value))
    if manual_state is not None:
        db.session.add(Affiliation(member_profile_id=member.id, manual_name=f"Unlisted {n}", status=manual_state.value))
    return member


def test_every_combination(app):
    members = [(row, build(n, *row)) for n, row in enumerate(TABLE)]
    db.session.commit()
    assert len(TABLE) == 2 * 6 * 4 * 3
    wrong = [row for row, member in members if member_profile_is_public(member) != expected(*row)]
    assert wrong == [], f"one by one, wrong for (cluster, affiliation, manual, member): {wrong}"
    assert all(profile_is_public(member) == expected(*row) for row, member in members)
    public = {member.id for row, member in members if expected(*row)}
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert public_member_ids(member.id for _, member in members) == public
    assert len(statements) == 1, "many profiles at once cost one query"
    listed = set(db.session.scalars(select(Profile.id).where(Profile.profile_type == "cluster_member",
                                                              public_profile_clause())))
    assert listed == public
    assert set(db.session.scalars(select(Profile.id).where(Profile.profile_type == "cluster_member",
                                                            Profile.listed))) == public, "the stored copy agrees"


def stale_flags() -> list[int]:
    """Profiles whose stored `listed` differs from the rule as it stands."""
    db.session.expire_all()
    rows = db.session.execute(select(Profile.id, Profile.listed, listed_rule())).all()
    return [profile_id for profile_id, stored, rule in rows if bool(stored) != bool(rule)]


def test_the_stored_flag_follows_every_kind_of_change(app):
    """The directory lists by `Profile.listed`: it must follow the rule through the services' writes
    (UPDATE/DELETE statements) and through the unit of work alike, cluster changes reaching members."""
    members = [build(n, *row) for n, row in enumerate(TABLE)]
    db.session.commit()
    assert stale_flags() == []
    assert any(m.listed for m in members) and not all(m.listed for m in members)

    # A statement, as the decision services write: every cluster organisation withdrawn, then published.
    db.session.execute(update(Profile).where(Profile.profile_type == "cluster_organisation")
                       .values(status=ProfileStatus.WITHDRAWN.value).execution_options(synchronize_session=False))
    assert stale_flags() == []
    db.session.execute(update(Profile).where(Profile.profile_type == "cluster_organisation")
                       .values(status=ProfileStatus.PUBLISHED.value).execution_options(synchronize_session=False))
    assert stale_flags() == []
    # Affiliations decided and ended by statements, as the affiliation services do.
    db.session.execute(update(Affiliation).where(Affiliation.status == AffiliationStatus.PENDING.value)
                       .values(status=AffiliationStatus.APPROVED.value))
    assert stale_flags() == []
    db.session.execute(update(Affiliation).where(Affiliation.cluster_profile_id.is_(None))
                       .values(status=AffiliationStatus.ENDED.value))
    assert stale_flags() == []
    db.session.commit()

    # The unit of work: a member's status, an affiliation's status, a cluster deleted with its affiliations.
    member = next(m for m in members if m.listed)
    member.status = ProfileStatus.WITHDRAWN.value
    db.session.flush()
    assert stale_flags() == [] and member.listed is False
    approved = db.session.scalars(select(Affiliation).where(Affiliation.status == AffiliationStatus.APPROVED.value,
                                                            Affiliation.cluster_profile_id.is_not(None))).first()
    approved.status = AffiliationStatus.DECLINED.value
    db.session.flush()
    assert stale_flags() == []
    cluster = db.session.scalars(select(Profile).join(Affiliation, Affiliation.cluster_profile_id == Profile.id)
                                 .where(Affiliation.status == AffiliationStatus.APPROVED.value)).first()
    db.session.delete(cluster)
    db.session.flush()
    assert stale_flags() == []
    # A statement deleting cluster organisations (as erasing an account does).
    db.session.execute(delete(Profile).where(Profile.profile_type == "cluster_organisation")
                       .execution_options(synchronize_session=False))
    assert stale_flags() == []
    db.session.commit()
    # No cluster organisation left and every hand-typed one ended: no member may show any more.
    assert db.session.scalars(select(Profile.id).where(Profile.profile_type == "cluster_member",
                                                       Profile.listed)).all() == []


def test_a_public_member_page_lists_approved_affiliations_only(app):
    member = build(1, ProfileStatus.PUBLISHED, AffiliationStatus.APPROVED, AffiliationStatus.APPROVED,
                   ProfileStatus.PUBLISHED)
    unpublished = Profile(profile_type="cluster_organisation", status="submitted", name="Unpublished", answers={})
    declined = Profile(profile_type="cluster_organisation", status="published", name="Declined", answers={})
    db.session.add_all([unpublished, declined])
    db.session.flush()
    db.session.add_all([
        Affiliation(member_profile_id=member.id, cluster_profile_id=unpublished.id, status="approved"),
        Affiliation(member_profile_id=member.id, cluster_profile_id=declined.id, status="declined"),
        Affiliation(member_profile_id=member.id, manual_name="Pending unlisted", status="pending"),
    ])
    db.session.commit()
    assert [a.cluster_name for a in visible_affiliations(member)] == ["Cluster 1", "Unlisted 1"]


def test_other_profile_types_follow_their_own_status(app):
    cluster = Profile(profile_type="cluster_organisation", status="published", name="C", answers={})
    draft = Profile(profile_type="association", status="draft", name="A", answers={})
    db.session.add_all([cluster, draft])
    db.session.commit()
    assert profile_is_public(cluster) and not profile_is_public(draft)
    assert not member_profile_is_public(cluster), "the member rule is for member profiles only"
