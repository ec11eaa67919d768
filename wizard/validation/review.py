"""Read model of a submission's page: everything a validator reads there, gathered in one place (no writes)."""
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import or_, select

from wizard import rules
from wizard.extensions import db
from wizard.models import Affiliation, AuditEntry, Country, Profile, Submission, Upload, User
from wizard.models.profiles import ProfileStatus
from wizard.services.decisions import SubmittedAnswers, criteria, submitted_answers, waiver_basis
from wizard.services.duplicates import SUBMITTED_STATUSES, possible_duplicates
from wizard.summary import Section, sections

MAX_DUPLICATES = 20


@dataclass(frozen=True)
class Review:
    profile: Profile
    answers: SubmittedAnswers
    sections: list[Section]
    criteria: list[rules.CriterionResult] | None
    waiver_basis: str | None
    eu_cosme: bool
    uploads: list[Upload]
    affiliations: list[tuple[Affiliation, Profile | None]]
    duplicates: list[Profile]
    submissions: list[tuple[Submission, str]]
    history: list[AuditEntry]

    def submission_number(self, version: int | None) -> int | None:
        """1 for the first submission, 2 for the next...: the profile's internal version counts every save, which
        means nothing to a validator. None for a version no submission was made at."""
        count = len(self.submissions)
        return next((count - index for index, (submission, _) in enumerate(self.submissions)
                     if submission.version == version), None)

    @property
    def awaiting_decision(self) -> bool:
        return self.profile.status == ProfileStatus.SUBMITTED


def review_of(public_id: str) -> Review | None:
    """The page's data, or None for an unknown profile or one never submitted (drafts stay private)."""
    profile = db.session.scalar(select(Profile).where(Profile.public_id == public_id))
    if profile is None or profile.status == ProfileStatus.DRAFT:
        return None
    answers = submitted_answers(profile)
    if answers is None:
        return None
    country = db.session.get(Country, profile.country_code) if profile.country_code else None
    return Review(
        profile=profile, answers=answers, sections=sections(answers.path, answers.submission.answers or {}),
        criteria=criteria(profile, answers), waiver_basis=waiver_basis(profile, answers),
        eu_cosme=bool(country and country.eu_cosme), uploads=_uploads(profile),
        affiliations=_affiliations(profile),
        duplicates=possible_duplicates(profile, SUBMITTED_STATUSES, MAX_DUPLICATES),
        submissions=_submissions(profile), history=_history(profile),
    )


def _uploads(profile: Profile) -> list[Upload]:
    """The profile's own files and the proofs attached to its affiliations."""
    proofs = select(Affiliation.proof_upload_id).where(Affiliation.member_profile_id == profile.id,
                                                       Affiliation.proof_upload_id.is_not(None))
    return list(db.session.scalars(select(Upload).where(or_(Upload.profile_id == profile.id, Upload.id.in_(proofs)))
                                   .order_by(Upload.id)))


def _affiliations(profile: Profile) -> list[tuple[Affiliation, Profile | None]]:
    return list(db.session.execute(
        select(Affiliation, Profile).outerjoin(Profile, Profile.id == Affiliation.cluster_profile_id)
        .where(Affiliation.member_profile_id == profile.id).order_by(Affiliation.id)))


def _submissions(profile: Profile) -> list[tuple[Submission, str]]:
    return [(submission, email or "a deleted account") for submission, email in db.session.execute(
        select(Submission, User.email).outerjoin(User, User.id == Submission.submitted_by_id)
        .where(Submission.profile_id == profile.id).order_by(Submission.version.desc()))]


def _history(profile: Profile) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "profile",
                                                            AuditEntry.subject_id == profile.id)
                                   .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))


def download_url(upload: Upload) -> str:
    return url_for("members.download", upload_id=upload.id)
