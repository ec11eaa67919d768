"""Factories of the members area: published cluster organisations with a member list and administrators,
member drafts walked through the wizard, and affiliation requests made the way the app makes them."""
import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from tests.support import speed
from tests.support.emails import links_in, queued_emails
from tests.wizard.answers import MEMBER, MEMBER_OWN_STEPS
from wizard.auth.helpers import ANON_KEY
from wizard.extensions import db
from wizard.matching import identifying_domain, normalise_name
from wizard.models import Affiliation, ListedMember, Profile, ProfileAdmin, ProfileStatus, Role, User
from wizard.models.base import utcnow
from wizard.services import drafts, search_terms, uploads, visibility


@pytest.fixture(scope="session")
def password_hash():
    """One Argon2 hash for the many cluster administrators the tests need (each hash costs ~0.1 s)."""
    from tests.support.factories import DEFAULT_PASSWORD

    return speed.password_hash(DEFAULT_PASSWORD)


@pytest.fixture
def make_admin(app, password_hash):
    """A verified account that signs in with DEFAULT_PASSWORD, made without hashing again."""
    counter = iter(range(1, 10_000))

    def make(email: str | None = None) -> User:
        user = User(email=email or f"cluster-admin{next(counter)}@example.eu", password_hash=password_hash,
                    role=Role.APPLICANT.value, full_name="Cluster Admin", email_verified_at=utcnow())
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_cluster(app, make_admin):
    """A cluster organisation profile, published by default, with its listed members and administrators."""

    def make(name="Silicon Saxony", acronym="SiSax", website="https://www.silicon-saxony.de", country="DE",
             status=ProfileStatus.PUBLISHED, listed=(), admins=None) -> Profile:
        cluster = Profile(profile_type="cluster_organisation", status=status.value, country_code=country, name=name,
                          acronym=acronym, website=website, website_domain=identifying_domain(website),
                          normalised_name=normalise_name(name), answers={}, submitted_at=utcnow(),
                          published_at=utcnow() if status == ProfileStatus.PUBLISHED else None)
        db.session.add(cluster)
        db.session.flush()
        for member_name, member_website in listed:
            db.session.add(ListedMember(profile_id=cluster.id, name=member_name, website=member_website,
                                        website_domain=identifying_domain(member_website) if member_website else None,
                                        normalised_name=normalise_name(member_name)))
        for admin in admins if admins is not None else [make_admin()]:
            db.session.add(ProfileAdmin(profile_id=cluster.id, user_id=admin.id))
        visibility.follow(cluster.id)  # as the validator's decision that published it does
        search_terms.follow(cluster)
        db.session.commit()
        return cluster

    return make


def stored_answers(answers: dict) -> dict:
    """Answers as the wizard stores a valid step: every value a list, plus the "_valid" flag."""
    return {step: {**{name: value if isinstance(value, list) else [value] for name, value in fields.items()},
                   "_valid": True} for step, fields in answers.items()}


@pytest.fixture
def member_draft(app, client):
    """A member draft of this client's visitor whose own steps hold MEMBER's answers: it stands at the clusters step.

    Made the way the wizard makes one, without walking the pages (tests/members/test_journey.py walks them).
    """

    def make(answers=None) -> str:
        with client.session_transaction() as session:
            key = session.setdefault(ANON_KEY, drafts.new_anon_key())
        profile = drafts.start_draft("cluster_member", None, key)
        profile.answers = stored_answers({step: {**MEMBER, **(answers or {})}[step] for step in MEMBER_OWN_STEPS})
        drafts.sync_profile_columns(profile)
        db.session.commit()
        return profile.public_id

    return make


def choose(helper, public_id: str, *cluster_ids: str, not_listed: bool = False, expected: int = 302):
    page = helper.get(f"/drafts/{public_id}/clusters")
    data = {"clusters": list(cluster_ids), "action": "continue", "csrf_token": page.value_of("csrf_token")}
    if not_listed:
        data["not_listed"] = "y"
    return helper.post(f"/drafts/{public_id}/clusters", data, expected=expected)


@pytest.fixture
def submitted_member(app, applicant):
    """A member profile submitted by `applicant` through the submission service, asking to join `clusters`
    (and, with `manual`, cluster organisations typed in by hand: dicts of the manual step's row fields)."""

    def make(*clusters: Profile, manual: list[dict] | None = None, user=None, name: str | None = None,
             website: str = "https://www.saxon-sensors.de") -> Profile:
        from wizard.services.submission import submit_draft

        submitter = user or applicant
        answers = {step: MEMBER[step] for step in MEMBER_OWN_STEPS}
        if name:
            answers["organisation"] = {**MEMBER["organisation"], "name": name, "website": website}
        answers["clusters"] = {"clusters": [c.public_id for c in clusters], **({"not_listed": "y"} if manual else {})}
        answers["logo"] = {}
        profile = drafts.start_draft("cluster_member", submitter, None)
        if manual:
            answers["clusters_not_listed"] = {}
            for n, row in enumerate(manual):
                for key, value in row.items():
                    if key == "proof":  # (bytes, file name): accepted the way the step accepts it
                        value = str(uploads.accept(FileStorage(io.BytesIO(value[0]), value[1]), uploads.PROOF,
                                                   profile, submitter).id)
                    answers["clusters_not_listed"][f"manual_clusters-{n}-{key}"] = value
        profile.answers = stored_answers(answers)
        drafts.sync_profile_columns(profile)
        db.session.commit()
        submit_draft(profile, submitter, profile.version)
        return profile

    return make


def affiliation_between(member: Profile, cluster: Profile) -> Affiliation:
    db.session.expire_all()
    return db.session.scalar(select(Affiliation).where(Affiliation.member_profile_id == member.id,
                                                       Affiliation.cluster_profile_id == cluster.id))


def decision_links(to: str) -> dict[str, str]:
    """The approve and decline paths of the (latest) request e-mail to `to`."""
    message = [m for m in queued_emails(to=to) if m.subject.startswith("A membership request")][-1]
    paths = [link.split("localhost", 1)[1] for link in links_in(message.body_text) if "/affiliations/decide/" in link]
    assert len(paths) == 2, paths
    return {"approve": paths[0], "decline": paths[1]}


def publish(profile: Profile) -> None:
    profile.status = ProfileStatus.PUBLISHED.value
    profile.published_at = utcnow()
    visibility.follow(profile.id)
    db.session.commit()
