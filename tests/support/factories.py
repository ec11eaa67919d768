"""Factory fixtures: call them to get rows made the way the app makes them."""
import pytest

from wizard.extensions import db
from wizard.models import Role, User
from wizard.models.base import utcnow
from wizard.passwords import hash_password

DEFAULT_PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password


@pytest.fixture
def make_user(app):
    counter = {"n": 0}

    def make(email: str | None = None, role: Role = Role.APPLICANT, verified: bool = True,
             password: str = DEFAULT_PASSWORD, full_name: str = "Test Person") -> User:
        counter["n"] += 1
        user = User(email=email or f"user{counter['n']}@example.eu", password_hash=hash_password(password),
                    role=role.value, full_name=full_name, email_verified_at=utcnow() if verified else None)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def sign_in(app, client):
    """Signs `user` in on the test client through a real server-side session (no password round trip)."""
    from wizard.services.accounts import start_session

    def do(user: User, on_client=None):
        raw = start_session(user)
        with (on_client or client).session_transaction() as session:
            session.clear()
            session["_user_id"] = raw
            session["_fresh"] = True
        return raw

    return do


@pytest.fixture
def applicant(make_user):
    return make_user(email="applicant@example.eu")


@pytest.fixture
def validator(make_user):
    return make_user(email="validator@example.eu", role=Role.VALIDATOR)


@pytest.fixture
def admin_user(make_user):
    return make_user(email="admin@example.eu", role=Role.ADMIN)
