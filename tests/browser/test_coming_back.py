"""Issue 17, walked in Chromium: coming back after "changes requested", and changing one's password.

(The member made public by its cluster's approval, and the return to the draft after creating an
account, are walked in test_journeys.py.)
"""
import pytest

from tests.browser import answers, flows
from tests.browser.test_journeys import fill_in_wizard

pytestmark = pytest.mark.browser

REASON = "Please describe how you work with clusters in more detail."


def test_changes_requested_link_opened_signed_out_leads_back_to_the_draft_with_the_reason(visits, site):
    journey = answers.works_with(flows.tag())
    name = journey["organisation"]["name"]
    applicant = fill_in_wizard(visits, site, "works_with_clusters", journey)
    email = site.new_account(f"back-{flows.tag()}@journeys.eu", flows.PASSWORD)
    applicant.follow("sign in")
    flows.fill(applicant, {"email": email, "password": flows.PASSWORD})
    applicant.submit("Sign in", expected=200)
    flows.submit_profile(applicant)

    validator = visits(site.url, "validator")
    flows.validator_decides(validator, site.validator, site.password, name, "request_changes", message=REASON)

    # Another day, another browser: the link in the e-mail, signed out.
    back = visits(site.url, "applicant-back")
    flows.open_email_link(back, email, "/drafts/", subject="Changes needed")
    assert back.h1() == "Sign in", back.h1()
    assert "Sign in to open this profile" in back.text()
    flows.fill(back, {"email": email, "password": flows.PASSWORD})
    back.submit("Sign in", expected=200)
    assert back.h1() == "Check your answers", back.h1()
    banner = back.page.locator("#changes-requested")
    assert REASON in banner.inner_text()
    # The reason stays in view on every step the applicant opens to make the change.
    back.submit(back.page.locator("main a[href*='/organisation?return=check']").first, expected=200)
    assert REASON in back.page.locator("#changes-requested").inner_text()
    back.submit("Save and return to check your answers", expected=200)
    assert back.h1() == "Check your answers" and REASON in back.page.locator("#changes-requested").inner_text()
    flows.submit_profile(back)
    assert back.page.locator("#changes-requested").count() == 0


def test_change_your_password_while_signed_in_ends_the_other_sign_ins(visits, site):
    email = site.new_account(f"password-{flows.tag()}@journeys.eu", flows.PASSWORD)
    laptop, phone = visits(site.url, "laptop"), visits(site.url, "phone")
    flows.sign_in(laptop, email)
    flows.sign_in(phone, email)

    laptop.follow("Change your password")
    assert laptop.h1() == "Change your password"
    flows.fill(laptop, {"current_password": "not the password", "password": "river stone lantern 77",
                        "confirm": "river stone lantern 77"})
    laptop.submit("Change the password", expected=400)
    flows.check_error_summary(laptop)
    assert laptop.errors() == ["Your current password is not right."]
    flows.fill(laptop, {"current_password": flows.PASSWORD, "password": "river stone lantern 77",
                        "confirm": "river stone lantern 77"})
    laptop.submit("Change the password", expected=200)
    assert "Your password has been changed" in laptop.text()

    phone.goto("/my-profiles")
    assert phone.h1() == "Sign in", "the other sign-in ended"
    flows.open_email(laptop, email, "Your password has been changed")
    assert "forgot-password" in laptop.text()
    flows.sign_in(phone, email, "river stone lantern 77")
