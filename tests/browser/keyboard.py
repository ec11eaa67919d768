"""Using a page with the keyboard alone: Tab to a control, then type, Space, arrows or Enter.

No click and no `fill`: a control the Tab key cannot reach, or that does not answer to keys, fails
the journey. `focused` asks the browser which element has the focus (the test's own look, not a
page script).
"""
from tests.browser.flows import controls
from tests.support.browser import Visit

MAX_TABS = 120


def focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(visit: Visit, locator, what: str) -> None:
    """Presses Tab until `locator` has the focus; fails if a whole round of the page never reaches it."""
    for _ in range(MAX_TABS):
        if focused(locator):
            return
        visit.page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {what} on {visit.page.url}")


def type_into(visit: Visit, fields: dict) -> None:
    """Fills a form from the keyboard, field by field, in the order given."""
    page = visit.page
    kinds = controls(visit)
    for name, value in fields.items():
        values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        kind = kinds[name]
        if kind == "radio":
            choose_radio(visit, name, values[0])
        elif kind == "checkbox":
            boxes = page.locator(f'input[type=checkbox][name="{name}"]')
            for index in range(boxes.count()):
                box = boxes.nth(index)
                wanted = box.get_attribute("value") in values or boxes.count() == 1
                if box.is_checked() != wanted:
                    tab_to(visit, box, f"{name}={box.get_attribute('value')}")
                    page.keyboard.press("Space")
                assert box.is_checked() == wanted, f"Space did not toggle {name}"
        elif kind == "select":
            select = page.locator(f'select[name="{name}"]')
            label = select.locator(f'option[value="{values[0]}"]').inner_text()
            if select.is_visible():
                tab_to(visit, select, name)
                page.keyboard.type(label, delay=20)  # a closed select jumps to the option typed
            else:  # made a type-ahead by static/countries.js: type the name, Enter takes the suggestion
                tab_to(visit, page.locator(f'[id="{select.get_attribute("id").removesuffix("-select")}"]'), name)
                page.keyboard.type(label, delay=20)
                page.keyboard.press("Enter")
            assert select.input_value() == values[0], f"typing {label!r} did not choose it in {name}"
        else:
            box = page.locator(f'[name="{name}"]:not([type=hidden])')
            tab_to(visit, box, name)
            page.keyboard.press("Control+A")
            page.keyboard.type(values[0])
            assert box.input_value() == values[0], f"typed text did not land in {name}"


def choose_radio(visit: Visit, name: str, value: str) -> None:
    """Tab into the group, then arrow keys move the choice (as screen-reader and keyboard users do)."""
    page = visit.page
    group = page.locator(f'input[type=radio][name="{name}"]')
    target = page.locator(f'input[type=radio][name="{name}"][value="{value}"]')
    checked = page.locator(f'input[type=radio][name="{name}"]:checked')
    tab_to(visit, checked if checked.count() else group.first, name)  # Tab enters a group at its choice
    for _ in range(group.count() + 1):
        if target.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never chose {name}={value}")


def press(visit: Visit, locator, what: str, expected: int | None = 200) -> None:
    """Tab to a link or button and press Enter: the next page loads and is audited."""
    tab_to(visit, locator, what)
    visit.press_enter_and_wait(expected)


def walk(visit: Visit, answers: dict, stop_at: str = "check_answers") -> None:
    from tests.browser.flows import step_name

    while (name := step_name(visit)) != stop_at:
        assert name in answers, f"the wizard asked for {name!r}"
        type_into(visit, answers[name])
        press(visit, visit.page.get_by_role("button", name="Save and continue", exact=True), "Save and continue")


def follow_first_error(visit: Visit) -> None:
    """From the error summary (which has the focus), Tab to its first link and press Enter: the keyboard
    then continues in the field that needs attention."""
    page = visit.page
    assert page.evaluate("document.activeElement.id") == "error-summary", "the error summary does not have the focus"
    link = page.locator("#error-summary a").first
    target_id = link.get_attribute("href")[1:]
    tab_to(visit, link, "the first error link")
    page.keyboard.press("Enter")
    in_target = ("id => { const t = document.getElementById(id), a = document.activeElement;"
                 " return a === t || t.contains(a) || (t.name && a.name === t.name); }")
    if not page.evaluate(in_target, target_id):
        page.keyboard.press("Tab")
    assert page.evaluate(in_target, target_id), f"after the error link, the focus is not in #{target_id}"
