"""The profile types: one `ProfileType` declaration per module, named in the PROFILE_TYPES setting.

Adding a type is a new module exporting PROFILE_TYPE (its texts, steps, when the criteria apply and
what submission does) plus its forms, and its name in the setting: no engine, view or service changes.
"""
from flask import Flask, current_app
from werkzeug.utils import import_string

from wizard.engine import ProfileType, Step

EXTENSION = "wizard.profile_types"


def declare(modules) -> dict[str, ProfileType]:
    """Key -> declaration of each named module's PROFILE_TYPE, in the given order."""
    declared: dict[str, ProfileType] = {}
    for module in modules:
        profile_type = import_string(module).PROFILE_TYPE
        if profile_type.key in declared:
            raise ValueError(f"Two profile types share the key {profile_type.key!r}")
        for name in (*profile_type.on_submit, *(hook for step in profile_type.steps for hook in step.hooks())):
            import_string(name)  # a misspelt name fails at start-up, not at someone's submission
        declared[profile_type.key] = profile_type
    return declared


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = declare(app.config["PROFILE_TYPES"])


def profile_types() -> dict[str, ProfileType]:
    """Key -> declaration, in the order of the setting (the start page's order)."""
    return current_app.extensions[EXTENSION]


def profile_type(key: str) -> ProfileType | None:
    return profile_types().get(key)


def type_name(key: str) -> str:
    declared = profile_type(key)
    return declared.name if declared else key


def type_choices() -> list[tuple[str, str]]:
    return [(declared.key, declared.name) for declared in profile_types().values()]


def declared_steps(key: str) -> tuple[Step, ...]:
    return profile_types()[key].steps
