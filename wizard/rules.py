"""The validation criteria for cluster organisations in EU/COSME countries (shared/domain.md §3).

One place, used by the applicant's self-check and by the validators' checklist. The input is the
typed answers of the applicable steps ({step: {field: value}}, as engine.cleaned returns them), read
through wizard/steps/answers.Cleaned; the thresholds come from wizard.taxonomies, where the criteria's
texts state them.

Each criterion comes out as met, not met, waived, or "a validator checks this", with the reason
in plain words. A criterion that is not met is waived only once the validators switch the waiver
on (`waiver_confirmed`). Until then, a recognition the applicant states (by a regional/national
cluster programme or as a social economy cluster, on "Regional/National Support Programmes") makes
the unmet criterion "a validator checks this (recognised programme stated)": saying it is not
proving it. A waived profile still needs a validator to publish it.
"""
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wizard.steps.answers import Cleaned, public_body_among
from wizard.taxonomies import (
    CRITERIA_BY_KEY,
    MIN_ACTIVITY_TYPES,
    MIN_COMMITTED_MEMBERS,
    MIN_MANAGEMENT_FTE,
    MIN_MEMBER_TYPES,
)

Answers = Mapping[str, Mapping[str, Any]]


class Outcome(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    WAIVED = "waived"
    NEEDS_VALIDATOR = "needs_validator"
    #: Not met, but the applicant states a recognition that a validator has not confirmed yet.
    RECOGNITION_STATED = "recognition_stated"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Outcome.MET: "Met", Outcome.NOT_MET: "Not met", Outcome.WAIVED: "Waived",
           Outcome.NEEDS_VALIDATOR: "A validator checks this",
           Outcome.RECOGNITION_STATED: "A validator checks this (recognised programme stated)"}


@dataclass(frozen=True)
class CriterionResult:
    key: str
    title: str
    outcome: Outcome
    reason: str


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def waiver_basis(answers: Answers) -> str | None:
    """Why the criteria may be waived, in words, or None: a recognised programme or a social economy cluster."""
    reading = Cleaned(answers)
    if reading.recognised_programme:
        name = reading.programme_name
        return f"officially recognised by {name}" if name else "officially recognised by a regional/national " \
                                                                "cluster policy programme"
    if reading.social_economy:
        return "recognised as a social economy cluster by the European Commission (DG GROW)"
    return None


def _management_team(answers: Cleaned) -> tuple[Outcome, str]:
    fte = answers.management_fte
    if fte is None:
        return Outcome.NOT_MET, "The size of the management team is not given."
    shown = format(fte.normalize(), "f")
    if fte >= MIN_MANAGEMENT_FTE:
        return Outcome.MET, f"The management team is {shown} FTE (at least {MIN_MANAGEMENT_FTE} needed)."
    return Outcome.NOT_MET, f"The management team is {shown} FTE; at least {MIN_MANAGEMENT_FTE} is needed."


def _english_website(answers: Cleaned) -> tuple[Outcome, str]:
    if answers.website:
        return Outcome.NEEDS_VALIDATOR, ("A validator checks that the website is in English (machine translation is "
                                         "fine), agrees with the profile and shows activity.")
    return Outcome.NOT_MET, "No website is given."


def _committed_members(answers: Cleaned) -> tuple[Outcome, str]:
    total = answers.total_members
    if total is None:
        return Outcome.NOT_MET, "The number of committed members is not given."
    if total >= MIN_COMMITTED_MEMBERS:
        return Outcome.MET, f"{_plural(total, 'committed member')} (at least {MIN_COMMITTED_MEMBERS} needed)."
    return Outcome.NOT_MET, f"{_plural(total, 'committed member')}; at least {MIN_COMMITTED_MEMBERS} are needed."


def _triple_helix(answers: Cleaned) -> tuple[Outcome, str]:
    counts = answers.member_counts()
    kinds = sum(1 for count in counts.values() if count > 0)
    if kinds < MIN_MEMBER_TYPES:
        return Outcome.NOT_MET, f"Members of {_plural(kinds, 'type')}; at least {MIN_MEMBER_TYPES} are needed."
    if public_body_among(counts):
        return Outcome.MET, f"Members of {kinds} types, public bodies among them."
    if answers.public_collaboration:
        return Outcome.MET, (f"Members of {kinds} types. No public body is a member; the collaboration with public "
                             "bodies is described.")
    return Outcome.NOT_MET, (f"Members of {kinds} types, but no public body is a member and no collaboration with "
                             "public bodies is described.")


def _thematic_focus(answers: Cleaned) -> tuple[Outcome, str]:
    ecosystems = answers.ecosystems
    if ecosystems:
        return Outcome.MET, f"{_plural(len(ecosystems), 'industrial ecosystem')} chosen."
    return Outcome.NOT_MET, "No industrial ecosystem is chosen."


def _activities(answers: Cleaned) -> tuple[Outcome, str]:
    kinds = len(set(answers.activities))
    if kinds >= MIN_ACTIVITY_TYPES:
        return Outcome.MET, (f"{_plural(kinds, 'type')} of activity (at least {MIN_ACTIVITY_TYPES} needed); a "
                             "validator checks they are reflected on the website.")
    return Outcome.NOT_MET, f"{_plural(kinds, 'type')} of activity; at least {MIN_ACTIVITY_TYPES} are needed."


#: Criterion key -> its check, in the order of taxonomies.CRITERIA_TEXTS (a test holds them together).
CHECKS: dict[str, Callable[[Cleaned], tuple[Outcome, str]]] = {
    "management_fte": _management_team,
    "english_website": _english_website,
    "committed_members": _committed_members,
    "triple_helix": _triple_helix,
    "thematic_focus": _thematic_focus,
    "activities": _activities,
}


def _waiver_note(basis: str | None, waiver_confirmed: bool) -> str:
    if waiver_confirmed and basis:
        return f"Waived: the validation team confirmed that the cluster is {basis}."
    if waiver_confirmed:
        return "Waived by the validation team."
    return f"It is waived if a validator confirms that the cluster is {basis}."


def evaluate(answers: Answers, waiver_confirmed: bool = False) -> list[CriterionResult]:
    """Each criterion as met / not met / waived / needs a validator, with the reason in plain words."""
    basis = waiver_basis(answers)
    reading = Cleaned(answers)
    results = []
    for key, check in CHECKS.items():
        outcome, reason = check(reading)
        if outcome == Outcome.NOT_MET and (basis or waiver_confirmed):
            waived = Outcome.WAIVED if waiver_confirmed else Outcome.RECOGNITION_STATED
            outcome, reason = waived, f"{reason} {_waiver_note(basis, waiver_confirmed)}"
        results.append(CriterionResult(key, CRITERIA_BY_KEY[key][1], outcome, reason))
    return results
