"""The sender claims a backlog in one statement (issue 15, item 5).

On SQLite a write holds the one database-wide write lock: claiming a backlog row by row held it for one
UPDATE per row (100 rows: 430-870 ms on a busy machine, 35-85 ms in one statement), and every request
that wrote meanwhile (a submission) waited behind it. A slow SMTP server is what lets a backlog build up,
so this was the slow-SMTP submissions' tail latency on SQLite; PostgreSQL locks rows and never showed it.
"""
from sqlalchemy import event

from tests.test_outbox import message_ids, queue, rows
from wizard.extensions import db
from wizard.models import OutboxStatus
from wizard.services.outbox import send_due

BACKLOG = 50


def test_a_backlog_is_claimed_with_one_write_and_each_row_sent_once(app, smtp_server):
    queue(BACKLOG)
    claims = []

    def count_claims(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE") and OutboxStatus.SENDING.value in str(parameters):
            claims.append(statement)

    event.listen(db.engine, "before_cursor_execute", count_claims)
    try:
        report = send_due(limit=BACKLOG)
    finally:
        event.remove(db.engine, "before_cursor_execute", count_claims)
    assert len(claims) == 1, f"{len(claims)} UPDATEs held the write lock to claim {BACKLOG} rows"
    assert report.sent == BACKLOG and len(set(message_ids(smtp_server))) == BACKLOG
    assert {row.status for row in rows()} == {OutboxStatus.SENT.value}
