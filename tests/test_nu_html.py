"""The Nu HTML checker finds no error on any page of the app (issue 17 item 19).

Every page of every profile type's wizard is checked, as it first shows and with its errors, beside
the start pages, the legal notices, "Check your answers", the account pages, the directory and the
validator's pages. All pages go to one run of vnu.jar (one Java start for the lot).
"""
import pytest
from sqlalchemy import select

from tests.support.declared import PROFILE_TYPES
from tests.support.nu import nu_errors, vnu_command
from tests.support.pages import ClientHelper
from tests.wizard import walk
from tests.wizard.answers import (
    ASSOCIATION,
    ASSOCIATION_STEPS,
    CLUSTER_ELSEWHERE,
    CLUSTER_ELSEWHERE_STEPS,
    CLUSTER_EU,
    CLUSTER_EU_STEPS,
    MEMBER,
    MEMBER_OWN_STEPS,
    MEMBERS_WITHOUT_PUBLIC_BODY,
    PARTNERSHIP,
    PARTNERSHIP_STEPS,
    PUBLIC_COLLABORATION,
    WORKS_WITH,
    WORKS_WITH_STEPS,
)
from wizard.demo import create_demo_data
from wizard.extensions import db
from wizard.models import Profile
from wizard.models.profiles import ProfileStatus
from wizard.steps.cluster_member import CLUSTERS_NOT_LISTED
from wizard.steps.common import LOGO

MANUAL_STEP, LOGO_STEP = CLUSTERS_NOT_LISTED.name, LOGO.name

pytestmark = pytest.mark.sqlite_only  # the HTML does not depend on the database

PUBLIC_PAGES = ["/", "/privacy", "/terms", "/data-protection", "/directory/", "/account/sign-in",
                "/account/register", "/account/forgot-password", *(f"/start/{key}" for key in PROFILE_TYPES)]
#: (profile type, its answers, the steps walked); members' later steps are opened below.
JOURNEYS = [
    ("cluster_organisation", {**CLUSTER_EU, "members": MEMBERS_WITHOUT_PUBLIC_BODY,
                              "public_collaboration": PUBLIC_COLLABORATION},
     [*CLUSTER_EU_STEPS[:5], "public_collaboration", *CLUSTER_EU_STEPS[5:]]),
    ("cluster_organisation", CLUSTER_ELSEWHERE, CLUSTER_ELSEWHERE_STEPS),
    ("cluster_member", MEMBER, MEMBER_OWN_STEPS),
    ("association", ASSOCIATION, ASSOCIATION_STEPS),
    ("partnership", PARTNERSHIP, PARTNERSHIP_STEPS),
    ("works_with_clusters", WORKS_WITH, WORKS_WITH_STEPS),
]


class Collector:
    """GETs (and posts) through the helper, keeping every HTML page it was shown."""

    def __init__(self, helper: ClientHelper):
        self.helper = helper
        self.pages: dict[str, str] = {}

    def keep(self, label: str, page) -> None:
        assert "text/html" in page.response.content_type, label
        self.pages[label] = page.response.get_data(as_text=True)

    def get(self, url: str, label: str | None = None, expected: int = 200):
        page = self.helper.get(url, expected=expected)
        self.keep(label or f"GET {url}", page)
        return page


def walk_keeping_pages(collector: Collector, profile_type: str, answers: dict, steps: list[str]) -> str:
    public_id = walk.start(collector.helper, profile_type)
    for step in steps:
        url = walk.step_url(public_id, step)
        page = collector.get(url, f"{profile_type} {step}")
        with_errors = walk.post_from(collector.helper, page, url, {}, expected=None)
        if with_errors.status == 400:
            collector.keep(f"{profile_type} {step} with errors", with_errors)
        walk.post_from(collector.helper, collector.helper.get(url), url, answers[step])
    return public_id


def member_cluster_pages(collector: Collector, public_id: str) -> None:
    clusters = walk.step_url(public_id, "clusters")
    page = collector.get(clusters, "member clusters")
    collector.get(clusters + "?q=Bavarian", "member clusters search")
    walk.post_from(collector.helper, page, clusters, {"not_listed": "y"})
    for step in (MANUAL_STEP, LOGO_STEP):
        collector.get(walk.step_url(public_id, step), f"member {step}")


def test_every_page_has_no_nu_html_checker_error(app, helper, client, make_user, sign_in, validator):
    command = vnu_command()  # first: a missing checker fails (CI) or skips before any work
    create_demo_data()
    collector = Collector(helper)
    for url in PUBLIC_PAGES:
        collector.get(url)
    published = db.session.scalars(select(Profile.public_id).where(
        Profile.status == ProfileStatus.PUBLISHED.value)).first()
    collector.get(f"/directory/{published}")
    collector.get("/directory/?q=cluster")

    applicant = make_user(email="nu-applicant@example.eu")
    sign_in(applicant)
    drafts = []
    for profile_type, answers, steps in JOURNEYS:
        public_id = walk_keeping_pages(collector, profile_type, answers, steps)
        drafts.append(public_id)
        if profile_type == "cluster_member":
            member_cluster_pages(collector, public_id)
        collector.get(f"/drafts/{public_id}/check-answers", f"{profile_type} check answers")
    collector.get(f"/drafts/{drafts[0]}/type", "change type")
    collector.get(f"/drafts/{drafts[0]}/save-for-later", "save for later")
    refused = walk.post_from(helper, helper.get(f"/drafts/{drafts[0]}/check-answers"),
                             f"/drafts/{drafts[0]}/check-answers", {}, expected=400)
    collector.keep("check answers with errors", refused)
    walk.submit(helper, drafts[0])
    collector.get(f"/drafts/{drafts[0]}/submitted")
    for url in ("/my-profiles", "/account/my-data", "/account/my-data/delete"):
        collector.get(url)

    sign_in(validator)
    collector.get("/validation/", "validation queue")
    collector.get(f"/validation/profiles/{drafts[0]}", "validator's page of a submission")

    assert len(collector.pages) > 60, sorted(collector.pages)
    errors = nu_errors(collector.pages, command)
    assert not errors, "\n".join(f"{page}:\n  " + "\n  ".join(found) for page, found in errors.items())
