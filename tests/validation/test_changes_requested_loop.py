"""Issue 17 item 3: the "changes requested" loop, as the applicant lives it.

The e-mailed link opened while signed out leads to sign-in and then to the draft; signed in, the
validators' reason is at the top of every step and of "Check your answers" until the profile is
submitted again.
"""
from tests.support.emails import link_path, queued_emails
from tests.support.factories import DEFAULT_PASSWORD
from tests.validation.factory import submitted_profile
from wizard.extensions import db
from wizard.models import Profile
from wizard.services import decisions
from wizard.services.drafts import path_for

REASON = "Please list at least 15 members by name.\nAnd link the English version of your website."


def request_changes(profile: Profile, validator, reason: str = REASON) -> str:
    decisions.decide(profile, decisions.Decision.REQUEST_CHANGES, validator, profile.version, reason)
    message = [m for m in queued_emails(subject_contains="Changes needed")][-1]
    return link_path(message, "/drafts/")


def banner(page) -> str | None:
    section = page.select_one("#changes-requested")
    return section.get_text("\n", strip=True) if section else None


def test_the_e_mailed_link_opened_signed_out_leads_to_sign_in_and_then_to_the_draft(helper, client, applicant,
                                                                                   validator):
    profile = submitted_profile(applicant)
    link = request_changes(profile, validator)
    assert link == f"/drafts/{profile.public_id}"

    page = helper.get(link, expected=302)
    assert helper.redirect_target(page) == f"/account/sign-in?next=/drafts/{profile.public_id}"
    sign_in_page = helper.get(helper.redirect_target(page))
    assert sign_in_page.h1 == "Sign in"
    assert "Sign in to open this profile" in sign_in_page.text()
    signed_in = helper.post(helper.redirect_target(page), {"email": applicant.email, "password": DEFAULT_PASSWORD},
                            expected=302)
    assert helper.redirect_target(signed_in) == link
    landing = helper.get(link, expected=302)
    assert helper.redirect_target(landing) == f"/drafts/{profile.public_id}/check-answers"
    check = helper.get(helper.redirect_target(landing))
    assert check.h1 == "Check your answers"
    assert "Please list at least 15 members by name." in banner(check)


def test_a_draft_that_is_not_yours_is_still_not_found(helper, sign_in, applicant, make_user, validator):
    profile = submitted_profile(applicant)
    link = request_changes(profile, validator)
    # Signed out, any draft address (real or made up) asks to sign in: nothing says whether it exists.
    for path in (link, "/drafts/no-such-draft"):
        assert helper.redirect_target(helper.get(path, expected=302)) == f"/account/sign-in?next={path}"
    helper.get(f"/drafts/{profile.public_id}/organisation", expected=404)
    sign_in(make_user(email="someone-else@example.eu"))
    helper.get(link, expected=404)
    helper.get("/drafts/no-such-draft", expected=404)


def test_the_reason_is_on_every_step_and_on_check_answers_until_resubmitted(helper, sign_in, applicant, validator):
    profile = submitted_profile(applicant)
    request_changes(profile, validator)
    sign_in(applicant)
    db.session.refresh(profile)
    steps = path_for(profile).names()
    assert len(steps) > 5
    for name in steps:
        page = helper.get(f"/drafts/{profile.public_id}/{name}")
        shown = banner(page)
        assert shown is not None, f"no reason on step {name}"
        assert "The validation team asked for changes" in shown
        assert REASON.splitlines()[0] in shown and REASON.splitlines()[1] in shown
    check = helper.get(f"/drafts/{profile.public_id}/check-answers")
    assert REASON.splitlines()[0] in banner(check)
    helper.post(f"/drafts/{profile.public_id}/check-answers",
                {"version": check.value_of("version"), "consent": "y", "declaration": "y"}, expected=303)
    db.session.expire_all()
    assert db.session.get(Profile, profile.id).status == "submitted"
    assert banner(helper.get(f"/drafts/{profile.public_id}/submitted")) is None

    # Asked again, the newest reason is the one shown.
    db.session.refresh(profile)
    request_changes(profile, validator, "Now the phone number, please.")
    shown = banner(helper.get(f"/drafts/{profile.public_id}/check-answers"))
    assert "Now the phone number, please." in shown and REASON.splitlines()[0] not in shown


def test_a_draft_never_sent_back_shows_no_reason(helper, sign_in, applicant):
    from tests.validation.factory import draft

    profile = draft(applicant)
    sign_in(applicant)
    assert banner(helper.get(f"/drafts/{profile.public_id}/check-answers")) is None
    assert banner(helper.get(f"/drafts/{profile.public_id}/organisation")) is None
