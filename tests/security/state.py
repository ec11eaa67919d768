"""What "nothing changed" means: every table's rows, hashed, before and after a refused request."""
import hashlib

from sqlalchemy import inspect, text

#: Touched by reading pages, by design: when a signed-in person was last seen (at most once a minute).
VOLATILE = {("auth_sessions", "last_seen_at")}


_QUERIES: dict[str, list[tuple[str, str]]] = {}


def _queries(engine) -> list[tuple[str, str]]:
    """One SELECT per table, built once per database (reflection is slow on PostgreSQL)."""
    key = str(engine.url)
    if key not in _QUERIES:
        inspector = inspect(engine)
        queries = []
        for table in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(table) if (table, c["name"]) not in VOLATILE]
            keys = inspector.get_pk_constraint(table).get("constrained_columns") or columns
            quoted = ", ".join(f'"{c}"' for c in columns)
            order = ", ".join(f'"{c}"' for c in keys)
            queries.append((table, f'SELECT {quoted} FROM "{table}" ORDER BY {order}'))  # noqa: S608
        _QUERIES[key] = queries
    return _QUERIES[key]


def snapshot(engine) -> dict[str, tuple[int, str]]:
    """{table: (row count, sha256 of its rows in primary-key order)} for every table."""
    result = {}
    with engine.connect() as connection:
        for table, query in _queries(engine):
            rows = connection.execute(text(query)).all()
            digest = hashlib.sha256(repr([tuple(map(str, row)) for row in rows]).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
