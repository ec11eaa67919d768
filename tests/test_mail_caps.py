"""E-mails a stranger can trigger: a cap per recipient address, silent, and no typed text to unconfirmed addresses.

The over-HTTP figure against gunicorn and Redis is tests/reliability/test_mail_to_third_parties.py (F23);
these are the rules one at a time, on the test client.
"""
import re

import pytest

from tests.support.emails import only_email, queued_emails
from tests.support.factories import DEFAULT_PASSWORD
from tests.wizard import walk
from tests.wizard.answers import COMMON
from wizard.extensions import db
from wizard.models import Profile, ProfileAdmin
from wizard.services import search_terms

SPAM = "Free prize! Visit https://evil.example/claim"
VICTIM = "victim@example.eu"


def page_words(page) -> str:
    """What the visitor reads on the page, without the per-request CSRF token."""
    return re.sub(r'value="[^"]{30,}"', "", page.select_one("main").decode())


def anonymous_draft(helper, name: str = SPAM) -> str:
    public_id = walk.start(helper, "partnership")
    walk.fill(helper, public_id, "country", {"country": "DE"})
    walk.fill(helper, public_id, "organisation", {**COMMON["organisation"], "name": name,
                                                  "description": SPAM})
    assert walk.profile_of(public_id).name == name
    return public_id


def ask_resume_link(helper, public_id: str, address: str = VICTIM):
    return helper.post(f"/drafts/{public_id}/save-for-later", {"email": address}, expected=200)


def test_one_address_gets_at_most_the_cap_whatever_kind_is_asked_for(helper, make_user):
    make_user(VICTIM, verified=False, full_name=SPAM)
    public_id = anonymous_draft(helper)
    pages = [ask_resume_link(helper, public_id) for _ in range(2)]
    pages += [helper.post("/account/forgot-password", {"email": VICTIM.upper()}, expected=200) for _ in range(2)]
    registered = [helper.post("/account/register", {"email": VICTIM, "full_name": SPAM, "password": DEFAULT_PASSWORD,
                                                    "confirm": DEFAULT_PASSWORD}, expected=302) for _ in range(2)]
    assert len(queued_emails(to=VICTIM)) == 3, "3 per hour by default, over resume links, resets and sign-ups"
    # The page answers the same whether the e-mail went or not, so the cap tells nobody anything.
    assert page_words(pages[0]) == page_words(pages[1])
    assert page_words(pages[2]) == page_words(pages[3])
    assert registered[0].response.headers["Location"] == registered[1].response.headers["Location"]


@pytest.mark.config(MAIL_PER_RECIPIENT_LIMIT="5 per hour")
def test_the_cap_is_configurable_and_counts_each_address_alone(helper):
    public_id = anonymous_draft(helper)
    for _ in range(7):
        ask_resume_link(helper, public_id)
    ask_resume_link(helper, public_id, "someone.else@example.eu")
    assert len(queued_emails(to=VICTIM)) == 5
    assert len(queued_emails(to="someone.else@example.eu")) == 1


@pytest.mark.config(MAIL_PER_RECIPIENT_LIMIT="")
def test_an_empty_setting_turns_the_cap_off(helper):
    public_id = anonymous_draft(helper)
    for _ in range(5):
        ask_resume_link(helper, public_id)
    assert len(queued_emails(to=VICTIM)) == 5


def test_the_resume_link_to_an_unconfirmed_address_carries_no_typed_text(helper, sign_in, make_user):
    public_id = anonymous_draft(helper)
    ask_resume_link(helper, public_id)
    message = only_email(to=VICTIM)
    for body in (message.subject, message.body_text, message.body_html):
        assert "evil.example" not in body and "Free prize" not in body
    assert "/resume/" in message.body_text
    # The applicant's own confirmed address gets the name of the profile.
    owner = make_user("owner@example.eu")
    sign_in(owner)
    mine = anonymous_draft(helper, name="Saxon Sensor Works")
    ask_resume_link(helper, mine)
    assert "Saxon Sensor Works" in only_email(to="owner@example.eu").body_text


def test_a_confirmation_link_carries_no_typed_name(helper):
    helper.post("/account/register", {"email": VICTIM, "full_name": SPAM, "password": DEFAULT_PASSWORD,
                                      "confirm": DEFAULT_PASSWORD}, expected=302)
    message = only_email(to=VICTIM, subject_contains="Confirm")
    assert "evil.example" not in message.body_text + message.body_html


def test_a_reset_link_to_an_account_nobody_confirmed_carries_no_typed_name(helper, make_user):
    make_user(VICTIM, verified=False, full_name=SPAM)
    make_user("confirmed@example.eu", full_name="Anna Schmidt")
    for address in (VICTIM, "confirmed@example.eu"):
        helper.post("/account/forgot-password", {"email": address}, expected=200)
    unconfirmed = only_email(to=VICTIM)
    assert "evil.example" not in unconfirmed.body_text + unconfirmed.body_html
    assert "Hello Anna Schmidt" in only_email(to="confirmed@example.eu").body_text


def submitted_profile_of(user, name: str = SPAM) -> Profile:
    profile = Profile(profile_type="partnership", status="submitted", name=name, answers={}, owner_id=user.id)
    db.session.add(profile)
    db.session.flush()
    db.session.add(ProfileAdmin(profile_id=profile.id, user_id=user.id))
    search_terms.follow(profile)
    db.session.commit()
    return profile


def test_invitations_are_capped_and_name_nothing_typed_to_an_unconfirmed_address(helper, sign_in, make_user):
    """An applicant whose profile is merely submitted cannot flood an address with invitations naming it."""
    inviter = make_user("inviter@example.eu", full_name=SPAM)
    profile = submitted_profile_of(inviter)
    sign_in(inviter)
    url = f"/profiles/{profile.public_id}/administrators"
    pages = [helper.post(f"{url}/invite", {"email": VICTIM}, form_url=url, expected=302) for _ in range(5)]
    assert len({page.response.headers["Location"] for page in pages}) == 1
    invitations = queued_emails(to=VICTIM)
    assert len(invitations) == 3
    for message in invitations:
        assert "evil.example" not in message.subject + message.body_text + message.body_html
        assert "/profiles/invitations/" in message.body_text


def test_the_cap_is_kept_in_the_limits_store(app, helper):
    """One place counts, the rate limits' shared store: the outbox and the audit log are not consulted."""
    from wizard.services.mail_caps import may_mail

    with app.test_request_context():
        assert [may_mail(" Victim@Example.eu ") for _ in range(4)] == [True, True, True, False]
    public_id = anonymous_draft(helper)
    ask_resume_link(helper, public_id)
    assert queued_emails(to=VICTIM) == [], "the same address, however it is written, shares one allowance"


class Typed(str):
    """Stands for anything an applicant typed: every attribute and item of it is typed text, too."""

    def __getattr__(self, name):
        return self

    def __getitem__(self, key):
        return self

    def __call__(self, *args, **kwargs):
        return self


def test_no_subject_carries_text_an_applicant_typed(app):
    """RL-2: every e-mail template's subject, given typed text for every value it could show."""
    from pathlib import Path

    folder = Path(app.root_path) / "templates" / "emails"
    names = sorted(path.stem for path in folder.glob("*.txt"))
    assert len(names) >= 15
    with app.test_request_context():
        for name in names:
            template = app.jinja_env.get_template(f"emails/{name}.txt")
            typed = Typed(SPAM)
            context = {key: typed for key in ("profile", "cluster", "member", "user", "inviter", "requester",
                                              "existing", "entry", "message", "kept", "contact_name", "affiliation",
                                              "actor", "applicant", "decision", "note", "reason")}
            subject = str(template.make_module({**context, "status": "approved", "resubmission": False}).subject)
            assert subject.strip() and "evil.example" not in subject, (name, subject)
