"""`flask demo-data`: staff accounts and published cluster organisations a newcomer can use at once."""
from sqlalchemy import func, select

from tests.wizard import walk
from wizard import engine
from wizard.demo import ADMIN_EMAIL, CLUSTERS, DEMO_PASSWORD, MEMBERS_PER_CLUSTER, VALIDATOR_EMAIL
from wizard.extensions import db
from wizard.models import ListedMember, Profile, ProfileAdmin, ProfileEcosystem, Role, Submission, User
from wizard.passwords import password_problem, verify_password
from wizard.services.drafts import path_for


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_data_is_complete_valid_and_idempotent(app, helper):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert DEMO_PASSWORD in first.output and VALIDATOR_EMAIL in first.output and ADMIN_EMAIL in first.output
    assert password_problem(DEMO_PASSWORD) is None
    db.session.expire_all()
    counts = {model.__name__: count(model) for model in (User, Profile, ProfileAdmin, Submission, ListedMember)}
    assert counts == {"User": 2 + len(CLUSTERS), "Profile": len(CLUSTERS), "ProfileAdmin": len(CLUSTERS),
                      "Submission": len(CLUSTERS), "ListedMember": len(CLUSTERS) * MEMBERS_PER_CLUSTER}

    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0, second.output
    assert "already there" in second.output
    db.session.expire_all()
    assert {model.__name__: count(model) for model in (User, Profile, ProfileAdmin, Submission, ListedMember)} == \
        counts

    staff = {u.email: u for u in db.session.scalars(select(User).where(User.role != Role.APPLICANT.value))}
    assert staff[VALIDATOR_EMAIL].role == "validator" and staff[ADMIN_EMAIL].role == "admin"
    profiles = db.session.scalars(select(Profile)).all()
    assert {p.country_code for p in profiles} == {"DE", "FR", "ES", "IT", "PL", "SE"}
    for profile in profiles:
        assert profile.status == "published" and profile.published_at is not None
        path = path_for(profile)
        assert "management" in path.names()
        assert engine.revalidate(path, profile.answers) is None, profile.name
        submission = db.session.scalar(select(Submission).where(Submission.profile_id == profile.id))
        assert list(submission.answers) == path.names()
        assert count_where(ProfileEcosystem, profile) >= 1
        admin = db.session.get(User, db.session.scalar(select(ProfileAdmin.user_id)
                                                       .where(ProfileAdmin.profile_id == profile.id)))
        assert admin.is_verified and admin.email in first.output
        assert verify_password(admin.password_hash, DEMO_PASSWORD)
        assert profile.website_domain and profile.normalised_name

    # A demo administrator can sign in with the printed password.
    walk.sign_in_through_form(helper, f"{CLUSTERS[0].slug}@demo.eu", "/my-profiles", password=DEMO_PASSWORD)
    assert CLUSTERS[0].name in helper.get("/my-profiles").text()


def count_where(model, profile) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.profile_id == profile.id))
