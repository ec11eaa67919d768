"""Proof of membership on the "Cluster organisation not listed" step, with real files on disk."""
import hashlib
import io
import os

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.members.conftest import choose
from tests.support.pages import Page
from tests.uploads.corpus import HTML, PHP, SCRIPT, SVG, corpus, encode, pdf, text_chunk
from tests.wizard import walk
from tests.wizard.walk import step_url
from wizard.engine import SEEN_FIELD
from wizard.extensions import db
from wizard.models import Upload
from wizard.registration.views import CHANGED_MEANWHILE, FILES_NOT_KEPT

CORPUS = {sample.name: sample for sample in corpus()}
STEP = "clusters_not_listed"
ROW = {"manual_clusters-0-cluster_name": "Bavarian Robotics Network", "manual_clusters-0-cluster_website":
       "https://www.bavarian-robotics.example.de", "manual_clusters-0-cluster_country": "DE"}
FIELD = "manual_clusters-0-proof"


def stored_files(app) -> list[str]:
    root = app.config["UPLOAD_FOLDER"]
    return sorted(os.listdir(root)) if os.path.isdir(root) else []


def post_step(helper, public_id, data, files=None, expected=None, url=None):
    url = url or f"/drafts/{public_id}/{STEP}"
    payload = {**data, **{name: (io.BytesIO(body), filename) for name, (body, filename) in (files or {}).items()}}
    return helper.post(url, payload, expected=expected, form_url=f"/drafts/{public_id}/{STEP}")


@pytest.fixture
def manual_draft(helper, member_draft):
    public_id = member_draft()
    choose(helper, public_id, not_listed=True)
    return public_id


def proof_id(public_id) -> str | None:
    values = walk.stored(public_id, STEP).get(FIELD) or []
    return values[0] if values else None


@pytest.mark.parametrize("name, data, kind", [
    ("membership.png", encode("PNG", pnginfo=text_chunk("add_text")), "png"),  # PHP in a text chunk
    ("screenshot.JPG", encode("JPEG", comment=SCRIPT), "jpeg"),  # a script in a JPEG comment
    ("certificate.pdf", pdf(text="Certificate of membership"), "pdf"),
])
def test_a_valid_proof_is_stored_cleaned_outside_static(app, helper, manual_draft, name, data, kind):
    page = post_step(helper, manual_draft, {**ROW, "action": "continue"}, {FIELD: (data, name)}, expected=302)
    assert helper.redirect_target(page) == f"/drafts/{manual_draft}/logo"
    upload = db.session.get(Upload, int(proof_id(manual_draft)))
    path = os.path.join(app.config["UPLOAD_FOLDER"], upload.storage_name)
    with open(path, "rb") as handle:
        kept = handle.read()
    assert upload.original_name == name and upload.purpose == "proof"
    assert upload.size == len(kept) and upload.sha256 == hashlib.sha256(kept).hexdigest()
    assert not os.path.realpath(path).startswith(os.path.realpath(app.static_folder))
    if kind == "pdf":
        assert kept == data
    else:
        assert SCRIPT not in kept and PHP not in kept and (SCRIPT in data or PHP in data), "images are re-encoded"
        with Image.open(io.BytesIO(kept)) as image:
            assert image.format == {"png": "PNG", "jpeg": "JPEG"}[kind]
    page = helper.get(f"/drafts/{manual_draft}/{STEP}")
    current = page.select_one(f"#{FIELD}-current").get_text(" ", strip=True)
    assert name in current and "Remove file" in current
    assert page.value_of(FIELD) == str(upload.id), "the current file is echoed so 'required' holds"


@pytest.mark.parametrize("name, data, kind, extension", [
    ("IMG_0001", encode("JPEG"), "image/jpeg", ".jpg"),  # a phone's photo, no extension
    ("screenshot", encode("PNG"), "image/png", ".png"),
    ("screenshot.jpg", encode("PNG"), "image/png", ".png"),  # a wrong extension
    ("membership.png", pdf(text="Certificate of membership"), "application/pdf", ".pdf"),
])
def test_a_real_file_named_without_or_with_a_wrong_extension_is_taken_by_its_content(
        app, helper, manual_draft, name, data, kind, extension):
    """Issue 17 item 10 (domain.md §8): the content decides; the names on disk and in the download are the app's."""
    page = post_step(helper, manual_draft, {**ROW, "action": "continue"}, {FIELD: (data, name)}, expected=302)
    assert helper.redirect_target(page) == f"/drafts/{manual_draft}/logo"
    upload = db.session.get(Upload, int(proof_id(manual_draft)))
    assert upload.content_type == kind and upload.original_name == name
    assert name not in upload.storage_name and stored_files(app) == [upload.storage_name]
    page = helper.get(f"/drafts/{manual_draft}/{STEP}")
    assert name in page.select_one(f"#{FIELD}-current").get_text(" ", strip=True)
    download = helper.client.get(f"/uploads/{upload.id}", buffered=True)
    assert download.status_code == 200 and download.mimetype == kind
    assert download.headers["Content-Disposition"] == f"attachment; filename=proof-{upload.id}{extension}"


REFUSED = [
    ("html-as-png", "must be a PNG, JPEG or PDF"), ("svg-as-png", "must be a PNG, JPEG or PDF"),
    ("png-zip-appended", "appended"), ("jpeg-html-appended", "appended"), ("pdf-html-appended", "hidden"),
    ("truncated-png", "could not read"), ("truncated-jpeg", "could not read"),
    ("pdf-openaction-js", "by itself"), ("pdf-javascript-names", "JavaScript"), ("empty-png", "empty"),
]


@pytest.mark.parametrize("sample, reason", REFUSED)
def test_a_hostile_file_is_refused_with_a_message_and_nothing_is_stored(app, helper, manual_draft, sample, reason):
    sample = CORPUS[sample]
    page = post_step(helper, manual_draft, {**ROW, "action": "continue"}, {FIELD: (sample.data, sample.filename)},
                     expected=400)
    assert len(page.error_summary) == 1 and reason.lower() in page.error_summary[0].lower()
    assert page.error_links == [f"#{FIELD}"]
    assert page.select_one(f"#{FIELD}-error-1")
    assert stored_files(app) == [] and db.session.scalars(select(Upload)).all() == []
    assert walk.stored(manual_draft, STEP)["manual_clusters-0-cluster_name"] == [ROW["manual_clusters-0-cluster_name"]]


@pytest.mark.parametrize("filename", ["../../x.png", "a.png\x00.php", "/etc/x.png", "proof\x00.png"])
def test_names_with_folders_or_nul_are_refused(app, helper, manual_draft, filename):
    page = post_step(helper, manual_draft, {**ROW, "action": "continue"}, {FIELD: (encode("PNG"), filename)},
                     expected=400)
    assert "name" in page.error_summary[0]
    assert stored_files(app) == [] and db.session.scalars(select(Upload)).all() == []


@pytest.mark.config(UPLOAD_MAX_BYTES=50_000)
def test_a_file_over_the_limit_is_refused_by_the_form(app, helper, manual_draft):
    too_big = b"%PDF-1.4" + bytes(60_000)
    page = post_step(helper, manual_draft, {**ROW, "action": "continue"}, {FIELD: (too_big, "a.pdf")}, expected=400)
    assert "larger than 48.8 kB" in page.error_summary[0]
    assert stored_files(app) == []


def test_an_oversized_request_gets_the_friendly_413_page_and_the_draft_survives(app, helper, manual_draft):
    post_step(helper, manual_draft, {**ROW, "action": "back"}, {FIELD: (encode("PNG"), "proof.png")}, expected=302)
    before = walk.profile_of(manual_draft)
    version, answers = before.version, before.answers
    too_big = b"\x89PNG\r\n\x1a\n" + bytes(app.config["MAX_CONTENT_LENGTH"])
    # Encoded in memory: the test client would spool a large body to a temporary file it never closes.
    boundary, body = encode_multipart({**ROW, "action": "continue", "csrf_token": helper.csrf_token(
        f"/drafts/{manual_draft}/{STEP}"), FIELD: FileStorage(io.BytesIO(too_big), "big.png")})
    response = helper.client.post(f"/drafts/{manual_draft}/{STEP}", data=body,
                                  content_type=f"multipart/form-data; boundary={boundary}")
    page = Page(response)
    assert page.status == 413
    assert page.h1 == "The file is too large" and "10 MB" in page.text() and page.select_one("header nav")
    after = walk.profile_of(manual_draft)
    assert after.version == version and after.answers == answers
    assert len(stored_files(app)) == 1


def test_the_proof_survives_errors_on_other_fields_and_back_and_forth(app, helper, manual_draft):
    page = post_step(helper, manual_draft, {**ROW, "manual_clusters-0-cluster_website": "not a website",
                                            "action": "continue"}, {FIELD: (encode("PNG"), "proof.png")}, expected=400)
    assert [link for link in page.error_links] == ["#manual_clusters-0-cluster_website"]
    assert "proof.png" in page.select_one(f"#{FIELD}-current").text, "the error page shows the file already kept"
    kept = proof_id(manual_draft)
    assert kept
    # Back to the clusters step and forward again: the file is still there, without uploading it again.
    walk.fill(helper, manual_draft, STEP, {**ROW, FIELD: kept}, action="back")
    choose(helper, manual_draft, not_listed=True)
    page = helper.get(f"/drafts/{manual_draft}/{STEP}")
    assert page.value_of(FIELD) == kept
    page = walk.fill(helper, manual_draft, STEP, {**ROW, FIELD: kept})
    assert helper.redirect_target(page) == f"/drafts/{manual_draft}/logo"
    assert len(stored_files(app)) == 1


def test_replace_and_remove(app, helper, manual_draft):
    post_step(helper, manual_draft, {**ROW, "action": "continue"}, {FIELD: (encode("PNG"), "first.png")}, expected=302)
    first = proof_id(manual_draft)
    post_step(helper, manual_draft, {**ROW, FIELD: first, "action": "continue"}, {FIELD: (pdf(), "second.pdf")},
              expected=302)
    second = proof_id(manual_draft)
    assert second != first and db.session.get(Upload, int(first)) is None
    assert len(stored_files(app)) == 1, "the replaced file is deleted from disk"
    # A refused replacement keeps the current file.
    post_step(helper, manual_draft, {**ROW, FIELD: second, "action": "continue"}, {FIELD: (HTML, "evil.png")},
              expected=400)
    assert proof_id(manual_draft) == second
    page = post_step(helper, manual_draft, {**ROW, FIELD: second, "remove_file": FIELD},
                     url=f"/drafts/{manual_draft}/{STEP}/update", expected=302)
    assert helper.redirect_target(page) == step_url(manual_draft, STEP) + f"#{FIELD}-current"
    assert proof_id(manual_draft) is None and stored_files(app) == []
    assert walk.stored(manual_draft, STEP)["_valid"] is False
    page = helper.get(f"/drafts/{manual_draft}/{STEP}")
    assert "second.pdf was removed" in page.text() and not page.select_one(f"#{FIELD}-current")


def test_a_forged_file_id_is_never_stored(app, helper, manual_draft, member_draft):
    other = member_draft()
    choose(helper, other, not_listed=True)
    post_step(helper, other, {**ROW, "action": "continue"}, {FIELD: (encode("PNG"), "theirs.png")}, expected=302)
    theirs = proof_id(other)
    page = walk.fill(helper, manual_draft, STEP, {**ROW, FIELD: theirs}, expected=400)
    assert page.error_summary == ["Upload proof of your membership"]
    assert proof_id(manual_draft) is None


def test_svg_as_logo_is_refused_and_a_png_logo_is_kept(app, helper, manual_draft):
    post_step(helper, manual_draft, {**ROW, "action": "continue"}, {FIELD: (encode("PNG"), "p.png")}, expected=302)
    page = helper.post(f"/drafts/{manual_draft}/logo", {"action": "continue", "logo": (io.BytesIO(SVG), "logo.png")},
                       expected=400)
    assert "must be a PNG or JPEG" in page.error_summary[0]
    page = helper.post(f"/drafts/{manual_draft}/logo",
                       {"action": "continue", "logo": (io.BytesIO(encode("PNG", "RGBA", (200, 80))), "logo.png")},
                       expected=302)
    assert helper.redirect_target(page) == f"/drafts/{manual_draft}/check-answers"
    logo = db.session.scalar(select(Upload).where(Upload.purpose == "logo"))
    assert logo.original_name == "logo.png"
    check = helper.get(f"/drafts/{manual_draft}/check-answers")
    assert "logo.png" in check.text() and "p.png" in check.text(), "uploads are listed on Check your answers"


def test_a_draft_holds_a_limited_number_of_files(app):
    from wizard.services import uploads
    from wizard.services.drafts import start_draft

    draft = start_draft("cluster_member", None, "key")
    for _ in range(uploads.MAX_UPLOADS_PER_PROFILE):
        uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "p.png"), uploads.PROOF, draft, None)
    db.session.commit()
    with pytest.raises(uploads.UploadRejected, match="already has 12 files"):
        uploads.accept(FileStorage(io.BytesIO(encode("PNG")), "p.png"), uploads.PROOF, draft, None)
    assert len(stored_files(app)) == uploads.MAX_UPLOADS_PER_PROFILE


def test_a_proof_step_saved_in_another_window_is_not_overwritten_and_keeps_no_stray_file(app, helper, manual_draft):
    """reliability.md CC-3 on an upload step: the refused post's file goes with it (no orphan on disk)."""
    url = f"/drafts/{manual_draft}/{STEP}"
    window_a, window_b = helper.get(url), helper.get(url)
    post_step(helper, manual_draft, {**ROW, "action": "continue", SEEN_FIELD: window_a.value_of(SEEN_FIELD)},
              {FIELD: (encode("PNG"), "first.png")}, expected=302)
    kept_files, kept_proof = stored_files(app), proof_id(manual_draft)

    renamed = {**ROW, "manual_clusters-0-cluster_name": "Robotics Bavaria", "action": "continue",
               SEEN_FIELD: window_b.value_of(SEEN_FIELD)}
    page = post_step(helper, manual_draft, renamed, {FIELD: (encode("PNG", size=(80, 60)), "second.png")},
                     expected=409)
    assert page.error_summary == [CHANGED_MEANWHILE + FILES_NOT_KEPT]
    assert page.value_of("manual_clusters-0-cluster_name") == "Robotics Bavaria"
    assert "Bavarian Robotics Network" in page.select_one("#saved-meanwhile").get_text(" ")
    assert stored_files(app) == kept_files and proof_id(manual_draft) == kept_proof
    assert walk.stored(manual_draft, STEP)["manual_clusters-0-cluster_name"] == ["Bavarian Robotics Network"]
    assert db.session.scalar(select(func.count()).select_from(Upload)) == 1
