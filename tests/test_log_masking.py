"""Every log record the app makes is masked, whatever logger or handler writes it (issue 14 item 6; F25)."""
import io
import logging

import pytest

from tests.test_gunicorn_logging import TOKEN


@pytest.fixture
def written(app):
    """What a handler added after the app started writes, messages and tracebacks alike."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger = logging.getLogger("some.library.added.later")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_messages_arguments_and_tracebacks_are_masked(written):
    logger, stream = written
    logger.warning("CSRF check failed on %s", f"/account/reset-password/{TOKEN}")
    logger.warning(f"formatted by the caller: /resume/{TOKEN}?again=1")
    try:
        raise ValueError(f"no such link /affiliations/decide/{TOKEN}")
    except ValueError:
        logger.exception("link %s failed", TOKEN[:10])
    output = stream.getvalue()
    assert TOKEN not in output
    assert TOKEN[:30] not in output
    assert "CSRF check failed on /account/reset-password/[token]" in output
    assert "/resume/[token]?again=1" in output
    assert "ValueError: no such link /affiliations/decide/[token]" in output


def test_short_values_and_percent_signs_are_left_alone(written):
    logger, stream = written
    logger.warning("100%% of %d e-mails sent to %s", 3, "ana@example.eu")
    assert stream.getvalue().strip().endswith("100% of 3 e-mails sent to ana@example.eu")
