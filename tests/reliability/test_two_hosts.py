"""F28: two app hosts, one platform. Two gunicorn instances, each with its own instance folder (as two
machines would have), share the pass's database, Redis and an S3 bucket (moto's server on loopback): a proof
uploaded through one is downloaded by a validator through the other, a session made on one works (and
ends) on both, the sign-in limit counts attempts on both together, and a sender process with the second
host's settings delivers what the first queued.

On PostgreSQL this is the production deployment. On SQLite it is two instances on one machine sharing one
database file (SQLite cannot be shared between machines): what varies between the two is the database layer
(its locking, its session and limit queries), so the same journeys run on both.
"""
import io
import json
import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.faults.world import HttpPerson, form_fields, ready_drafts
from tests.support.database import migrated_database_url
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.server import OVERRIDES_ENV, REPO, LiveServer
from tests.support.smtp import SMTPServer
from tests.support.speed import password_hash
from wizard import engine
from wizard.extensions import db
from wizard.models import Role, Upload, User
from wizard.models.base import utcnow
from wizard.services import drafts

pytestmark = pytest.mark.figure("F28")

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = 6  # sign-in attempts per minute from one address, counted across both hosts
APPLICANT, VALIDATOR = "two-hosts-applicant@example.eu", "two-hosts-validator@example.eu"
MANUAL_STEP, ROW = "clusters_not_listed", "manual_clusters-0-"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, worker_id, s3_server):
    import redis

    url, drop = migrated_database_url(tmp_path_factory.mktemp("shared-database"), f"{worker_id}hosts")
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()
    prefix = f"f28-{uuid.uuid4().hex}"
    smtp = SMTPServer()
    smtp.start()
    shared = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix,
              "SIGNIN_RATE_LIMIT": f"{LIMIT} per minute", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port,
              **s3_server.settings(s3_server.new_bucket())}
    hosts = []
    for name in ("host-a", "host-b"):
        folder = tmp_path_factory.mktemp(name)
        hosts.append(LiveServer(url, folder, shared, workers=1, name=name,
                                environment={"WIZARD_INSTANCE_PATH": str(folder / "instance")}))  # each host its own
    try:
        with ThreadPoolExecutor(2) as pool:  # the hosts start (and stop) side by side: half the wait
            list(pool.map(LiveServer.start, hosts))
        with hosts[0].database():
            for email, role in ((APPLICANT, Role.APPLICANT), (VALIDATOR, Role.VALIDATOR)):
                db.session.add(User(email=email, password_hash=password_hash(DEFAULT_PASSWORD), role=role.value,
                                    email_verified_at=utcnow()))
            db.session.commit()
        yield hosts[0], hosts[1], smtp, lambda: [client.delete(key) for key in client.scan_iter(match=f"*{prefix}*")]
    finally:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(LiveServer.stop, hosts))
        smtp.stop()
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
        client.close()
        drop()


@pytest.fixture(autouse=True)
def fresh_limits(platform):
    """Each test starts with no sign-in attempts counted: the limit is shared by the hosts and by the tests."""
    platform[3]()


def files_in(host: LiveServer) -> list[str]:
    return [name for _, _, names in os.walk(host.folder) for name in names
            if name.endswith((".png", ".jpg", ".pdf"))]


def test_a_proof_uploaded_on_one_host_is_downloaded_by_a_validator_on_the_other(platform):
    host_a, host_b, *_ = platform
    with host_a.database():
        applicant = db.session.query(User).filter_by(email=APPLICANT).one()
        profile = drafts.start_draft("cluster_member", applicant, None)
        profile.answers = {"clusters": {"not_listed": ["y"], engine.VALID_FLAG: True}}
        db.session.commit()
        public_id = profile.public_id
    person = HttpPerson(host_a.url)
    person.sign_in(APPLICANT, DEFAULT_PASSWORD)
    step = f"/drafts/{public_id}/{MANUAL_STEP}"
    photo = io.BytesIO()
    Image.new("RGB", (120, 80), (20, 120, 200)).save(photo, "JPEG")
    response = person.post(step, {"csrf_token": form_fields(person.get(step).text)["csrf_token"], "action": "continue",
                                  f"{ROW}cluster_name": "Two Hosts Cluster", f"{ROW}cluster_country": "DE",
                                  f"{ROW}cluster_website": "https://www.two-hosts.example.eu"},
                           files={f"{ROW}proof": ("proof.jpg", photo.getvalue(), "image/jpeg")})
    assert response.status_code == 302, response.text[-2000:]
    with host_b.database():
        upload_id = db.session.query(Upload.id).filter_by(profile_id=profile.id).scalar()
    assert upload_id is not None

    validator = HttpPerson(host_b.url)
    validator.sign_in(VALIDATOR, DEFAULT_PASSWORD)
    download = validator.get(f"/uploads/{upload_id}")
    assert download.status_code == 200 and download.headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(download.content)) as kept:
        assert kept.size == (120, 80)
    assert person.get(f"/uploads/{upload_id}").status_code == 200, "and the applicant on the first host"
    assert files_in(host_a) == [] and files_in(host_b) == [], "no host keeps an upload of its own"


def test_a_session_made_on_one_host_works_and_ends_on_both(platform):
    host_a, host_b, *_ = platform
    on_a = HttpPerson(host_a.url)
    on_a.sign_in(APPLICANT, DEFAULT_PASSWORD)
    on_b = HttpPerson(host_b.url)
    on_b.session.cookies.update(on_a.session.cookies)
    assert on_b.get("/account/my-data", allow_redirects=False).status_code == 200, "the other host knows the session"

    page = BeautifulSoup(on_b.get("/my-profiles").text, "html.parser")
    sign_out = page.select_one("form[action='/account/sign-out']")
    token = sign_out.select_one("input[name=csrf_token]")["value"]
    assert on_b.post("/account/sign-out", {"csrf_token": token}).status_code == 302
    refused = on_a.get("/account/my-data", allow_redirects=False)
    assert refused.status_code == 302 and "/account/sign-in" in refused.headers["Location"], \
        "signed out on one host is signed out on the other"


def test_the_sign_in_limit_counts_attempts_on_both_hosts(platform):
    host_a, host_b, *_ = platform
    people = [HttpPerson(host.url) for host in (host_a, host_b)]
    tokens = [form_fields(person.get("/account/sign-in").text)["csrf_token"] for person in people]
    answers = []
    for attempt in range(2 * LIMIT):
        n = attempt % 2  # alternate: each host alone sees only half the attempts
        response = people[n].post("/account/sign-in", {"csrf_token": tokens[n], "password": "wrong password here",
                                                       "email": f"nobody-{attempt}@example.eu"})
        answers.append(response.status_code)
    assert answers[:LIMIT] == [400] * LIMIT, answers
    assert answers[LIMIT] == 429, f"the {LIMIT + 1}th attempt across both hosts is refused: {answers}"


def test_a_sender_with_one_hosts_settings_delivers_what_the_other_queued(platform):
    host_a, host_b, smtp, _ = platform
    with host_a.database():
        applicant = db.session.query(User).filter_by(email=APPLICANT).one()
        [public_id] = ready_drafts(applicant, 1, prefix="Hosts")
    person = HttpPerson(host_a.url)
    person.sign_in(APPLICANT, DEFAULT_PASSWORD)
    assert person.submit(public_id).status_code in (302, 303)
    assert smtp.received == [], "a request never talks to the mail server"
    env = {**os.environ, **host_b.environment, OVERRIDES_ENV: json.dumps(host_b.overrides), "WIZARD_ENV": "testing",
           "FLASK_APP": "tests.support.server:app_from_environment()"}
    env.pop("TEST_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "flask", "outbox", "send"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    delivered = smtp.wait_for(1)
    assert any(APPLICANT in message.envelope_to for message in delivered), [m.envelope_to for m in delivered]
