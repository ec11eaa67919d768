"""One password hash for the many accounts the tests make: each Argon2 hash costs ~0.1 s by design.
(Compiled templates are shared by the `app` fixture: tests/support/templates.py.)"""
from functools import cache


@cache
def password_hash(password: str) -> str:
    from wizard.passwords import hash_password

    return hash_password(password)
