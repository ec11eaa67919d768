"""A sixth profile type is one module of declarations plus its forms, named in the PROFILE_TYPES setting.

No registry is patched: the app is created with the setting, and the applicant and the validator walk the
new type as they walk the real ones.
"""
import pytest
from sqlalchemy import select

from config import Config
from tests.wizard import walk
from tests.wizard.answers import COMMON
from tests.wizard.sixth_type import SUBMITTED_ACTION
from wizard.extensions import db
from wizard.models import AuditEntry

pytestmark = pytest.mark.config(PROFILE_TYPES=(*Config.PROFILE_TYPES, "tests.wizard.sixth_type"))


def test_the_start_page_offers_the_new_type_and_its_own_start_page_explains_it(helper):
    home = helper.get("/")
    start = next(a for a in home.select("a") if a.get_text(" ", strip=True) == "Start registering a pet owner")
    assert start["href"] == "/start/pet_owner"
    page = helper.get("/start/pet_owner")
    assert page.h1 == "Pet owner"
    assert "For a household that keeps pets." in page.text()
    assert "Validation criteria" not in page.text()  # the type declares none


def test_the_new_type_is_walked_to_submission_and_its_submission_effect_runs(helper, applicant):
    walk.sign_in_through_form(helper, applicant.email, "/")
    public_id = walk.start(helper, "pet_owner")
    for step in ("country", "organisation", "contact"):
        walk.fill(helper, public_id, step, COMMON[step])
    page = walk.fill(helper, public_id, "pets", {"has_pets": "yes"})
    assert helper.redirect_target(page) == f"/drafts/{public_id}/names"
    page = walk.fill(helper, public_id, "names", {"names": ""}, expected=400)
    assert page.error_summary == ["Enter their names"]
    walk.fill(helper, public_id, "names", {"names": "Rex"})
    page = walk.fill(helper, public_id, "vet", {"vet": "Dr Who"})
    assert helper.redirect_target(page) == f"/drafts/{public_id}/check-answers"

    check = helper.get(f"/drafts/{public_id}/check-answers")
    assert "I declare that the pets named are alive and well." in check.text()
    assert "Pet owner" in check.text() and "Dr Who" in check.text()
    walk.submit(helper, public_id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == SUBMITTED_ACTION))
    assert entry is not None and entry.reason == "Dr Who"
    assert walk.profile_of(public_id).status == "submitted"



def test_validators_find_the_new_type_in_their_filters(helper, validator):
    walk.sign_in_through_form(helper, validator.email, "/validation/")
    queue = helper.get("/validation/")
    assert "Pet owner" in [option.get_text(strip=True) for option in queue.select("select[name=profile_type] option")]
    directory = helper.get("/directory/?profile_type=pet_owner")  # a listed choice: no error
    assert not directory.error_summary
