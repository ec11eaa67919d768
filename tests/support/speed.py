"""Shared by the suites that build a new app for every test: templates compiled once per worker, and one
password hash for the many accounts the tests make (each Argon2 hash costs ~0.1 s by design)."""
from functools import cache

from jinja2 import BytecodeCache


class SharedTemplateCache(BytecodeCache):
    store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


def compile_templates_once(app) -> None:
    app.jinja_env.bytecode_cache = SharedTemplateCache()


@cache
def password_hash(password: str) -> str:
    from wizard.passwords import hash_password

    return hash_password(password)
