"""Field helpers shared by every form: messages in one voice, cleaned text, safe URLs."""
import re
from datetime import date

from wtforms import Form, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation

from wizard.matching import safe_http_url

#: Multi-line text keeps its tabs and line breaks; one-line fields refuse those too (fields.SingleLineField).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_text(value):
    """Trims text; control characters are refused by `no_control_characters`, not silently removed."""
    if isinstance(value, str):
        return value.strip()
    return value


def lower_first(text: str) -> str:
    """"Acronym" -> "acronym", but "SME count" stays as it is."""
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


def thing_of(field) -> str:
    """How messages name a field: "the year of establishment", "the member website".

    The phrase the field's Required validator asks for, so a field is named the same way in all its
    messages; else "the " and its label, for optional fields whose label is a plain noun.
    """
    return getattr(field.flags, "thing", None) or f"the {lower_first(field.label.text)}"


def the_thing_of(field) -> str:
    """The field's name at the start of a sentence: "The member website must ..."."""
    thing = thing_of(field)
    return thing[:1].upper() + thing[1:]


class Required(DataRequired):
    """'Enter your organisation's name': the message names the thing asked for (and so do the field's other
    messages: see `thing_of`)."""

    def __init__(self, thing: str, verb: str = "Enter"):
        super().__init__(message=f"{verb} {thing}")
        self.field_flags = {"required": True, "thing": thing}


class Named:
    """Names an optional field for its messages (a required one is named by its Required); checks nothing."""

    def __init__(self, thing: str):
        self.field_flags = {"thing": thing}

    def __call__(self, form: Form, field) -> None:
        return None


class Shown:
    """Says, where the field is declared, how it shows on the published profile (wizard/summary.py reads it).

    public: True (the default for any field), False (never: an applicant's setting, a private list), or
    WITH_CONSENT (only when the applicant ticked the field declared with consent=True). public_label: the
    public page states what was answered, where the question would read oddly ("Activities described at").
    """

    WITH_CONSENT = "with_consent"

    def __init__(self, public: bool | str = True, public_label: str = "", consent: bool = False):
        self.field_flags = {"public": public, "public_label": public_label, "publication_consent": consent}

    def __call__(self, form: Form, field) -> None:
        return None


class RequiredChoice(InputRequired):
    def __init__(self, thing: str):
        super().__init__(message=f"Select {thing}")
        self.field_flags = {"required": True, "thing": thing}


class RequiredYes(InputRequired):
    """A yes/no question: "Select yes if the cluster is ...", so two on one page never read the same."""

    def __init__(self, if_yes: str):
        super().__init__(message=f"Select yes if {if_yes}, or no if not")


class RequiredNumber(InputRequired):
    """Like Required, but 0 is an answer (DataRequired would call it missing)."""

    def __init__(self, thing: str):
        super().__init__(message=f"Enter {thing}")
        self.field_flags = {"required": True, "thing": thing}


class MaxLength(Length):
    """"The acronym must be 60 characters or fewer": WTForms' own message does not say which field."""

    def __init__(self, limit: int):
        super().__init__(max=limit)

    def __call__(self, form: Form, field) -> None:
        if field.data and len(field.data) > self.max:
            raise ValidationError(f"{the_thing_of(field)} must be {self.max:,} characters or fewer")


class WholeNumberRange:
    """A count from `minimum` to `maximum`, its message naming the field: "Enter the number of start-ups and
    SMEs as a whole number, 0 or more"."""

    def __init__(self, minimum: int = 0, maximum: int = 1_000_000):
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, form: Form, field) -> None:
        if field.data is not None and field.data < self.minimum:
            raise ValidationError(f"Enter {thing_of(field)} as a whole number, {self.minimum} or more")
        if field.data is not None and field.data > self.maximum:
            raise ValidationError(f"Enter {thing_of(field)} as a whole number up to {self.maximum:,}")


class RequiredIf:
    """Required when another field of the form holds one of `values`, optional otherwise.

    The condition is written once, here, so the field is asked for and checked by the same rule
    (put it first in the field's validators, in place of Optional()).
    """

    #: The label then says neither "(optional)" nor nothing: the hint, or `when` ("if yes"), says when it is needed.
    field_flags = {"conditional": True}

    def __init__(self, other: str, values: tuple[str, ...], message: str, when: str | None = None):
        self.other, self.values, self.message = other, values, message
        if when:
            # The label says "(if yes)", and the field is revealed under that answer (components/forms.html).
            self.field_flags = {"conditional": True, "when": when}

    def __call__(self, form: Form, field) -> None:
        if field.raw_data and str(field.raw_data[0]).strip():
            return
        field.errors[:] = []  # an empty answer is not "not a valid date": it is missing, or not needed
        if form[self.other].data in self.values:
            raise StopValidation(self.message)
        raise StopValidation()


def no_control_characters(form: Form, field) -> None:
    data = field.data
    values = data if isinstance(data, list) else [data]
    for value in values:
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValidationError("Remove the invisible control characters from this answer.")


def http_url(form: Form, field) -> None:
    if field.data and not safe_http_url(field.data):
        raise ValidationError(f"Enter {thing_of(field)} starting with http:// or https://, like https://www.example.eu")


def not_in_the_future(form: Form, field) -> None:
    """A year, checked against today's year when validating (not when the module was imported)."""
    if field.data is not None and field.data > date.today().year:
        raise ValidationError(f"Enter {thing_of(field)}: a year that is not after {date.today().year}")


def at_least_one_row(name_field: str, message: str):
    """A FieldList validator: at least one row has `name_field` filled in."""

    def check(form: Form, field) -> None:
        if not any((entry.form[name_field].data or "").strip() for entry in field.entries):
            raise ValidationError(message)

    return check
