"""The upload folder's disk is full while a person uploads a proof through the wizard (reliability.md FT-2; F15).

A real 1 MB tmpfs is mounted as the upload folder (CI runs as root; elsewhere the test skips, and fails under
CI=true). tests/uploads/test_storage.py checks the storage function alone; this is the same fault end to end:
the step answers with a form error (no 5xx), leaves no partial file and no row pointing at a missing file, and
the same upload goes through once space is freed.
"""
import io
import os

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from sqlalchemy import select

from tests.security.test_hostile_uploads import Applicant, files_under
from wizard.extensions import db
from wizard.models import Upload
from wizard.steps.cluster_member import CLUSTERS_NOT_LISTED
from wizard.uploads import FileStorage

MANUAL_STEP = CLUSTERS_NOT_LISTED.name

pytestmark = pytest.mark.figure("F15")


def noise_png(side: int = 200) -> bytes:
    """Random pixels: re-encoding cannot shrink them, so the stored file stays ~120 kB."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def fill(disk, leave_bytes: int):
    """A file outside the upload folder that takes all but `leave_bytes` of the disk."""
    stats = os.statvfs(disk)
    filler = disk / "filler"
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, stats.f_bavail * stats.f_frsize - leave_bytes))
    return filler


def orphans(root: str) -> tuple[set[str], set[str]]:
    """(rows whose file is missing, files no row points at)"""
    db.session.expire_all()
    names = set(db.session.scalars(select(Upload.storage_name)))
    on_disk = {os.path.relpath(path, root) for path in files_under(root)}
    return names - on_disk, on_disk - names


def test_a_full_upload_disk_gives_a_form_error_leaves_nothing_behind_and_recovers(app, one_megabyte_disk):
    root = str(one_megabyte_disk / "uploads")
    app.config["UPLOAD_FOLDER"] = root
    app.extensions["upload_storage"] = FileStorage(root)  # create_app chose the backend before the disk existed
    applicant = Applicant(app)
    image = noise_png()
    filler = fill(one_megabyte_disk, leave_bytes=16 * 1024)  # less than the re-encoded image needs

    for attempt in range(3):
        response, _ = applicant.post_file(MANUAL_STEP, image, f"proof-{attempt}.png")
        assert response.status_code == 400, f"attempt {attempt}: {response.status_code}"
        errors = BeautifulSoup(response.get_data(as_text=True), "html.parser").select("#error-summary a")
        assert any("could not save your file" in e.get_text() for e in errors), [e.get_text() for e in errors]
        assert files_under(root) == set(), "a partial or temporary file was left in the upload folder"
        assert orphans(root) == (set(), set())
        assert db.session.scalar(select(db.func.count()).select_from(Upload)) == 0

    filler.unlink()  # space comes back
    response, _ = applicant.post_file(MANUAL_STEP, image, "proof-again.png")
    assert response.status_code == 302, response.status_code
    assert db.session.scalar(select(db.func.count()).select_from(Upload)) == 1
    assert orphans(root) == (set(), set())
