"""One compiled copy of each Jinja template for the whole test process.

Every test builds its own application, and each application its own Jinja environment, which
would lex, parse and compile every template again (the largest single cost of a page test).
Templates are still read from disk each time: the cache is keyed by name and checked against a
checksum of the source, so an edited template is recompiled.
"""
from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


SHARED = MemoryBytecodeCache()


def share_compiled_templates(app: Flask) -> Flask:
    app.jinja_env.bytecode_cache = SHARED
    return app
