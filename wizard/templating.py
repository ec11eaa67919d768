"""Jinja helpers: what kind of component a field is, a form's errors in page order, and fixed URLs."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, url_for
from markupsafe import Markup
from wtforms import Field, Form
from wtforms.fields import (
    BooleanField,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectFieldBase,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from wizard.countries import country_name
from wizard.forms.common import RequiredIf
from wizard.links import email_link
from wizard.steps import profile_type, type_name
from wizard.taxonomies import DEFINITIONS_BY_KEY
from wizard.uploads import file_size

#: First match wins: subclasses before their bases (RadioField and the checkboxes are SelectFieldBase).
_KINDS: tuple[tuple[type, str], ...] = (
    (HiddenField, "hidden"),
    (SubmitField, "submit"),
    (FieldList, "rows"),
    (FormField, "group"),
    (RadioField, "radios"),
)
_LATER_KINDS: tuple[tuple[type, str], ...] = (
    (SelectFieldBase, "select"),
    (BooleanField, "checkbox"),
    (FileField, "file"),
    (TextAreaField, "textarea"),
    (PasswordField, "password"),
)


def _is_checkboxes(field: Field) -> bool:
    return isinstance(field, SelectMultipleField) and (
        isinstance(field.option_widget, CheckboxInput) or isinstance(field.widget, ListWidget))


def field_kind(field: Field) -> str:
    """The component macro that renders this field."""
    if field.type == "CSRFTokenField":
        return "hidden"
    for field_class, kind in _KINDS:
        if isinstance(field, field_class):
            return kind
    if _is_checkboxes(field):
        return "checkboxes"
    for field_class, kind in _LATER_KINDS:
        if isinstance(field, field_class):
            return kind
    return "text"


def _first_input_id(field: Field) -> str:
    """Where an error summary link should land: the input itself, the first option, or the first row's input."""
    kind = field_kind(field)
    if kind in ("radios", "checkboxes"):
        return f"{field.id}-0"
    if kind == "rows" and field.entries:
        first = field.entries[0]
        return next(iter(first)).id if isinstance(first, FormField) else first.id
    return field.id


def form_errors(*forms: Form | None) -> list[tuple[str, str]]:
    """(target id, message) for every error, in the order the fields appear on the page."""
    found: list[tuple[str, str]] = []
    for form in forms:
        if form is None:
            continue
        for field in form:
            found.extend(_field_errors(field))
        for message in getattr(form, "form_errors", []):
            found.append(("main", message))
    return found


def _field_errors(field: Field) -> list[tuple[str, str]]:
    if isinstance(field, FieldList | FormField):
        nested: list[tuple[str, str]] = []
        entries = field.entries if isinstance(field, FieldList) else [field]
        for entry in entries:
            if isinstance(entry, FormField):
                for sub in entry:
                    nested.extend(_field_errors(sub))
                nested.extend(("main" if not entry.id else entry.id, m) for m in entry.form.form_errors)
            else:
                nested.extend(_field_errors(entry))
        own = [e for e in (field.errors if isinstance(field.errors, list) else []) if isinstance(e, str)]
        return [(_first_input_id(field), m) for m in own] + nested
    return [(_first_input_id(field), message) for message in field.errors if isinstance(message, str)]


def own_errors(field: Field) -> list[str]:
    """The field's own messages (a row list's errors also hold its rows' error dicts)."""
    return [message for message in (field.errors if isinstance(field.errors, list) else []) if isinstance(message, str)]


def described_by(field: Field) -> str:
    """Hint and error ids, numbered as components/forms.html numbers them."""
    ids = [f"{field.id}-hint"] if field.description else []
    ids += [f"{field.id}-error-{n}" for n, _ in enumerate(own_errors(field), start=1)]
    return " ".join(ids)


def field_attrs(field: Field, css_class: str) -> dict[str, str]:
    """The attributes that tie an input to its hint and errors for screen readers."""
    invalid = bool(own_errors(field))
    attrs = {"class": css_class + (" is-invalid" if invalid else "")}
    if described := described_by(field):
        attrs["aria-describedby"] = described
    if invalid:
        attrs["aria-invalid"] = "true"
    return attrs


@dataclass(frozen=True)
class Reveal:
    """Fields shown under the radio options that make them apply (the "reveal if yes" pattern)."""

    id: str
    values: tuple[str, ...]
    fields: list[Field]


def reveals(form: Form) -> tuple[dict[str, Reveal], set[str]]:
    """{radio name: Reveal} and the names of the revealed fields, from the fields' RequiredIf(..., when=...).

    The fields stay in the page's HTML under the radios; static/app.js hides them while no revealing
    option is chosen, so without JavaScript they are simply there, labelled "(if yes)".
    """
    found: dict[str, Reveal] = {}
    for field in form:
        for validator in field.validators:
            if isinstance(validator, RequiredIf) and "when" in validator.field_flags \
                    and field_kind(form[validator.other]) == "radios":
                reveal = found.setdefault(validator.other, Reveal(f"{form[validator.other].id}-reveal",
                                                                  validator.values, []))
                reveal.fields.append(field)
    return found, {field.name for reveal in found.values() for field in reveal.fields}


_FIXED_CACHE_BOUND = 512


def fixed_fragments(app: Flask) -> tuple[Callable[..., str], Callable[[], Markup]]:
    """`fixed_url` and `bootstrap_css` for the app's templates: the same as url_for and bootstrap.load_css, built
    once per script root instead of on every page. Measured side by side (benchmarks/versus.py, SQLite, at
    34afa3e against e25ad73, which had them): the start page took 1.18 ms of CPU without them, 0.72 ms with.

    Every page's layout links the stylesheets, the script and the navigation: with url_for each of those is a
    route build per page view, a sizeable share of a small page's time. They differ only by where the app is
    mounted (the script root), so that is the key. Only for URLs with no per-request part: a URL that names a
    draft, a token or a query takes url_for. The script root comes from the server's environ; in case a proxy
    lets clients choose it, the caches stop growing at a bound and those pages fall back to building.
    """
    urls: dict[tuple, str] = {}
    css: dict[str, Markup] = {}

    def fixed_url(endpoint: str, **values: str) -> str:
        key = (request.script_root, endpoint, *sorted(values.items()))
        url = urls.get(key)
        if url is None:
            url = url_for(endpoint, **values)
            if len(urls) < _FIXED_CACHE_BOUND:
                urls[key] = url
        return url

    def bootstrap_css() -> Markup:
        fragment = css.get(request.script_root)
        if fragment is None:
            fragment = app.extensions["bootstrap"].load_css()  # already Markup
            if len(css) < _FIXED_CACHE_BOUND:
                css[request.script_root] = fragment
        return fragment

    return fixed_url, bootstrap_css


def register(app: Flask) -> None:
    fixed_url, bootstrap_css = fixed_fragments(app)
    app.jinja_env.globals.update(
        fixed_url=fixed_url, bootstrap_css=bootstrap_css,
        field_kind=field_kind, reveals=reveals, form_errors=form_errors, field_attrs=field_attrs,
        described_by=described_by, own_errors=own_errors,
        country_name=country_name, profile_type_name=type_name, declared_type=profile_type, email_link=email_link,
        definitions_by_key=DEFINITIONS_BY_KEY,
    )
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
