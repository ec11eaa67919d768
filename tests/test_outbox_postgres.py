"""Two outbox senders at once on PostgreSQL (SELECT … FOR UPDATE SKIP LOCKED plus a conditional claim).

Marked `postgres`: it runs in the PostgreSQL pass (TEST_DATABASE_URL set) and is deselected in the
SQLite pass, which runs the SQLite variant in tests/test_outbox.py. With TEST_DATABASE_URL set and
the server unreachable, the `database_url` fixture fails: the pass never turns green without PostgreSQL.
"""
import os
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.support.senders import send_in_parallel
from wizard.extensions import db
from wizard.models import OutboxMessage, OutboxStatus
from wizard.services.outbox import queue_email

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres(app):
    assert db.engine.dialect.name == "postgresql", (
        f"this test needs PostgreSQL (TEST_DATABASE_URL={os.environ.get('TEST_DATABASE_URL')!r}), "
        f"the app runs on {db.engine.dialect.name}")


class FakeUser:
    full_name = "Ana Example"
    email = "ana@example.eu"


def queue(n: int) -> list[OutboxMessage]:
    rows = [queue_email(f"member{i}@example.eu", "reset_password", user=FakeUser(), link=f"http://localhost/x{i}")
            for i in range(n)]
    db.session.commit()
    return rows


def test_two_senders_deliver_each_row_exactly_once(app, postgres, smtp_server):
    queued = queue(200)
    reports = send_in_parallel(app, senders=2, batch=10)

    assert sum(report.sent for report in reports) == 200
    assert all(report.sent > 0 for report in reports), f"a sender got no rows: {reports}"
    received = Counter(str(message.message["Message-ID"]) for message in smtp_server.received)
    assert len(received) == 200 and set(received.values()) == {1}
    assert set(received) == {row.message_id for row in queued}
    assert db.session.scalar(select(func.count()).where(OutboxMessage.status != OutboxStatus.SENT)) == 0
    assert db.session.scalar(select(func.sum(OutboxMessage.attempts))) == 200
