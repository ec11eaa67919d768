""""Already listed": the applicant's organisation is in a chosen cluster organisation's member list."""
import pytest

from tests.members.conftest import choose
from tests.support.emails import queued_emails
from tests.wizard import walk
from wizard.extensions import db
from wizard.models import Profile
from wizard.services.outbox import send_due

# The applicant's organisation (tests/wizard/answers.py MEMBER): "Saxon Sensor Works GmbH", https://www.saxon-sensors.de
LISTED_VARIANTS = [
    ("Saxon Sensor Works", "http://saxon-sensors.de/about-us"),  # no legal form, other scheme, no www, a path
    ("Someone Else Entirely", "HTTPS://WWW.SAXON-SENSORS.DE/EN/"),  # the same domain in capitals
    ("Sensors Dept.", "https://shop.saxon-sensors.de"),  # a subdomain of the same registrable domain
    ("SAXON SENSOR WORKS GMBH", ""),  # the same name, another case
    ("Saxon Sensor Works Ltd.", ""),  # another legal form
    ("Saxon Sensor Works S.A.", ""),
    ("Saxon Sénsor Wörks", ""),  # accents
    ("Saxon-Sensor-Works, GmbH", ""),  # punctuation
]
DIFFERENT = [
    ("Saxon Sensor Systems GmbH", "https://saxon-systems.de"),  # a similar but different name
    ("Saxon Sensor Works Dresden", ""),  # a longer name is another organisation
    ("Other Org", "https://www.saxon-sensors.de.example.com"),  # a domain that only contains ours
    ("Another", "https://www.linkedin.com/company/saxon-sensors"),  # a shared platform never identifies anyone
    ("", ""),
]


@pytest.mark.parametrize("name, website", LISTED_VARIANTS)
def test_a_listed_variant_stops_with_the_already_listed_page(helper, member_draft, make_cluster, name, website):
    cluster = make_cluster(listed=[("Unrelated GmbH", "https://unrelated.example.de"), (name, website)])
    public_id = member_draft()
    page = choose(helper, public_id, cluster.public_id)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/already-listed"
    listed = helper.get(f"/drafts/{public_id}/already-listed")
    assert listed.h1 == "Your organisation is already listed"
    assert f"Listed as “{name}”" in listed.text()
    assert listed.select_one("form button").get_text(strip=True) == "Ask SiSax to complete my profile"


@pytest.mark.parametrize("name, website", DIFFERENT)
def test_a_different_organisation_does_not_stop(helper, member_draft, make_cluster, name, website):
    cluster = make_cluster(listed=[(name, website)] if name else [])
    public_id = member_draft()
    page = choose(helper, public_id, cluster.public_id)
    assert helper.redirect_target(page) == f"/drafts/{public_id}/logo"
    helper.get(f"/drafts/{public_id}/already-listed", expected=302)


def test_only_chosen_cluster_organisations_count(helper, member_draft, make_cluster):
    lister = make_cluster("Listing Cluster", "LC", "https://listing.example.de",
                          listed=[("Saxon Sensor Works", "https://saxon-sensors.de")])
    other = make_cluster()
    public_id = member_draft()
    assert helper.redirect_target(choose(helper, public_id, other.public_id)) == f"/drafts/{public_id}/logo"
    assert helper.redirect_target(choose(helper, public_id, other.public_id, lister.public_id)) == \
        f"/drafts/{public_id}/already-listed"


def test_the_button_emails_the_cluster_administrators_once(helper, member_draft, make_cluster, make_admin, smtp_server):
    admins = [make_admin("anna@sisax.example"), make_admin("ben@sisax.example")]
    cluster = make_cluster(listed=[("Saxon Sensor Works", "https://saxon-sensors.de")], admins=admins)
    public_id = member_draft()
    choose(helper, public_id, cluster.public_id)
    form_url = f"/drafts/{public_id}/already-listed"
    for _ in range(2):  # a double click or a replay sends nothing twice
        page = helper.post(form_url, {"cluster": cluster.public_id}, expected=200)
        assert page.h1 == "Request sent"
    assert send_due().sent == 2
    for admin in admins:
        received = smtp_server.take(to=admin.email)
        assert received.subject == "A member asks you to complete its profile on the EU cluster platform"
        assert "Saxon Sensor Works GmbH" in received.text and "anna@silicon-saxony.de" in received.text
    assert smtp_server.received == []


def test_the_request_needs_csrf_and_a_cluster_that_lists_the_member(helper, client, member_draft, make_cluster):
    cluster = make_cluster(listed=[("Saxon Sensor Works", "")])
    unrelated = make_cluster("Minalogic", "", "https://www.minalogic.com", "FR")
    public_id = member_draft()
    choose(helper, public_id, cluster.public_id)
    assert client.post(f"/drafts/{public_id}/already-listed", data={"cluster": cluster.public_id}).status_code == 400
    helper.post(f"/drafts/{public_id}/already-listed", {"cluster": unrelated.public_id}, expected=404)
    assert queued_emails() == []


@pytest.mark.config(CONTACT_CLUSTER_PER_DAY=2)
def test_requests_to_one_cluster_are_capped_per_day(helper, member_draft, make_cluster, make_admin):
    cluster = make_cluster(listed=[("Saxon Sensor Works", "")], admins=[make_admin(), make_admin()])
    first, second = member_draft(), member_draft()
    for public_id in (first, second):
        choose(helper, public_id, cluster.public_id)
    helper.post(f"/drafts/{first}/already-listed", {"cluster": cluster.public_id}, expected=200)
    page = helper.post(f"/drafts/{second}/already-listed", {"cluster": cluster.public_id}, expected=429)
    assert "many such requests today" in page.text()
    assert len(queued_emails()) == 2


def test_the_button_is_rate_limited(helper, member_draft, make_cluster):
    cluster = make_cluster(listed=[("Saxon Sensor Works", "")])
    public_id = member_draft()
    choose(helper, public_id, cluster.public_id)
    token = helper.csrf_token(f"/drafts/{public_id}/already-listed")
    codes = [helper.client.post(f"/drafts/{public_id}/already-listed",
                                data={"cluster": cluster.public_id, "csrf_token": token}).status_code
             for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_submitting_anyway_is_refused_and_sends_back_to_the_step(helper, member_draft, make_cluster, applicant,
                                                                   sign_in):
    cluster = make_cluster()
    sign_in(applicant)
    public_id = member_draft()
    choose(helper, public_id, cluster.public_id)
    walk.fill(helper, public_id, "logo", {})
    # The cluster organisation's list gains this member after the step was passed.
    from wizard.models import ListedMember

    db.session.add(ListedMember(profile_id=cluster.id, name="Saxon Sensor Works", normalised_name="saxon sensor works"))
    db.session.commit()
    page = walk.submit(helper, public_id, expected=302)
    assert helper.redirect_target(page).startswith(f"/drafts/{public_id}/clusters?")
    profile = walk.profile_of(public_id)
    assert profile.status == "draft" and db.session.query(Profile).count() == 2
    assert queued_emails() == []
