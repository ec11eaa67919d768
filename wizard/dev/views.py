"""Development only: the captured e-mails, with working links, so a newcomer can click through.

create_app registers this blueprint only when DEV_OUTBOX_ENABLED is set, and refuses that setting
in production.
"""
import re

from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup, escape
from sqlalchemy import select

from wizard.extensions import db
from wizard.models import OutboxMessage

bp = Blueprint("dev", __name__)

_URL = re.compile(r"https?://[^\s<>\"']+")


def _is_ours(url: str, base: str) -> bool:
    # A bare prefix test would take "http://localhost.evil.example" or "http://localhost@evil.example" for ours.
    return url == base or url.startswith(base.rstrip("/") + "/")


def linkify(text: str) -> Markup:
    """Escapes the body, then turns links to this site into anchors (only ours: never a stranger's URL)."""
    base = current_app.config["BASE_URL"]

    def anchor(match: re.Match) -> str:
        url = match.group(0)
        return f'<a href="{url}">{url}</a>' if _is_ours(url, base) else url

    return Markup(_URL.sub(anchor, str(escape(text))))  # noqa: S704 - the text is escaped first


@bp.before_request
def only_when_enabled():
    if not current_app.config.get("DEV_OUTBOX_ENABLED") or current_app.config["ENV_NAME"] == "production":
        abort(404)


@bp.route("/outbox")
def outbox():
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)).all()
    return render_template("dev/outbox.html", messages=messages)


@bp.route("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("dev/outbox_message.html", message=message, body=linkify(message.body_text))
