"""Answers as a person reads them: one section per applicable step, one row per question.

Used by "Check your answers", the validators' page and the public profile, so every profile type
is rendered from its declarations alone.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from wtforms import Field
from wtforms.fields import BooleanField, FieldList, FormField, SelectFieldBase

from wizard import engine
from wizard.templating import field_kind

SKIPPED_FIELDS = {"csrf_token"}


@dataclass(frozen=True)
class Section:
    step: engine.Step
    rows: list[tuple[str, Any]]
    complete: bool


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
    form = engine.bind(step, stored)
    return [(f.label.text, display_value(f)) for f in form if f.name not in SKIPPED_FIELDS
            and field_kind(f) not in ("hidden", "submit")]


def sections(path: engine.Path, answers: Mapping[str, Any]) -> list[Section]:
    return [Section(step, step_rows(step, answers.get(step.name)), engine.stored_is_valid(answers.get(step.name)))
            for step in path.steps]
