"""The applicant's rights over their data: withdraw a submission, take a copy of everything, delete the account.

A profile belongs to its administrators together. Deleting an account removes every profile
nobody else administers (drafts, submissions and published ones alike) with its uploaded files;
a profile another administrator shares stays with them, only this person's part in it goes.
"""
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from wizard import passwords
from wizard.extensions import db
from wizard.models import (
    Affiliation,
    AuditEntry,
    AuthSession,
    LinkToken,
    LoginAttempt,
    OutboxMessage,
    Profile,
    ProfileAdmin,
    Submission,
    Upload,
    User,
)
from wizard.models.base import utcnow
from wizard.models.profiles import ProfileStatus
from wizard.services import audit, visibility
from wizard.services.administration import administers
from wizard.services.drafts import drafts_of
from wizard.services.outbox import queue_email
from wizard.services.uploads import upload_storage
from wizard.tokens import Purpose

log = logging.getLogger(__name__)

DELETED_ACTOR_LABEL = "deleted account"


class RightsRefused(Exception):
    """The request cannot be carried out; the message says why, fit to show next to the form."""


def withdraw(profile: Profile, user: User, expected_version: int) -> None:
    """Takes a submission back out of the validators' queue (compare-and-set on status and version)."""
    if not administers(user, profile):
        raise RightsRefused("Only the administrators of this profile can withdraw it.")
    result = db.session.execute(
        update(Profile)
        .where(Profile.id == profile.id, Profile.status == ProfileStatus.SUBMITTED.value,
               Profile.version == expected_version)
        .values(status=ProfileStatus.WITHDRAWN.value, version=Profile.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(profile)
        if profile.status == ProfileStatus.SUBMITTED:
            raise RightsRefused("This profile changed in another window. Look at it again, then withdraw it.")
        raise RightsRefused(f"This profile is no longer waiting for validation (it is "
                            f"{ProfileStatus(profile.status).label.lower()}), so there is nothing to withdraw.")
    visibility.follow(profile.id)
    audit.record("withdrawn", "profile", profile.id, actor=user, profile_version=expected_version)
    db.session.commit()
    db.session.refresh(profile)


# --- A copy of everything held about a person --------------------------------------------------


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _upload(row: Upload) -> dict[str, Any]:
    return {"id": row.id, "file_name": row.original_name, "content_type": row.content_type, "size": row.size,
            "sha256": row.sha256, "purpose": row.purpose, "uploaded_at": _when(row.created_at)}


def export_data(user: User) -> dict[str, Any]:
    """Everything held about `user`, as plain JSON-ready data (the file the "download my data" page serves)."""
    profiles = drafts_of(user)
    ids = [p.id for p in profiles]
    submissions = _grouped(select(Submission).where(Submission.profile_id.in_(ids)).order_by(Submission.version),
                           lambda s: s.profile_id) if ids else {}
    profile_uploads = _grouped(select(Upload).where(Upload.profile_id.in_(ids)).order_by(Upload.id),
                               lambda u: u.profile_id) if ids else {}
    affiliations = list(db.session.scalars(
        select(Affiliation).where(or_(Affiliation.member_profile_id.in_(ids), Affiliation.cluster_profile_id.in_(ids)))
        .order_by(Affiliation.id))) if ids else []
    related = {a.member_profile_id for a in affiliations} | {a.cluster_profile_id for a in affiliations}
    names = dict(db.session.execute(select(Profile.id, Profile.name).where(Profile.id.in_(related))).all()) \
        if affiliations else {}
    return {
        "exported_at": _when(utcnow()),
        "account": {"email": user.email, "full_name": user.full_name, "role": user.role,
                    "created_at": _when(user.created_at), "email_verified_at": _when(user.email_verified_at),
                    "password_changed_at": _when(user.password_changed_at)},
        "sign_ins": [{"started_at": _when(s.created_at), "last_seen_at": _when(s.last_seen_at)}
                     for s in db.session.scalars(select(AuthSession).where(AuthSession.user_id == user.id))],
        "profiles": [{
            "id": p.public_id, "kind": p.profile_type, "status": p.status, "name": p.name, "acronym": p.acronym,
            "website": p.website, "country": p.country_code, "version": p.version,
            "you_are": "owner" if p.owner_id == user.id else "administrator",
            "criteria_waived": p.criteria_waived, "created_at": _when(p.created_at),
            "updated_at": _when(p.updated_at), "submitted_at": _when(p.submitted_at),
            "published_at": _when(p.published_at), "answers": p.answers or {},
            "submissions": [{"version": s.version, "submitted_at": _when(s.submitted_at), "answers": s.answers}
                            for s in submissions.get(p.id, [])],
            "uploads": [_upload(u) for u in profile_uploads.get(p.id, [])],
        } for p in profiles],
        "uploads_without_a_profile": [_upload(u) for u in db.session.scalars(
            select(Upload).where(Upload.uploaded_by_id == user.id, Upload.profile_id.is_(None)))],
        "affiliations": [{
            "member": names.get(a.member_profile_id, ""),
            "cluster_organisation": names.get(a.cluster_profile_id, "") if a.cluster_profile_id else a.manual_name,
            "entered_by_hand": a.is_manual, "status": a.status, "requested_at": _when(a.created_at),
            "decided_at": _when(a.decided_at), "note": a.decision_note,
        } for a in affiliations],
        "history": [_audit(entry, user) for entry in _audit_entries_about(user, ids)],
        "emails": [{"to": m.recipient, "subject": m.subject, "queued_at": _when(m.created_at), "status": m.status,
                    "sent_at": _when(m.sent_at)}
                   for m in db.session.scalars(select(OutboxMessage)
                                               .where(func.lower(OutboxMessage.recipient) == user.email.lower())
                                               .order_by(OutboxMessage.id))],
    }


def _grouped(query, key) -> dict[int, list]:
    found: dict[int, list] = {}
    for row in db.session.scalars(query):
        found.setdefault(key(row), []).append(row)
    return found


def _audit_entries_about(user: User, profile_ids: list[int]) -> list[AuditEntry]:
    about = [AuditEntry.actor_id == user.id, (AuditEntry.subject_type == "user") & (AuditEntry.subject_id == user.id)]
    if profile_ids:
        about.append((AuditEntry.subject_type == "profile") & AuditEntry.subject_id.in_(profile_ids))
    return list(db.session.scalars(select(AuditEntry).where(or_(*about)).order_by(AuditEntry.id)))


def _audit(entry: AuditEntry, user: User) -> dict[str, Any]:
    # Staff members' own addresses are theirs, not the applicant's: the export names the team instead.
    actor = "you" if entry.actor_id == user.id else ("the validation team" if entry.actor_id else "the system")
    return {"at": _when(entry.at), "who": actor, "what": entry.action, "about": entry.subject_type,
            "profile_version": entry.profile_version, "reason": entry.reason}


# --- Deleting an account ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletionPlan:
    removed: list[Profile]
    kept: list[Profile]


def deletion_plan(user: User) -> DeletionPlan:
    """Which of the person's profiles go with the account and which stay with their other administrators."""
    profiles = drafts_of(user)
    ids = [p.id for p in profiles]
    shared = set(db.session.scalars(select(ProfileAdmin.profile_id).where(
        ProfileAdmin.profile_id.in_(ids), ProfileAdmin.user_id != user.id))) if ids else set()
    return DeletionPlan(removed=[p for p in profiles if p.id not in shared],
                        kept=[p for p in profiles if p.id in shared])


def delete_account(user: User, password: str) -> DeletionPlan:
    """Deletes the account after the password is typed again; returns what happened to each profile.

    Rows go in one transaction; files are unlinked only after it commits, so a failure never
    leaves a row pointing at a missing file.
    """
    if not password or not passwords.verify_password(user.password_hash, password):
        raise RightsRefused("The password is not right.")
    user_id, email = user.id, user.email
    plan = deletion_plan(user)
    removed_ids = [p.id for p in plan.removed]
    kept_names = [p.display_name for p in plan.kept]
    for profile in plan.kept:
        if profile.owner_id == user_id:
            profile.owner_id = db.session.scalar(select(ProfileAdmin.user_id).where(
                ProfileAdmin.profile_id == profile.id, ProfileAdmin.user_id != user_id)
                .order_by(ProfileAdmin.created_at, ProfileAdmin.user_id).limit(1))
    db.session.flush()
    files = _remove_profiles(removed_ids)
    unattached = list(db.session.scalars(select(Upload).where(Upload.uploaded_by_id == user_id,
                                                              Upload.profile_id.is_(None))))
    files += [u.storage_name for u in unattached]
    db.session.execute(delete(Upload).where(Upload.id.in_([u.id for u in unattached]))
                       .execution_options(synchronize_session=False))
    _forget_person(user_id, email)
    audit.record("account_deleted", "user", user_id, profiles_removed=len(removed_ids),
                 profiles_kept=len(plan.kept))
    queue_email(email, "account_deleted", kept=kept_names)
    db.session.commit()
    db.session.expunge_all()
    _unlink(files)
    return plan


def _remove_profiles(profile_ids: list[int]) -> list[str]:
    """Deletes the profiles (their answers, submissions, uploads and affiliations go with them by
    cascade) and their e-mailed links; returns the storage names of their files."""
    if not profile_ids:
        return []
    files = list(db.session.scalars(select(Upload.storage_name).where(Upload.profile_id.in_(profile_ids))))
    affiliation_ids = list(db.session.scalars(select(Affiliation.id).where(or_(
        Affiliation.member_profile_id.in_(profile_ids), Affiliation.cluster_profile_id.in_(profile_ids)))))
    db.session.execute(delete(LinkToken).where(LinkToken.purpose == Purpose.RESUME_DRAFT,
                                               LinkToken.subject_id.in_(profile_ids)))
    if affiliation_ids:
        db.session.execute(delete(LinkToken).where(LinkToken.purpose == Purpose.AFFILIATION_DECISION,
                                                   LinkToken.subject_id.in_(affiliation_ids)))
    members = visibility.members_of(profile_ids)
    db.session.execute(delete(Profile).where(Profile.id.in_(profile_ids)).execution_options(synchronize_session=False))
    visibility.follow(*(set(members) - set(profile_ids)))
    return files


def _forget_person(user_id: int, email: str) -> None:
    """The account row and everything keyed by the person's id or address; the audit log keeps the
    decisions but no longer says who the person was."""
    email_lower = email.lower()
    db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == user_id)
                       .values(actor_id=None, actor_label=DELETED_ACTOR_LABEL)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(ProfileAdmin).where(ProfileAdmin.user_id == user_id)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(LinkToken).where(or_(
        LinkToken.purpose.in_([Purpose.VERIFY_EMAIL, Purpose.RESET_PASSWORD]) & (LinkToken.subject_id == user_id),
        func.lower(LinkToken.recipient_email) == email_lower)))
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.recipient) == email_lower)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email_lower == email_lower))
    db.session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
    db.session.execute(delete(User).where(User.id == user_id).execution_options(synchronize_session=False))


def _unlink(storage_names: list[str]) -> None:
    storage = upload_storage()
    for name in storage_names:
        try:
            storage.delete(name)
        except (OSError, ValueError):
            # The rows are gone; a file left behind is found by the purge, never served.
            log.warning("could not remove an uploaded file of a deleted account")
