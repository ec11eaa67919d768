"""Names, acronyms, roles and towns stay on one line (issue 14, item 5): a line break or another control
character typed or posted into one is refused with a message naming the field, and what was typed comes back.

Such answers go into e-mail headers and exports, where a CR/LF starts a new header or row.
"""
import pytest
from wtforms import StringField, TextAreaField
from wtforms.fields import FieldList, FormField

from tests.support.declared import STEPS_BY_TYPE
from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU, CLUSTER_EU_STEPS, PARTNERSHIP
from wizard.forms.fields import SingleLineField

#: CR/LF (a header injection), a lone LF, TAB, ESC, DEL, a C1 control (NEL) and the Unicode line separator. (A NUL
#: byte never reaches a form: the whole request is refused as malformed.)
CONTROLS = ["\r\nBcc: victim@example.eu", "\n", "\t", "\x1b[31m", "\x7f", "\x85", "\u2028"]


def _organisation_page(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:CLUSTER_EU_STEPS.index("organisation")])
    return public_id


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
def test_a_line_break_or_control_character_in_the_organisation_name_is_refused(helper, control):
    public_id = _organisation_page(helper)
    typed = f"Acme Cluster{control} GmbH"
    page = walk.fill(helper, public_id, "organisation", {**CLUSTER_EU["organisation"], "name": typed}, expected=400)
    message = ("Organisation name must be on one line: remove line breaks, tabs and other invisible characters")
    assert page.error_summary == [message]
    assert page.error_links == ["#name"]
    assert message in page.soup.find(id="name-error-1").get_text()
    assert page.value_of("name") == typed, "what was typed is shown back"
    assert walk.stored(public_id, "organisation")["_valid"] is False


@pytest.mark.parametrize(("step", "field", "label"), [
    ("organisation", "acronym", "Acronym"),
    ("organisation", "city", "Town or city"),
    ("contact", "contact_role", "Role in the organisation"),
    ("contact", "contact_name", "Full name"),
])
def test_every_one_line_answer_of_the_organisation_and_contact_refuses_cr_lf(helper, step, field, label):
    public_id = _organisation_page(helper)
    if step == "contact":
        walk.fill(helper, public_id, "organisation", CLUSTER_EU["organisation"])
    page = walk.fill(helper, public_id, step, {**CLUSTER_EU[step], field: "Line one\r\nLine two"}, expected=400)
    assert page.error_summary == [f"{label} must be on one line: remove line breaks, tabs and other invisible "
                                  "characters"]


def test_a_partnership_acronym_with_a_line_break_is_refused(helper):
    public_id = walk.start(helper, "partnership")
    walk.walk(helper, public_id, PARTNERSHIP, ["country", "organisation", "contact"])
    page = walk.fill(helper, public_id, "partnership",
                     {**PARTNERSHIP["partnership"], "project_acronym": "CLU\nSTER"}, expected=400)
    assert page.error_summary == ["Project acronym must be on one line: remove line breaks, tabs and other "
                                  "invisible characters"]


def test_a_description_keeps_its_line_breaks(helper):
    public_id = _organisation_page(helper)
    text = "First paragraph.\r\n\r\nSecond paragraph,\twith a tab."
    walk.fill(helper, public_id, "organisation", {**CLUSTER_EU["organisation"], "description": text})
    assert walk.stored(public_id, "organisation")["_valid"] is True


def test_a_c1_control_in_a_description_is_refused(helper):
    public_id = _organisation_page(helper)
    page = walk.fill(helper, public_id, "organisation",
                     {**CLUSTER_EU["organisation"], "description": "Hidden\x9bcontrol"}, expected=400)
    assert page.error_links == ["#description"]


def _text_inputs(form_class):
    form = form_class(meta={"csrf": False})
    for field in form:
        if isinstance(field, FieldList):
            field.append_entry()
            for entry in field.entries:
                yield from (sub for sub in entry if isinstance(entry, FormField))
        else:
            yield field


def test_every_one_line_text_field_of_the_wizard_is_a_single_line_field(app):
    """The rule lives in one field type: a new text input declared as a plain StringField would slip past it."""
    plain = []
    with app.test_request_context():
        for steps in STEPS_BY_TYPE.values():
            for step in steps:
                for field in _text_inputs(step.form):
                    if isinstance(field, StringField) and not isinstance(field, SingleLineField | TextAreaField) \
                            and field.type in ("StringField",):
                        plain.append(f"{step.name}.{field.name}")
    assert plain == []
