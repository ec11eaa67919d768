"""Visibility of member profiles (domain.md §4), one rule: every combination, one by one and many at once."""
import itertools

from sqlalchemy import event, select

from tests.support.factories import DEFAULT_PASSWORD
from wizard.extensions import db
from wizard.models import Affiliation, AffiliationStatus, Profile, ProfileStatus, Role
from wizard.services import affiliations, applicant_rights, decisions, search_terms
from wizard.services.visibility import (
    follow,
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
    follow(cluster.id, member.id)  # as the services that made these states would
    search_terms.follow(cluster, member)
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


def test_the_stored_flag_follows_the_services_writes(app, make_user):
    """The directory lists by `Profile.listed`: each service that changes what the rule reads keeps it, cluster
    changes reaching their members (the suite also checks it after every test, tests/conftest.py)."""
    members = [build(n, *row) for n, row in enumerate(TABLE)]
    db.session.commit()
    assert stale_flags() == []
    assert any(m.listed for m in members) and not all(m.listed for m in members)
    validator = make_user(email="vera@example.eu", role=Role.VALIDATOR)
    owner = make_user(email="owner@example.eu")

    # A cluster organisation's administrator ends an approved membership of a public member.
    ended = db.session.scalars(select(Affiliation).join(Profile, Profile.id == Affiliation.cluster_profile_id).where(
        Profile.status == ProfileStatus.PUBLISHED.value, Affiliation.status == AffiliationStatus.APPROVED.value,
        Affiliation.member_profile_id.in_([m.id for m in members if m.listed]))).first()
    affiliations.end_affiliation(ended.id, ended.cluster_profile_id, validator)
    assert stale_flags() == []
    # A validator unpublishes every published cluster organisation: none of their members may show through them.
    for cluster in db.session.scalars(select(Profile).where(Profile.profile_type == "cluster_organisation",
                                                            Profile.status == ProfileStatus.PUBLISHED.value)).all():
        decisions.unpublish(cluster, validator, cluster.version, "Out of date")
    assert stale_flags() == []
    # The validators publish a submitted cluster organisation with a pending request, which is then approved.
    request = db.session.scalars(select(Affiliation).join(Profile, Profile.id == Affiliation.cluster_profile_id).where(
        Profile.status == ProfileStatus.SUBMITTED.value, Affiliation.status == AffiliationStatus.PENDING.value)).first()
    cluster = db.session.get(Profile, request.cluster_profile_id)
    decisions.decide(cluster, decisions.Decision.PUBLISH, validator, cluster.version)
    assert stale_flags() == []
    affiliations.decide(request.id, "approve", validator)
    assert stale_flags() == []
    # The account that owns a published cluster organisation is deleted, with the profile.
    cluster = db.session.get(Profile, cluster.id)
    cluster.owner_id = owner.id
    db.session.commit()
    cluster_id = cluster.id
    applicant_rights.delete_account(owner, DEFAULT_PASSWORD)
    assert db.session.get(Profile, cluster_id) is None
    assert stale_flags() == []


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
    follow(unpublished.id, declined.id, member.id)
    search_terms.follow(unpublished, declined)
    db.session.commit()
    assert [a.cluster_name for a in visible_affiliations(member)] == ["Cluster 1", "Unlisted 1"]


def test_other_profile_types_follow_their_own_status(app):
    cluster = Profile(profile_type="cluster_organisation", status="published", name="C", answers={})
    draft = Profile(profile_type="association", status="draft", name="A", answers={})
    db.session.add_all([cluster, draft])
    db.session.flush()
    follow(cluster.id, draft.id)
    search_terms.follow(cluster, draft)
    db.session.commit()
    assert profile_is_public(cluster) and not profile_is_public(draft)
    assert not member_profile_is_public(cluster), "the member rule is for member profiles only"
