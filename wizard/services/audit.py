"""Writes audit entries in the caller's transaction."""
from wizard.extensions import db
from wizard.models import AuditEntry, User


def record(action: str, subject_type: str, subject_id: int, *, actor: User | None = None, reason: str = "",
           profile_version: int | None = None, **details) -> AuditEntry:
    entry = AuditEntry(
        action=action, subject_type=subject_type, subject_id=subject_id,
        actor_id=actor.id if actor else None, actor_label=actor.email if actor else "",
        reason=reason, profile_version=profile_version, details=details,
    )
    db.session.add(entry)
    return entry
