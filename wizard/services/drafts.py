"""Drafts kept for anonymous visitors follow them to their account."""
import hashlib

from sqlalchemy import update

from wizard.extensions import db
from wizard.models import Profile, User


def anon_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def adopt_anonymous_drafts(user: User, anon_key: str | None) -> int:
    """Gives the visitor's drafts to the account they signed in to or created; returns how many."""
    if not anon_key:
        return 0
    result = db.session.execute(
        update(Profile)
        .where(Profile.anon_key_hash == anon_key_hash(anon_key), Profile.owner_id.is_(None))
        .values(owner_id=user.id, anon_key_hash=None)
    )
    db.session.commit()
    return result.rowcount
