"""Profiles: a draft and the profile it becomes are one row that moves through its statuses."""
import enum
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wizard.extensions import db
from wizard.models.base import UTCDateTime, one_of, utcnow


class ProfileStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


#: Statuses in which the applicant may still change answers in the wizard.
EDITABLE_STATUSES = (ProfileStatus.DRAFT, ProfileStatus.CHANGES_REQUESTED)


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class Profile(db.Model):
    __tablename__ = "profiles"
    __table_args__ = (
        Index("ix_profiles_directory", "status", "profile_type", "country_code"),
        Index("ix_profiles_queue", "status", "submitted_at"),
        one_of("status", ProfileStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random id used in URLs, so drafts cannot be guessed or enumerated.
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    profile_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30), default=ProfileStatus.DRAFT.value)
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    name: Mapped[str] = mapped_column(String(300), default="")
    acronym: Mapped[str] = mapped_column(String(60), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    #: Registrable domain and normalised name: what duplicate and "already listed" checks compare.
    website_domain: Mapped[str | None] = mapped_column(String(253), index=True)
    normalised_name: Mapped[str] = mapped_column(String(300), default="", index=True)
    #: {step name: {field name: value}}; answers of steps that no longer apply are kept but ignored.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Bumped on every change, so a validator's decision on an older version can be refused.
    version: Mapped[int] = mapped_column(default=1)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: sha256 of the key an anonymous visitor's session holds for this draft.
    anon_key_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    criteria_waived: Mapped[bool] = mapped_column(default=False)
    #: Whether public lists show the profile: a stored copy of the rule in wizard/services/visibility.py
    #: (published and, for a member, an approved affiliation that counts), kept current by that module.
    listed: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    admins: Mapped[list["ProfileAdmin"]] = relationship(back_populates="profile", cascade="all, delete-orphan")
    listed_members: Mapped[list["ListedMember"]] = relationship(cascade="all, delete-orphan")
    ecosystems: Mapped[list["ProfileEcosystem"]] = relationship(cascade="all, delete-orphan")

    @property
    def status_enum(self) -> ProfileStatus:
        return ProfileStatus(self.status)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def display_name(self) -> str:
        return self.name or "Untitled draft"


# The directory's order: published profiles by lower-cased name, a page at a time (migration d1validation01).
Index("ix_profiles_status_lower_name", Profile.status, func.lower(Profile.name))
# The directory's order among listed profiles, overall and within one country (migration f1directory02: the
# id makes counts and ecosystem joins index-only on PostgreSQL), and the picker's walk of published cluster
# organisations in name order (migration e1directory01).
Index("ix_profiles_listed_lower_name_id", Profile.listed, func.lower(Profile.name), Profile.id)
Index("ix_profiles_listed_country_lower_name_id", Profile.listed, Profile.country_code, func.lower(Profile.name),
      Profile.id)
Index("ix_profiles_type_status_name", Profile.profile_type, Profile.status, Profile.name)


class ProfileAdmin(db.Model):
    """The accounts that administer a profile (the registering applicant and invited colleagues)."""

    __tablename__ = "profile_admins"

    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    profile: Mapped[Profile] = relationship(back_populates="admins")
    user: Mapped["User"] = relationship()  # noqa: F821 - resolved by the registry


class ProfileEcosystem(db.Model):
    """One row per industrial ecosystem of a profile, so the directory filter is an indexed join."""

    __tablename__ = "profile_ecosystems"
    __table_args__ = (Index("ix_profile_ecosystems_ecosystem", "ecosystem", "profile_id"),)

    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
    ecosystem: Mapped[str] = mapped_column(String(60), primary_key=True)


class ListedMember(db.Model):
    """An entry of a cluster organisation's list "Name and link of cluster members of the ecosystem"."""

    __tablename__ = "listed_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    website: Mapped[str] = mapped_column(String(500), default="")
    website_domain: Mapped[str | None] = mapped_column(String(253), index=True)
    normalised_name: Mapped[str] = mapped_column(String(300), default="", index=True)


class Submission(db.Model):
    """A frozen copy of the answers at each submission: the history validators decide on."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("profile_id", "version", name="uq_submissions_profile_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
