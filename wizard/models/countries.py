"""Countries and their EU/COSME status: data seeded by a migration, editable by administrators."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from wizard.extensions import db


class Country(db.Model):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    eu_cosme: Mapped[bool] = mapped_column(default=False)
