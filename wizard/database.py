"""Engine set-up that differs between SQLite and PostgreSQL."""
import json
import os
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.engine import Engine

from wizard.extensions import db


def json_text(value: Any) -> str:
    """JSON columns' serializer: orjson, several times faster than the standard library on a draft's answers
    (every step saved writes them all). The standard library takes what orjson refuses (lone surrogates)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


def read_without_transaction() -> None:
    """For a request that only reads: its queries run without BEGIN and ROLLBACK around them.

    On PostgreSQL that saves two of a page's four round trips (ping, BEGIN, the query, ROLLBACK); a single
    SELECT sees one consistent snapshot anyway. A write made later in the same request (the sign-in's
    last-seen time) is a single statement, committed as it runs.
    """
    if db.session.get_bind().dialect.name != "sqlite":  # pysqlite begins no transaction for a SELECT
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def engine_options(uri: str, configured: dict[str, Any]) -> dict[str, Any]:
    options = {"json_serializer": json_text, "json_deserializer": orjson.loads, **configured}
    if uri.startswith("sqlite"):
        # The ping is there to notice a database server that went away (FT-3); a file cannot, and the
        # ping would cost every request a statement.
        options.pop("pool_pre_ping", None)
    return options


def sqlite_uri_in(instance_path: str) -> str:
    os.makedirs(instance_path, exist_ok=True)
    return "sqlite:///" + os.path.join(instance_path, "wizard.sqlite3")


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL and a busy timeout let several gunicorn workers share one file.

    pysqlite's own transaction handling is kept on purpose: SQLAlchemy's recipe that emits a
    deferred BEGIN made 75% of concurrent step saves fail with "database is locked" here
    (shared/domain.md §11). State changes are compare-and-set updates instead.
    """

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
