"""The validation criteria for cluster organisations in EU/COSME countries (shared/domain.md §3).

One place, used by the applicant's self-check and by the validators' checklist. Input is the typed
answers of the applicable steps ({step: {field: value}}, see engine.cleaned).
"""
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from wizard.taxonomies import (
    CRITERIA_BY_KEY,
    MEMBER_TYPES,
    MIN_ACTIVITY_TYPES,
    MIN_COMMITTED_MEMBERS,
    MIN_MANAGEMENT_FTE,
    MIN_MEMBER_TYPES,
    PUBLIC_MEMBER_TYPES,
)

Answers = Mapping[str, Mapping[str, Any]]


class Outcome(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    WAIVED = "waived"
    NEEDS_VALIDATOR = "needs_validator"

    @property
    def label(self) -> str:
        return {"met": "Met", "not_met": "Not met", "waived": "Waived",
                "needs_validator": "A validator checks this"}[self.value]


@dataclass(frozen=True)
class CriterionResult:
    key: str
    title: str
    outcome: Outcome
    reason: str


def _get(answers: Answers, step: str, field: str, default: Any = None) -> Any:
    return (answers.get(step) or {}).get(field, default)


def waiver_basis(answers: Answers) -> str | None:
    """Why the criteria may be waived, in words, or None (recognised programme or social economy cluster)."""
    if _get(answers, "support_programmes", "recognised_programme") == "yes":
        name = _get(answers, "support_programmes", "programme_name") or "a regional/national programme"
        return f"officially recognised by {name}"
    if _get(answers, "support_programmes", "social_economy") == "yes":
        return "recognised as a social economy cluster by the European Commission (DG GROW)"
    return None


def _management(answers: Answers) -> tuple[bool, str]:
    try:
        fte = Decimal(str(_get(answers, "management", "management_fte")))
    except (InvalidOperation, ValueError):
        return False, "The size of the management team is not given."
    if fte >= MIN_MANAGEMENT_FTE:
        return True, f"The management team is {fte} FTE (at least {MIN_MANAGEMENT_FTE} needed)."
    return False, f"The management team is {fte} FTE; at least {MIN_MANAGEMENT_FTE} is needed."


def _counts(answers: Answers) -> dict[str, int]:
    return {key: int(_get(answers, "members", f"count_{key}") or 0) for key, _ in MEMBER_TYPES}


def _committed_members(answers: Answers) -> tuple[bool, str]:
    total = _get(answers, "members", "total_members")
    if total is None:
        return False, "The number of committed members is not given."
    if total >= MIN_COMMITTED_MEMBERS:
        return True, f"{total} committed members (at least {MIN_COMMITTED_MEMBERS} needed)."
    return False, f"{total} committed members; at least {MIN_COMMITTED_MEMBERS} are needed."


def _triple_helix(answers: Answers) -> tuple[bool, str]:
    counts = _counts(answers)
    kinds = sum(1 for n in counts.values() if n > 0)
    if kinds < MIN_MEMBER_TYPES:
        return False, f"Members of {kinds} type{'s' if kinds != 1 else ''}; at least {MIN_MEMBER_TYPES} are needed."
    if any(counts[key] > 0 for key in PUBLIC_MEMBER_TYPES):
        return True, f"Members of {kinds} types, including public bodies."
    if (_get(answers, "public_collaboration", "public_collaboration") or "").strip():
        return True, f"Members of {kinds} types; no public body is a member, and the collaboration with public " \
                     "bodies is described."
    return False, "No public body is a member and no collaboration with public bodies is described."


def _thematic_focus(answers: Answers) -> tuple[bool, str]:
    ecosystems = _get(answers, "focus", "ecosystems") or []
    if ecosystems:
        return True, f"{len(ecosystems)} industrial ecosystem{'s' if len(ecosystems) != 1 else ''} chosen."
    return False, "No industrial ecosystem is chosen."


def _activities(answers: Answers) -> tuple[bool, str]:
    activities = _get(answers, "activities", "activities") or []
    if len(set(activities)) >= MIN_ACTIVITY_TYPES:
        return True, f"{len(set(activities))} types of activity (at least {MIN_ACTIVITY_TYPES} needed); a validator " \
                     "checks they are reflected on the website."
    return False, f"{len(set(activities))} type of activity; at least {MIN_ACTIVITY_TYPES} are needed."


_CHECKS = {
    "management_fte": _management,
    "committed_members": _committed_members,
    "triple_helix": _triple_helix,
    "thematic_focus": _thematic_focus,
    "activities": _activities,
}


CRITERIA_ORDER = ("management_fte", "english_website", "committed_members", "triple_helix", "thematic_focus",
                  "activities")


def _english_website(answers: Answers) -> tuple[Outcome, str]:
    if _get(answers, "organisation", "website"):
        return Outcome.NEEDS_VALIDATOR, ("A validator checks that the website is in English (machine translation is "
                                         "fine), agrees with the profile and shows activity.")
    return Outcome.NOT_MET, "No website is given."


def evaluate(answers: Answers, waiver_confirmed: bool = False) -> list[CriterionResult]:
    """Each criterion as met / not met / waived / needs a validator, with the reason in plain words.

    A criterion that is not met shows as waived when the applicant states a recognised programme or
    a social-economy recognition; `waiver_confirmed` is the validators' switch that accepts it.
    """
    basis = waiver_basis(answers)
    results = []
    for key in CRITERIA_ORDER:
        if key == "english_website":
            outcome, reason = _english_website(answers)
        else:
            ok, reason = _CHECKS[key](answers)
            outcome = Outcome.MET if ok else Outcome.NOT_MET
        if outcome == Outcome.NOT_MET and basis:
            who = "the validation team confirmed that" if waiver_confirmed else "to be confirmed by a validator:"
            outcome, reason = Outcome.WAIVED, f"{reason} Waived, {who} the cluster is {basis}."
        results.append(CriterionResult(key, CRITERIA_BY_KEY[key][1], outcome, reason))
    return results
