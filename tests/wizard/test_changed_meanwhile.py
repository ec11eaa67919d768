"""A step saved in another window (or by another administrator of the profile) after this page was
opened is not overwritten unseen: the post comes back with what was typed, beside what was saved."""
import pytest
from sqlalchemy import update

from tests.support.clients import IsolatedClient
from tests.support.pages import ClientHelper
from tests.support.together import run_together
from tests.wizard import walk
from tests.wizard.answers import CLUSTER_EU
from wizard import engine
from wizard.extensions import db
from wizard.models import Profile
from wizard.registration.views import CHANGED_MEANWHILE
from wizard.services import drafts

ORGANISATION = CLUSTER_EU["organisation"]


def _draft_at_organisation(helper) -> tuple[str, str]:
    public_id = walk.start(helper, "cluster_organisation")
    walk.fill(helper, public_id, "country", {"country": "DE"})
    walk.fill(helper, public_id, "organisation", ORGANISATION)
    return public_id, walk.step_url(public_id, "organisation")


def _saved_name(public_id: str) -> str:
    db.session.expire_all()
    return walk.profile_of(public_id).answers["organisation"]["name"][0]


def test_a_step_saved_in_another_window_comes_back_instead_of_being_overwritten(helper):
    public_id, url = _draft_at_organisation(helper)
    window_a, window_b = helper.get(url), helper.get(url)
    walk.post_from(helper, window_a, url, {**ORGANISATION, "name": "Alpha Cluster"})

    page = walk.post_from(helper, window_b, url, {**ORGANISATION, "name": "Beta Cluster"}, expected=409)
    assert _saved_name(public_id) == "Alpha Cluster", "nothing was saved"
    assert page.error_summary == [CHANGED_MEANWHILE]
    assert page.value_of("name") == "Beta Cluster", "what was typed is on the page"
    saved = page.select_one("#saved-meanwhile")
    assert "Alpha Cluster" in saved.get_text(" ") and saved.find("a", href=url)
    page.check_hygiene()

    # Sent again from that page, the post is saved: the person has seen what it replaces.
    walk.post_from(helper, page, url, {**ORGANISATION, "name": "Beta Cluster"})
    assert _saved_name(public_id) == "Beta Cluster"


def test_previous_step_and_save_for_later_do_not_overwrite_it_either(helper):
    public_id, url = _draft_at_organisation(helper)
    stale = helper.get(url)
    walk.fill(helper, public_id, "organisation", {**ORGANISATION, "name": "Alpha Cluster"})
    for action in ("back", "save"):
        page = walk.post_from(helper, stale, url, {**ORGANISATION, "name": "Beta Cluster"}, action, expected=409)
        assert page.value_of("name") == "Beta Cluster"
    assert _saved_name(public_id) == "Alpha Cluster"


def test_posting_what_was_saved_meanwhile_or_a_page_without_the_field_just_saves(helper):
    public_id, url = _draft_at_organisation(helper)
    stale = helper.get(url)
    walk.fill(helper, public_id, "organisation", {**ORGANISATION, "name": "Alpha Cluster"})
    walk.post_from(helper, stale, url, {**ORGANISATION, "name": "Alpha Cluster"})  # the same answers: no conflict

    # A client that does not send the field (not a page of ours) saves as before: the last save wins.
    helper.post(url, {**ORGANISATION, "name": "Gamma Cluster", "action": "continue",
                      "csrf_token": stale.value_of("csrf_token")}, expected=302)
    assert _saved_name(public_id) == "Gamma Cluster"


def test_a_page_that_expired_meanwhile_still_notices_the_other_save(helper):
    """The CSRF-expiry page keeps the fingerprint the page was first shown with."""
    public_id, url = _draft_at_organisation(helper)
    stale = helper.get(url)
    walk.fill(helper, public_id, "organisation", {**ORGANISATION, "name": "Alpha Cluster"})
    expired = helper.post(url, {**ORGANISATION, "name": "Beta Cluster", "action": "continue",
                                "csrf_token": "expired", engine.SEEN_FIELD: stale.value_of(engine.SEEN_FIELD)},
                          expected=400)
    assert expired.value_of(engine.SEEN_FIELD) == stale.value_of(engine.SEEN_FIELD)
    page = walk.post_from(helper, expired, url, {**ORGANISATION, "name": "Beta Cluster"}, expected=409)
    assert "Alpha Cluster" in page.select_one("#saved-meanwhile").get_text(" ")
    assert _saved_name(public_id) == "Alpha Cluster"


def test_a_save_landing_between_loading_and_saving_is_caught_under_the_lock(helper):
    """The other save lands after this request loaded the draft: the compare-and-set misses, the answers
    are read again under the lock, and the check runs on those."""
    public_id, _ = _draft_at_organisation(helper)
    older_copy = walk.profile_of(public_id)
    seen = engine.fingerprint(older_copy.answers["organisation"])
    other = {**older_copy.answers, "organisation": {**older_copy.answers["organisation"], "name": ["Alpha Cluster"]}}
    with db.engine.begin() as connection:
        connection.execute(update(Profile.__table__).where(Profile.public_id == public_id)
                           .values(answers=other, version=older_copy.version + 1))
    step = drafts.path_for(older_copy).get("organisation")
    posted = {name: [value] for name, value in {**ORGANISATION, "name": "Beta Cluster"}.items()}
    with pytest.raises(drafts.StepChangedMeanwhile) as changed:
        drafts.save_step(older_copy, step, posted, True, seen=seen)
    assert changed.value.saved["name"] == ["Alpha Cluster"]
    assert _saved_name(public_id) == "Alpha Cluster"


def test_two_windows_saving_the_same_step_together_one_is_saved_the_other_comes_back(app, helper):
    public_id, url = _draft_at_organisation(helper)
    cookie = helper.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    windows = []
    for _ in range(2):
        client = IsolatedClient.for_app(app)
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
        other = ClientHelper(app, client)
        windows.append((other, other.get(url)))

    def save(index: int):
        window, page = windows[index]
        return lambda: walk.post_from(window, page, url, {**ORGANISATION, "name": f"Window {index}"},
                                      expected=None).status

    statuses = run_together(app, [save(0), save(1)])
    assert sorted(statuses) == [302, 409], statuses
    assert _saved_name(public_id) == f"Window {statuses.index(302)}"
