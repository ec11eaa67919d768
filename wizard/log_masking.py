"""Tokens never reach a log line (ASVS 16.2.5): e-mailed links carry their token in the path, and a log that
holds a usable link lets its readers reset a password or decide an affiliation.

One masking function, used for every record made in the process: the app's own warnings ("CSRF check failed
on <path>"), Werkzeug's, gunicorn's access and error logs and the e-mail sender's output.
"""
import logging
import re

#: Our tokens are 40+ characters of URL-safe base64 and dots; nothing else we log is that long without a break.
TOKEN = re.compile(r"[A-Za-z0-9_\-.]{40,}")
MASK = "[token]"


def mask_tokens(text: str) -> str:
    return TOKEN.sub(MASK, text)


class TokenMaskingFilter(logging.Filter):
    """Masks a record's message, traceback and stack in place; never drops a record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is the handler's to report, unmasked parts aside
            message = str(record.msg)
        masked = mask_tokens(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the traceback is written masked too.
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_tokens(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_tokens(record.stack_info)
        return True


_FILTER = TokenMaskingFilter()


def install() -> None:
    """Masks every record created in this process from now on, whichever logger or handler writes it.

    A filter on a logger misses the records its children propagate, and one on handlers misses the handlers
    added later (Werkzeug's, Python's last-resort stderr handler, gunicorn's reopened files): the record
    factory sees them all. Installing twice changes nothing."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_tokens", False):
        return

    def masked_record(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _FILTER.filter(record)
        return record

    masked_record.masks_tokens = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masked_record)
