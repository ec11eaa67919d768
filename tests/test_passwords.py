"""Passwords: Argon2id at or above OWASP's minimum, rehashed when settings change, length rules, common list."""
import gzip
import re
from pathlib import Path

import pytest
from sqlalchemy import select

import wizard
from config import ProductionConfig
from wizard import passwords
from wizard.extensions import db
from wizard.models import User
from wizard.passwords import hash_password, password_problem, verify_password

COMMON_LIST = Path(wizard.__file__).parent / "data" / "common-passwords.txt.gz"
ARGON2 = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


def argon2_params(stored_hash: str) -> tuple[int, int, int]:
    match = ARGON2.match(stored_hash)
    assert match, f"not an Argon2id hash: {stored_hash[:30]}"
    return tuple(int(group) for group in match.groups())


@pytest.fixture
def restore_hasher(app):
    yield
    passwords.configure(app.config["ARGON2_PARAMS"])


def test_hashes_are_argon2id_at_or_above_owasp_minimum(app):
    memory, time_cost, parallelism = argon2_params(hash_password("a long enough password"))
    assert memory >= 19456 and time_cost >= 2 and parallelism >= 1


def test_production_settings_use_argon2_cffi_defaults_above_the_minimum(app, restore_hasher):
    assert ProductionConfig.ARGON2_PARAMS is None
    passwords.configure(ProductionConfig.ARGON2_PARAMS)
    memory, time_cost, _ = argon2_params(hash_password("a long enough password"))
    assert memory >= 65536 and time_cost >= 3


def test_registration_stores_an_argon2id_hash_not_the_password(helper):
    helper.post("/account/register", {"full_name": "Ana", "email": "ana@example.eu",
                                      "password": "plum tractor gossip", "confirm": "plum tractor gossip"},
                expected=302)
    user = db.session.scalar(select(User))
    assert "plum tractor gossip" not in user.password_hash
    argon2_params(user.password_hash)


def test_sign_in_rehashes_when_the_settings_change(app, helper, make_user, restore_hasher):
    user = make_user(email="rehash@example.eu", password="orange violin meadow")
    old_hash = user.password_hash
    assert argon2_params(old_hash)[1] == 2

    passwords.configure({"time_cost": 3, "memory_cost": 19456, "parallelism": 1})
    helper.post("/account/sign-in", {"email": "rehash@example.eu", "password": "orange violin meadow"}, expected=302)

    db.session.expire_all()
    new_hash = db.session.get(User, user.id).password_hash
    assert new_hash != old_hash
    assert argon2_params(new_hash) == (19456, 3, 1)
    assert verify_password(new_hash, "orange violin meadow")


def test_sign_in_keeps_the_hash_when_the_settings_are_unchanged(helper, make_user):
    user = make_user(email="same@example.eu", password="orange violin meadow")
    old_hash = user.password_hash
    helper.post("/account/sign-in", {"email": "same@example.eu", "password": "orange violin meadow"}, expected=302)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == old_hash


def test_verification_is_exact(app):
    stored = hash_password("Correct Horse Battery Staple")
    assert verify_password(stored, "Correct Horse Battery Staple")
    assert not verify_password(stored, "correct horse battery staple")  # no case folding
    assert not verify_password(stored, "Correct Horse Battery Staple ")
    long_one = "x" * 100 + "a" + "y" * 27
    assert not verify_password(hash_password(long_one), "x" * 100 + "b" + "y" * 27)  # no truncation


def test_verifying_against_a_missing_or_broken_hash_is_false(app):
    for stored in [None, "", "not a hash", "$argon2id$v=19$m=1,t=1,p=1$broken"]:
        assert verify_password(stored, "whatever password") is False, stored


def test_the_common_password_list_is_shipped_and_large():
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as handle:
        entries = [line.strip() for line in handle if line.strip()]
    assert len(entries) >= 3000
    assert {"password1234", "qwertyuiop12", "password123456"} <= set(entries)


@pytest.mark.parametrize("password", ["password1234", "PASSWORD1234", "qwertyuiop12", "password123456"])
def test_common_passwords_are_refused(password):
    assert "too common" in password_problem(password)


@pytest.mark.parametrize(("password", "problem"), [
    ("", "at least 12 characters"),
    ("elevenchars", "at least 12 characters"),
    ("x" * 129, "128 characters or fewer"),
])
def test_length_rules(password, problem):
    assert problem in password_problem(password)


@pytest.mark.parametrize("password", [
    "twelve chars",  # exactly 12, spaces allowed
    "x" * 128,
    "ünïcödé wörds ärë fïnë",
    "        leading spaces count",
    "no digits or capitals needed",
])
def test_acceptable_passwords(password):
    assert password_problem(password) is None


def test_the_e_mail_address_is_not_a_password():
    assert "must not be your e-mail" in password_problem("Someone@Example.EU", "someone@example.eu")
