"""Who administers a profile: its owner and the accounts with a profile-administrator row, if enabled.

One rule for the pages an administrator may open (pending members, co-administrators, withdraw),
the decision links, access requests, and every e-mail that goes "to the profile's administrators".
"""
from sqlalchemy import or_, select

from wizard.extensions import db
from wizard.models import Profile, ProfileAdmin, User


def administrators(profile: Profile) -> list[User]:
    """The enabled accounts that administer `profile`, in the order they came to it."""
    rows = select(ProfileAdmin.user_id).where(ProfileAdmin.profile_id == profile.id)
    return list(db.session.scalars(
        select(User).where(or_(User.id.in_(rows), User.id == profile.owner_id), User.is_disabled.is_(False))
        .order_by(User.id)))


def administrator_addresses(profile: Profile) -> list[str]:
    """Their addresses, each once whatever its capitals."""
    seen: dict[str, str] = {}
    for user in administrators(profile):
        seen.setdefault(user.email.lower(), user.email)
    return list(seen.values())


def administers(user: User | None, profile: Profile | None) -> bool:
    if profile is None or user is None or not user.is_authenticated or user.is_disabled:
        return False
    return profile.owner_id == user.id or db.session.get(ProfileAdmin, (profile.id, user.id)) is not None
