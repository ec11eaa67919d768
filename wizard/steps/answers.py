"""Typed readings of a profile's answers: the one place outside the declarations that knows which step holds
which field. The criteria (wizard/rules.py), the search rows, the indexed columns and the affiliations read
answers only through these.

`Stored` reads the answers as they were posted (first values, text), for what is needed before or without
validation: the columns the directory and the duplicate checks search on, the clusters a member chose.
`Cleaned` reads the typed answers of the applicable steps (engine.cleaned), for what follows a valid draft.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from wizard.engine import first_value, stored_values
from wizard.taxonomies import MEMBER_TYPES, PUBLIC_MEMBER_TYPES

#: At most this many chosen clusters are read from stored answers (the picker's field allows fewer).
MAX_CHOSEN_READ = 20


def public_body_among(counts: Mapping[str, int]) -> bool:
    """Whether a public authority or agency is among the members (domain.md §3, "triple helix")."""
    return any(counts.get(key, 0) > 0 for key in PUBLIC_MEMBER_TYPES)


def whole_number(text: str) -> int:
    """A count as typed: unreadable counts as 0 (the form says so on its own page)."""
    try:
        return int(text.strip() or 0)
    except ValueError:
        return 0


@dataclass(frozen=True)
class ManualCluster:
    """A cluster organisation a member typed in, with the id of its proof of membership (if one is stored)."""

    name: str
    website: str
    country_code: str | None
    proof_id: int | None


class Stored:
    def __init__(self, answers: Mapping[str, Mapping[str, Any]] | None):
        self._answers = answers or {}

    def _values(self, step: str, name: str) -> list:
        return stored_values(self._answers, step, name)

    def _first(self, step: str, name: str) -> str:
        return first_value(self._answers, step, name)

    @property
    def country(self) -> str:
        return self._first("country", "country").strip().upper()[:2]

    @property
    def name(self) -> str:
        return self._first("organisation", "name").strip()

    @property
    def acronym(self) -> str:
        return self._first("organisation", "acronym").strip()

    @property
    def website(self) -> str:
        return self._first("organisation", "website").strip()

    @property
    def contact_name(self) -> str:
        return self._first("contact", "contact_name")

    @property
    def contact_email(self) -> str:
        return self._first("contact", "contact_email")

    @property
    def chosen_clusters(self) -> list[str]:
        """Public ids of the cluster organisations a member chose on its clusters step."""
        return [value for value in self._values("clusters", "clusters") if isinstance(value, str)][:MAX_CHOSEN_READ]


class Cleaned:
    def __init__(self, cleaned: Mapping[str, Mapping[str, Any]]):
        self._cleaned = cleaned

    def _get(self, step: str, name: str) -> Any:
        return (self._cleaned.get(step) or {}).get(name)

    def _text(self, step: str, name: str) -> str:
        return (self._get(step, name) or "").strip()

    @property
    def website(self) -> str:
        return self._text("organisation", "website")

    @property
    def management_fte(self) -> Decimal | None:
        """None when not given (or not a finite number)."""
        try:
            value = Decimal(str(self._get("management", "management_fte")))
        except (InvalidOperation, ValueError):
            return None
        return value if value.is_finite() else None

    @property
    def total_members(self) -> int | None:
        return self._get("members", "total_members")

    def member_counts(self) -> dict[str, int]:
        return {key: self._get("members", f"count_{key}") or 0 for key, _ in MEMBER_TYPES}

    @property
    def public_collaboration(self) -> str:
        return self._text("public_collaboration", "public_collaboration")

    @property
    def ecosystems(self) -> list[str]:
        return list(self._get("focus", "ecosystems") or [])

    @property
    def activities(self) -> list[str]:
        return list(self._get("activities", "activities") or [])

    @property
    def recognised_programme(self) -> bool:
        return self._get("support_programmes", "recognised_programme") == "yes"

    @property
    def programme_name(self) -> str:
        return self._text("support_programmes", "programme_name")

    @property
    def social_economy(self) -> bool:
        return self._get("support_programmes", "social_economy") == "yes"

    @property
    def listed_members(self) -> list[tuple[str, str]]:
        """(name, website) of each row of the cluster's list of members that has a name."""
        rows = self._get("member_list", "member_list") or []
        return [((row.get("member_name") or "").strip(), (row.get("member_website") or "").strip())
                for row in rows if (row.get("member_name") or "").strip()]

    @property
    def chosen_clusters(self) -> list[str]:
        return list(self._get("clusters", "clusters") or [])

    @property
    def manual_clusters(self) -> list[ManualCluster]:
        """The cluster organisations a member typed in (not on the platform), rows with a name only."""
        rows = self._get("clusters_not_listed", "manual_clusters") or []
        return [ManualCluster(row["cluster_name"].strip(), (row.get("cluster_website") or "").strip(),
                              row.get("cluster_country") or None, getattr(row.get("proof"), "id", None))
                for row in rows if (row.get("cluster_name") or "").strip()]
