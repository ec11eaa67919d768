"""Who may download an uploaded file (one rule, `may_download`), and how the file is served."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from tests.members.test_affiliations import MANUAL_ROW
from tests.uploads.corpus import encode
from wizard.extensions import db
from wizard.models import Affiliation, ProfileAdmin, ProfileStatus, Role
from wizard.services import uploads, visibility
from wizard.services.drafts import start_draft


@pytest.fixture
def world(submitted_member, make_cluster, make_admin, make_user, applicant):
    """A submitted member with a manual affiliation and its proof, and everyone who might ask for the proof."""
    member = submitted_member(manual=[MANUAL_ROW])
    affiliation = db.session.scalar(db.select(Affiliation).where(Affiliation.member_profile_id == member.id))
    concerned_admin, other_admin, coadmin = make_admin(), make_admin(), make_admin()
    # Validators later found the cluster organisation on the platform: its administrators see the proof.
    concerned = make_cluster(admins=[concerned_admin])
    make_cluster("Other Cluster", "OC", "https://other.example.de", admins=[other_admin])
    affiliation.cluster_profile_id = concerned.id
    db.session.add(ProfileAdmin(profile_id=member.id, user_id=coadmin.id))
    db.session.commit()
    return {
        "upload": affiliation.proof, "member": member,
        "people": {"owner": applicant, "co-administrator": coadmin, "validator": make_user(role=Role.VALIDATOR),
                   "admin": make_user(role=Role.ADMIN), "admin of the cluster concerned": concerned_admin,
                   "admin of another cluster": other_admin, "another applicant": make_user(), "anonymous": None},
    }


@pytest.mark.parametrize("who, allowed", [
    ("owner", True), ("co-administrator", True), ("validator", True), ("admin", True),
    ("admin of the cluster concerned", True), ("admin of another cluster", False), ("another applicant", False),
    ("anonymous", False),
])
def test_who_may_download_a_proof(world, who, allowed):
    assert uploads.may_download(world["people"][who], world["upload"]) is allowed


def test_the_visitor_who_made_a_draft_may_download_its_file(app, make_user):
    key = "anonymous-key"
    draft = start_draft("cluster_member", None, key)
    upload = uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "p.png"), uploads.PROOF, draft, None)
    db.session.commit()
    assert uploads.may_download(None, upload, key)
    assert not uploads.may_download(None, upload, "another key") and not uploads.may_download(make_user(), upload)


def test_a_logo_is_public_once_its_profile_is(app, make_cluster):
    cluster = make_cluster(status=ProfileStatus.SUBMITTED)
    logo = uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "logo.png"), uploads.LOGO, cluster, None)
    db.session.commit()
    assert not uploads.may_download(None, logo)
    cluster.status = ProfileStatus.PUBLISHED.value
    visibility.follow(cluster.id)
    db.session.commit()
    assert uploads.may_download(None, logo)


def test_the_download_is_an_attachment_with_safe_headers(app, client, sign_in, world):
    upload = world["upload"]
    url = f"/uploads/{upload.id}"
    assert client.get(url).status_code == 404, "anonymous: the same answer as for a missing file"
    sign_in(world["people"]["another applicant"])
    assert client.get(url).status_code == 404
    sign_in(world["people"]["owner"])
    response = client.get(url, buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename=proof-{upload.id}.png"
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    with uploads.open_stored(upload) as handle:
        assert response.data == handle.read()
    assert client.get("/uploads/999999").status_code == 404
    uploads.upload_storage().delete(upload.storage_name)
    assert client.get(url).status_code == 404, "a file gone from disk is a 404, not a 500"
