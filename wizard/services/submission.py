"""Submitting a draft: revalidate every applicable step, record one submission, tell the validators."""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select, update
from werkzeug.utils import import_string

from wizard import engine
from wizard.extensions import db
from wizard.links import email_link
from wizard.matching import identifying_domain, normalise_name
from wizard.models import ListedMember, Profile, ProfileAdmin, ProfileEcosystem, Role, Submission, User
from wizard.models.base import utcnow
from wizard.models.profiles import EDITABLE_STATUSES, ProfileStatus
from wizard.services import audit, visibility
from wizard.services.drafts import declared, path_for
from wizard.services.outbox import queue_email
from wizard.steps.answers import Cleaned


class SubmissionRefused(Exception):
    """Cannot submit: `step` (if any) is the first step whose answers do not pass."""

    def __init__(self, message: str, step: engine.Step | None = None):
        super().__init__(message)
        self.step = step


@dataclass(frozen=True)
class SubmitResult:
    submission: Submission
    first_time: bool


def validator_addresses() -> list[str]:
    """Every account with the validator or admin role, plus VALIDATOR_EMAILS, each once."""
    staff = db.session.scalars(select(User.email).where(User.role.in_([Role.VALIDATOR, Role.ADMIN]),
                                                        User.is_disabled.is_(False)))
    seen: dict[str, str] = {}
    for address in [*staff, *current_app.config.get("VALIDATOR_EMAILS", [])]:
        seen.setdefault(address.lower(), address)
    return list(seen.values())


def applicable_answers(profile: Profile, path: engine.Path) -> dict:
    """The stored answers of the steps that apply; those of steps that no longer apply are not submitted."""
    answers = profile.answers or {}
    return {name: answers[name] for name in path.names() if name in answers}


def _submission_of(profile: Profile, version: int) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.profile_id == profile.id,
                                                      Submission.version == version))


def submit_draft(profile: Profile, user: User, expected_version: int) -> SubmitResult:
    """One submission per version, whatever the number of clicks or replays (compare-and-set on the row).

    `expected_version` is the version the applicant checked on "Check your answers": a change made in
    another window since then refuses the submission rather than sending answers nobody checked.
    """
    existing = _submission_of(profile, expected_version)
    if existing is not None:
        return SubmitResult(existing, first_time=False)
    if not user.is_verified:
        raise SubmissionRefused("Confirm your e-mail address before you submit: open the link we sent you when you "
                                "created your account.")
    path = path_for(profile)
    failing = engine.revalidate(path, profile.answers or {})
    if failing is not None:
        raise SubmissionRefused(f"Some answers on '{failing.title}' need your attention.", failing)
    was_resubmission = profile.status == ProfileStatus.CHANGES_REQUESTED
    claimed = db.session.execute(
        update(Profile)
        .where(Profile.id == profile.id, Profile.version == expected_version,
               Profile.status.in_([s.value for s in EDITABLE_STATUSES]))
        .values(status=ProfileStatus.SUBMITTED.value, submitted_at=utcnow())
    )
    if claimed.rowcount != 1:
        # Another request submitted this version first (a double click), or the draft changed since.
        db.session.rollback()
        existing = _submission_of(profile, expected_version)
        if existing is not None:
            return SubmitResult(existing, first_time=False)
        raise SubmissionRefused("This profile changed in another window. Check your answers again, then submit.")
    db.session.refresh(profile)
    visibility.follow(profile.id)
    submission = Submission(profile_id=profile.id, version=expected_version, submitted_by_id=user.id,
                            answers=applicable_answers(profile, path))
    db.session.add(submission)
    if db.session.get(ProfileAdmin, (profile.id, user.id)) is None:
        db.session.add(ProfileAdmin(profile_id=profile.id, user_id=user.id))
    if profile.owner_id is None:
        profile.owner_id = user.id
    cleaned = engine.cleaned(path, profile.answers or {})
    refresh_search_rows(profile, cleaned)
    _after_submit_hooks(profile, cleaned)
    audit.record("resubmitted" if was_resubmission else "submitted", "profile", profile.id, actor=user,
                 profile_version=expected_version)
    _notify(profile, user, expected_version, was_resubmission)
    db.session.commit()
    return SubmitResult(submission, first_time=True)


def refresh_search_rows(profile: Profile, cleaned: dict) -> None:
    """The member list and ecosystems in their own indexed tables, for matching and the directory."""
    db.session.execute(delete(ListedMember).where(ListedMember.profile_id == profile.id))
    db.session.execute(delete(ProfileEcosystem).where(ProfileEcosystem.profile_id == profile.id))
    reading = Cleaned(cleaned)
    for name, website in reading.listed_members:
        db.session.add(ListedMember(profile_id=profile.id, name=name[:300], website=website[:500],
                                    website_domain=identifying_domain(website) if website else None,
                                    normalised_name=normalise_name(name)[:300]))
    for key in set(reading.ecosystems):
        db.session.add(ProfileEcosystem(profile_id=profile.id, ecosystem=key))


def _after_submit_hooks(profile: Profile, cleaned: dict) -> None:
    """What the type declares its submission does (ProfileType.on_submit), in the submission's transaction."""
    for name in declared(profile).on_submit:
        import_string(name)(profile, cleaned)


def _notify(profile: Profile, applicant: User, version: int, resubmission: bool) -> None:
    review_link = email_link("validation.profile", public_id=profile.public_id)
    for address in validator_addresses():
        queue_email(address, "new_submission", dedupe_key=f"submitted:{profile.id}:v{version}:{address.lower()}",
                    profile=profile, link=review_link, resubmission=resubmission)
    queue_email(applicant.email, "submission_received", dedupe_key=f"received:{profile.id}:v{version}",
                profile=profile, link=email_link("wizard.my_profiles"), resubmission=resubmission)
