"""A member profile's link to a cluster organisation, decided by that cluster's admins or by validators."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wizard.extensions import db
from wizard.models.base import UTCDateTime, utcnow


class AffiliationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


class Affiliation(db.Model):
    __tablename__ = "affiliations"
    __table_args__ = (Index("ix_affiliations_cluster_status", "cluster_profile_id", "status"),)

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
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member_profile = relationship("Profile", foreign_keys=[member_profile_id])
    cluster_profile = relationship("Profile", foreign_keys=[cluster_profile_id])
    decided_by = relationship("User")
    proof = relationship("Upload")

    @property
    def is_manual(self) -> bool:
        return self.cluster_profile_id is None
