"""Co-administrators: invite by e-mail, accept by link while signed in as that address, never remove the last."""
import threading

import pytest
from sqlalchemy import func, select

from tests.support.emails import link_path, only_email
from wizard.extensions import db
from wizard.models import ProfileAdmin
from wizard.services import administration, coadmins
from wizard.services.outbox import send_due


@pytest.fixture
def anna(make_admin):
    return make_admin("anna@sisax.example")


@pytest.fixture
def sisax(make_cluster, anna):
    return make_cluster(admins=[anna])


def admins_of(profile) -> list[str]:
    db.session.expire_all()
    return sorted(u.email for u in administration.administrators(profile))


def invite(helper, sisax, email, expected=302):
    url = f"/profiles/{sisax.public_id}/administrators"
    return helper.post(f"{url}/invite", {"email": email}, form_url=url, expected=expected)


def test_invite_and_accept(helper, client, sign_in, sisax, anna, make_admin, smtp_server):
    ben = make_admin("ben@sisax.example")
    sign_in(anna)
    page = invite(helper, sisax, "Ben@Sisax.example")
    # The address is kept as typed (with its domain normalised); the invitation works whatever the case.
    assert "We sent an invitation to Ben@sisax.example" in helper.get(helper.redirect_target(page)).text()
    send_due()
    received = smtp_server.take(to="Ben@sisax.example")
    assert received.subject == "You are invited to administer a profile on the EU cluster platform"
    link = link_path(only_email(to="Ben@sisax.example"), "/profiles/invitations/")
    # Opening the link signed in as someone else, or not at all, changes nothing.
    page = helper.get(link)
    assert "You are signed in as anna@sisax.example, but this invitation is for ben@sisax.example" in page.text()
    helper.post(link, {}, expected=403)
    client.post("/account/sign-out", data={"csrf_token": helper.csrf_token("/")})
    assert "sign in as ben@sisax.example" in helper.get(link).text()
    assert admins_of(sisax) == ["anna@sisax.example"]
    sign_in(ben)
    page = helper.get(link)
    assert page.h1 == "Administer Silicon Saxony" and "anna@sisax.example invited" in page.text()
    helper.post(link, {}, expected=302)
    assert admins_of(sisax) == ["anna@sisax.example", "ben@sisax.example"]
    assert helper.get(link, expected=404).h1 == "This link has already been used"
    assert helper.get(f"/clusters/{sisax.public_id}/members/pending").h1 == "Pending members"


@pytest.mark.parametrize("email, message", [
    ("anna@sisax.example", "You already administer this profile"),
    ("not an address", "Enter a valid e-mail address"),
])
def test_invitations_that_make_no_sense_are_form_errors(helper, sign_in, sisax, anna, email, message):
    sign_in(anna)
    page = invite(helper, sisax, email, expected=400)
    assert message in page.error_summary[0]


def test_only_administrators_reach_the_page(helper, client, sign_in, sisax, make_admin, validator):
    url = f"/profiles/{sisax.public_id}/administrators"
    assert client.get(url).status_code == 302
    for person in (make_admin(), validator):
        sign_in(person)
        helper.get(url, expected=404)
        helper.post(f"{url}/invite", {"email": "x@example.eu"}, form_url="/account/sign-in", expected=404)


def test_administrators_remove_each_other_but_never_the_last(helper, sign_in, sisax, anna, make_admin):
    ben = make_admin("ben@sisax.example")
    db.session.add(ProfileAdmin(profile_id=sisax.id, user_id=ben.id))
    db.session.commit()
    sign_in(anna)
    url = f"/profiles/{sisax.public_id}/administrators"
    helper.post(f"{url}/{ben.id}/remove", {}, form_url=url, expected=302)
    assert admins_of(sisax) == ["anna@sisax.example"]
    page = helper.get(url)
    assert not page.select("form[action$='/remove']"), "no remove button for the last administrator"
    helper.post(f"{url}/{anna.id}/remove", {}, form_url="/account/sign-in", expected=302)
    assert "A profile always keeps at least one administrator" in helper.get(url).text()
    assert admins_of(sisax) == ["anna@sisax.example"]


def test_two_administrators_removing_each_other_at_once_leave_one(app, sisax, anna, make_admin):
    """Under a lock: whatever the interleaving, at least one administrator stays (20 rounds)."""
    ben = make_admin("ben@sisax.example")
    for _ in range(20):
        if db.session.get(ProfileAdmin, (sisax.id, ben.id)) is None:
            db.session.add(ProfileAdmin(profile_id=sisax.id, user_id=ben.id))
        if db.session.get(ProfileAdmin, (sisax.id, anna.id)) is None:
            db.session.add(ProfileAdmin(profile_id=sisax.id, user_id=anna.id))
        db.session.commit()
        barrier, outcomes = threading.Barrier(2), []

        def remove(actor_id, target_id, barrier=barrier, outcomes=outcomes):
            with app.app_context():
                try:
                    profile = db.session.get(type(sisax), sisax.id)
                    actor = db.session.get(type(anna), actor_id)
                    barrier.wait(timeout=10)
                    coadmins.remove(profile, actor, target_id)
                    outcomes.append("removed")
                except coadmins.CoadminError:
                    outcomes.append("refused")
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=remove, args=(anna.id, ben.id)),
                   threading.Thread(target=remove, args=(ben.id, anna.id))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        db.session.expire_all()
        remaining = db.session.scalar(select(func.count()).select_from(ProfileAdmin)
                                      .where(ProfileAdmin.profile_id == sisax.id))
        assert sorted(outcomes) == ["refused", "removed"] and remaining == 1
