"""Field helpers shared by every form: messages in one voice, cleaned text, safe URLs."""
import re

from wtforms import Form, ValidationError
from wtforms.validators import DataRequired, InputRequired

from wizard.matching import safe_http_url

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_text(value):
    """Trims text and refuses invisible control characters (they break e-mails and exports)."""
    if isinstance(value, str):
        return value.strip()
    return value


class Required(DataRequired):
    """'Enter your organisation's name': the message names the thing asked for."""

    def __init__(self, thing: str, verb: str = "Enter"):
        super().__init__(message=f"{verb} {thing}")


class RequiredChoice(InputRequired):
    def __init__(self, thing: str):
        super().__init__(message=f"Select {thing}")


def no_control_characters(form: Form, field) -> None:
    data = field.data
    values = data if isinstance(data, list) else [data]
    for value in values:
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValidationError("Remove the invisible control characters from this answer.")


def http_url(form: Form, field) -> None:
    if field.data and not safe_http_url(field.data):
        raise ValidationError("Enter a web address starting with http:// or https://, like https://www.example.eu")
