"""Extra applications built under other settings than the `app` fixture's, cleaned up afterwards."""
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from config import ProductionConfig, TestingConfig
from wizard import passwords


@contextmanager
def production_app(database_url: str, **overrides) -> Iterator[Flask]:
    """The production settings on the test database; its connections are closed at the end.

    The rate limiter is off (production wants a shared store such as Redis), and hashing keeps the
    test suite's Argon2 parameters, restored afterwards for the `app` fixture's application too.
    """
    from wizard import create_app
    from wizard.extensions import db

    settings = {"SECRET_KEY": "p" * 40, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                "ARGON2_PARAMS": TestingConfig.ARGON2_PARAMS, "TRUSTED_HOSTS": ["localhost"], **overrides}
    application = create_app(ProductionConfig, settings)
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        passwords.configure(TestingConfig.ARGON2_PARAMS)
