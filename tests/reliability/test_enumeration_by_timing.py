"""F24: sign-in, registration and password reset take as long for an address that has an account as for one
that has none, so the time of an answer does not say who has an account (reliability.md AU-4).

Measured over HTTP against gunicorn: 20 requests of each kind, the two kinds interleaved (the machine is
shared, so noise hits both alike), each pair from its own client address (the per-address limits stay out
of the way) and each request for its own address (no account throttle, no per-recipient mail cap). The
medians may differ by 25 %. A round spoilt by a burst of load on the machine is measured again, up to
three rounds; a real difference (a password hashed on one side only) shows in every round.
"""
import statistics
import time
import uuid

import pytest

from tests.reliability.figures import scaled
from tests.support import speed
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.loopback import Visitor, client_address
from tests.support.server import LiveServer, sqlite_database

pytestmark = [pytest.mark.sqlite_only, pytest.mark.figure("F24")]

SAMPLES = scaled(20, 20)
WARM_UP = 3
TOLERANCE = 0.25
ROUNDS = 3
WRONG = "not the password at all"  # noqa: S105 - a failed sign-in is what an attacker times


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("f24")
    live = LiveServer(sqlite_database(folder), folder, workers=1, name="f24").start()
    try:
        yield live
    finally:
        live.stop()


def make_accounts(live: LiveServer, count: int) -> list[str]:
    from wizard.models import User
    from wizard.models.base import utcnow

    addresses = [f"known-{uuid.uuid4().hex[:10]}@example.eu" for _ in range(count)]
    password_hash = speed.password_hash(DEFAULT_PASSWORD)
    with live.database() as session:
        session.add_all(User(email=address, password_hash=password_hash, email_verified_at=utcnow())
                        for address in addresses)
        session.commit()
    return addresses


KINDS = {
    "sign-in": ("/account/sign-in", lambda address: {"email": address, "password": WRONG}, 400),
    "registration": ("/account/register", lambda address: {"email": address, "full_name": "Anna Schmidt",
                                                           "password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD},
                     302),
    "reset": ("/account/forgot-password", lambda address: {"email": address}, 200),
}


def timed(visitor: Visitor, kind: str, address: str) -> float:
    path, fields, status = KINDS[kind]
    started = time.perf_counter()
    response = visitor.post(path, fields(address))
    elapsed = time.perf_counter() - started
    assert response.status_code == status, (kind, address, response.status_code)
    return elapsed


def one_round(live: LiveServer, kind: str, group: int) -> tuple[float, float]:
    """Medians (known, unknown) in seconds of SAMPLES interleaved pairs, after WARM_UP pairs not counted."""
    known_addresses = make_accounts(live, SAMPLES + WARM_UP)
    known, unknown = [], []
    for n, address in enumerate(known_addresses):
        visitor = Visitor(live.url, client_address(group, n))
        visitor.get("/account/sign-in")
        stranger = f"unknown-{uuid.uuid4().hex[:10]}@example.eu"
        pair = [("known", address), ("unknown", stranger)]
        for side, typed in pair if n % 2 else reversed(pair):
            elapsed = timed(visitor, kind, typed)
            if n >= WARM_UP:
                (known if side == "known" else unknown).append(elapsed)
    return statistics.median(known), statistics.median(unknown)


def differs_by(known: float, unknown: float) -> float:
    return abs(known - unknown) / min(known, unknown)


@pytest.mark.parametrize("kind", list(KINDS))
def test_known_and_unknown_addresses_take_the_same_time(server, kind):
    rounds = []
    for attempt in range(ROUNDS):
        known, unknown = one_round(server, kind, group=10 + 10 * list(KINDS).index(kind) + attempt)
        rounds.append(f"known {known * 1000:.1f} ms, unknown {unknown * 1000:.1f} ms "
                      f"({differs_by(known, unknown):.0%})")
        print(f"F24 {kind}: {rounds[-1]}")
        if differs_by(known, unknown) <= TOLERANCE:
            return
    pytest.fail(f"F24 {kind}: the medians differ by more than {TOLERANCE:.0%} in every round: {rounds}")
