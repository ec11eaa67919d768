"""Answers as a person reads them: one section per applicable step, one row per question.

Used by "Check your answers", the validators' page, the affiliation decision page and the public
profile, so every profile type is rendered from its declarations alone: which steps and fields each
reader sees is declared on the step (`Step.public`, `Step.shown_to_cluster_admin`) and on the field
(`forms.common.Shown`).
"""
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from wtforms import Field
from wtforms.fields import BooleanField, FieldList, FormField, SelectFieldBase

from wizard import engine
from wizard.forms.common import Shown
from wizard.templating import field_kind

SKIPPED_FIELDS = {"csrf_token"}


class Reader(enum.Enum):
    #: The applicant and the validators: every question.
    APPLICANT = "applicant"
    #: A cluster organisation's administrator deciding a membership: who the member is.
    CLUSTER_ADMIN = "cluster_admin"
    #: Anyone, on the published profile: what is public and answered.
    PUBLIC = "public"


@dataclass(frozen=True)
class Section:
    step: engine.Step
    rows: list[tuple[str, Any]]
    complete: bool
    #: Where the rows' "Change" links go (Check your answers), or None.
    change_url: str | None = None

    @property
    def title(self) -> str:
        return self.step.title


def _row_text(entry: FormField) -> str:
    # Each part as a person reads it: a country by its name, not its code.
    values = [display_value(sub) for sub in entry if sub.data not in (None, "")]
    return " – ".join(text.strip() for text in values if isinstance(text, str) and text.strip())


def display_value(field: Field) -> Any:
    """Text (or a list of texts) for one field; '' when unanswered."""
    if isinstance(field, FieldList):
        return [text for text in (_row_text(entry) for entry in field.entries) if text]
    if isinstance(field, BooleanField):
        return "Yes" if field.data else "No"
    if isinstance(field, SelectFieldBase):
        labels = {str(choice.value): choice.label for choice in field.iter_choices()}
        if field_kind(field) == "checkboxes" or isinstance(field.data, list):
            return [labels.get(str(v), str(v)) for v in field.data or []]
        return labels.get(str(field.data), "") if field.data not in (None, "") else ""
    if isinstance(field.data, date):
        return f"{field.data.day} {field.data:%B %Y}"  # "31 January 2025": no order of day and month to guess
    if isinstance(field.data, Decimal):
        return format(field.data.normalize(), "f")
    return "" if field.data is None else str(field.data)


def step_rows(step: engine.Step, stored: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    """(question, answer) for each question of one step, over its saved answers."""
    return _rows(engine.bind(step, stored), Reader.APPLICANT, display_value, consented=True)


def _rows(form, reader: Reader, value: Callable[[Field], Any], consented: bool) -> list[tuple[str, Any]]:
    rows = []
    for f in form:
        kind = field_kind(f)
        if f.name in SKIPPED_FIELDS or kind in ("hidden", "submit"):
            continue
        if reader is Reader.PUBLIC:
            public = True if f.flags.public is None else f.flags.public
            if kind == "file" or not public or (public == Shown.WITH_CONSENT and not consented):
                continue
            answer = value(f)
            if answer not in ("", [], None):
                rows.append((f.flags.public_label or f.label.text, answer))
        else:
            rows.append((f.label.text, value(f)))
    return rows


def shown_to(step: engine.Step, reader: Reader) -> bool:
    if reader is Reader.PUBLIC:
        return step.public
    if reader is Reader.CLUSTER_ADMIN:
        return step.shown_to_cluster_admin
    return True


def sections(path: engine.Path, answers: Mapping[str, Any], reader: Reader = Reader.APPLICANT,
             value: Callable[[Field], Any] = display_value, bound: Mapping[str, Any] | None = None) -> list[Section]:
    """One section per step the reader may see; for the public, only steps with an answer to show.
    `bound`: the steps' forms as engine.bind_path bound them, when the caller has them already."""
    forms = [(step, bound[step.name] if bound is not None else engine.bind(step, answers.get(step.name)))
             for step in path.steps if shown_to(step, reader)]
    # Contact details are public only when the applicant ticked the field that publishes them.
    consented = reader is not Reader.PUBLIC or any(
        f.flags.publication_consent and f.data for _, form in forms for f in form)
    result = []
    for step, form in forms:
        rows = _rows(form, reader, value, consented)
        if rows or reader is not Reader.PUBLIC:
            result.append(Section(step, rows, engine.stored_is_valid(answers.get(step.name))))
    return result
