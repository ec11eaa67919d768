"""The engine: a profile type is data, conditions are transitive, progress and change links work."""
import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField, RadioField, StringField
from wtforms.validators import DataRequired, Optional

from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU, CLUSTER_EU_STEPS
from wizard import engine, steps, taxonomies
from wizard.engine import DraftView, Step
from wizard.extensions import db
from wizard.forms.fields import options
from wizard.models import Submission


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


THROWAWAY = (
    Step("pets", "Pets", PetsForm),
    Step("names", "Pet names", NamesForm, when=has_pets),
    Step("vet", "Vet", VetForm, when=named_pets),  # depends on a step that itself depends on "pets"
)


def path_of(answers: dict) -> list[str]:
    return engine.applicable_path(THROWAWAY, answers, lambda code: False).names()


def test_conditions_are_transitive():
    answers = {"pets": {"has_pets": ["yes"]}, "names": {"names": ["Rex"]}, "vet": {"vet": ["Dr Who"]}}
    assert path_of(answers) == ["pets", "names", "vet"]
    # "No pets" skips the names step; its stored answer must not keep the vet step alive.
    answers["pets"] = {"has_pets": ["no"]}
    assert path_of(answers) == ["pets"]
    answers["pets"] = {"has_pets": ["yes"]}
    assert path_of(answers) == ["pets", "names", "vet"], "answers of steps that apply again come back"


def test_progress_text_and_neighbours():
    path = engine.Path(THROWAWAY)
    assert path.progress_text("names") == "Step 2 of 3: Pet names"
    assert path.next_after("names").name == "vet" and path.next_after("vet") is None
    assert path.before("pets") is None


def test_from_formdata_keeps_only_the_forms_fields_and_its_rows(app):
    class RowForm(Form):
        a = StringField(validators=[Optional()])

    class WithRows(FlaskForm):
        title = StringField()
        rows = FieldList(FormField(RowForm), min_entries=1)

    posted = MultiDict([("title", "x"), ("rows-0-a", "1"), ("rows-7-a", "2"), ("rowsmuggled", "no"),
                        ("owner_id", "1"), ("csrf_token", "t"), ("_valid", "1")])
    form = WithRows(formdata=posted, meta={"csrf": False})
    assert engine.from_formdata(posted, form) == {"title": ["x"], "rows-0-a": ["1"], "rows-7-a": ["2"]}


def test_first_unfinished_and_revalidate_do_not_trust_the_stored_flag(app):
    path = engine.Path(THROWAWAY)
    answers = {"pets": {"has_pets": ["yes"], "_valid": True}, "names": {"names": [""], "_valid": True},
               "vet": {"vet": ["Dr Who"], "_valid": True}}
    assert engine.first_unfinished(path, answers) is None
    assert engine.revalidate(path, answers).name == "names"


@pytest.fixture
def throwaway_type(monkeypatch):
    """A new profile type, declared the way the real ones are: steps plus its name. No engine change."""
    monkeypatch.setitem(steps.STEPS_BY_TYPE, "pet_owner", THROWAWAY)
    monkeypatch.setitem(taxonomies.PROFILE_TYPES_BY_KEY, "pet_owner",
                        taxonomies.ProfileTypeInfo("pet_owner", "Pet owner", "People who own pets"))


def test_a_new_profile_type_is_walked_and_submitted_without_engine_code(helper, throwaway_type, make_user,
                                                                       smtp_server):
    user = make_user(email="owner@example.eu")
    walk.sign_in_through_form(helper, user.email, "/")
    page = helper.get("/start/pet_owner")
    started = helper.post("/start/pet_owner", {"csrf_token": page.value_of("csrf_token")}, expected=302)
    assert helper.redirect_target(started).endswith("/pets")
    public_id = helper.redirect_target(started).split("/")[2]

    page = walk.fill(helper, public_id, "pets", {"has_pets": "yes"})
    assert helper.redirect_target(page) == f"/drafts/{public_id}/names"
    shown = helper.get(f"/drafts/{public_id}/names")
    # Whether the vet step applies depends on this step's answer: no number of steps is promised yet.
    assert shown.select_one("#wizard-progress-label").get_text(strip=True) == "Step 2: Pet names"
    assert shown.select_one("progress") is None
    page = walk.fill(helper, public_id, "names", {"names": ""}, expected=400)
    assert page.error_summary == ["Enter their names"]
    page = walk.fill(helper, public_id, "names", {"names": "Rex"})
    assert helper.redirect_target(page) == f"/drafts/{public_id}/vet"
    shown = helper.get(f"/drafts/{public_id}/vet")
    assert shown.select_one("#wizard-progress-label").get_text(strip=True) == "Step 3 of 3: Vet"
    page = walk.fill(helper, public_id, "vet", {"vet": "Dr Who"})
    assert helper.redirect_target(page) == f"/drafts/{public_id}/check-answers"
    walk.submit(helper, public_id)
    submission = db.session.scalars(select(Submission)).one()
    assert set(submission.answers) == {"pets", "names", "vet"}


def test_progress_is_shown_and_the_title_names_the_step(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:5])
    page = helper.get(f"/drafts/{public_id}/member_list")
    assert page.select_one("#wizard-progress-label").get_text(strip=True) == "Step 6 of 11: List of members"
    progress = page.select_one("progress")
    assert (progress["value"], progress["max"]) == ("6", "11")
    assert progress["aria-labelledby"] == "wizard-progress-label"
    assert page.title.startswith("List of members (step 6 of 11)")
    assert page.h1 == "List of members"


def test_the_number_of_steps_is_given_only_once_the_answers_that_decide_it_are_behind():
    def progress(answers: dict, name: str):
        return engine.applicable_path(THROWAWAY, answers, lambda code: False).progress(name)

    assert progress({}, "pets") == (1, None), "the answer to this very step decides the rest"
    assert progress({"pets": {"has_pets": ["yes"]}}, "names") == (2, None)
    assert progress({"pets": {"has_pets": ["yes"]}, "names": {"names": ["Rex"]}}, "vet") == (3, 3)
    # A predicate that reads nothing ("always") never holds the number back.
    always_path = engine.applicable_path(THROWAWAY[:1], {}, lambda code: False)
    assert always_path.progress("pets") == (1, 1)


def test_a_change_link_returns_to_check_your_answers(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS)
    check = helper.get(f"/drafts/{public_id}/check-answers")
    change = [a["href"] for a in check.select("a") if a["href"].startswith(f"/drafts/{public_id}/contact?")]
    assert change and all(href.endswith("return=check") for href in change)
    page = helper.get(change[0])
    assert page.select_one("button[value=continue]").get_text(strip=True) == "Save and return to check your answers"
    posted = walk.fill(helper, public_id, "contact", {**CLUSTER_EU["contact"], "contact_role": "Director"},
                       returning=True)
    assert helper.redirect_target(posted) == f"/drafts/{public_id}/check-answers"
    assert "Director" in helper.get(f"/drafts/{public_id}/check-answers").text()
