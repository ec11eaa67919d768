"""A member profile's link to a cluster organisation, decided by that cluster's admins or by validators.

Also the cluster-organisation picker's search index: one row per word a profile can be found by.
"""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wizard.extensions import db
from wizard.models.base import UTCDateTime, one_of, utcnow


class AffiliationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


class Affiliation(db.Model):
    __tablename__ = "affiliations"
    __table_args__ = (
        Index("ix_affiliations_cluster_status", "cluster_profile_id", "status"),
        # One request per (member, cluster organisation): a resubmission reuses it, never adds a second
        # (manual ones have no cluster row, and NULLs never clash).
        Index("uq_affiliations_member_cluster", "member_profile_id", "cluster_profile_id", unique=True),
        one_of("status", AffiliationStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    #: None for a cluster organisation typed in by hand ("my cluster organisation is not listed").
    cluster_profile_id: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    manual_name: Mapped[str] = mapped_column(String(300), default="")
    manual_website: Mapped[str] = mapped_column(String(500), default="")
    manual_country_code: Mapped[str | None] = mapped_column(String(2))
    proof_upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=AffiliationStatus.PENDING.value)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Who decided, as text: still says who after the account is gone ("already approved by ...").
    decided_by_label: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(Text, default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member_profile = relationship("Profile", foreign_keys=[member_profile_id])
    cluster_profile = relationship("Profile", foreign_keys=[cluster_profile_id])
    decided_by = relationship("User")
    proof = relationship("Upload")

    @property
    def is_manual(self) -> bool:
        return self.cluster_profile_id is None

    @property
    def status_enum(self) -> AffiliationStatus:
        return AffiliationStatus(self.status)

    @property
    def cluster_name(self) -> str:
        if self.is_manual:
            return self.manual_name
        return self.cluster_profile.display_name if self.cluster_profile else ""


# Byte order on PostgreSQL too, so "term >= 'sax' AND term < 'sax\U0010ffff'" is an index range scan
# that finds exactly the terms starting with "sax", whatever the database's locale.
SEARCH_TERM_TYPE = String(100).with_variant(String(100, collation="C"), "postgresql")


class ProfileSearchTerm(db.Model):
    """A word a profile is found by (from its name, acronym and website): prefix search on an index."""

    __tablename__ = "profile_search_terms"
    # "Does this profile have a term starting with ...": one index seek, no row read (migration e1directory01).
    __table_args__ = (Index("ix_profile_search_terms_profile_term", "profile_id", "term"),)

    term: Mapped[str] = mapped_column(SEARCH_TERM_TYPE, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True)
