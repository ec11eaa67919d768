"""The directory's search form: a GET form, so every result page has its own address."""
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import SearchField, SelectField, ValidationError
from wtforms.validators import Length
from wtforms.widgets import html_params

from wizard.countries import all_countries
from wizard.forms.common import no_control_characters, strip_text
from wizard.forms.fields import options
from wizard.services.directory import MAX_SEARCH_LENGTH
from wizard.steps import type_choices
from wizard.taxonomies import INDUSTRIAL_ECOSYSTEMS


class OptionsBuiltOnce:
    """A <select> whose <option>s are built once per list of choices.

    WTForms builds every option's attributes on each render: a filtered directory page took 8.28 ms of
    CPU with WTForms' Select, 3.83 ms with this (benchmarks/speedups.py, at b2ec797).
    """

    def __init__(self):
        self._built: dict[tuple, tuple[tuple[str, str], ...]] = {}

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        key = tuple((str(choice.value), str(choice.label)) for choice in field.choices)
        options = self._built.get(key)
        if options is None:
            options = tuple((value, f'<option value="{escape(value)}">{escape(label)}</option>')
                            for value, label in key)
            self._built[key] = options
        chosen = "" if field.data is None else str(field.data)
        parts = [f"<select {html_params(name=field.name, **kwargs)}>"]
        parts += [html.replace("<option ", "<option selected ", 1) if value == chosen else html
                  for value, html in options]
        parts.append("</select>")
        return Markup("".join(parts))  # noqa: S704 - every part is escaped above


class FilterSelect(SelectField):
    """A filter's drop-down; a value from elsewhere (an edited link) gets a message that says what to do."""

    widget = OptionsBuiltOnce()

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(f"Choose one of the listed options for '{self.label.text}'") from error


class DirectorySearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField("Name or acronym", filters=[strip_text],
                    validators=[Length(max=MAX_SEARCH_LENGTH, message=f"Search with at most {MAX_SEARCH_LENGTH} "
                                                                     "characters"), no_control_characters])
    profile_type = FilterSelect("Kind of profile", choices=lambda: options([("", "Any kind"), *type_choices()]),
                               default="")
    country = FilterSelect("Country", choices=options([("", "Any country"), *all_countries()]), default="")
    ecosystem = FilterSelect("Industrial ecosystem", choices=options([("", "Any ecosystem"), *INDUSTRIAL_ECOSYSTEMS]),
                            default="")
