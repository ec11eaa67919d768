"""A small world for the security suites, made through the app's own services.

- `applicant` owns a draft and a submitted member profile (with an uploaded proof, a request to
  join cluster C1 and a cluster typed in by hand), and administers the published cluster C1;
- `other_applicant` owns a draft of their own; `other_cluster_admin` administers cluster C2;
- `validator` and `admin` are staff. Each persona has its own browser-like client, signed in
  through a real server-side session.
"""
import io
from dataclasses import dataclass, field

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from tests.support.clients import IsolatedClient
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.speed import password_hash
from tests.wizard.answers import MEMBER, MEMBER_OWN_STEPS
from wizard import demo, engine
from wizard.extensions import db
from wizard.models import Affiliation, OutboxMessage, Profile, ProfileAdmin, ProfileStatus, Role, Upload, User
from wizard.models.base import utcnow
from wizard.services import drafts, search_terms, uploads, visibility
from wizard.services.accounts import start_session
from wizard.services.submission import refresh_search_rows, submit_draft
from wizard.steps import profile_type

PERSONAS = ("anonymous", "applicant", "other_applicant", "other_cluster_admin", "validator", "admin")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    clients: dict[str, FlaskClient] = field(default_factory=dict)
    ids: dict[str, object] = field(default_factory=dict)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def published_cluster(template: demo.DemoCluster, administrator) -> Profile:
    answers = demo.demo_answers(template)
    path = profile_type("cluster_organisation").path(answers, drafts.eu_cosme_checker())
    profile = Profile(profile_type="cluster_organisation", status=ProfileStatus.PUBLISHED.value, answers=answers,
                      owner_id=administrator.id, submitted_at=utcnow(), published_at=utcnow())
    drafts.sync_profile_columns(profile)
    db.session.add(profile)
    db.session.flush()
    db.session.add(ProfileAdmin(profile_id=profile.id, user_id=administrator.id))
    refresh_search_rows(profile, engine.cleaned(path, answers))
    visibility.follow(profile.id)
    search_terms.follow(profile)
    db.session.commit()
    return profile


def submitted_member(user, cluster: Profile, name: str = "Matrix Member GmbH",
                     website: str = "https://www.matrix-member.de") -> Profile:
    """A member profile asking to join `cluster` and a cluster typed in by hand with a proof."""
    answers = {step: dict(MEMBER[step]) for step in MEMBER_OWN_STEPS}
    answers["organisation"].update(name=name, website=website)
    profile = drafts.start_draft("cluster_member", user, None)
    proof = uploads.accept(FileStorage(io.BytesIO(png_bytes()), "proof.png"), uploads.PROOF, profile, user)
    answers["clusters"] = {"clusters": [cluster.public_id], "not_listed": "y"}
    answers["clusters_not_listed"] = {"manual_clusters-0-cluster_name": "Hand Typed Cluster",
                                      "manual_clusters-0-cluster_website": "https://www.hand-typed-cluster.eu",
                                      "manual_clusters-0-cluster_country": "AT",
                                      "manual_clusters-0-proof": str(proof.id)}
    answers["logo"] = {}
    profile.answers = {step: {key: value if isinstance(value, list) else [value] for key, value in fields.items()}
                       | {engine.VALID_FLAG: True} for step, fields in answers.items()}
    drafts.sync_profile_columns(profile)
    db.session.commit()
    submit_draft(profile, user, profile.version)
    return profile


def draft_of(user, name: str, website: str = "", profile_type: str = "cluster_organisation") -> Profile:
    profile = drafts.start_draft(profile_type, user, None)
    profile.answers = {"country": {"country": ["DE"], engine.VALID_FLAG: True},
                       "organisation": {"name": [name], "website": [website], engine.VALID_FLAG: False}}
    drafts.sync_profile_columns(profile)
    db.session.commit()
    return profile


def signed_in_client(app, user) -> FlaskClient:
    client = IsolatedClient.for_app(app)
    if user is not None:
        raw = start_session(user)
        with client.session_transaction() as session:
            session["_user_id"] = raw
            session["_fresh"] = True
    return client


def account(email: str, role: Role = Role.APPLICANT) -> User:
    """A confirmed account that signs in with DEFAULT_PASSWORD (one hash shared by all of them)."""
    user = User(email=email, password_hash=password_hash(DEFAULT_PASSWORD), role=role.value, full_name="Persona",
                email_verified_at=utcnow())
    db.session.add(user)
    db.session.commit()
    return user


def build_world(app) -> World:
    world = World()
    world.users = {
        "anonymous": None,
        "applicant": account("owner@matrix.eu"),
        "other_applicant": account("other@matrix.eu"),
        "other_cluster_admin": account("cluster2-admin@matrix.eu"),
        "validator": account("validator@matrix.eu", Role.VALIDATOR),
        "admin": account("admin@matrix.eu", Role.ADMIN),
    }
    owner = world.users["applicant"]
    cluster = published_cluster(demo.CLUSTERS[0], owner)
    other_cluster = published_cluster(demo.CLUSTERS[1], world.users["other_cluster_admin"])
    member = submitted_member(owner, cluster)
    # The draft has the other cluster's website: a possible duplicate the applicant may ask to administer.
    draft = draft_of(owner, "Owner's Draft", other_cluster.website)
    member_draft = draft_of(owner, "Owner's Member Draft", profile_type="cluster_member")
    other_draft = draft_of(world.users["other_applicant"], "Someone Else's Draft")
    affiliation = db.session.scalar(select(Affiliation).where(Affiliation.member_profile_id == member.id,
                                                              Affiliation.cluster_profile_id == cluster.id))
    manual = db.session.scalar(select(Affiliation).where(Affiliation.member_profile_id == member.id,
                                                         Affiliation.cluster_profile_id.is_(None)))
    upload = db.session.scalar(select(Upload).where(Upload.profile_id == member.id))
    message = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(1))
    assert affiliation and manual and upload and message, "the world is missing a piece"
    world.ids = {
        "draft": draft.public_id, "member_draft": member_draft.public_id, "other_draft": other_draft.public_id,
        "member": member.public_id,
        "cluster": cluster.public_id, "other_cluster": other_cluster.public_id, "affiliation": affiliation.id,
        "manual_affiliation": manual.id, "upload": upload.id, "message": message,
        "owner_id": owner.id, "validator_id": world.users["validator"].id,
    }
    world.clients = {persona: signed_in_client(app, user) for persona, user in world.users.items()}
    return world
