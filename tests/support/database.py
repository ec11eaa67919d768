"""A database migrated to head once per test worker, and a fast wipe between tests."""
import os
import uuid

from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, inspect, text

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "migrations")
#: Reference data seeded by migrations: kept between tests.
KEEP_TABLES = {"alembic_version", "countries"}


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig(os.path.join(MIGRATIONS, "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def run_migrations(url: str, revision: str = "head", down: bool = False) -> None:
    """Runs Flask-Migrate's env.py under a throwaway app bound to `url`."""
    from flask_migrate import downgrade, upgrade

    from config import TestingConfig
    from wizard import create_app

    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if down:
            downgrade(directory=MIGRATIONS, revision=revision)
        else:
            upgrade(directory=MIGRATIONS, revision=revision)
        from wizard.extensions import db

        db.engine.dispose()


def postgres_schema_url(base_url: str, schema: str) -> str:
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


def create_postgres_schema(base_url: str, worker_id: str) -> tuple[str, callable]:
    schema = f"test_{worker_id}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()

    return postgres_schema_url(base_url, schema), drop


def migrated_database_url(tmp_dir, worker_id: str):
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        if base.startswith("postgresql://"):
            base = "postgresql+psycopg://" + base.split("://", 1)[1]
        url, cleanup = create_postgres_schema(base, worker_id)
    else:
        url, cleanup = f"sqlite:///{tmp_dir}/test.sqlite3", lambda: None
    run_migrations(url)
    return url, cleanup


def wipe_data(engine) -> None:
    tables = [t for t in inspect(engine).get_table_names() if t not in KEEP_TABLES]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))
            connection.execute(text("PRAGMA foreign_keys=ON"))
