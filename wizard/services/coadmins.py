"""Co-administrators of a profile: invite a colleague by e-mail, accept by link, remove (never the last one).

The invitation goes to any address (whether it has an account is never revealed); the colleague
must be signed in with that address to accept, and only the accepting POST uses the link.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from wizard.extensions import db
from wizard.links import email_link
from wizard.models import Affiliation, AuditEntry, LinkToken, Profile, ProfileAdmin, User
from wizard.models.base import utcnow
from wizard.services import audit
from wizard.services.mail_caps import queue_capped_email
from wizard.tokens import Purpose, TokenError, check_token, consume_token, issue_token


class CoadminError(Exception):
    """A refusal with a message fit to show."""


def administered_profiles(user: User) -> list[Profile]:
    return list(db.session.scalars(select(Profile).join(ProfileAdmin, ProfileAdmin.profile_id == Profile.id)
                                   .where(ProfileAdmin.user_id == user.id).order_by(Profile.name)))


def invite(profile: Profile, inviter: User, email: str) -> None:
    address = email.strip()
    if address.lower() == inviter.email.lower():
        raise CoadminError("You already administer this profile: enter a colleague's address")
    already = db.session.scalar(
        select(User.id).join(ProfileAdmin, ProfileAdmin.user_id == User.id)
        .where(ProfileAdmin.profile_id == profile.id, func.lower(User.email) == address.lower()))
    if already is not None:
        raise CoadminError("This colleague already administers the profile")
    config = current_app.config
    token = issue_token(Purpose.COADMIN_INVITE, profile.id, config["COADMIN_INVITE_MAX_AGE"],
                        recipient_email=address.lower())
    queue_capped_email(address, "coadmin_invite", profile=profile, inviter=inviter,
                       link=email_link("members.accept_invitation", token=token),
                       days=config["COADMIN_INVITE_MAX_AGE"] // 86400)
    audit.record("coadmin_invited", "profile", profile.id, actor=inviter, invited=address.lower())
    db.session.commit()


@dataclass(frozen=True)
class Invitation:
    token: LinkToken
    profile: Profile
    inviter_label: str

    @property
    def email(self) -> str:
        return self.token.recipient_email


def invitation(value: str) -> Invitation:
    """What a link invites to; TokenError if it cannot be used. Never changes anything."""
    token = check_token(Purpose.COADMIN_INVITE, value)
    profile = db.session.get(Profile, token.subject_id)
    if profile is None:
        raise TokenError("invalid")

    inviter = db.session.scalar(select(AuditEntry.actor_label).where(
        AuditEntry.action == "coadmin_invited", AuditEntry.subject_id == profile.id)
        .order_by(AuditEntry.id.desc()).limit(1))
    return Invitation(token, profile, inviter or "")


def accept(value: str, user: User) -> Profile:
    found = invitation(value)
    if user.email.lower() != found.email:
        raise CoadminError(f"This invitation is for {found.email}. Sign in with that address to accept it.")
    if not consume_token(found.token):
        db.session.rollback()
        raise TokenError("used")
    try:
        with db.session.begin_nested():
            db.session.add(ProfileAdmin(profile_id=found.profile.id, user_id=user.id))
    except IntegrityError:
        pass  # accepted twice at once, or already an administrator: the outcome is the same
    audit.record("coadmin_joined", "profile", found.profile.id, actor=user)
    db.session.commit()
    return found.profile


def remove(profile: Profile, actor: User, user_id: int) -> None:
    """Removes an administrator unless that would leave none (checked under a lock on the profile row)."""
    # Lock the profile row first: on PostgreSQL the lock serialises concurrent removals, and on SQLite
    # the write takes the database's write lock, so the count below cannot change before the delete.
    db.session.execute(update(Profile).where(Profile.id == profile.id).values(version=Profile.version),
                       execution_options={"synchronize_session": False})
    others = aliased(ProfileAdmin)
    deleted = db.session.execute(
        ProfileAdmin.__table__.delete().where(
            ProfileAdmin.profile_id == profile.id, ProfileAdmin.user_id == user_id,
            exists().where(others.profile_id == profile.id, others.user_id != user_id))
    ).rowcount
    if deleted != 1:
        db.session.rollback()
        if db.session.get(ProfileAdmin, (profile.id, user_id)) is None:
            raise CoadminError("This person is not an administrator of the profile")
        raise CoadminError("A profile always keeps at least one administrator: invite a colleague before you leave")
    removed = db.session.get(User, user_id)
    if profile.owner_id == user_id:
        profile.owner_id = actor.id if actor.id != user_id else db.session.scalar(
            select(ProfileAdmin.user_id).where(ProfileAdmin.profile_id == profile.id).limit(1))
    if removed is not None:
        revoke_decision_links(profile, removed.email)
    audit.record("coadmin_removed", "profile", profile.id, actor=actor, removed=removed.email if removed else user_id)
    db.session.commit()


def revoke_decision_links(cluster: Profile, email: str) -> None:
    """Approve/decline links e-mailed to someone who no longer administers the cluster die now (TK-6)."""
    affiliation_ids = select(Affiliation.id).where(Affiliation.cluster_profile_id == cluster.id)
    db.session.execute(
        update(LinkToken).where(LinkToken.purpose == Purpose.AFFILIATION_DECISION,
                                LinkToken.recipient_email == email.lower(), LinkToken.subject_id.in_(affiliation_ids),
                                LinkToken.used_at.is_(None), LinkToken.superseded_at.is_(None))
        .values(superseded_at=utcnow()), execution_options={"synchronize_session": False})
