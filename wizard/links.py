"""Addresses of our pages in e-mails: the same routes url_for builds, on the public BASE_URL.

An e-mail is composed during someone's request or by the sender without one; either way its links
must name the public site, never the Host a request came with (a forged Host would put a stranger's
server in a reset link).
"""
from urllib.parse import urlsplit

from flask import current_app


def email_link(endpoint: str, **values) -> str:
    """url_for(endpoint, **values, _external=True), as seen from BASE_URL."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
