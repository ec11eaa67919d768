"""Field types the wizard's forms share: one-line text, choices, countries, and numbers and dates in our voice."""
import re
from functools import cache, lru_cache

from markupsafe import Markup, escape
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from wizard.countries import all_countries, countries_by_region, is_known_country
from wizard.forms.common import lower_first, thing_of


def options(pairs) -> list[SelectChoice]:
    """WTForms 3.3 wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


#: C0 and C1 controls, DEL and the Unicode line and paragraph separators: none belongs on one line.
_NOT_ON_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class SingleLineField(StringField):
    """Text that belongs on one line: names, acronyms, roles, towns, web addresses.

    Such answers end up in e-mail headers, CSV exports and the directory's listings, where a line
    break splits a header or a row; a control character is refused, with a message naming the
    field, before any other check (not silently removed: what was typed is shown back).
    """

    def pre_validate(self, form):
        if isinstance(self.data, str) and _NOT_ON_ONE_LINE.search(self.data):
            raise StopValidation(f"{self.label.text} must be on one line: remove line breaks, tabs and other "
                                 "invisible characters")


class RowsField(FieldList):
    """Repeating rows (a FieldList) whose maximum is said next to the list and enforced with an error.

    WTForms' own `max_entries` drops the rows past it without a word; here every posted row is read
    back and shown, and more filled-in rows than `max_rows` is a form error naming the limit, so the
    applicant decides which to remove. The request size limits (MAX_FORM_PARTS) bound how many rows
    a post can hold at all.
    """

    def __init__(self, unbound_field, label=None, validators=None, *, max_rows: int, noun: str,
                 row_title: str = "Row", **kwargs):
        limit = f"You can add up to {max_rows:,} {noun}."
        kwargs["description"] = f"{kwargs['description']} {limit}" if kwargs.get("description") else limit
        super().__init__(unbound_field, label, validators, **kwargs)
        #: row_title: each row's heading when a row is a group of fields ("Cluster organisation 2").
        self.max_rows, self.noun, self.row_title = max_rows, noun, row_title

    def filled_rows(self) -> int:
        return sum(1 for entry in self.entries
                   if any(_typed(sub.data) for sub in (entry if isinstance(entry, FormField) else [entry])))

    def is_full(self) -> bool:
        return len(self.entries) >= self.max_rows

    def validate(self, form, extra_validators=()):
        ok = super().validate(form, extra_validators)
        filled = self.filled_rows()
        if filled > self.max_rows:
            self.errors.insert(0, f"You can add up to {self.max_rows:,} {self.noun}: you have entered {filled:,}. "
                                  f"Remove {filled - self.max_rows:,} of them")
            return False
        return ok


def _typed(value) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)


class _FriendlyMultipleChoice(SelectMultipleField):
    """A value that is not one of the options gets a message in our voice (not the value echoed back)."""

    def pre_validate(self, form):
        allowed = {str(choice.value) for choice in self.iter_choices()}
        if any(str(value) not in allowed for value in self.data or []):
            raise ValidationError(f"Choose {lower_first(self.label.text)} from the options shown")


class CheckboxesField(_FriendlyMultipleChoice):
    """Several choices, rendered as checkboxes in a fieldset (see components/forms.html `choices`)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RadiosField(RadioField):
    """Radios in a fieldset; an unknown value gets a message in our voice."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_choice_message = f"Choose {thing_of(self)} from the options shown"


class _ParsedField:
    """A typed value that could not be read is the only error shown (not also "must be 0 or more").

    The browser's own number and date inputs are not used for numbers: with a decimal comma, or
    any text they cannot read, they send an empty value, and what was typed would be lost.
    """

    def pre_validate(self, form):
        if self.process_errors and self.raw_data and str(self.raw_data[0]).strip():
            raise StopValidation()


class WholeNumberField(_ParsedField, IntegerField):
    """An integer field whose "not a number" message says what to type."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)
        self.invalid_value_message = self.invalid_value_message or f"Enter {thing_of(self)} as a whole number, like 12"


class NumberField(_ParsedField, DecimalField):
    """A decimal field that accepts a decimal comma ("0,5", as most of Europe writes it).

    NaN and infinity parse as Decimals but cannot be compared (NumberRange would raise), so they
    are refused here with the same message as any other non-number.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)
        self.invalid_value_message = self.invalid_value_message or f"Enter {thing_of(self)} as a number, like 1.5"

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [str(valuelist[0]).strip().replace(",", ".")]
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.invalid_value_message)


#: Day/month/year as Europe writes it, with a slash, dot or dash; and ISO, which drafts saved before held.
DATE_FORMATS = ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_HINT = "Day/month/year, for example 31/01/2025."


class DateInputField(_ParsedField, DateField):
    """A date typed into a text box as day/month/year, the way the hint next to it shows.

    Not the browser's date input: it shows the date in the browser's locale (mm/dd/yyyy in an
    American one), so no hint could match it, and it sends nothing at all for a date it cannot read.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["description"] = f"{kwargs['description']} {DATE_HINT}" if kwargs.get("description") else DATE_HINT
        super().__init__(label, validators, format=DATE_FORMATS, **kwargs)
        self.invalid_value_message = (self.invalid_value_message or
                                      f"Enter {thing_of(self)} as day/month/year, for example 31/01/2025")

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return f"{self.data:%d/%m/%Y}" if self.data else ""


@cache
def _country_options_html() -> tuple[tuple[str, str], ...]:
    return tuple((code, f'<option value="{escape(code)}">{escape(name)}</option>') for code, name in all_countries())


class FastCountrySelectWidget:
    """Renders the ~250 country options from strings built once.

    WTForms renders each option through its widget machinery: the country step took 6.23 ms of CPU with
    WTForms' Select, 1.33 ms with this (benchmarks/speedups.py, at b2ec797). A native select
    sorted by name is searchable by typing the first letters, with or without JavaScript.
    """

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("data_enhance", "country")  # static/countries.js makes it a type-ahead
        attributes = " ".join(f'{escape(k.replace("_", "-"))}="{escape(v)}"' for k, v in kwargs.items())
        return _rendered_country_select(str(escape(field.name)), attributes, str(field.data or ""))


@lru_cache(maxsize=1024)
def _rendered_country_select(name: str, attributes: str, selected: str) -> Markup:
    """The whole select, kept per (name, attributes, selected country): the page shows the same few
    combinations again and again, and joining 250 options cost a tenth of a millisecond each time.
    Bounded, since `selected` is whatever was posted."""
    parts = [f'<select name="{name}" {attributes}>', '<option value="">Choose a country</option>']
    for code, html in _country_options_html():
        parts.append(html.replace("<option ", "<option selected ", 1) if code == selected else html)
    parts.append("</select>")
    return Markup("".join(parts))  # noqa: S704 - name and attributes come escaped, the options are escaped


class CountryField(SelectField):
    """One country. Membership is checked by the form's own validator, with our message."""

    widget = FastCountrySelectWidget()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("validate_choice", False)
        # Lazy: the widget renders from cached HTML, so most requests never read the choices. Building
        # 250 SelectChoice objects per form cost 0.5 ms a request (benchmarks/RESULTS.md).
        super().__init__(label, validators, choices=lambda: list(_country_choices()), **kwargs)


@cache
def _country_choices() -> tuple[SelectChoice, ...]:
    return tuple(options([("", "Choose a country"), *all_countries()]))


@lru_cache(maxsize=64)
def _rendered_country_boxes(name: str, field_id: str, invalid: bool) -> tuple[tuple[str | None, str], ...]:
    css = "form-check-input is-invalid" if invalid else "form-check-input"
    parts: list[tuple[str | None, str]] = []
    index = 0
    for region, countries in countries_by_region():
        parts.append((None, f'<fieldset class="choice-group mb-3"><legend class="fs-6 fw-semibold mt-2 mb-1">'
                            f'{escape(region)}</legend><div class="choice-columns">'))
        for code, country in countries:
            box = f"{escape(field_id)}-{index}"
            parts.append((code, f'<div class="form-check"><input class="{css}" type="checkbox" name="{escape(name)}" '
                                f'id="{box}" value="{escape(code)}"><label class="form-check-label" for="{box}">'
                                f'{escape(country)}</label></div>'))
            index += 1
        parts.append((None, "</div></fieldset>"))
    return tuple(parts)


class CountriesField(CheckboxesField):
    """Several countries as checkboxes grouped by region (components/forms.html `choices`): no Ctrl or Cmd
    needed, unlike a multiple select. Where JavaScript runs, a "find a country" box ticks them by name
    (static/countries.js). The stored answer is the list of ISO codes, as the multiple select posted."""

    def __init__(self, label=None, validators=None, **kwargs):
        pairs = [pair for _, countries in countries_by_region() for pair in countries]
        super().__init__(label, validators, choices=options(pairs), **kwargs)

    def groups_html(self) -> Markup:
        """The regions' fieldsets and checkboxes, as components/forms.html's `_option` writes a checkbox.

        Built once per (name, id, invalid) and only the ticks put in per request: through the macro, 250
        checkboxes cost the page about 50 ms.
        """
        chosen = {str(value) for value in self.data or []}
        parts = _rendered_country_boxes(self.name, self.id, bool(self.errors))
        return Markup("".join(  # noqa: S704 - built from escaped names and codes
            html.replace(" value=", " checked value=", 1) if code in chosen else html for code, html in parts))

    def pre_validate(self, form):
        if any(not is_known_country(str(value)) for value in self.data or []):
            raise ValidationError("Choose countries from the list")
