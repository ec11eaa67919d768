"""No e-mailed token in any output of the servers (issue 14 item 6; reliability.md LG-2; F25).

A POST to a link without a CSRF token is what a mail scanner sends; it used to log "CSRF check failed on
/account/reset-password/<the whole token>", and the token, unused, still reset the password. Here every link
kind is opened, posted to without CSRF, sent in a request line gunicorn refuses, mangled, and opened and posted
to again once expired, against gunicorn;
then the e-mail sender runs as its own process, once with the mail server down and once up. Every line they
wrote (gunicorn's access and error output, the app's log, the sender's output) is searched for every token.
"""
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.security.test_token_abuse import ENDPOINTS, latest_link
from tests.security.world import build_world
from tests.support.server import OVERRIDES_ENV, REPO, LiveServer, sqlite_database
from tests.support.smtp import SMTPServer
from wizard.extensions import db
from wizard.models import LinkToken, OutboxMessage, Profile
from wizard.models.base import utcnow
from wizard.services import accounts, coadmins, drafts

pytestmark = [pytest.mark.figure("F25"), pytest.mark.sqlite_only]  # the server runs on its own SQLite file
#: A token is found in a log if any this long a piece of it is.
PIECE = 24


def make_links(server: LiveServer) -> dict[str, str]:
    """kind -> token: one fresh link of every kind, made by the app's own services (as test_token_abuse)."""
    with server.database():
        world = build_world(server.twin())
        accounts.register("newcomer@matrix.eu", "a long enough passphrase 2026", "Newcomer")
        accounts.request_password_reset("other@matrix.eu")
        anonymous_draft = drafts.start_draft("works_with_clusters", None, drafts.new_anon_key())
        drafts.send_resume_link(anonymous_draft, "visitor@matrix.eu")
        cluster = db.session.query(Profile).filter_by(public_id=world.ids["cluster"]).one()
        coadmins.invite(cluster, world.users["applicant"], "cluster2-admin@matrix.eu")
        db.session.commit()
        return {kind: latest_link(prefix).rsplit("/", 1)[1] for kind, prefix in ENDPOINTS.items()}


def mangled(token: str) -> list[str]:
    last = "B" if token[-1] == "A" else "A"
    return [token[:-1] + last, token + "x", token[:-3], token[5:] + token[:5]]


def visit(server: LiveServer, path: str, post: bool = False) -> int:
    """A GET, or a POST without CSRF token and without the session cookie: what a mail scanner sends."""
    data = urllib.parse.urlencode({"decision": "approve", "password": "x" * 20, "confirm": "x" * 20}).encode()
    request = urllib.request.Request(server.url + path, data=data if post else None)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def malformed_request(server: LiveServer, path: str) -> None:
    """A request line gunicorn itself refuses: its error log quotes the line, path and all."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {path}\r\nHost: 127.0.0.1\r\n\r\n".encode())  # no HTTP version
        while sock.recv(4096):
            pass


def run_sender(server: LiveServer, mail_port: int) -> str:
    """`flask outbox send`, as production runs it beside gunicorn: its whole output."""
    env = {**os.environ, OVERRIDES_ENV: json.dumps({**server.overrides, "MAIL_PORT": mail_port}),
           "WIZARD_ENV": "testing", "PYTHONUNBUFFERED": "1"}
    env.pop("TEST_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "tests.support.server:app_from_environment()",
                           "outbox", "send"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def pieces(token: str) -> set[str]:
    return {token[start:start + PIECE] for start in range(len(token) - PIECE + 1)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tokens-in-logs")
    with LiveServer(sqlite_database(folder), folder, workers=2, name="tokens-in-logs",
                    overrides={"DEV_OUTBOX_ENABLED": False}) as live:
        yield live


def test_no_token_in_any_server_output(server):
    tokens = make_links(server)
    used = set(tokens.values())
    statuses = []
    for kind, token in tokens.items():
        path = ENDPOINTS[kind] + token
        statuses += [visit(server, path), visit(server, path, post=True)]
        malformed_request(server, path)
        for bad in mangled(token):
            used.add(bad)
            statuses += [visit(server, ENDPOINTS[kind] + bad), visit(server, ENDPOINTS[kind] + bad, post=True)]
    with server.database():
        db.session.execute(update(LinkToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    for kind, token in tokens.items():
        statuses += [visit(server, ENDPOINTS[kind] + token), visit(server, ENDPOINTS[kind] + token, post=True)]

    smtp = SMTPServer()
    smtp.start()
    try:
        sender_output = run_sender(server, mail_port=1)  # nobody listens: every e-mail fails and is kept
        with server.database():  # and is due again at once, not after the back-off
            db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow(), lease_until=None))
            db.session.commit()
        sender_output += run_sender(server, mail_port=smtp.port)
    finally:
        smtp.stop()
    server_output = server.log_text()

    assert 500 not in statuses
    assert len(smtp.received) >= len(tokens), "the sender delivered the links, so it handled the tokens"
    # The outputs searched hold what the figure names: the access log, the app's CSRF warnings, the sender.
    assert f"POST {ENDPOINTS['reset']}[token]" in server_output
    assert f"CSRF check failed on {ENDPOINTS['reset']}[token]" in server_output
    assert f"Invalid HTTP request line: 'GET {ENDPOINTS['reset']}[token]" in server_output
    found = {(name, token) for token in used for piece in pieces(token)
             for name, output in (("server", server_output), ("sender", sender_output)) if piece in output}
    assert not found, f"tokens in the output: {sorted(found)[:5]}"
