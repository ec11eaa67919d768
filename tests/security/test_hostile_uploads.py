"""The whole upload corpus (tests/uploads/corpus.py) through the real wizard steps that take files: the
proof of membership and the logo (reliability.md UP-1 … UP-6; F1, F2, F3).

Each sample is posted as a person's browser would, to a member draft. A refused file gets a form error
and leaves nothing behind (no row, no file); an accepted one is stored once, under a generated name
inside the upload folder, re-encoded (its payload gone). No verdict is a 5xx or takes long.
"""
import io
import os
import re
import time

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.support.clients import IsolatedClient
from tests.uploads.corpus import LIMIT, corpus
from wizard import engine
from wizard.auth.helpers import ANON_KEY
from wizard.extensions import db
from wizard.models import Upload
from wizard.services import drafts
from wizard.steps.cluster_member import CLUSTERS_NOT_LISTED
from wizard.steps.common import LOGO
from wizard.uploads import LOGO_KINDS

MANUAL_STEP, LOGO_STEP = CLUSTERS_NOT_LISTED.name, LOGO.name

#: F1 asks ≤ 2 s per verdict on a quiet machine; CI shares two cores with everything else.
SLOWEST_VERDICT_SECONDS = 6
ROW = {"manual_clusters-0-cluster_name": "Hand Typed Cluster",
       "manual_clusters-0-cluster_website": "https://www.hand-typed-cluster.eu",
       "manual_clusters-0-cluster_country": "AT"}
FIELDS = {MANUAL_STEP: "manual_clusters-0-proof", LOGO_STEP: "logo"}
GENERATED_NAME = re.compile(r"[A-Za-z0-9_-]{32}\.(png|jpg|pdf)")  # wizard/uploads/storage.py


class Applicant:
    """An anonymous visitor with a member draft whose cluster is "not listed", so both file steps apply."""

    def __init__(self, app):
        self.client = IsolatedClient.for_app(app)
        key = drafts.new_anon_key()
        profile = drafts.start_draft("cluster_member", None, key)
        profile.answers = {"clusters": {"not_listed": ["y"], engine.VALID_FLAG: True}}
        db.session.commit()
        self.public_id = profile.public_id
        with self.client.session_transaction() as session:
            session[ANON_KEY] = key
        self.csrf = {step: self._token(step) for step in FIELDS}

    def _token(self, step: str) -> str:
        page = self.client.get(f"/drafts/{self.public_id}/{step}")
        assert page.status_code == 200, f"the {step} step does not open: {page.status_code}"
        return BeautifulSoup(page.get_data(as_text=True), "html.parser").find("input", {"name": "csrf_token"})["value"]

    def post_file(self, step: str, data: bytes, filename: str):
        form = {**(ROW if step == MANUAL_STEP else {}), "csrf_token": self.csrf[step], "action": "continue"}
        form[FIELDS[step]] = FileStorage(io.BytesIO(data), filename)
        # Encoded here, in memory: the test client would spool a large body to a file it never closes.
        boundary, body = encode_multipart(MultiDict(form))
        started = time.monotonic()
        response = self.client.post(f"/drafts/{self.public_id}/{step}", data=body,
                                    content_type=f"multipart/form-data; boundary={boundary}")
        return response, time.monotonic() - started


def files_under(root: str) -> set[str]:
    found = set()
    for folder, _, names in os.walk(root):
        found |= {os.path.join(folder, name) for name in names}
    return found


def uploads_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Upload))


def newest_upload() -> Upload:
    return db.session.scalar(select(Upload).order_by(Upload.id.desc()).limit(1))


def judge(app, applicant: Applicant, step: str, sample) -> list[str]:
    root = app.config["UPLOAD_FOLDER"]
    files_before, rows_before = files_under(root), uploads_count()
    app.config["UPLOAD_MAX_BYTES"] = sample.max_bytes  # a few samples test a smaller configured cap
    try:
        response, seconds = applicant.post_file(step, sample.data, sample.filename)
    finally:
        app.config["UPLOAD_MAX_BYTES"] = LIMIT
    where = f"{sample.name} ({sample.klass}) on {step}"
    problems = [] if seconds <= SLOWEST_VERDICT_SECONDS else [f"{where}: took {seconds:.1f} s"]
    if response.status_code >= 500:
        return [*problems, f"{where}: {response.status_code}"]
    if sample.verdict == "reject":
        return problems + refusal_problems(where, response, files_before == files_under(root),
                                           rows_before == uploads_count())
    if response.status_code != 302:
        return [*problems, f"{where}: a good file was refused ({response.status_code})"]
    return problems + stored_problems(app, where, sample, rows_before)


def refusal_problems(where: str, response, files_unchanged: bool, rows_unchanged: bool) -> list[str]:
    problems = []
    has_errors = BeautifulSoup(response.get_data(as_text=True), "html.parser").select("#error-summary a")
    if response.status_code not in (400, 413) or (response.status_code == 400 and not has_errors):
        problems.append(f"{where}: refused file answered {response.status_code} without a form error")
    if not (files_unchanged and rows_unchanged):
        problems.append(f"{where}: a refused file left something stored")
    return problems


def stored_problems(app, where: str, sample, rows_before: int) -> list[str]:
    problems = []
    root = app.config["UPLOAD_FOLDER"]
    upload = newest_upload()
    stored_path = os.path.realpath(os.path.join(root, upload.storage_name))
    with open(stored_path, "rb") as handle:
        kept = handle.read()
    if not stored_path.startswith(os.path.realpath(root) + os.sep):
        problems.append(f"{where}: stored outside the upload folder at {stored_path}")
    # Not a substring test: a random name can end in "a.png" by chance (1 in 64 for a one-letter name).
    if os.path.basename(stored_path) == sample.filename or not GENERATED_NAME.fullmatch(os.path.basename(stored_path)):
        problems.append(f"{where}: stored under the name the user chose, not a generated one")
    if sample.payload and sample.payload in kept:
        problems.append(f"{where}: the payload survived into the stored file")
    if sample.kind and upload.content_type.split("/")[-1] != {"jpeg": "jpeg", "png": "png", "pdf": "pdf"}[sample.kind]:
        problems.append(f"{where}: stored as {upload.content_type}, the content is {sample.kind}")
    if uploads_count() not in (rows_before, rows_before + 1):  # a new file replaces the step's previous one
        problems.append(f"{where}: {uploads_count() - rows_before} rows added")
    return problems


@pytest.mark.figure("F1", "F2")
@pytest.mark.parametrize("step", [MANUAL_STEP, LOGO_STEP])
def test_every_corpus_sample_gets_the_right_verdict_through_the_step(app, step):
    applicant = Applicant(app)
    proof_samples = [s for s in corpus() if s.allowed != LOGO_KINDS]
    logo_samples = [s for s in corpus() if s.allowed == LOGO_KINDS]
    samples = proof_samples if step == MANUAL_STEP else logo_samples
    assert samples, f"no corpus samples for {step}"
    problems = [problem for sample in samples for problem in judge(app, applicant, step, sample)]
    assert not problems, "\n".join(problems)


NAMES = [
    "../../wsgi.py.png", "..\\..\\win.ini.png", "/etc/passwd.png", "C:\\Windows\\win.png", "%2e%2e%2fetc.png",
    "a.png\x00.php", "proof\x00.png", "x" * 4096 + ".png", "invoice\u202egnp.exe.png", "line\r\nbreak.png",
    "quote\"name'.png", "semi;colon.png", "<script>alert(1)</script>.png", "..png", ".htaccess.png",
    "CON.png", "space .png", "üñíçødé.png", "名前.png", "~/.ssh/id_rsa.png", "$(reboot).png", "`id`.png",
]


@pytest.mark.figure("F3")
def test_hostile_file_names_never_choose_where_or_what_is_stored(app):
    """F3: every name lands, if at all, under a generated name in the upload folder, shown escaped."""
    from tests.uploads.corpus import encode

    applicant = Applicant(app)
    root = os.path.realpath(app.config["UPLOAD_FOLDER"])
    problems = []
    for name in NAMES:
        response, _ = applicant.post_file(MANUAL_STEP, encode("PNG"), name)
        if response.status_code >= 500:
            problems.append(f"{name!r}: {response.status_code}")
        if response.status_code == 302:
            page = applicant.client.get(f"/drafts/{applicant.public_id}/{MANUAL_STEP}").get_data(as_text=True)
            if "<script>alert(1)</script>" in page:
                problems.append(f"{name!r}: shown unescaped")
    outside = [path for path in files_under(os.path.dirname(root)) if not path.startswith(root + os.sep)
               and not path.endswith((".sqlite3", ".sqlite3-wal", ".sqlite3-shm"))]
    stored = {os.path.basename(path) for path in files_under(root)}
    problems += [f"file outside the upload folder: {path}" for path in outside]
    problems += [f"stored under a chosen name: {name!r}" for name in NAMES if os.path.basename(name) in stored]
    assert not problems, "\n".join(problems)
