"""Migrations build the schema the models describe, on SQLite and PostgreSQL, both ways, with the country data."""
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.support.database import create_postgres_schema, run_migrations
from wizard.extensions import db
from wizard.models import Country

# SQLite cannot reflect indexes on expressions such as lower(email), so there they are not compared (PostgreSQL
# compares them); test_email_index_is_unique_whatever_the_case checks the one accounts rely on.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index"),
]


def _postgres_base_url() -> str:
    base = os.environ["TEST_DATABASE_URL"]
    return "postgresql+psycopg://" + base.split("://", 1)[1] if base.startswith("postgresql://") else base


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request, tmp_path, worker_id):
    """An empty database nobody has migrated yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/fresh.sqlite3"
        return
    # The PostgreSQL case is deselected in the SQLite pass (tests/conftest.py), so the URL is set here.
    assert os.environ.get("TEST_DATABASE_URL"), "set TEST_DATABASE_URL to check the migrations on PostgreSQL"
    url, drop = create_postgres_schema(_postgres_base_url(), f"{worker_id}_mig")
    yield url
    drop()


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def schema_differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "compare_server_default": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def country_facts(url: str) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT code, eu_cosme FROM countries")).all())
    finally:
        engine.dispose()
    return rows


def test_upgrade_downgrade_upgrade(app, fresh_database):
    model_tables = set(db.metadata.tables)

    run_migrations(fresh_database)
    assert tables(fresh_database) == model_tables | {"alembic_version"}

    run_migrations(fresh_database, "base", down=True)
    assert tables(fresh_database) == {"alembic_version"}

    run_migrations(fresh_database)
    assert tables(fresh_database) == model_tables | {"alembic_version"}
    assert schema_differences(fresh_database) == []
    countries = country_facts(fresh_database)
    assert len(countries) == 250 and sum(bool(eu) for eu in countries.values()) == 38
    assert countries["XK"] and not countries["NO"] and not countries["GB"]


def test_the_migrated_test_database_matches_the_models(app):
    """The database every other test runs on (SQLite, or PostgreSQL in that pass) has no drift either."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_countries_are_seeded_with_the_eu_cosme_list(app):
    countries = {country.code: country for country in db.session.scalars(select(Country))}
    assert len(countries) == 250
    eu_cosme = {code for code, country in countries.items() if country.eu_cosme}
    assert len(eu_cosme) == 38
    assert "XK" in countries and countries["XK"].name == "Kosovo" and countries["XK"].eu_cosme
    assert {"DE", "GR", "IS", "TR", "UA", "RS"} <= eu_cosme
    assert not {"NO", "GB", "LI", "CH"} & eu_cosme
    assert countries["NO"].name == "Norway"


def test_email_index_is_unique_whatever_the_case(app, make_user):
    make_user(email="Ana@Example.eu")
    with pytest.raises(IntegrityError):
        make_user(email="ana@example.EU")
    db.session.rollback()


def test_typed_in_clusters_move_to_their_own_step_and_back(app, fresh_database):
    """types01 (issue 17 item 7): rows typed in the association's step before it reach the new typed-in step."""
    import json

    from sqlalchemy.orm import Session

    from wizard.models import Profile

    run_migrations(fresh_database, "g1outbox01")
    old = {"association": {"geographic_scope": ["european"], "member_clusters-0-cluster_name": ["Minalogic"],
                           "member_clusters-0-cluster_website": [""], "_valid": True}}
    engine = create_engine(fresh_database)
    try:
        with Session(engine) as session:  # the schema is the models' at that revision too
            session.add(Profile(profile_type="association", answers=old))
            session.commit()
        run_migrations(fresh_database)

        def answers() -> dict:
            with engine.connect() as connection:
                value = connection.execute(text("SELECT answers FROM profiles")).scalar_one()
            return json.loads(value) if isinstance(value, str) else value

        moved = answers()
        assert moved["association"] == {"geographic_scope": ["european"], "_valid": True}
        assert moved["member_clusters_typed"]["member_clusters-0-cluster_name"] == ["Minalogic"]
        assert moved["member_clusters"] == {"clusters": [], "not_listed": ["y"], "_valid": True}
        run_migrations(fresh_database, "g1outbox01", down=True)
        assert answers() == old
    finally:
        engine.dispose()


def test_status_and_role_columns_refuse_unknown_words_and_the_downgrade_lifts_it(app, fresh_database, subtests):
    """checks01: CHECK constraints on PostgreSQL, triggers on SQLite, refuse the same rows; rows already there and
    the rows that reference them survive the migration (no table is rebuilt)."""
    from sqlalchemy.orm import Session

    from wizard.models import Affiliation, OutboxMessage, Profile, ProfileEcosystem, User

    def rows(role: str, status: str, outbox_status: str) -> dict:
        return {
            "users.role": User(email=f"{role}@example.eu", password_hash="x", role=role),
            "profiles.status": Profile(profile_type="cluster_organisation", status=status, answers={}),
            "outbox_messages.status": OutboxMessage(recipient="a@example.eu", subject="s", body_text="t",
                                                    body_html="h", message_id=f"<{outbox_status}@example.eu>",
                                                    status=outbox_status),
        }

    run_migrations(fresh_database, "types01")
    engine = create_engine(fresh_database)
    try:
        with Session(engine) as session:
            before = rows("validator", "published", "sent")
            session.add_all(before.values())
            session.flush()
            member = before["profiles.status"]
            session.add_all([ProfileEcosystem(profile_id=member.id, ecosystem="digital"),
                             Affiliation(member_profile_id=member.id, manual_name="Cluster")])
            session.commit()
        run_migrations(fresh_database)
        for case, row in rows("superuser", "lost", "lost").items():
            with subtests.test(case=f"insert {case}"), Session(engine) as session, \
                    pytest.raises(IntegrityError, match="ck_"):
                session.add(row)
                session.commit()
        for table, column in (("users", "role"), ("profiles", "status"), ("affiliations", "status"),
                              ("outbox_messages", "status")):
            with subtests.test(case=f"update {table}.{column}"), pytest.raises(IntegrityError, match="ck_"):
                with engine.begin() as connection:
                    connection.execute(text(f"UPDATE {table} SET {column} = 'Published'"))  # noqa: S608 - fixed names
        with engine.begin() as connection:
            assert connection.execute(text("SELECT status FROM profiles")).scalar_one() == "published"
            assert connection.execute(text("SELECT count(*) FROM profile_ecosystems")).scalar_one() == 1
            assert connection.execute(text("SELECT count(*) FROM affiliations")).scalar_one() == 1
            connection.execute(text("UPDATE profiles SET status = 'withdrawn'"))  # a known word still goes in
        run_migrations(fresh_database, "types01", down=True)
        with engine.begin() as connection:
            connection.execute(text("UPDATE profiles SET status = 'anything'"))
    finally:
        engine.dispose()
