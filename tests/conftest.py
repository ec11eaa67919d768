"""Fixtures shared by the suite: a migrated database (SQLite, or PostgreSQL when TEST_DATABASE_URL
is set), an app per test, a real SMTP server on loopback, factories and a page parser."""
import os
import re
import secrets
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.clients import IsolatedClient
from tests.support.database import migrated_database_url, wipe_data
from tests.support.pages import ClientHelper
from tests.support.smtp import SMTPServer
from tests.support.templates import share_compiled_templates

# tests.support.browser: one session Chromium (`browser`, `axe`, `visits`) for every folder that drives one.
pytest_plugins = ["tests.support.factories", "tests.support.disk", "tests.support.s3", "tests.support.browser",
                  "tests.reliability.plugin"]

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    url, cleanup = migrated_database_url(tmp_path_factory.mktemp("db"), worker_id)
    yield url
    cleanup()


@pytest.fixture(scope="session")
def worker_id(request):
    # pytest-xdist provides its own worker_id fixture when it runs; this covers plain runs.
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture
def config_overrides():
    """Tests override settings by overriding this fixture or by `@pytest.mark.config(KEY=value)`."""
    return {}


def stale_listed_flags() -> list[int]:
    from sqlalchemy import select

    from wizard.extensions import db
    from wizard.models import Profile
    from wizard.services.visibility import listed_rule

    try:
        db.session.rollback()
        rows = db.session.execute(select(Profile.id, Profile.listed, listed_rule())).all()
    except Exception:  # noqa: BLE001 - a test that left no schema (migration tests) has nothing to compare
        return []
    return [profile_id for profile_id, stored, rule in rows if bool(stored) != bool(rule)]


def stale_search_terms() -> list[int]:
    from sqlalchemy import select

    from wizard.extensions import db
    from wizard.models import Profile
    from wizard.models.affiliations import ProfileSearchTerm
    from wizard.services.search_terms import terms_for

    try:
        db.session.rollback()
        profiles = db.session.execute(select(Profile.id, Profile.name, Profile.acronym, Profile.website_domain)).all()
        stored: dict[int, set[str]] = {}
        for term, profile_id in db.session.execute(select(ProfileSearchTerm.term, ProfileSearchTerm.profile_id)):
            stored.setdefault(profile_id, set()).add(term)
    except Exception:  # noqa: BLE001 - a test that left no schema (migration tests) has nothing to compare
        return []
    return [pid for pid, name, acronym, domain in profiles
            if terms_for(name or "", acronym or "", domain) != stored.get(pid, set())]


@pytest.fixture
def app(database_url, config_overrides, tmp_path, request):
    from config import TestingConfig
    from wizard import create_app
    from wizard.extensions import db, limiter

    overrides = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "BASE_URL": "http://localhost",
    }
    marker = request.node.get_closest_marker("config")
    if marker:
        overrides.update(marker.kwargs)
    overrides.update(config_overrides)
    application = create_app(TestingConfig, overrides)
    application.instance_path = str(tmp_path / "instance")
    application.test_client_class = IsolatedClient
    share_compiled_templates(application)
    with application.app_context():
        limiter.reset()
        yield application
        stale, unfound = stale_listed_flags(), stale_search_terms()
        db.session.remove()
        wipe_data(db.engine)
        db.engine.dispose()
    # Every service that changes what visibility reads keeps Profile.listed (services/visibility.follow):
    # after every test, whatever it did, the stored copy agrees with the rule.
    assert not stale, f"Profile.listed disagrees with the visibility rule for profiles {stale}"
    # And the picker's search words follow every profile's name, acronym and website domain (services/search_terms).
    assert not unfound, f"the search terms of profiles {unfound} do not follow their name, acronym and domain"


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def helper(app, client):
    """Get/post like a user: parses pages, fills CSRF tokens from the form it came from."""
    return ClientHelper(app, client)


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback; the app's mail settings point at it."""
    server = SMTPServer()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    from wizard.extensions import mail

    mail.init_app(app)
    yield server
    server.stop()


def pytest_configure(config):
    config.addinivalue_line("markers", "config(**settings): app settings for this test")


def _runs_in_this_pass(item, on_postgres: bool) -> bool:
    """Each test runs in the pass that has its part, so CI never counts a skip."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    needs_postgres = item.get_closest_marker("postgres") or params.get("fresh_database") == "postgresql"
    if needs_postgres:
        return on_postgres
    # Browser journeys and SQLite-only checks run once, in the SQLite pass.
    return not (on_postgres and (item.get_closest_marker("browser") or item.get_closest_marker("sqlite_only")))


def pytest_collection_modifyitems(config, items):
    on_postgres = bool(os.environ.get("TEST_DATABASE_URL"))
    keep = [item for item in items if _runs_in_this_pass(item, on_postgres)]
    dropped = [item for item in items if item not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


__all__ = ["IN_CI", "Path", "create_engine", "re", "secrets", "text"]
