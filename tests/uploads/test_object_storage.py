"""The app with UPLOAD_STORAGE=s3 against a real S3-protocol server on loopback (moto's standalone server):
uploads land in the bucket, downloads stream through the app's entitlement check, the purge and account
deletion remove objects, and a store that fails mid-write leaves no row and no object."""
import io
import os
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage

from tests.reliability.test_disk_full import noise_png
from tests.security.test_hostile_uploads import Applicant
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.s3 import CuttingProxy
from tests.uploads.corpus import SCRIPT, encode
from wizard.extensions import db
from wizard.models import Profile, Upload
from wizard.models.base import utcnow
from wizard.services import applicant_rights, uploads
from wizard.services.drafts import start_draft
from wizard.steps.cluster_member import CLUSTERS_NOT_LISTED

MANUAL_STEP = CLUSTERS_NOT_LISTED.name


@pytest.fixture
def bucket(s3_server):
    return s3_server.new_bucket()


@pytest.fixture
def proxy(s3_server):
    between = CuttingProxy(s3_server.port)
    yield between
    between.stop()


@pytest.fixture
def config_overrides(s3_server, bucket, proxy):
    # The app reaches the store through the proxy, so a test can cut it; the test itself looks at moto directly.
    return s3_server.settings(bucket, endpoint=proxy.endpoint)


def rows() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Upload))


def error_summary(response) -> list[str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [a.get_text() for a in page.select("#error-summary a")]


def test_a_proof_goes_to_the_bucket_cleaned_and_comes_back_through_the_app(app, s3_server, bucket):
    applicant = Applicant(app)
    response, _ = applicant.post_file(MANUAL_STEP, encode("JPEG", comment=SCRIPT), "proof.jpg")
    assert response.status_code == 302, error_summary(response)
    upload = db.session.scalars(select(Upload)).one()
    assert s3_server.keys(bucket) == ["uploads/" + upload.storage_name]
    stored = s3_server.client().get_object(Bucket=bucket, Key="uploads/" + upload.storage_name)["Body"].read()
    assert SCRIPT not in stored and upload.size == len(stored)
    assert not os.path.exists(app.config["UPLOAD_FOLDER"]), "nothing is kept on this host"

    download = applicant.client.get(f"/uploads/{upload.id}")
    assert download.status_code == 200 and download.get_data() == stored
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Cache-Control"] == "no-store" and "sandbox" in download.headers["Content-Security-Policy"]
    assert s3_server.endpoint not in download.headers.get("Location", "")
    assert app.test_client().get(f"/uploads/{upload.id}").status_code == 404, "a stranger gets nothing"


def test_a_store_cut_mid_write_leaves_no_row_and_no_object(app, s3_server, bucket, proxy):
    applicant = Applicant(app)
    proxy.cut_after = 40_000  # the PUT's headers pass, its ~120 kB body does not
    response, _ = applicant.post_file(MANUAL_STEP, noise_png(), "proof.png")
    assert proxy.cut >= 1, "the write was not cut"
    assert response.status_code == 400
    assert any("could not save your file" in text for text in error_summary(response)), error_summary(response)
    assert rows() == 0 and s3_server.keys(bucket) == []

    proxy.cut_after = None  # the store is back
    response, _ = applicant.post_file(MANUAL_STEP, noise_png(), "proof.png")
    assert response.status_code == 302 and rows() == 1 and len(s3_server.keys(bucket)) == 1


def test_a_stopped_store_refuses_the_upload_and_the_download_with_a_clear_answer(app, s3_server, bucket, proxy):
    applicant = Applicant(app)
    response, _ = applicant.post_file(MANUAL_STEP, noise_png(), "proof.png")
    assert response.status_code == 302
    upload_id = db.session.scalars(select(Upload.id)).one()
    proxy.stop()  # nothing listens any more
    response, _ = applicant.post_file(MANUAL_STEP, noise_png(), "second.png")
    assert response.status_code == 400 and any("could not save" in t for t in error_summary(response))
    assert rows() == 1 and len(s3_server.keys(bucket)) == 1
    assert applicant.client.get(f"/uploads/{upload_id}").status_code == 503


def test_the_purge_removes_the_objects_of_abandoned_drafts_and_stray_objects(app, s3_server, bucket):
    old = start_draft("cluster_member", None, "key-old")
    recent = start_draft("cluster_member", None, "key-recent")
    old_file = uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "p.png"), uploads.PROOF, old, None)
    kept_file = uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "p.png"), uploads.PROOF, recent, None)
    db.session.commit()
    old_name, kept_name = old_file.storage_name, kept_file.storage_name
    db.session.execute(update(Profile).where(Profile.id == old.id).values(updated_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    s3_server.client().put_object(Bucket=bucket, Key="uploads/" + "S" * 32 + ".png", Body=b"stray, but young")
    result = app.test_cli_runner().invoke(args=["drafts", "purge", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert sorted(s3_server.keys(bucket)) == sorted(["uploads/" + kept_name, "uploads/" + "S" * 32 + ".png"])
    assert old_name not in str(s3_server.keys(bucket))


def test_deleting_an_account_removes_its_objects(app, s3_server, bucket, make_user):
    user = make_user()
    profile = start_draft("cluster_member", user, None)
    uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "p.png"), uploads.PROOF, profile, user)
    db.session.commit()
    assert len(s3_server.keys(bucket)) == 1
    applicant_rights.delete_account(user, DEFAULT_PASSWORD)
    assert s3_server.keys(bucket) == [] and rows() == 0
