"""Walking the wizard with the test client, the way a person does: open a page, fill it, press a button."""
from sqlalchemy import select

from tests.support.factories import DEFAULT_PASSWORD
from tests.support.pages import ClientHelper, Page
from wizard.engine import SEEN_FIELD
from wizard.extensions import db
from wizard.models import Profile


def start(helper: ClientHelper, profile_type: str) -> str:
    """Presses "Start now" for a profile type; returns the new draft's public id."""
    page = helper.get(f"/start/{profile_type}")
    token = page.value_of("csrf_token")
    started = helper.post(f"/start/{profile_type}", {"csrf_token": token}, expected=302)
    target = helper.redirect_target(started)
    assert target.endswith("/country"), target
    return target.split("/")[2]


def step_url(public_id: str, step: str, returning: bool = False) -> str:
    """A step's address: its name in kebab-case ("member_list" -> /drafts/<id>/member-list)."""
    return f"/drafts/{public_id}/{step.replace('_', '-')}" + ("?return=check" if returning else "")


def fill(helper: ClientHelper, public_id: str, step: str, data: dict, action: str = "continue",
         expected: int = 302, returning: bool = False) -> Page:
    """Opens the step (checking the page's hygiene), then posts `data` with the page's own hidden fields."""
    url = step_url(public_id, step, returning)
    return post_from(helper, helper.get(url), url, data, action, expected)


def post_from(helper: ClientHelper, page: Page, url: str, data: dict, action: str = "continue",
              expected: int | None = 302) -> Page:
    """Posts `data` as the form on `page` would: with its CSRF token and the saved answers it showed."""
    hidden = {name: page.value_of(name) for name in ("csrf_token", SEEN_FIELD) if page.value_of(name) is not None}
    return helper.post(url, {**data, "action": action, **hidden}, expected=expected)


def walk(helper: ClientHelper, public_id: str, answers: dict, steps: list[str]) -> str:
    """Fills every step in order, checking that each one leads to the next; returns where the last one led."""
    target = ""
    for index, step in enumerate(steps):
        page = fill(helper, public_id, step, answers[step])
        target = helper.redirect_target(page)
        if index + 1 < len(steps):
            assert target.split("?")[0] == step_url(public_id, steps[index + 1]), (step, target)
    return target


def sign_in_through_form(helper: ClientHelper, email: str, next_url: str = "/",
                         password: str = DEFAULT_PASSWORD) -> None:
    page = helper.post(f"/account/sign-in?next={next_url}", {"email": email, "password": password}, expected=302)
    assert helper.redirect_target(page) == next_url


def submit(helper: ClientHelper, public_id: str, expected: int = 303) -> Page:
    check = helper.get(f"/drafts/{public_id}/check-answers")
    form = {"version": check.value_of("version"), "consent": "y", "declaration": "y",
            "csrf_token": check.value_of("csrf_token")}
    return helper.post(f"/drafts/{public_id}/check-answers", form, expected=expected)


def profile_of(public_id: str) -> Profile:
    db.session.expire_all()
    return db.session.scalar(select(Profile).where(Profile.public_id == public_id))


def stored(public_id: str, step: str) -> dict:
    return (profile_of(public_id).answers or {}).get(step) or {}
