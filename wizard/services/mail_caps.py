"""E-mails that a stranger or an unvalidated applicant can make us send, to an address they type.

Resume links, "you already have an account", password resets, e-mail confirmations, co-administrator
invitations and requests for access all go to an address the requester chooses. So that the app
cannot be used to flood a third party, each recipient address gets at most MAIL_PER_RECIPIENT_LIMIT
of them (e.g. "3 per hour; 10 per day"), whoever asks and from however many client addresses,
counted in the rate limits' shared store (Redis in production) so every worker sees the same count.

The cap is silent: the caller shows the same page whether or not the e-mail was queued, so it
tells nobody whether an address has an account or was asked for recently (reliability.md AU-4).

Such an e-mail may reach someone who never asked us for anything, so it carries text typed by the
requester (an organisation's or a person's name) only when the recipient has confirmed the address
with us: the templates get `confirmed` and leave the typed text out otherwise.
"""
import logging

from flask import current_app
from sqlalchemy import func, select

from wizard.extensions import db
from wizard.models import User
from wizard.rate_limits import within
from wizard.services.outbox import compose_email, queue_email

log = logging.getLogger(__name__)

#: The namespace of the per-recipient counters in the limits' store.
SCOPE = "mail-to"


def _normalised(address: str) -> str:
    return address.strip().lower()


def may_mail(address: str) -> bool:
    """Counts one e-mail to `address` and says whether it is within the cap (False: do not send)."""
    return within(current_app.config.get("MAIL_PER_RECIPIENT_LIMIT") or "", SCOPE, _normalised(address))


def address_confirmed(address: str) -> bool:
    """Whether an enabled account has confirmed `address` by following the link we sent it."""
    return db.session.scalar(
        select(User.id).where(func.lower(User.email) == _normalised(address), User.email_verified_at.is_not(None),
                              User.is_disabled.is_(False)).limit(1)) is not None


def queue_capped_email(recipient: str, template: str, **context) -> bool:
    """queue_email for the kinds above: nothing when the recipient's cap is reached. True if queued.

    The caller commits, and shows the same page either way.
    """
    confirmed = address_confirmed(recipient)
    if not may_mail(recipient):
        # Composed all the same, so that a held-back e-mail costs the request what a queued one does.
        compose_email(recipient, template, confirmed=confirmed, **context)
        log.warning("e-mail %s not queued: its recipient has reached MAIL_PER_RECIPIENT_LIMIT", template)
        return False
    return queue_email(recipient, template, confirmed=confirmed, **context) is not None
