"""Possible duplicates: a draft whose organisation already has a submitted or published profile.

Matching is the indexed columns drafts.sync_profile_columns fills: the website's identifying
domain or the normalised name (wizard.matching). The applicant is told, and either asks the
existing profile's administrators for access, or confirms it is a different organisation; that
answer is remembered in the draft so the same match is not raised again.
"""

from sqlalchemy import or_, select

from wizard.extensions import db
from wizard.links import email_link
from wizard.models import AuditEntry, Profile, User
from wizard.models.profiles import ProfileStatus
from wizard.rate_limits import per_day, within
from wizard.services import audit
from wizard.services.administration import administrator_addresses
from wizard.services.mail_caps import queue_capped_email
from wizard.services.submission import validator_addresses

#: Profiles that exist for everyone: drafts (and rejected or withdrawn profiles) do not block anyone.
EXISTING_STATUSES = (ProfileStatus.SUBMITTED.value, ProfileStatus.CHANGES_REQUESTED.value,
                     ProfileStatus.PUBLISHED.value)
#: Top-level key of Profile.answers (not a step, so never shown or submitted as an answer).
ACKNOWLEDGED = "_different_from"
#: Access requests one account may send in a day, whichever profiles they go to.
DAILY_ACCESS_REQUESTS = 5
MAX_SHOWN = 5
#: Validators see every earlier submission of the organisation, rejected and withdrawn ones included.
SUBMITTED_STATUSES = tuple(status.value for status in ProfileStatus if status != ProfileStatus.DRAFT)


class AccessRequestRefused(Exception):
    """The request was not sent; the message says why. `too_many`: the daily allowance is used up."""

    def __init__(self, message: str, too_many: bool = False):
        super().__init__(message)
        self.too_many = too_many


def possible_duplicates(profile: Profile, statuses: tuple[str, ...] = EXISTING_STATUSES,
                        limit: int = MAX_SHOWN) -> list[Profile]:
    """Other profiles in one of `statuses` with the same identifying domain or normalised name."""
    same = []
    if profile.website_domain:
        same.append(Profile.website_domain == profile.website_domain)
    if profile.normalised_name:
        same.append(Profile.normalised_name == profile.normalised_name)
    if not same:
        return []
    return list(db.session.scalars(
        select(Profile).where(Profile.id != profile.id, Profile.status.in_(statuses), or_(*same))
        .order_by(Profile.id).limit(limit)
    ))


def unacknowledged_duplicates(profile: Profile) -> list[Profile]:
    acknowledged = set((profile.answers or {}).get(ACKNOWLEDGED) or [])
    return [match for match in possible_duplicates(profile) if match.public_id not in acknowledged]


def acknowledge_different(profile: Profile, matches: list[Profile]) -> None:
    """The applicant says these profiles are another organisation: do not ask again for them."""
    answers = dict(profile.answers or {})
    answers[ACKNOWLEDGED] = sorted(set(answers.get(ACKNOWLEDGED) or []) | {m.public_id for m in matches})
    profile.answers = answers
    profile.version += 1  # a step saved from an older copy of the draft then reads this one first (drafts.save_step)
    db.session.commit()


def request_access(draft: Profile, existing: Profile, requester: User) -> bool:
    """E-mails the existing profile's administrators that `requester` asks for access.

    Returns False when this account had already asked for this profile (nothing is sent twice).
    Refused when the account is not verified or has sent its daily number of requests: the
    e-mail goes to third parties, so it must not become a way to flood them.
    """
    if existing.status not in EXISTING_STATUSES or existing.id == draft.id:
        raise AccessRequestRefused("That profile cannot be asked for access.")
    if not requester.is_verified:
        raise AccessRequestRefused("Confirm your e-mail address first: open the link we sent you.")
    already = db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "access_requested", AuditEntry.actor_id == requester.id,
                                    AuditEntry.subject_id == existing.id).limit(1))
    if already is not None:
        return False
    if not within(per_day(DAILY_ACCESS_REQUESTS), "access-requests-by-account", requester.id):
        raise AccessRequestRefused("You have sent as many access requests as we allow in a day. Try again tomorrow.",
                                   too_many=True)
    recipients = administrator_addresses(existing)
    if not recipients:
        # Nobody administers it (yet): the validation team can put the applicant in touch.

        recipients = validator_addresses()
    link = email_link("wizard.my_profiles")
    for address in recipients:
        queue_capped_email(address, "access_request",
                           dedupe_key=f"access:{existing.id}:{requester.id}:{address.lower()}",
                           existing=existing, requester=requester, link=link)
    audit.record("access_requested", "profile", existing.id, actor=requester, from_draft=draft.public_id)
    db.session.commit()
    return True
