"""Issue 17 item 4: a visitor who creates an account mid-way comes back to the draft they were filling in.

Create an account -> open the e-mailed confirmation link -> confirm -> sign in: the visitor lands on the
draft (its first unfinished step, or "Check your answers" when every step is done), not on the start page.
"""
from sqlalchemy import select

from tests.support.emails import link_path, only_email
from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU, CLUSTER_EU_STEPS
from wizard.extensions import db
from wizard.models import User

PASSWORD = "a long enough passphrase"


def sign_up(helper, register_url: str, email: str) -> None:
    page = helper.get(register_url)
    action = page.select_one("main form[method=post]").get("action") or register_url
    helper.post(action, {"full_name": "New Person", "email": email, "password": PASSWORD, "confirm": PASSWORD},
                form_url=register_url, expected=302)


def confirm_and_sign_in(helper, email: str) -> str:
    """Follows the e-mailed link, confirms, signs in on the page it leads to; returns where that lands."""
    verify = link_path(only_email(email, "Confirm"), "/account/verify/")
    helper.get(verify)
    confirmed = helper.post(verify, {}, form_url=verify, expected=302)
    sign_in_url = helper.redirect_target(confirmed)
    assert sign_in_url.startswith("/account/sign-in")
    page = helper.get(sign_in_url)
    action = page.select_one("main form[method=post]")["action"]
    signed_in = helper.post(action, {"email": email, "password": PASSWORD}, form_url=sign_in_url, expected=302)
    return helper.redirect_target(signed_in)


def test_from_check_your_answers_create_an_account_and_come_back_there(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS)
    check = helper.get(f"/drafts/{public_id}/check-answers")
    register_url = check.soup.find("a", string="create an account")["href"]
    sign_up(helper, register_url, "from-check@example.eu")

    landing = confirm_and_sign_in(helper, "from-check@example.eu")

    assert landing == f"/drafts/{public_id}/check-answers"
    page = helper.get(landing)
    assert page.h1 == "Check your answers" and "Silicon Saxony e.V." in page.text()
    user = db.session.scalar(select(User).where(User.email == "from-check@example.eu"))
    assert walk.profile_of(public_id).owner_id == user.id


def test_from_the_menus_create_an_account_link_mid_way_come_back_to_the_first_unfinished_step(helper):
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS[:3])
    sign_up(helper, "/account/register", "from-menu@example.eu")

    landing = confirm_and_sign_in(helper, "from-menu@example.eu")

    assert landing == f"/drafts/{public_id}"
    step = helper.redirect_target(helper.get(landing, expected=302))
    assert step == f"/drafts/{public_id}/{CLUSTER_EU_STEPS[3]}"
    assert helper.get(step).h1 == "Cluster management"


def test_without_a_draft_sign_up_still_ends_on_the_start_page(helper):
    sign_up(helper, "/account/register", "no-draft@example.eu")
    assert confirm_and_sign_in(helper, "no-draft@example.eu") == "/"


def test_a_foreign_next_is_never_followed(helper):
    sign_up(helper, "/account/register?next=//evil.example/phish", "careful@example.eu")
    assert confirm_and_sign_in(helper, "careful@example.eu") == "/"
