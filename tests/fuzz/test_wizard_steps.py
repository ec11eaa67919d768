"""Arbitrary form data posted to every step of every profile type and branch → a page, a redirect or a
4xx with an error message; never a 5xx. Posted keys the step does not have are never stored, and no
post makes a draft anything but a draft (reliability.md IO-5, AZ-3; F8)."""
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.fuzz.strategies import FUZZ, field_shapes, posts
from tests.support.clients import IsolatedClient
from tests.support.declared import STEPS_BY_TYPE
from tests.wizard import answers as valid
from wizard import engine
from wizard.auth.helpers import ANON_KEY
from wizard.extensions import db
from wizard.models import Profile
from wizard.services import drafts
from wizard.steps.cluster_member import CLUSTERS_NOT_LISTED
from wizard.steps.common import LOGO

MANUAL_STEP, LOGO_STEP = CLUSTERS_NOT_LISTED.name, LOGO.name

pytestmark = pytest.mark.figure("F8")

EU_WITHOUT_PUBLIC_BODY = {**valid.CLUSTER_EU, "members": valid.MEMBERS_WITHOUT_PUBLIC_BODY,
                          "public_collaboration": valid.PUBLIC_COLLABORATION}
MEMBER_NOT_LISTED = {**valid.MEMBER, "clusters": {"not_listed": "y"}}
#: For each profile type, answers under which the step applies (so every branch's steps are reached).
SCENARIOS = {
    "cluster_organisation": [EU_WITHOUT_PUBLIC_BODY, valid.CLUSTER_ELSEWHERE],
    "cluster_member": [MEMBER_NOT_LISTED],
    "association": [valid.ASSOCIATION],
    "partnership": [valid.PARTNERSHIP],
    "works_with_clusters": [valid.WORKS_WITH],
}
ACTIONS = ["continue", "back", "save", "jump", ""]


def stored_format(answers: dict) -> dict:
    return {step: {k: v if isinstance(v, list) else [v] for k, v in fields.items()} | {engine.VALID_FLAG: True}
            for step, fields in answers.items()}


def targets() -> list[tuple[str, int, str]]:
    """(profile type, scenario, step) for every step of every type, each step name once."""
    seen, found = set(), []
    for profile_type, scenarios in SCENARIOS.items():
        for number, scenario in enumerate(scenarios):
            path = [s.name for s in STEPS_BY_TYPE[profile_type] if s.name in scenario or s.name in (MANUAL_STEP,
                                                                                                    LOGO_STEP)]
            for step in path:
                if step not in seen:
                    seen.add(step)
                    found.append((profile_type, number, step))
    return found


TARGETS = targets()


def test_every_declared_step_is_fuzzed():
    declared = {step.name for steps in STEPS_BY_TYPE.values() for step in steps}
    assert declared == {step for _, _, step in TARGETS}, declared ^ {step for _, _, step in TARGETS}


def has_message(html: str) -> bool:
    page = BeautifulSoup(html, "html.parser")
    return bool(page.select("#error-summary a") or (page.h1 and page.h1.get_text(strip=True)))


@pytest.mark.config(RATELIMIT_ENABLED=False)
@pytest.mark.parametrize(("profile_type", "scenario", "step_name"), TARGETS, ids=[t[2] for t in TARGETS])
def test_arbitrary_posts_to_a_step_never_fail(app, profile_type, scenario, step_name):
    client = IsolatedClient.for_app(app)
    key = drafts.new_anon_key()
    profile = drafts.start_draft(profile_type, None, key)
    profile.answers = stored_format(SCENARIOS[profile_type][scenario])
    db.session.commit()
    public_id = profile.public_id
    with client.session_transaction() as session:
        session[ANON_KEY] = key
    url = f"/drafts/{public_id}/{step_name}"
    opened = client.get(url)
    assert opened.status_code == 200, f"{step_name} does not apply to the draft: {opened.status_code}"
    token = BeautifulSoup(opened.get_data(as_text=True), "html.parser").find("input", {"name": "csrf_token"})["value"]
    step = next(s for s in STEPS_BY_TYPE[profile_type] if s.name == step_name)
    shapes = field_shapes(step.form)
    shapes.update(action=ACTIONS, add_row=list(shapes)[:2])

    @FUZZ
    @given(data=posts(shapes, fixed={"csrf_token": token}), query=st.sampled_from(["", "?return=check", "?errors=1"]))
    def post(data, query):
        response = client.post(url + query, data=MultiDict(data))
        html = response.get_data(as_text=True)
        assert response.status_code < 500, f"{response.status_code} for {data}"
        if response.status_code >= 400:
            assert has_message(html), f"{response.status_code} without a message for {data}"
        db.session.expire_all()
        draft = db.session.get(Profile, profile.id)
        assert draft.status == "draft" and draft.owner_id is None, "a post changed what no form may change"
        own = {key.split("-")[0] for key in shapes} | {engine.VALID_FLAG}  # fields, and lists of repeating rows
        stored_keys = set((draft.answers or {}).get(step_name, {}))
        assert {key.split("-")[0] for key in stored_keys} <= own, f"stored keys the step does not have: {stored_keys}"

    post()
