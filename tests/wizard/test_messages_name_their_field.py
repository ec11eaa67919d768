"""Error messages name their field (issue 17, item 13): "Enter the number of start-ups and SMEs as a whole
number, 0 or more", never a bare "Enter a whole number"; two questions on one page never share a message.
"""
import pytest
from wtforms import EmailField, TelField

from tests.support.declared import STEPS_BY_TYPE
from tests.wizard import answers as valid
from tests.wizard import walk
from wizard.forms.fields import CountryField, NumberField, WholeNumberField
from wizard.templating import field_kind

#: Messages that do not say which answer they are about (WTForms' own, and the ones applicants ran into).
GENERIC = ("Select yes or no", "Enter a whole number", "Enter a number", "Enter a real date", "Enter a web address",
           "Field cannot be longer", "Not a valid", "This field is required", "Invalid", "Choose from the options",
           "Choose one of the options")

TYPES = [
    ("cluster_organisation", valid.CLUSTER_EU, valid.CLUSTER_EU_STEPS),
    ("cluster_organisation", valid.CLUSTER_ELSEWHERE | {"country": {"country": "NO"}}, valid.CLUSTER_ELSEWHERE_STEPS),
    ("association", valid.ASSOCIATION, valid.ASSOCIATION_STEPS),
    ("partnership", valid.PARTNERSHIP, valid.PARTNERSHIP_STEPS),
    ("works_with_clusters", valid.WORKS_WITH, valid.WORKS_WITH_STEPS),
]


def wrong_answers(step) -> dict:
    """A wrong answer to every question of the step: too long, not a number, not an option."""
    typed = {}
    for field in step.form(meta={"csrf": False}):
        kind = field_kind(field)
        if kind in ("hidden", "submit", "file", "checkbox"):
            continue
        if kind == "rows":
            field.append_entry() if not field.entries else None
            for sub in field.entries[0]:
                typed[sub.name] = "x" * 5001
        elif isinstance(field, WholeNumberField | NumberField):
            typed[field.name] = "many"
        elif isinstance(field, CountryField) or kind in ("radios", "checkboxes", "select"):
            typed[field.name] = "not-an-option"
        elif isinstance(field, EmailField | TelField):
            typed[field.name] = "x" * 300
        else:
            typed[field.name] = "x" * 5001
    return typed


@pytest.mark.parametrize(("profile_type", "answers", "steps"), TYPES, ids=lambda v: v if isinstance(v, str) else "")
def test_every_message_on_every_step_names_its_question_and_no_two_are_alike(app, helper, profile_type, answers,
                                                                               steps):
    declared = {step.name: step for step in STEPS_BY_TYPE[profile_type]}
    public_id = walk.start(helper, profile_type)
    for name in steps:
        url = walk.step_url(public_id, name)
        page = helper.get(url)
        with app.test_request_context():
            typed = wrong_answers(declared[name])
        if not typed:  # nothing on the step can be answered wrongly by typing (the optional logo's file field)
            walk.fill(helper, public_id, name, answers[name], expected=302)
            continue
        wrong = walk.post_from(helper, page, url, typed, expected=None)
        messages = wrong.error_summary
        if name != "country":  # the country step's wrong answer is refused before the form: see below
            assert wrong.response.status_code == 400 and messages, (name, wrong.text()[:300])
        assert len(messages) == len(set(messages)), f"{name}: two questions share a message: {messages}"
        generic = [m for m in messages if m.startswith(GENERIC)]
        assert not generic, f"{name}: messages that do not name their question: {generic}"
        walk.fill(helper, public_id, name, answers[name], expected=302)


def test_the_issue_examples(helper):
    public_id = walk.start(helper, "cluster_organisation")
    steps = valid.CLUSTER_EU_STEPS
    walk.walk(helper, public_id, valid.CLUSTER_EU, steps[:steps.index("organisation")])
    page = walk.fill(helper, public_id, "organisation", {**valid.CLUSTER_EU["organisation"],
                                                        "year_established": "two thousand and five"}, expected=400)
    assert page.error_summary == ["Enter the year the organisation was established, for example 2005"]
    walk.walk(helper, public_id, valid.CLUSTER_EU, steps[steps.index("organisation"):steps.index("members")])
    page = walk.fill(helper, public_id, "members", {**valid.CLUSTER_EU["members"], "count_startup_sme": "-1"},
                     expected=400)
    assert page.error_summary == ["Enter the number of start-ups and SMEs as a whole number, 0 or more"]
    walk.walk(helper, public_id, valid.CLUSTER_EU, steps[steps.index("members"):steps.index("support_programmes")])
    page = walk.fill(helper, public_id, "support_programmes", {}, expected=400)
    assert page.error_summary == [
        "Select yes if the cluster is officially recognised by a regional or national cluster policy programme, "
        "or no if not",
        "Select yes if the cluster is recognised as a social economy cluster by the European Commission, or no if not",
    ]
