"""A test client whose every request runs in its own application context, as it does in production.

The `app` fixture keeps an application context pushed for the whole test, so tests can use
`db.session`. Flask reuses a pushed application context for test-client requests, so `g` then
outlives a request: Flask-Login's cached `g._login_user` and Flask-WTF's `g.csrf_token` carry over
to the next request. A cookie that the server has revoked would still look signed in, and a form
rendered after `session.clear()` would carry a CSRF token its session does not hold.

Use it with `app.test_client_class = IsolatedClient` or `IsolatedClient.for_app(app)`. The test's
own `db.session` is then not the request's: commit before a request, `expire_all()` after it.
"""
import contextvars

from flask import Flask
from flask.testing import FlaskClient


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        # An empty context has no application context, so the request pushes (and pops) its own.
        return contextvars.Context().run(super().open, *args, **kwargs)

    @classmethod
    def for_app(cls, app: Flask, **kwargs) -> "IsolatedClient":
        return cls(app, app.response_class, use_cookies=True, **kwargs)
