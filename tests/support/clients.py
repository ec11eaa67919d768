"""A test client whose every request runs in its own application context, as it does in production.

The `app` fixture keeps an application context pushed for the whole test, so tests can use
`db.session`. Flask reuses a pushed application context for test-client requests, so `g` then
outlives a request: Flask-Login's cached `g._login_user` and Flask-WTF's `g.csrf_token` carry over
to the next request. A cookie that the server has revoked would still look signed in, and a form
rendered after `session.clear()` would carry a CSRF token its session does not hold.

Use it with `app.test_client_class = IsolatedClient` (the `app` fixture does) or
`IsolatedClient.for_app(app)`. The test's own `db.session` is then not the request's: commit
before a request; after it the client expires the test's objects, so they show what it committed.
"""
import contextvars

from flask import Flask, has_app_context
from flask.testing import FlaskClient


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        # An empty context has no application context, so the request pushes (and pops) its own.
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            from wizard.extensions import db

            db.session.expire_all()
        return response

    @classmethod
    def for_app(cls, app: Flask, **kwargs) -> "IsolatedClient":
        return cls(app, app.response_class, use_cookies=True, **kwargs)
