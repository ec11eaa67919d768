"""F27, nothing dropped silently (issue 14, item 9): a repeating list posted past its maximum gets a form
error naming the limit, and every row typed comes back, on the page and in the saved draft.

Before, WTForms' `max_entries` kept the first 400 of 450 member rows and said nothing.
"""
import pytest

from tests.reliability.figures import scaled
from tests.wizard import walk
from tests.wizard.answers import (
    ASSOCIATION,
    ASSOCIATION_STEPS,
    CLUSTER_EU,
    CLUSTER_EU_STEPS,
    PARTNERSHIP,
    PARTNERSHIP_STEPS,
)

#: (profile type, answers, steps before the list's step, list step, list field, row fields, limit, noun)
LISTS = [
    ("cluster_organisation", CLUSTER_EU, CLUSTER_EU_STEPS, "member_list", "member_list",
     ("member_name", "member_website"), 400, "members"),
    ("association", ASSOCIATION, ASSOCIATION_STEPS, "member_clusters_typed", "member_clusters",
     ("cluster_name", "cluster_website"), 400, "member clusters"),
    ("partnership", PARTNERSHIP, PARTNERSHIP_STEPS, "partner_clusters_typed", "partners",
     ("cluster_name", "cluster_website"), 400, "partners"),
]


def rows(field: str, subs: tuple[str, str], count: int) -> dict[str, str]:
    typed = {}
    for n in range(count):
        typed[f"{field}-{n}-{subs[0]}"] = f"Member number {n}"
        typed[f"{field}-{n}-{subs[1]}"] = f"https://member-{n}.example.eu"
    return typed


def _list_page(helper, profile_type, answers, steps, step):
    public_id = walk.start(helper, profile_type)
    walk.walk(helper, public_id, answers, steps[:steps.index(step)])
    return public_id


@pytest.mark.figure("F27")
@pytest.mark.parametrize(("profile_type", "answers", "steps", "step", "field", "subs", "limit", "noun"), LISTS,
                         ids=[case[4] for case in LISTS])
def test_a_list_past_its_maximum_is_refused_with_the_limit_and_every_row_kept(
        helper, profile_type, answers, steps, step, field, subs, limit, noun):
    public_id = _list_page(helper, profile_type, answers, steps, step)
    over = limit + scaled(50, 50)
    base = {k: v for k, v in answers[step].items() if not k.startswith(f"{field}-")}
    # "Save and come back later" keeps everything without marking the step done; "Continue" says why not.
    walk.fill(helper, public_id, step, {**base, **rows(field, subs, over)}, action="save")
    page = walk.fill(helper, public_id, step, {**base, **rows(field, subs, over)}, expected=400)
    message = f"You can add up to {limit} {noun}: you have entered {over}. Remove {over - limit} of them"
    assert message in page.error_summary
    assert page.error_links[page.error_summary.index(message)] == f"#{field}-0-{subs[0]}"
    own = page.soup.find(id=f"{field}-error-1")
    assert own is not None and message in own.get_text(), "the error is shown next to the list"
    for n in (0, limit - 1, limit, over - 1):
        assert page.value_of(f"{field}-{n}-{subs[0]}") == f"Member number {n}", f"row {n} was not shown back"
    stored = walk.stored(public_id, step)
    assert stored["_valid"] is False
    assert all(stored.get(f"{field}-{n}-{subs[0]}") == [f"Member number {n}"] for n in range(over)), \
        "every typed row is saved"
    again = helper.get(walk.step_url(public_id, step))
    assert again.value_of(f"{field}-{over - 1}-{subs[0]}") == f"Member number {over - 1}", \
        "the rows past the limit come back when the page is opened again"


@pytest.mark.figure("F27")
@pytest.mark.parametrize(("profile_type", "answers", "steps", "step", "field", "subs", "limit", "noun"), LISTS,
                         ids=[case[4] for case in LISTS])
def test_the_limit_is_said_next_to_the_list_and_reaching_it_is_accepted(
        helper, profile_type, answers, steps, step, field, subs, limit, noun):
    public_id = _list_page(helper, profile_type, answers, steps, step)
    page = helper.get(walk.step_url(public_id, step))
    hint = page.soup.find(id=f"{field}-hint")
    assert hint is not None and f"You can add up to {limit} {noun}." in hint.get_text()
    assert f"{field}-hint" in page.soup.find(id=field)["aria-describedby"].split()
    base = {k: v for k, v in answers[step].items() if not k.startswith(f"{field}-")}
    walk.fill(helper, public_id, step, {**base, **rows(field, subs, limit)})
    assert walk.stored(public_id, step)["_valid"] is True
    full = helper.get(walk.step_url(public_id, step))
    assert full.value_of(f"{field}-{limit - 1}-{subs[0]}") == f"Member number {limit - 1}"
    assert full.soup.find("button", attrs={"name": "add_row"}) is None, "a full list offers no 'Add another row'"


@pytest.mark.figure("F27")
def test_empty_rows_do_not_count_towards_the_limit(helper):
    public_id = _list_page(helper, "cluster_organisation", CLUSTER_EU, CLUSTER_EU_STEPS, "member_list")
    typed = rows("member_list", ("member_name", "member_website"), 400)
    typed.update({"member_list-400-member_name": "", "member_list-400-member_website": ""})
    walk.fill(helper, public_id, "member_list", typed)
    assert walk.stored(public_id, "member_list")["_valid"] is True
