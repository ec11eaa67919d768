"""Caps on what a request does for one account, recipient or cluster, whoever sends it and from wherever.

Flask-Limiter's decorators cap requests per client address; these count in the same limiter's shared
store (Redis in production, so every worker and host sees one count), under a key that names the
account, the recipient address or the cluster organisation. Each cap is one call with its key.
"""
from flask import current_app
from limits import parse_many

from wizard.extensions import limiter


def within(limits_text: str, scope: str, key: object, cost: int = 1) -> bool:
    """Counts `cost` against every limit of `limits_text` ("3 per hour; 10 per day") for (scope, key).

    False, and nothing counted, when that would pass any of them: a refused action uses up none of
    the allowance. Always True with the limiter switched off or no limit set.
    """
    if not limits_text or not limiter.enabled:
        return True
    items = parse_many(limits_text)
    # The Limiter object outlives each app (tests build many), so the prefix is read from this app.
    identifiers = (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), scope, str(key))
    strategy = limiter.limiter
    if not all(strategy.test(item, *identifiers, cost=cost) for item in items):
        return False
    return all([strategy.hit(item, *identifiers, cost=cost) for item in items])


def per_day(count: int) -> str:
    return f"{int(count)} per day"
