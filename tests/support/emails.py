"""Read what the app queued in its outbox, and the links in it, the way a recipient would."""
import re

from sqlalchemy import select

from wizard.extensions import db
from wizard.models import OutboxMessage

_LINK = re.compile(r"https?://[^\s<>\"']+")


def queued_emails(to: str | None = None, subject_contains: str | None = None) -> list[OutboxMessage]:
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [row for row in rows
            if (to is None or row.recipient.lower() == to.lower())
            and (subject_contains is None or subject_contains in row.subject)]


def only_email(to: str | None = None, subject_contains: str | None = None) -> OutboxMessage:
    """The one queued e-mail matching; fails if there is none or more than one."""
    matches = queued_emails(to, subject_contains)
    everything = [(row.recipient, row.subject) for row in queued_emails()]
    assert len(matches) == 1, f"expected one e-mail to {to} about {subject_contains!r}, outbox holds {everything}"
    return matches[0]


def links_in(text: str) -> list[str]:
    return _LINK.findall(text)


def link_path(message: OutboxMessage, prefix: str) -> str:
    """The path (and query) of the link in the text body whose path starts with `prefix`."""
    paths = [re.sub(r"^https?://[^/]+", "", link) for link in links_in(message.body_text)]
    found = [path for path in paths if path.startswith(prefix)]
    assert len(found) == 1, f"expected one link to {prefix} in {message.subject!r}, found {paths}"
    return found[0]
