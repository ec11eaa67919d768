"""Password hashing with Argon2id and the password rules (ASVS 6.2: length, not composition)."""
import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128

# argon2-cffi's defaults (m=64 MiB, t=3, p=4) are above OWASP's minimum (m=19 MiB, t=2, p=1);
# the test suite uses that minimum (ARGON2_PARAMS) to stay fast without going below it.
_hasher = PasswordHasher()


def configure(params: dict | None) -> None:
    global _hasher
    _hasher = PasswordHasher(**params) if params else PasswordHasher()
    _dummy_hash.cache_clear()


@cache
def _dummy_hash() -> str:
    """Checked against when the account does not exist, so unknown addresses take as long as known ones."""
    return _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """A plain-English reason the password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"Your password must be {MAX_LENGTH} characters or fewer."
    lowered = password.lower()
    if lowered in _common_passwords():
        return "This password is too common. Choose a less predictable one, for example three random words."
    if email and lowered == email.lower():
        return "Your password must not be your e-mail address."
    return None
