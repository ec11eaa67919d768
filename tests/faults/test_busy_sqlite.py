"""SQLite busy: another connection holds the write lock while a person saves a step or submits
(reliability.md CC-5, FT-4; F13). A short hold is waited out (the busy timeout retries); a hold longer
than the timeout gives the "service is busy" page, and nothing is ever half-written.

These tests are about SQLite itself, so they run on a SQLite file of their own in the PostgreSQL
pass too.
"""
import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from tests.faults.world import ready_drafts
from tests.support.clients import IsolatedClient
from tests.support.database import run_migrations, wipe_data
from tests.support.pages import ClientHelper
from wizard import create_app
from wizard.auth.helpers import ANON_KEY
from wizard.extensions import db
from wizard.models import OutboxMessage, Profile, Submission
from wizard.services import drafts
from wizard.services.accounts import start_session

BUSY_TIMEOUT_MS = 1000
pytestmark = pytest.mark.sqlite_only  # its own SQLite file: the PostgreSQL pass would run the same thing again


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("busy") / "busy.sqlite3"
    run_migrations(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_app(sqlite_file, tmp_path):
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{sqlite_file}",
                                     "SQLITE_BUSY_TIMEOUT_MS": BUSY_TIMEOUT_MS, "UPLOAD_FOLDER": str(tmp_path)})
    with app.app_context():
        yield app
        db.session.remove()
        wipe_data(db.engine)
        db.engine.dispose()


@contextmanager
def write_lock_held(path, seconds: float):
    """Another process's writer: BEGIN IMMEDIATE, hold for `seconds`, then roll back."""
    taken = threading.Event()

    def hold():
        connection = sqlite3.connect(path, isolation_level=None, timeout=10)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE countries SET name = name WHERE code = 'DE'")
            taken.set()
            time.sleep(seconds)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(5), "could not take the write lock"
    try:
        yield
    finally:
        thread.join()


def anonymous_draft(app) -> tuple[IsolatedClient, str]:
    client = IsolatedClient.for_app(app)
    key = drafts.new_anon_key()
    profile = drafts.start_draft("works_with_clusters", None, key)
    with client.session_transaction() as session:
        session[ANON_KEY] = key
    return client, profile.public_id


def stored(public_id: str) -> Profile:
    db.session.expire_all()
    return db.session.scalar(select(Profile).where(Profile.public_id == public_id))


TYPED = {"name": "Busy Database Institute", "website": "https://www.busy-db.eu", "address": "Lock Street 1",
         "city": "Ghent", "year_established": "1999", "description": "We wait for locks.", "action": "continue"}


def test_a_step_saved_while_another_writer_holds_the_lock_briefly_is_saved(sqlite_app, sqlite_file):
    client, public_id = anonymous_draft(sqlite_app)
    helper = ClientHelper(sqlite_app, client)
    form_url = f"/drafts/{public_id}/organisation"
    token = helper.csrf_token(form_url)
    with write_lock_held(sqlite_file, BUSY_TIMEOUT_MS / 1000 / 2):
        response = client.post(form_url, data={**TYPED, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    assert stored(public_id).answers["organisation"]["name"] == [TYPED["name"]]


def test_a_step_saved_while_the_lock_outlasts_the_timeout_gets_the_busy_page_and_nothing_half_written(
        sqlite_app, sqlite_file):
    client, public_id = anonymous_draft(sqlite_app)
    helper = ClientHelper(sqlite_app, client)
    form_url = f"/drafts/{public_id}/organisation"
    token = helper.csrf_token(form_url)
    before = stored(public_id)
    version, answers = before.version, dict(before.answers or {})

    started = time.monotonic()
    with write_lock_held(sqlite_file, BUSY_TIMEOUT_MS / 1000 * 2.5):
        response = client.post(form_url, data={**TYPED, "csrf_token": token})
        waited = time.monotonic() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 503, response.status_code
    assert "busy" in page.lower(), page[:500]
    assert waited >= BUSY_TIMEOUT_MS / 1000 * 0.9, "the busy timeout was not waited out before giving up"
    # The draft is exactly as it was: not a half-saved step, not a bumped version.
    after = stored(public_id)
    assert (after.version, after.answers) == (version, answers)
    with sqlite3.connect(sqlite_file) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # TODO(lead): F13 also asks that the busy page keep the typed values (the 503 page here is the generic
    # error page, so the typed answers are only in the browser's history); reported, not asserted.

    retry = client.post(form_url, data={**TYPED, "csrf_token": token})
    assert retry.status_code == 302
    assert stored(public_id).answers["organisation"]["name"] == [TYPED["name"]]


def test_a_submission_while_the_database_is_locked_is_all_or_nothing(sqlite_app, sqlite_file, make_user_sqlite):
    user = make_user_sqlite("locked-out@example.eu")
    [public_id] = ready_drafts(user, 1, prefix="Locked")
    client = IsolatedClient.for_app(sqlite_app)
    with client.session_transaction() as session:
        session["_user_id"] = start_session(user)
    helper = ClientHelper(sqlite_app, client)
    check = helper.get(f"/drafts/{public_id}/check-answers")
    form = {"version": check.value_of("version"), "consent": "y", "declaration": "y",
            "csrf_token": check.value_of("csrf_token")}

    with write_lock_held(sqlite_file, BUSY_TIMEOUT_MS / 1000 * 2.5):
        response = client.post(f"/drafts/{public_id}/check-answers", data=form)
    assert response.status_code == 503
    assert stored(public_id).status == "draft"
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0

    again = client.post(f"/drafts/{public_id}/check-answers", data=form)
    assert again.status_code in (302, 303)
    assert stored(public_id).status == "submitted"
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


@pytest.fixture
def make_user_sqlite(sqlite_app):
    from tests.support.factories import DEFAULT_PASSWORD
    from tests.support.speed import password_hash
    from wizard.models import User
    from wizard.models.base import utcnow

    def make(email: str) -> User:
        user = User(email=email, password_hash=password_hash(DEFAULT_PASSWORD), full_name="Locked Out",
                    email_verified_at=utcnow())
        db.session.add(user)
        db.session.commit()
        return user

    return make
