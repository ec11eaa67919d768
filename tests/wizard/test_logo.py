"""Issue 17 item 6: every profile type may add a logo (domain.md §2), and its public page shows it."""
import io

import pytest
from PIL import Image

from tests.uploads.corpus import encode
from tests.wizard import walk
from tests.wizard.answers import (
    ASSOCIATION,
    ASSOCIATION_STEPS,
    CLUSTER_ELSEWHERE,
    CLUSTER_ELSEWHERE_STEPS,
    CLUSTER_EU,
    CLUSTER_EU_STEPS,
    PARTNERSHIP,
    PARTNERSHIP_STEPS,
    WORKS_WITH,
    WORKS_WITH_STEPS,
)
from wizard.services import decisions

TYPES = [("cluster_organisation", CLUSTER_EU, CLUSTER_EU_STEPS),
         ("cluster_organisation", CLUSTER_ELSEWHERE, CLUSTER_ELSEWHERE_STEPS),
         ("association", ASSOCIATION, ASSOCIATION_STEPS), ("partnership", PARTNERSHIP, PARTNERSHIP_STEPS),
         ("works_with_clusters", WORKS_WITH, WORKS_WITH_STEPS)]


@pytest.mark.parametrize(("profile_type", "answers", "steps"), TYPES,
                         ids=["cluster-eu", "cluster-elsewhere", "association", "partnership", "works-with"])
def test_a_logo_added_on_the_last_step_is_on_check_your_answers_and_the_public_page(
        app, helper, client, applicant, validator, profile_type, answers, steps):
    public_id = walk.start(helper, profile_type)
    before_logo = walk.walk(helper, public_id, answers, steps[:-1])
    assert before_logo == walk.step_url(public_id, "logo"), "the logo is every type's last step"
    page = helper.get(before_logo)
    assert page.h1 == "Logo" and "(optional)" in page.select_one("label[for=logo]").get_text()
    logo = encode("PNG", "RGBA", (240, 80))
    done = walk.post_from(helper, page, before_logo, {"logo": (io.BytesIO(logo), "our-logo.png")})
    assert helper.redirect_target(done) == f"/drafts/{public_id}/check-answers"
    assert "our-logo.png" in helper.get(f"/drafts/{public_id}/check-answers").text()
    walk.sign_in_through_form(helper, applicant.email, f"/drafts/{public_id}/check-answers")
    walk.submit(helper, public_id)
    profile = walk.profile_of(public_id)
    decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version)
    helper.post("/account/sign-out", {"csrf_token": helper.get("/").value_of("csrf_token")}, expected=302)

    public = helper.get(f"/directory/{public_id}")
    image = public.select_one("main img")
    assert image is not None and image["alt"] == f"Logo of {answers['organisation']['name']}"
    shown = client.get(image["src"], buffered=True)
    assert shown.status_code == 200 and shown.mimetype == "image/png", "anyone may see a published profile's logo"
    with Image.open(io.BytesIO(shown.data)) as picture:
        assert picture.size == (240, 80)


def test_a_profile_without_a_logo_shows_no_image(helper, applicant, validator):
    public_id = walk.start(helper, "works_with_clusters")
    walk.walk(helper, public_id, WORKS_WITH, WORKS_WITH_STEPS)
    walk.sign_in_through_form(helper, applicant.email, f"/drafts/{public_id}/check-answers")
    walk.submit(helper, public_id)
    profile = walk.profile_of(public_id)
    decisions.decide(profile, decisions.Decision.PUBLISH, validator, profile.version)
    assert helper.get(f"/directory/{public_id}").select_one("main img") is None
