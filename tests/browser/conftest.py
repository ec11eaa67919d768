"""One gunicorn server over a fresh SQLite database with the demo data, and one Chromium, per test session.

Each test opens its own browser contexts (`visits`), so no cookie carries over between tests. The
journeys share the database: each uses names and addresses of its own (tests/browser/answers.py).
"""
import json
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tests.support.server import OVERRIDES_ENV, REPO, LiveServer, sqlite_database


@dataclass(frozen=True)
class Site:
    server: LiveServer
    url: str
    validator: str
    admin: str
    password: str
    #: A published cluster organisation of the demo data and its profile administrator.
    cluster_name: str
    cluster_admin: str

    def new_account(self, email: str, password: str) -> str:
        """A confirmed applicant account, as if registered earlier."""
        from wizard.models import User
        from wizard.models.base import utcnow
        from wizard.passwords import hash_password

        with self.server.database() as session:
            session.add(User(email=email, password_hash=hash_password(password), full_name="Journey Applicant",
                             email_verified_at=utcnow()))
            session.commit()
        return email


def load_demo_data(server: LiveServer) -> str:
    """`flask demo-data`, the newcomer's command, against the server's database."""
    env = {**os.environ, OVERRIDES_ENV: json.dumps(server.overrides), "WIZARD_ENV": "testing"}
    env.pop("TEST_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "tests.support.server:app_from_environment()",
                           "demo-data"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    server = LiveServer(sqlite_database(folder), folder, name="browser")
    load_demo_data(server)
    server.start()
    from wizard import demo

    cluster = demo.CLUSTERS[0]
    yield Site(server=server, url=server.url, validator=demo.VALIDATOR_EMAIL, admin=demo.ADMIN_EMAIL,
               password=demo.DEMO_PASSWORD, cluster_name=cluster.name, cluster_admin=f"{cluster.slug}@demo.eu")
    tokens = e_mailed_tokens(server)
    server.stop()
    log = server.log_text()
    assert "Traceback" not in log, f"the server logged an error during the journeys:\n{server.log_tail(60)}"
    leaked = [token for token in tokens if token in log]
    assert not leaked, f"{len(leaked)} e-mailed link tokens are in the server's log (reliability.md LG-2)"


def e_mailed_tokens(server: LiveServer) -> list[str]:
    """The secret part of every link the journeys were e-mailed."""
    from sqlalchemy import select

    from tests.support.emails import links_in
    from wizard.models import OutboxMessage

    with server.database() as session:
        bodies = session.scalars(select(OutboxMessage.body_text)).all()
    return [link.rsplit("/", 1)[1] for body in bodies for link in links_in(body)
            if len(link.rsplit("/", 1)[1]) >= 40]
