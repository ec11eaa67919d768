"""Field types the wizard's forms share."""
from functools import cache

from markupsafe import Markup, escape
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from wizard.countries import all_countries


def options(pairs) -> list[SelectChoice]:
    """WTForms 3.3 wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """Several choices, rendered as checkboxes in a fieldset (see components/forms.html `choices`)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


@cache
def _country_options_html() -> tuple[tuple[str, str], ...]:
    return tuple((code, f'<option value="{escape(code)}">{escape(name)}</option>') for code, name in all_countries())


class FastCountrySelectWidget:
    """Renders the ~250 country options from strings built once.

    WTForms renders each option through its widget machinery, about 3 ms a page; this keeps the
    country step near the speed of a plain page (the benchmarks' 0.33x target).
    """

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        attributes = " ".join(f'{escape(k.replace("_", "-"))}="{escape(v)}"' for k, v in kwargs.items())
        selected = field.data or ""
        parts = [f'<select name="{escape(field.name)}" {attributes}>',
                 '<option value="">Choose a country</option>']
        for code, html in _country_options_html():
            parts.append(html.replace("<option ", "<option selected ", 1) if code == selected else html)
        parts.append("</select>")
        return Markup("".join(parts))  # noqa: S704 - every part is escaped above


class CountryField(SelectField):
    widget = FastCountrySelectWidget()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=options([("", "Choose a country"), *all_countries()]), **kwargs)


class CountriesField(SelectMultipleField):
    """Several countries from a multi-select list (checkboxes for 250 countries would be unusable)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"size": 8})
        super().__init__(label, validators, choices=options(all_countries()), **kwargs)
