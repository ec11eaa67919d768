"""The engine: a profile type is data, conditions are transitive, progress and change links work."""
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField, StringField
from wtforms.validators import Optional

from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU, CLUSTER_EU_STEPS
from tests.wizard.sixth_type import PET_STEPS
from wizard import engine

THROWAWAY = PET_STEPS


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


def test_progress_is_shown_and_the_title_names_the_step(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:5])
    page = helper.get(f"/drafts/{public_id}/member-list")
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
