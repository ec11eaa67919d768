"""Validators' decisions on a submitted profile: publish, reject, request changes, and the criteria waiver.

Each decision is one conditional UPDATE on (status = submitted AND version = the version the
validator saw), checked by its row count: of two validators deciding at once, or a validator
deciding on a version the applicant has since replaced, exactly one change goes through and the
other caller gets DecisionRefused with a message saying why. The winner's audit entry and e-mails
are written in the same transaction as the status.
"""
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from wizard import engine, rules
from wizard.extensions import db
from wizard.links import email_link
from wizard.models import AuditEntry, Profile, Submission, User
from wizard.models.base import utcnow
from wizard.models.profiles import ProfileStatus
from wizard.services import audit, drafts
from wizard.services.administration import administrator_addresses
from wizard.services.drafts import eu_cosme_checker
from wizard.services.outbox import queue_email
from wizard.services.paging import Paged, paginate
from wizard.services.submission import refresh_search_rows
from wizard.services.visibility import MEMBER_TYPE, counting_affiliation, follow

MAX_MESSAGE_LENGTH = 5000


class Decision(enum.StrEnum):
    PUBLISH = "publish"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


@dataclass(frozen=True)
class _Outcome:
    status: ProfileStatus
    audit_action: str
    email_template: str
    #: What the validator is told when the decision has no message: the form and decide() say the same.
    needs_message: str | None  # None: the message is optional


_OUTCOMES = {
    Decision.PUBLISH: _Outcome(ProfileStatus.PUBLISHED, "published", "profile_published", None),
    Decision.REQUEST_CHANGES: _Outcome(ProfileStatus.CHANGES_REQUESTED, "changes_requested", "changes_requested",
                                       "Enter what the applicant should change"),
    Decision.REJECT: _Outcome(ProfileStatus.REJECTED, "rejected", "profile_rejected",
                              "Enter the reason for rejecting the profile"),
}
UNPUBLISH_NEEDS_REASON = "Enter the reason for unpublishing the profile"


def message_needed(decision: str | None) -> str | None:
    """The refusal for `decision` without a message to the applicant; None when it needs none."""
    outcome = _OUTCOMES.get(decision) if decision in set(Decision) else None
    return outcome.needs_message if outcome else None


class DecisionRefused(Exception):
    """The decision was not recorded; the message says why, in words fit for the validator."""


@dataclass(frozen=True)
class SubmittedAnswers:
    """The latest submission of a profile, read the way the applicant's wizard read it."""

    submission: Submission
    path: engine.Path
    cleaned: dict[str, dict[str, Any]]
    #: As the type declares (ProfileType.criteria_apply), over the submitted answers.
    criteria_apply: bool


def latest_submission(profile: Profile) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.profile_id == profile.id)
                             .order_by(Submission.version.desc()).limit(1))


def submitted_answers(profile: Profile) -> SubmittedAnswers | None:
    """The frozen answers of the latest submission, with the steps that applied to them."""
    submission = latest_submission(profile)
    if submission is None:
        return None
    frozen = submission.answers or {}
    declared = drafts.declared(profile)
    path = declared.path(frozen, eu_cosme_checker())
    return SubmittedAnswers(submission, path, engine.cleaned(path, frozen), declared.criteria_apply_to(path, frozen))


def criteria(profile: Profile, answers: SubmittedAnswers) -> list[rules.CriterionResult] | None:
    """The same checklist the applicant saw, or None where the criteria do not apply."""
    if not answers.criteria_apply:
        return None
    return rules.evaluate(answers.cleaned, profile.criteria_waived)


def waiver_basis(profile: Profile, answers: SubmittedAnswers | None) -> str | None:
    if answers is None or not answers.criteria_apply:
        return None
    return rules.waiver_basis(answers.cleaned)


def decide(profile: Profile, decision: Decision, validator: User, seen_version: int, message: str = "") -> None:
    """Records one decision on the submission the validator saw, or raises DecisionRefused."""
    outcome = _OUTCOMES[Decision(decision)]
    message = (message or "").strip()
    _check_validator(validator)
    if outcome.needs_message and not message:
        raise DecisionRefused(outcome.needs_message)
    if len(message) > MAX_MESSAGE_LENGTH:
        raise DecisionRefused(f"Keep the message to {MAX_MESSAGE_LENGTH:,} characters.")
    values: dict[str, Any] = {"status": outcome.status.value, "version": Profile.version + 1}
    if outcome.status == ProfileStatus.PUBLISHED:
        values["published_at"] = utcnow()
    _compare_and_set(profile, seen_version, values)
    follow(profile.id)
    answers = submitted_answers(profile)
    if outcome.status == ProfileStatus.PUBLISHED and answers is not None:
        refresh_search_rows(profile, answers.cleaned)
    audit.record(outcome.audit_action, "profile", profile.id, actor=validator, reason=message,
                 profile_version=seen_version, decision=str(decision), status_before=ProfileStatus.SUBMITTED.value)
    _tell_applicants(profile, outcome.email_template, seen_version, message=message,
                     waiver=waiver_basis(profile, answers) if profile.criteria_waived else None)
    db.session.commit()


PUBLISHED_ON_APPROVAL = "published_on_approval"
UNPUBLISHED = "unpublished"


def publish_on_approval(member_id: int, affiliation_id: int, actor: User, via: str) -> bool:
    """An affiliation that counts for visibility was just approved (by the cluster organisation's
    administrator, or by validators for a cluster typed in by hand): that makes the submitted member
    profile public (domain.md §4), in the approval's transaction. False when it does not: the member is
    not waiting for a decision (a validator decided already, or changes are being made), or the approval
    does not count (its cluster organisation is not published)."""

    published = db.session.execute(
        update(Profile)
        .where(Profile.id == member_id, Profile.profile_type == MEMBER_TYPE,
               Profile.status == ProfileStatus.SUBMITTED.value, counting_affiliation(Profile.id))
        .values(status=ProfileStatus.PUBLISHED.value, published_at=utcnow(), version=Profile.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if not published:
        return False
    follow(member_id)
    profile = db.session.get(Profile, member_id, populate_existing=True)
    answers = submitted_answers(profile)
    if answers is not None:
        refresh_search_rows(profile, answers.cleaned)
    audit.record(PUBLISHED_ON_APPROVAL, "profile", profile.id, actor=actor, profile_version=profile.version,
                 affiliation=affiliation_id, via=via, status_before=ProfileStatus.SUBMITTED.value)
    return True


def published_on_approval(page: int, per_page: int = 25) -> Paged:
    """Member profiles made public by an approval and not decided on by a validator since, newest first."""
    query = (select(Profile).join(AuditEntry, (AuditEntry.subject_type == "profile")
                                  & (AuditEntry.subject_id == Profile.id)
                                  & (AuditEntry.action == PUBLISHED_ON_APPROVAL)
                                  & (AuditEntry.profile_version == Profile.version))
             .where(Profile.status == ProfileStatus.PUBLISHED.value)
             .order_by(Profile.published_at.desc(), Profile.id.desc()))
    return paginate(query, page, per_page, cap=1000)  # an exact count would read every such member


def unpublish(profile: Profile, validator: User, seen_version: int, reason: str) -> None:
    """Validators take a published profile off the public pages, with a reason e-mailed to the applicant,
    who may change the profile and submit it again (it goes back to "changes requested")."""
    _check_validator(validator)
    reason = (reason or "").strip()
    if not reason:
        raise DecisionRefused(UNPUBLISH_NEEDS_REASON)
    if len(reason) > MAX_MESSAGE_LENGTH:
        raise DecisionRefused(f"Keep the reason to {MAX_MESSAGE_LENGTH:,} characters.")
    _compare_and_set(profile, seen_version, {"status": ProfileStatus.CHANGES_REQUESTED.value,
                                             "version": Profile.version + 1},
                     status=ProfileStatus.PUBLISHED)
    follow(profile.id)
    audit.record(UNPUBLISHED, "profile", profile.id, actor=validator, reason=reason, profile_version=seen_version,
                 status_before=ProfileStatus.PUBLISHED.value)
    _tell_applicants(profile, "profile_unpublished", seen_version, message=reason)
    db.session.commit()


def changes_requested_reason(profile: Profile) -> str | None:
    """What the validators asked the applicant to change (or why they unpublished the profile), while the
    profile waits for those changes; None otherwise. Costs a query only for such a profile."""
    if profile.status != ProfileStatus.CHANGES_REQUESTED.value:
        return None
    return db.session.scalar(
        select(AuditEntry.reason).where(AuditEntry.subject_type == "profile", AuditEntry.subject_id == profile.id,
                                        AuditEntry.action.in_((_OUTCOMES[Decision.REQUEST_CHANGES].audit_action,
                                                               UNPUBLISHED)))
        .order_by(AuditEntry.id.desc()).limit(1))


def set_waiver(profile: Profile, validator: User, seen_version: int, waived: bool) -> None:
    """The validators' switch that accepts (or withdraws) the criteria waiver of a cluster organisation."""
    _check_validator(validator)
    basis = waiver_basis(profile, submitted_answers(profile))
    if waived and basis is None:
        raise DecisionRefused("The criteria can only be waived for a cluster organisation in an EU/COSME country "
                              "that states a recognising regional/national programme or a social-economy "
                              "recognition by DG GROW. This one states neither.")
    if profile.criteria_waived == waived and profile.status == ProfileStatus.SUBMITTED \
            and profile.version == seen_version:
        return  # already so: a replayed click changes nothing and records nothing
    _compare_and_set(profile, seen_version, {"criteria_waived": waived}, Profile.criteria_waived == (not waived))
    audit.record("criteria_waived" if waived else "criteria_waiver_withdrawn", "profile", profile.id,
                 actor=validator, reason=basis or "", profile_version=seen_version)
    db.session.commit()


def _check_validator(user: User) -> None:
    if user is None or not user.is_staff:
        raise DecisionRefused("Only validators can decide on profiles.")


def _compare_and_set(profile: Profile, seen_version: int, values: dict[str, Any], *extra_conditions,
                     status: ProfileStatus = ProfileStatus.SUBMITTED) -> None:
    result = db.session.execute(
        update(Profile)
        .where(Profile.id == profile.id, Profile.status == status.value,
               Profile.version == seen_version, *extra_conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(profile)
        raise DecisionRefused(why_refused(profile, seen_version))
    db.session.refresh(profile)


def why_refused(profile: Profile, seen_version: int) -> str:
    """Explains, from the profile as it is now, why a decision on `seen_version` cannot be made."""
    last = db.session.scalar(select(AuditEntry).where(AuditEntry.subject_type == "profile",
                                                      AuditEntry.subject_id == profile.id)
                             .order_by(AuditEntry.id.desc()).limit(1))
    who = f" by {last.actor_label or 'someone'} at {last.at:%d %B %Y %H:%M} UTC" if last is not None else ""
    status = profile.status
    if status == ProfileStatus.SUBMITTED and profile.version != seen_version:
        return (f"The applicant has changed this profile since you opened it: you saw version {seen_version}, it is "
                f"now version {profile.version}. Nothing was recorded. Read the new version, then decide.")
    if status == ProfileStatus.SUBMITTED:
        return "The waiver switch is already in that position. Nothing was recorded."
    if status == ProfileStatus.WITHDRAWN:
        return "The applicant has withdrawn this submission. Nothing was recorded."
    if status in (ProfileStatus.DRAFT, ProfileStatus.CHANGES_REQUESTED):
        return (f"This profile is no longer waiting for a decision: changes were requested{who}, and the applicant "
                "may be editing it. Nothing was recorded.")
    return f"This profile has already been decided ({ProfileStatus(status).label.lower()}{who}). Nothing was recorded."


def _tell_applicants(profile: Profile, template: str, version: int, **context) -> None:
    links = {
        "profile_published": email_link("directory.profile", public_id=profile.public_id),
        "changes_requested": email_link("wizard.resume", public_id=profile.public_id),
        "profile_unpublished": email_link("wizard.resume", public_id=profile.public_id),
        "profile_rejected": email_link("wizard.my_profiles"),
    }
    for address in administrator_addresses(profile):
        queue_email(address, template, dedupe_key=f"decision:{profile.id}:v{version}:{address.lower()}"[:200],
                    profile=profile, link=links[template], **context)
