"""Secrets at rest and in logs after a journey against gunicorn (reliability.md TK-1, AU-2, LG-2, TK-7; F18).

A person registers, confirms the address, signs in, starts a draft, signs out, forgets the password, resets
it and signs in again, over HTTP against gunicorn with its access log on. A sender delivers the e-mails to a
real SMTP server after each step, and the person follows the links they received there. Then the whole
database is dumped (the outbox included: a delivered e-mail keeps no link) and the server's log read, and
both are searched for every secret the journey saw: both passwords, every e-mailed token (the signed link
value and the random part inside it), every session cookie and the session id inside it.
"""
import re

import pytest
from sqlalchemy import inspect, select, text

from tests.faults.world import HttpPerson, form_fields
from tests.support.emails import links_in
from tests.support.server import LiveServer, sqlite_database
from tests.support.smtp import SMTPServer
from wizard.auth.helpers import ANON_KEY
from wizard.extensions import db
from wizard.models import OutboxMessage, OutboxStatus, User
from wizard.services.outbox import LINK_REMOVED, send_due
from wizard.tokens import Purpose

pytestmark = [pytest.mark.figure("F18"), pytest.mark.sqlite_only]  # the server runs on its own SQLite file

EMAIL = "secretive@example.eu"
FIRST_PASSWORD = "quiet harbour lantern 2026"  # noqa: S105 - test passwords, searched for below
SECOND_PASSWORD = "copper meadow violin 7741"  # noqa: S105
#: The secrets a session cookie carries: the sign-in's session id, a visitor's draft key, the CSRF secret.
SESSION_SECRETS = ("_user_id", ANON_KEY, "csrf_token")
ARGON2ID = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


class Journey:
    """What a person does, and every secret they hold along the way."""

    def __init__(self, server: LiveServer, smtp: SMTPServer):
        self.server = server
        self.smtp = smtp
        self.person = HttpPerson(server.url)
        self.cookies: set[str] = set()

    def post_form(self, path: str, data: dict, expected: int = 302):
        token = form_fields(self.person.get(path).text)["csrf_token"]
        response = self.person.post(path, {**data, "csrf_token": token})
        assert response.status_code == expected, f"POST {path}: {response.status_code}"
        self.cookies |= {cookie.value for cookie in self.person.session.cookies}
        return response

    def deliver(self) -> None:
        """One round of the production sender (`flask outbox send`), on the server's database."""
        with self.server.database():
            send_due()

    def last_link(self, prefix: str) -> str:
        """The link in the latest e-mail the person received (not in the outbox: a sent row keeps none)."""
        self.deliver()
        body = self.smtp.received[-1].text
        [link] = [link for link in links_in(body) if prefix in link]
        return link.split(self.server.url, 1)[1]

    def run(self) -> None:
        self.post_form("/account/register", {"full_name": "Seren Secretive", "email": EMAIL,
                                             "password": FIRST_PASSWORD, "confirm": FIRST_PASSWORD})
        self.post_form(self.last_link("/account/verify/"), {})
        self.post_form("/account/sign-in", {"email": EMAIL, "password": FIRST_PASSWORD})
        started = self.post_form("/start/works_with_clusters", {})
        self.post_form(started.headers["Location"], {"country": "BE", "action": "continue"})  # the first step
        self._sign_out()
        self.post_form("/account/forgot-password", {"email": EMAIL}, expected=200)  # "check your e-mail"
        self.post_form(self.last_link("/account/reset-password/"),
                       {"password": SECOND_PASSWORD, "confirm": SECOND_PASSWORD})
        self.post_form("/account/sign-in", {"email": EMAIL, "password": SECOND_PASSWORD})
        self.deliver()  # the "password changed" notice

    def _sign_out(self) -> None:
        token = form_fields(self.person.get("/").text)["csrf_token"]
        self.cookies |= {cookie.value for cookie in self.person.session.cookies}
        response = self.person.post("/account/sign-out", {"csrf_token": token})
        assert response.status_code == 302, response.status_code


def session_ids(app, cookies: set[str]) -> set[str]:
    """The secret values inside the signed session cookies (the cookie itself is signed, not encrypted)."""
    serializer = app.session_interface.get_signing_serializer(app)
    inside = set()
    for cookie in cookies:
        try:
            values = serializer.loads(cookie)
        except Exception:  # noqa: BLE001 - not a session cookie (e.g. the remember-me cookie)
            continue
        inside |= {values[key] for key in SESSION_SECRETS if isinstance(values.get(key), str)}
    return inside


def e_mailed_secrets(app, bodies: list[str]) -> set[str]:
    from itsdangerous import BadSignature, URLSafeSerializer

    values = {link.rsplit("/", 1)[1] for body in bodies for link in links_in(body) if len(link.rsplit("/", 1)[1]) >= 40}
    raws = set()
    for value in values:
        for purpose in vars(Purpose).values():
            try:
                raws.add(URLSafeSerializer(app.config["SECRET_KEY"], salt=f"link-token:{purpose}").loads(value))
            except BadSignature:
                continue
    return values | {raw for raw in raws if isinstance(raw, str) and len(raw) >= 40}


def dump(engine) -> dict[str, str]:
    """column -> every value it holds, as text: a database dump that can be searched."""
    columns = {}
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():  # every table, not only those the models know
            result = connection.execute(text(f'SELECT * FROM "{table}"'))  # noqa: S608 - names from the schema
            rows = result.all()
            for index, column in enumerate(result.keys()):
                columns[f"{table}.{column}"] = "\n".join(str(row[index]) for row in rows)
    return columns


@pytest.fixture(scope="module")
def after_journey(tmp_path_factory):
    folder = tmp_path_factory.mktemp("secrets")
    smtp = SMTPServer()
    smtp.start()
    # Production's rule for delivered e-mails: the development outbox (which keeps links to click) is off.
    server = LiveServer(sqlite_database(folder), folder, workers=1, name="secrets",
                        overrides={"DEV_OUTBOX_ENABLED": False, "MAIL_PORT": smtp.port})
    server.start()
    try:
        journey = Journey(server, smtp)
        journey.run()
    finally:
        server.stop()
        smtp.stop()
    app = server.twin()
    with app.app_context():
        columns = dump(db.engine)
        outbox = [(row.status, row.body_text + row.body_html) for row in db.session.scalars(select(OutboxMessage))]
        hashes = db.session.scalars(select(User.password_hash)).all()
        received = [message.text + message.html for message in smtp.received]
        secrets = {"password": {FIRST_PASSWORD, SECOND_PASSWORD}, "token": e_mailed_secrets(app, received),
                   "cookie": journey.cookies, "session id": session_ids(app, journey.cookies)}
        db.session.remove()
        db.engine.dispose()
    # Two links (confirm, reset), each as signed value and random part: the search has something to find.
    assert len(secrets["token"]) == 4 and secrets["cookie"] and secrets["session id"], secrets
    return {"columns": columns, "log": server.log_text(), "hashes": hashes, "secrets": secrets, "outbox": outbox}


def found_in(haystack: str, secrets: dict[str, set[str]]) -> list[str]:
    return [f"{kind}: {value[:12]}..." for kind, values in secrets.items() for value in values if value in haystack]


def test_no_secret_is_in_the_database(after_journey):
    leaks = {column: found_in(values, after_journey["secrets"]) for column, values in after_journey["columns"].items()}
    assert "outbox_messages.body_text" in after_journey["columns"], "the dump left the outbox out"
    assert {column: found for column, found in leaks.items() if found} == {}


def test_no_secret_is_in_the_servers_log(after_journey):
    assert "POST /account/sign-in" in after_journey["log"], "the access log was not on"
    assert found_in(after_journey["log"], after_journey["secrets"]) == []


def test_every_password_hash_is_argon2id_at_or_above_owasp_minimum(after_journey):
    assert after_journey["hashes"], "the journey made no account"
    for stored in after_journey["hashes"]:
        match = ARGON2ID.match(stored)
        assert match, f"not argon2id: {stored[:20]}"
        memory_kib, time_cost, _ = map(int, match.groups())
        assert memory_kib >= 19 * 1024 and time_cost >= 2, stored[:40]


def test_every_e_mail_was_delivered_and_lost_its_links(after_journey):
    """The dump above is the one after delivery: every row sent, and the two links replaced by a note."""
    outbox = after_journey["outbox"]
    assert len(outbox) == 3 and {status for status, _ in outbox} == {OutboxStatus.SENT}, outbox
    assert sum(LINK_REMOVED in bodies for _, bodies in outbox) == 2
