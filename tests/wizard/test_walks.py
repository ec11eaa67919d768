"""Every profile type and branch walked through the whole wizard, with an error on every step first."""
import io

import pytest
from sqlalchemy import select

from tests.support.declared import STEPS_BY_TYPE
from tests.uploads.corpus import HTML
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
from wizard.extensions import db
from wizard.models import Submission

#: One wrong answer per step: (fields to change, the message expected, a text field whose typed value must stay).
MISTAKES = {
    "country": ({"country": "ZZ"}, "Choose a country from the list", None),
    "organisation": ({"website": "ftp://silicon-saxony.de"}, "Enter the address of your website starting with http://",
                     "name"),
    "contact": ({"contact_email": "anna at silicon-saxony"}, "Enter an e-mail address like name@example.eu",
                "contact_name"),
    "management": ({"management_fte": "-1"}, "Enter a number of FTE, 0 or more", None),
    "members": ({"total_members": "21"}, "The members by type add up to 20, not 21", "count_startup_sme"),
    "member_list": ({"member_list-0-member_name": ""}, "Enter the name of the member whose website you gave",
                    "member_list-1-member_name"),
    "public_collaboration": ({"public_collaboration": ""}, "Describe how the cluster collaborates with public bodies",
                             None),
    "focus": ({"ecosystems": []}, "Select at least one industrial ecosystem", "technical_focus"),
    "activities": ({"activities_link": "javascript:alert(1)"},
                   "Enter the address of the page that describes the activities starting with http", None),
    "support_programmes": ({"recognised_programme": "yes"}, "Enter the name of the programme that recognises", None),
    "excellence_label": ({"label": "gold", "label_valid_until": "2027-06-30"}, "Enter the body that issued the label",
                         "label_valid_until"),
    "cluster_profile": ({"approximate_members": "-5"},
        "Enter the approximate number of members as a whole number, 0 or more", "cooperation_interest"),
    "member_organisation": ({"organisation_type": "bogus"},
        "Choose the type of your organisation from the options shown", None),
    "association": ({"geographic_scope": "galactic"}, "Choose the geographic scope from the options shown", None),
    "member_clusters": ({"not_listed": ""}, "Choose at least one member cluster, or tick", None),
    "member_clusters_typed": ({"member_clusters-0-cluster_name": "", "member_clusters-0-cluster_website": "",
                               "member_clusters-1-cluster_name": ""}, "Enter at least one member cluster", None),
    "partner_clusters": ({"not_listed": ""}, "Choose at least one partner cluster organisation, or tick", None),
    "partner_clusters_typed": ({"partners-0-cluster_name": "", "partners-0-cluster_website": "",
                                "partners-1-cluster_name": ""}, "Enter at least one partner cluster", None),
    "partnership": ({"end_date": "2022-12-31"}, "The end date must be after the start date", "project_acronym"),
    "works_with": ({"active_countries": ["GB", "ZZ"]}, "Choose countries from the list", "how_it_works"),
    # A fresh file for each post (a stream is read once).
    "logo": (lambda: {"logo": (io.BytesIO(HTML), "logo.png")}, "The file must be a PNG or JPEG", None),
}


def make_mistake(helper, public_id: str, step: str, valid: dict) -> None:
    changes, message, kept_field = MISTAKES[step]
    changes = changes() if callable(changes) else changes
    typed = {**valid, **changes}
    page = walk.fill(helper, public_id, step, typed, expected=400)
    page.check_hygiene()
    assert page.title.startswith("Error: ")
    assert any(message in text for text in page.error_summary), (step, page.error_summary)
    for href in page.error_links:
        assert page.soup.find(id=href.lstrip("#")) is not None, f"{step}: error link {href} leads nowhere"
    inline = [e.get_text(" ", strip=True) for e in page.select(".invalid-feedback")]
    assert any(message in text for text in inline), (step, inline)
    if kept_field:
        # A browser drops the newline that WTForms writes right after <textarea>.
        shown = page.value_of(kept_field).removeprefix("\r\n")
        assert shown == typed[kept_field], f"{step}: {kept_field} was not kept"
    stored = walk.stored(public_id, step)
    assert stored["_valid"] is False, "an invalid step is saved as typed, and marked unfinished"


def walk_with_mistakes(helper, public_id: str, answers: dict, steps: list[str]) -> str:
    target = ""
    for index, step in enumerate(steps):
        make_mistake(helper, public_id, step, answers[step])
        page = walk.fill(helper, public_id, step, answers[step])
        target = helper.redirect_target(page)
        if index + 1 < len(steps):
            assert target == walk.step_url(public_id, steps[index + 1]), (step, target)
    return target


CLUSTER_EU_NO_PUBLIC_BODY = {**CLUSTER_EU, "members": MEMBERS_WITHOUT_PUBLIC_BODY,
                             "public_collaboration": PUBLIC_COLLABORATION}
CLUSTER_EU_NO_PUBLIC_BODY_STEPS = [*CLUSTER_EU_STEPS[:6], "public_collaboration", *CLUSTER_EU_STEPS[6:]]

SUBMITTABLE = [
    ("cluster_organisation", CLUSTER_EU, CLUSTER_EU_STEPS),
    ("cluster_organisation", CLUSTER_EU_NO_PUBLIC_BODY, CLUSTER_EU_NO_PUBLIC_BODY_STEPS),
    ("cluster_organisation", CLUSTER_ELSEWHERE, CLUSTER_ELSEWHERE_STEPS),
    ("association", ASSOCIATION, ASSOCIATION_STEPS),
    ("partnership", PARTNERSHIP, PARTNERSHIP_STEPS),
    ("works_with_clusters", WORKS_WITH, WORKS_WITH_STEPS),
]


@pytest.mark.parametrize(("profile_type", "answers", "steps"), SUBMITTABLE,
                         ids=["cluster-eu", "cluster-eu-no-public-body", "cluster-elsewhere", "association",
                              "partnership", "works-with-clusters"])
def test_walk_every_step_with_an_error_first_then_submit(helper, applicant, profile_type, answers, steps):
    public_id = walk.start(helper, profile_type)
    assert walk_with_mistakes(helper, public_id, answers, steps) == f"/drafts/{public_id}/check-answers"
    check = helper.get(f"/drafts/{public_id}/check-answers")
    titles = {step.name: step.title for step in STEPS_BY_TYPE[profile_type]}
    headings = [h.get_text(" ", strip=True) for h in check.select("section h2")]
    assert headings[1:len(steps) + 1] == [titles[step] for step in steps], "one finished section per step"
    walk.sign_in_through_form(helper, applicant.email, f"/drafts/{public_id}/check-answers")
    page = walk.submit(helper, public_id)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/submitted"
    submission = db.session.scalars(select(Submission)).one()
    assert list(submission.answers) == steps, "exactly the applicable steps are submitted, in order"
    for step in steps:
        for name, value in answers[step].items():
            assert submission.answers[step][name] == (value if isinstance(value, list) else [value]), (step, name)
    assert walk.profile_of(public_id).status == "submitted"
    has_self_check = steps is not CLUSTER_ELSEWHERE_STEPS and profile_type == "cluster_organisation"
    assert bool(check.select("#self-check-heading")) == has_self_check


def test_member_type_up_to_its_own_steps(helper):
    """The member's cluster organisation steps belong to the members area; its own steps are checked here."""
    public_id = walk.start(helper, "cluster_member")
    target = walk_with_mistakes(helper, public_id, MEMBER, MEMBER_OWN_STEPS)
    assert target.startswith(f"/drafts/{public_id}/") and not target.endswith("/member_organisation")
    profile = walk.profile_of(public_id)
    assert all(profile.answers[step]["_valid"] for step in MEMBER_OWN_STEPS)
    assert profile.name == "Saxon Sensor Works GmbH" and profile.website_domain == "saxon-sensors.de"


def test_check_your_answers_lists_every_answer_with_a_change_link(helper, applicant, sign_in):
    sign_in(applicant)
    public_id = walk.start(helper, "partnership")
    walk.walk(helper, public_id, PARTNERSHIP, PARTNERSHIP_STEPS)
    check = helper.get(f"/drafts/{public_id}/check-answers")
    rows = check.select("dl.summary-list")
    terms = [dt.get_text(strip=True) for dl in rows for dt in dl.select("dt")]
    changes = [a for a in check.select("dl.summary-list a") if a.get_text(" ", strip=True).startswith("Change")]
    assert len(changes) == len(terms), "one change link per answer"
    text = check.text()
    for shown in ("Euroclusters", "1 January 2023", "31 December 2025", "Minalogic – https://www.minalogic.com",
                  "Silicon Saxony", "France"):
        assert shown in text
    assert "I declare that there is no duplicate profile" in text
