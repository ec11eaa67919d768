"""Check your answers and submit: consent, revalidation, one submission however often it is sent, the e-mails."""
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.support.pages import ClientHelper, Page
from tests.wizard import walk
from tests.wizard.answers import (
    CLUSTER_EU,
    CLUSTER_EU_STEPS,
    MEMBERS_WITHOUT_PUBLIC_BODY,
    WORKS_WITH,
    WORKS_WITH_STEPS,
)
from wizard.extensions import db
from wizard.models import AuditEntry, OutboxMessage, ProfileAdmin, Role, Submission
from wizard.services.outbox import send_due


def submissions() -> int:
    return db.session.scalar(select(func.count()).select_from(Submission))


@pytest.fixture
def ready(helper, applicant, sign_in):
    """A works-with-clusters draft of the signed-in applicant, every step answered."""
    sign_in(applicant)
    public_id = walk.start(helper, "works_with_clusters")
    walk.walk(helper, public_id, WORKS_WITH, WORKS_WITH_STEPS)
    return public_id


def test_consent_and_declaration_are_required(helper, ready):
    check = helper.get(f"/drafts/{ready}/check-answers")
    assert "I declare that there is no duplicate profile and the data agree with the website." in check.text()
    page = helper.post(f"/drafts/{ready}/check-answers", {"version": check.value_of("version")}, expected=400)
    assert page.error_summary == ["Confirm that you agree to the privacy notice and to publication",
                                  "Confirm the declaration"]
    assert page.error_links == ["#consent", "#declaration"]
    assert len(page.select(".invalid-feedback")) == 2
    assert submissions() == 0 and walk.profile_of(ready).status == "draft"


@pytest.mark.config(VALIDATOR_EMAILS=["queue@validators.example", "Validator@Example.eu"])
def test_submit_once_however_often_it_is_sent(helper, ready, applicant, validator, make_user, smtp_server):
    admin = make_user(email="admin@example.eu", role=Role.ADMIN)
    make_user(email="gone@example.eu", role=Role.VALIDATOR).is_disabled = True
    db.session.commit()
    check = helper.get(f"/drafts/{ready}/check-answers")
    form = {"version": check.value_of("version"), "consent": "y", "declaration": "y",
            "csrf_token": check.value_of("csrf_token")}
    first = helper.post(f"/drafts/{ready}/check-answers", form, expected=303)
    assert helper.redirect_target(first) == f"/drafts/{ready}/submitted"
    for _ in range(3):  # a double click, then replays of the same POST
        again = helper.post(f"/drafts/{ready}/check-answers", form)
        assert again.status in (302, 303) and helper.redirect_target(again) == f"/drafts/{ready}/submitted"
    assert submissions() == 1
    profile = walk.profile_of(ready)
    assert profile.status == "submitted" and profile.submitted_at is not None
    assert db.session.get(ProfileAdmin, (profile.id, applicant.id)) is not None
    assert [e.action for e in db.session.scalars(select(AuditEntry))] == ["submitted"]
    assert helper.get(f"/drafts/{ready}/submitted").h1 == "Profile submitted"

    report = send_due()
    assert report.sent == 4, report
    # Role accounts and VALIDATOR_EMAILS, each address once whatever its case; not the disabled account.
    received = Counter(address for message in smtp_server.received for address in message.envelope_to)
    assert received == {validator.email: 1, admin.email: 1, "queue@validators.example": 1, applicant.email: 1}
    to_validator = smtp_server.take(to=validator.email)
    # The name is in the body: subjects carry nothing an applicant typed (RL-2).
    assert to_validator.subject == "New profile to validate"
    assert "Cluster Consulting Ltd" in to_validator.text
    assert f"http://localhost/validation/profiles/{ready}" in to_validator.text
    assert f'href="http://localhost/validation/profiles/{ready}"' in to_validator.html
    confirmation = smtp_server.take(to=applicant.email)
    assert confirmation.subject == "We have received your profile"
    assert send_due().sent == 0, "nothing is left to send twice"


@pytest.mark.parametrize("attempt", range(2))
def test_two_simultaneous_posts_make_one_submission(app, applicant, sign_in, validator, attempt):
    clients = [app.test_client(), app.test_client()]
    for one in clients:
        sign_in(applicant, on_client=one)
    helper = ClientHelper(app, clients[0])
    public_id = walk.start(helper, "works_with_clusters")
    walk.walk(helper, public_id, WORKS_WITH, WORKS_WITH_STEPS)
    url = f"/drafts/{public_id}/check-answers"
    forms = []
    for one in clients:
        page = Page(one.get(url))
        forms.append({"version": page.value_of("version"), "consent": "y", "declaration": "y",
                      "csrf_token": page.value_of("csrf_token")})
    barrier = threading.Barrier(2, timeout=30)
    locations: list[str] = []
    errors: list[BaseException] = []

    def post(one, form):
        try:
            with app.app_context():  # the test client tidies the session of the context it runs in
                barrier.wait()
                response = one.post(url, data=form)
            locations.append(f"{response.status_code} {response.headers.get('Location', '')}")
        except BaseException as error:  # handed to the test's thread
            errors.append(error)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(locations) == 2 and all(loc.endswith(f"/drafts/{public_id}/submitted") for loc in locations), locations
    db.session.expire_all()
    assert submissions() == 1
    recipients = Counter(m.recipient for m in db.session.scalars(select(OutboxMessage)))
    assert recipients == {validator.email: 1, applicant.email: 1}


def test_submission_revalidates_and_sends_the_applicant_to_the_first_failing_step(helper, applicant, sign_in):
    sign_in(applicant)
    public_id = walk.start(helper, "cluster_organisation")
    walk.walk(helper, public_id, CLUSTER_EU, CLUSTER_EU_STEPS)
    # A late change of branch: without a public body among the members, a new step applies, unanswered.
    page = walk.fill(helper, public_id, "members", MEMBERS_WITHOUT_PUBLIC_BODY, returning=True)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/public-collaboration?return=check"
    check = helper.get(f"/drafts/{public_id}/check-answers")
    assert check.select_one("button[type=submit].btn-lg").has_attr("disabled")
    assert "Continue with 'Collaboration with public bodies'" in check.text()
    # Submitting anyway (an old tab, a crafted POST) is refused and leads to the step, its errors shown.
    page = walk.submit(helper, public_id, expected=302)
    target = helper.redirect_target(page)
    assert target.startswith(f"/drafts/{public_id}/public-collaboration?") and "return=check" in target
    shown = helper.get(target)
    assert shown.error_summary == ["Describe how the cluster collaborates with public bodies"]
    assert "need your attention" in shown.text()
    assert submissions() == 0 and walk.profile_of(public_id).status == "draft"


def test_a_step_whose_stored_answer_no_longer_passes_is_caught(helper, ready):
    """The stored "valid" flag is not trusted: a form may have become stricter since the step was saved."""
    profile = walk.profile_of(ready)
    answers = dict(profile.answers)
    answers["works_with"] = {**answers["works_with"], "active_countries": ["ZZ"], "_valid": True}
    profile.answers = answers
    db.session.commit()
    page = walk.submit(helper, ready, expected=302)
    assert helper.redirect_target(page).startswith(f"/drafts/{ready}/works-with?")
    assert submissions() == 0


def test_an_unverified_account_is_told_and_nothing_is_submitted(helper, make_user, sign_in):
    user = make_user(email="unverified@example.eu", verified=False)
    sign_in(user)
    public_id = walk.start(helper, "works_with_clusters")
    walk.walk(helper, public_id, WORKS_WITH, WORKS_WITH_STEPS)
    check = helper.get(f"/drafts/{public_id}/check-answers")
    assert "Confirm your e-mail address before you submit" in check.text()
    assert check.soup.find("form", attrs={"action": "/account/resend-verification"})
    page = walk.submit(helper, public_id, expected=400)
    assert page.error_summary == ["Confirm your e-mail address before you submit: open the link we sent you when "
                                  "you created your account."]
    assert submissions() == 0 and walk.profile_of(public_id).status == "draft"
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_answers_changed_in_another_window_are_checked_again(helper, ready):
    check = helper.get(f"/drafts/{ready}/check-answers")
    stale = {"version": check.value_of("version"), "consent": "y", "declaration": "y",
             "csrf_token": check.value_of("csrf_token")}
    walk.fill(helper, ready, "contact", {**WORKS_WITH["contact"], "contact_role": "Partner"})  # the other window
    page = helper.post(f"/drafts/{ready}/check-answers", stale, expected=400)
    assert page.error_summary == ["This profile changed in another window. Check your answers again, then submit."]
    assert "Partner" in page.text()
    assert page.value_of("version") == str(walk.profile_of(ready).version)
    assert submissions() == 0
    walk.submit(helper, ready)
    assert submissions() == 1


def test_anonymous_visitors_are_asked_to_sign_in_to_submit(helper):
    public_id = walk.start(helper, "works_with_clusters")
    walk.walk(helper, public_id, WORKS_WITH, WORKS_WITH_STEPS)
    check = helper.get(f"/drafts/{public_id}/check-answers")
    assert not check.select("#consent")
    page = helper.post(f"/drafts/{public_id}/check-answers", {"version": "1", "consent": "y", "declaration": "y"},
                       form_url=f"/drafts/{public_id}/country", expected=302)
    assert helper.redirect_target(page).startswith("/account/sign-in?next=")
    assert submissions() == 0


def test_a_tampered_version_is_a_form_error_not_a_crash(helper, ready):
    for version in ["", "abc", "-1", "99999999999999999999", "0"]:
        page = helper.post(f"/drafts/{ready}/check-answers", {"version": version, "consent": "y", "declaration": "y"},
                           expected=400)
        assert page.error_summary, version
    assert submissions() == 0
