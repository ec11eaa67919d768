"""A throw-away sixth profile type, declared as a real one is: one module of declarations plus its forms.

tests/wizard/test_sixth_type.py names this module in the PROFILE_TYPES setting and walks it to submission;
tests/test_engine.py walks its own steps (PET_STEPS) through the engine.
"""
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired

from wizard.engine import DraftView, ProfileType, Step
from wizard.extensions import db
from wizard.forms.fields import options
from wizard.models import AuditEntry
from wizard.steps.common import CONTACT, COUNTRY, ORGANISATION

SUBMITTED_ACTION = "pet_owner_submitted"


class PetsForm(FlaskForm):
    has_pets = RadioField("Do you have pets?", choices=options([("yes", "Yes"), ("no", "No")]),
                          validators=[DataRequired("Say whether you have pets")])


class NamesForm(FlaskForm):
    names = StringField("Their names", validators=[DataRequired("Enter their names")])


class VetForm(FlaskForm):
    vet = StringField("Your vet", validators=[DataRequired("Enter your vet")])


def has_pets(view: DraftView) -> bool:
    return view.value("pets", "has_pets") == "yes"


def named_pets(view: DraftView) -> bool:
    return bool(view.value("names", "names"))


PET_STEPS = (
    Step("pets", "Pets", PetsForm),
    Step("names", "Pet names", NamesForm, when=has_pets),
    Step("vet", "Vet", VetForm, when=named_pets),  # depends on a step that itself depends on "pets"
)


def record_submission(profile, cleaned) -> None:
    """What this type's submission does: here, an audit entry the test can see."""
    db.session.add(AuditEntry(action=SUBMITTED_ACTION, subject_type="profile", subject_id=profile.id,
                              reason=cleaned["vet"]["vet"]))


PROFILE_TYPE = ProfileType(
    key="pet_owner",
    name="Pet owner",
    purpose="A household that keeps pets",
    start_text="registering a pet owner",
    declaration="the pets named are alive and well.",
    steps=(COUNTRY, ORGANISATION, CONTACT, *PET_STEPS),
    on_submit=("tests.wizard.sixth_type:record_submission",),
)
