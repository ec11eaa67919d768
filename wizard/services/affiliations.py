"""Affiliation requests: made when a member profile is submitted, decided once by the cluster
organisation's administrators (by e-mailed link or on their "Pending members" page) or, for a
cluster organisation typed in by hand, by the validators.

Every decision is a compare-and-set (`UPDATE ... WHERE status = 'pending'`, then the row count), so
two clicks, two tabs or two administrators record exactly one decision (reliability.md CC-1). The
decision, its audit entry and its e-mails are one transaction.
"""
import logging

from flask import current_app
from sqlalchemy import select, update

from wizard.clusters import clusters_by_public_id
from wizard.extensions import db
from wizard.links import email_link
from wizard.matching import same_organisation
from wizard.models import Affiliation, AffiliationStatus, LinkToken, Profile, User
from wizard.models.base import utcnow
from wizard.rate_limits import per_day, within
from wizard.services import audit, decisions, visibility
from wizard.services import uploads as upload_service
from wizard.services.accounts import find_user_by_email
from wizard.services.administration import administers, administrators
from wizard.services.listing import listing_matches
from wizard.services.outbox import queue_email
from wizard.services.submission import SubmissionRefused, validator_addresses
from wizard.steps.answers import Cleaned, ManualCluster
from wizard.steps.cluster_member import CLUSTERS
from wizard.tokens import Purpose, TokenError, check_token, consume_token, issue_token, revoke_tokens

log = logging.getLogger(__name__)

PENDING = AffiliationStatus.PENDING.value
APPROVED = AffiliationStatus.APPROVED.value
DECISIONS = {"approve": AffiliationStatus.APPROVED.value, "decline": AffiliationStatus.DECLINED.value}
REOPENABLE = (AffiliationStatus.DECLINED.value, AffiliationStatus.WITHDRAWN.value, AffiliationStatus.ENDED.value)


class AlreadyDecided(Exception):
    """Someone decided first; `affiliation` says who, when and what."""

    def __init__(self, affiliation: Affiliation | None):
        super().__init__("already decided")
        self.affiliation = affiliation


def decider_shown_to(affiliation: Affiliation, viewer: User | None) -> str | None:
    """Who decided, as the "already decided" page may say it: a decision link can be forwarded or
    leaked, so only the cluster's own administrators see the deciding administrator's address."""
    if not affiliation.decided_by_label:
        return None
    if administers(viewer, affiliation.cluster_profile):
        return affiliation.decided_by_label
    return "another administrator of this cluster"


# ---- requests, made at submission ----------------------------------------------------------------------------


def create_affiliation_requests(profile: Profile, cleaned: dict) -> None:
    """The submit hook of member profiles: one request per chosen cluster organisation and per manual one."""
    if listing_matches(profile):
        db.session.rollback()  # nothing of this submission is kept
        raise SubmissionRefused("Your organisation is already listed by a cluster organisation you chose.", CLUSTERS)
    chosen_ids = Cleaned(cleaned).chosen_clusters
    found = clusters_by_public_id(chosen_ids)
    chosen = {pid: found[pid] for pid in chosen_ids if pid in found}  # in the applicant's order
    mine = list(db.session.scalars(select(Affiliation).where(Affiliation.member_profile_id == profile.id)))
    by_cluster = {a.cluster_profile_id: a for a in mine if not a.is_manual}
    wanted = {cluster.id for cluster in chosen.values()}
    for cluster_id, affiliation in by_cluster.items():
        if cluster_id not in wanted:
            withdraw(affiliation, reason="no longer chosen")
    for cluster in chosen.values():
        affiliation = by_cluster.get(cluster.id)
        if affiliation is None:
            affiliation = Affiliation(member_profile_id=profile.id, cluster_profile_id=cluster.id)
            db.session.add(affiliation)
            db.session.flush()
        elif not _reopen(affiliation):
            continue  # pending or approved already: nothing new to ask
        audit.record("affiliation_requested", "affiliation", affiliation.id, cluster=cluster.id, member=profile.id)
        send_request(affiliation, cluster, profile)
    _manual_requests(profile, Cleaned(cleaned).manual_clusters, [a for a in mine if a.is_manual])
    visibility.follow(profile.id)


def _reopen(affiliation: Affiliation) -> bool:
    """A declined, withdrawn or ended request asked again by a resubmission becomes pending again."""
    return db.session.execute(
        update(Affiliation).where(Affiliation.id == affiliation.id, Affiliation.status.in_(REOPENABLE))
        .values(status=PENDING, decided_by_id=None, decided_by_label=None, decided_at=None, decision_note="",
                ended_at=None, created_at=utcnow()), execution_options={"synchronize_session": "fetch"}
    ).rowcount == 1


def send_request(affiliation: Affiliation, cluster: Profile, member: Profile) -> int:
    """E-mails each administrator of the cluster an approve and a decline link (capped per cluster per day)."""
    config = current_app.config
    prefix = f"affreq:{cluster.id}:"
    admins = administrators(cluster)
    if not within(per_day(config.get("AFFILIATION_EMAILS_PER_CLUSTER_PER_DAY", 50)), "affiliation-mail-to-cluster",
                  cluster.id, cost=len(admins) or 1):
        log.warning("affiliation e-mails to cluster %s capped; request %s waits on its page", cluster.id,
                    affiliation.id)
        return 0
    for admin in admins:
        links = {action: email_link("members.decide_by_link", token=issue_token(
            Purpose.AFFILIATION_DECISION, affiliation.id, config["AFFILIATION_DECISION_MAX_AGE"], action=action,
            recipient_email=admin.email.lower())) for action in DECISIONS}
        queue_email(admin.email, "affiliation_request",
                    dedupe_key=f"{prefix}{affiliation.id}:{member.version}:{admin.email.lower()}",
                    cluster=cluster, member=member, approve_link=links["approve"], decline_link=links["decline"],
                    pending_link=email_link("members.pending_members", public_id=cluster.public_id),
                    days=config["AFFILIATION_DECISION_MAX_AGE"] // 86400)
    return len(admins)


def _manual_requests(profile: Profile, rows: list[ManualCluster], existing: list[Affiliation]) -> None:
    kept: set[int] = set()
    for row in rows:
        proof = upload_service.upload_of(profile, row.proof_id, upload_service.PROOF)
        fields = {"manual_name": row.name[:300], "manual_website": row.website[:500],
                  "manual_country_code": row.country_code, "proof_upload_id": proof.id if proof else None}
        match = next((a for a in existing if a.id not in kept and a.status in (PENDING, APPROVED)
                      and same_organisation(a.manual_name, a.manual_website, fields["manual_name"],
                                            fields["manual_website"])), None)
        if match is not None:
            kept.add(match.id)
            if match.status == PENDING:
                replaced = match.proof
                for key, value in fields.items():
                    setattr(match, key, value)
                db.session.flush()
                if replaced is not None and replaced.id != match.proof_upload_id:
                    upload_service.discard(replaced)  # a proof replaced since the last submission
            continue
        affiliation = Affiliation(member_profile_id=profile.id, cluster_profile_id=None, **fields)
        db.session.add(affiliation)
        db.session.flush()
        audit.record("affiliation_requested", "affiliation", affiliation.id, member=profile.id, manual=True)
        for address in validator_addresses():
            queue_email(address, "manual_affiliation_review",
                        dedupe_key=f"manualaff:{affiliation.id}:{address.lower()}",
                        affiliation=affiliation, member=profile,
                        link=email_link("members.manual_affiliations"))
    for affiliation in existing:
        if affiliation.id not in kept:
            withdraw(affiliation, reason="no longer named")


def withdraw(affiliation: Affiliation, reason: str = "") -> bool:
    """A pending request the member no longer makes: its e-mailed links die with it (in the caller's transaction)."""
    done = db.session.execute(
        update(Affiliation).where(Affiliation.id == affiliation.id, Affiliation.status == PENDING)
        .values(status=AffiliationStatus.WITHDRAWN.value, decided_at=utcnow()),
        execution_options={"synchronize_session": "fetch"}).rowcount == 1
    if done:
        visibility.follow(affiliation.member_profile_id)
        revoke_tokens(Purpose.AFFILIATION_DECISION, affiliation.id)
        audit.record("affiliation_withdrawn", "affiliation", affiliation.id, reason=reason)
    return done


# ---- decisions ------------------------------------------------------------------------------------------------


def decide(affiliation_id: int, decision: str, actor: User, *, note: str = "", via: str = "page") -> Affiliation:
    """Approve or decline a pending request, once; AlreadyDecided if anyone decided first."""
    status = DECISIONS[decision]
    result = db.session.execute(
        update(Affiliation).where(Affiliation.id == affiliation_id, Affiliation.status == PENDING)
        .values(status=status, decided_by_id=actor.id, decided_by_label=actor.email, decided_at=utcnow(),
                decision_note=note[:1000]), execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        db.session.rollback()
        raise AlreadyDecided(db.session.get(Affiliation, affiliation_id, populate_existing=True))
    affiliation = db.session.get(Affiliation, affiliation_id, populate_existing=True)
    visibility.follow(affiliation.member_profile_id)
    audit.record(f"affiliation_{status}", "affiliation", affiliation.id, actor=actor, reason=note, via=via,
                 member=affiliation.member_profile_id, cluster=affiliation.cluster_profile_id)
    if status == APPROVED:
        decisions.publish_on_approval(affiliation.member_profile_id, affiliation.id, actor, via)
    tell_member(affiliation, status)
    queue_email(actor.email, "affiliation_decision_made", dedupe_key=f"affdone:{affiliation.id}:{status}:{actor.id}:"
                f"{affiliation.decided_at.isoformat()}", affiliation=affiliation, status=status, via=via)
    db.session.commit()
    return affiliation


def affiliation_for_link(value: str) -> tuple[LinkToken, Affiliation]:
    """The request an e-mailed link is for; TokenError if the link cannot be used. Never changes anything.

    The link's recipient must still administer the cluster organisation (removing an administrator
    kills their links even before they expire).
    """
    token = check_token(Purpose.AFFILIATION_DECISION, value)
    affiliation = db.session.get(Affiliation, token.subject_id)
    if affiliation is None or affiliation.is_manual or token.action not in DECISIONS:
        raise TokenError("invalid")
    admin = find_user_by_email(token.recipient_email)
    if not administers(admin, affiliation.cluster_profile):
        raise TokenError("invalid")
    return token, affiliation


def decided_by_link(error: TokenError) -> Affiliation | None:
    """For a used link: the request it decided, so the page can say who decided and when."""
    if error.reason != "used" or error.token is None or error.token.purpose != Purpose.AFFILIATION_DECISION:
        return None
    affiliation = db.session.get(Affiliation, error.token.subject_id)
    return affiliation if affiliation is not None and affiliation.status != PENDING else None


def decide_by_link(value: str, note: str = "") -> Affiliation:
    """The deciding POST behind an e-mailed link: the link is used up with the decision, or not at all."""
    token, affiliation = affiliation_for_link(value)
    if affiliation.status != PENDING:
        raise AlreadyDecided(affiliation)
    admin = find_user_by_email(token.recipient_email)
    if not consume_token(token):
        db.session.rollback()
        raise AlreadyDecided(db.session.get(Affiliation, affiliation.id, populate_existing=True))
    return decide(affiliation.id, token.action, admin, note=note, via="e-mailed link")


def end_affiliation(affiliation_id: int, cluster_id: int, actor: User, note: str = "") -> Affiliation:
    """A cluster's administrators end an approved membership (the member may stop showing publicly)."""
    result = db.session.execute(
        update(Affiliation).where(Affiliation.id == affiliation_id, Affiliation.cluster_profile_id == cluster_id,
                                  Affiliation.status == APPROVED)
        .values(status=AffiliationStatus.ENDED.value, ended_at=utcnow(), decision_note=note[:1000]),
        execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        db.session.rollback()
        raise AlreadyDecided(db.session.get(Affiliation, affiliation_id, populate_existing=True))
    affiliation = db.session.get(Affiliation, affiliation_id, populate_existing=True)
    visibility.follow(affiliation.member_profile_id)
    audit.record("affiliation_ended", "affiliation", affiliation.id, actor=actor, reason=note,
                 member=affiliation.member_profile_id, cluster=cluster_id)
    tell_member(affiliation, AffiliationStatus.ENDED.value)
    db.session.commit()
    return affiliation


def tell_member(affiliation: Affiliation, status: str) -> None:
    member = affiliation.member_profile
    stamp = (affiliation.ended_at or affiliation.decided_at or utcnow()).isoformat()
    for admin in administrators(member):
        queue_email(admin.email, "affiliation_outcome",
                    dedupe_key=f"affout:{affiliation.id}:{status}:{stamp}:{admin.id}",
                    affiliation=affiliation, member=member, status=status)

