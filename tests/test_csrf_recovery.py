"""A wizard step posted with a stale CSRF token comes back filled in, and nothing is saved."""
from wizard.extensions import db
from wizard.models import Profile


def _start(helper) -> str:
    page = helper.post("/start/cluster_organisation", {}, expected=302)
    return helper.redirect_target(page).split("/")[2]


def test_step_with_stale_token_is_shown_again_with_the_typed_values(helper):
    public_id = _start(helper)
    url = f"/drafts/{public_id}/organisation"
    typed = {"name": "Typed before the token expired", "city": "Lyon", "csrf_token": "stale-token"}
    page = helper.post(url, typed, expected=400)
    assert page.value_of("name") == "Typed before the token expired"
    assert page.value_of("city") == "Lyon"
    assert any("not saved yet" in message for message in page.error_summary)
    assert page.value_of("csrf_token") not in (None, "", "stale-token")
    profile = db.session.scalar(db.select(Profile).where(Profile.public_id == public_id))
    assert "organisation" not in (profile.answers or {})
    # Sending it again with the fresh token saves it.
    again = helper.post(url, {**typed, "csrf_token": page.value_of("csrf_token")})
    assert again.status in (302, 400)
    db.session.refresh(profile)
    assert profile.answers["organisation"]["name"] == ["Typed before the token expired"]


def test_other_forms_with_a_bad_token_get_the_400_page(helper):
    page = helper.post("/account/sign-in", {"email": "a@example.eu", "password": "x", "csrf_token": "bad"},
                       expected=400)
    assert "expired" in page.text()
