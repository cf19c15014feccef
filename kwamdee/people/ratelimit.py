"""Counting requests in Django's cache: a fixed window per key, for the password-reset throttles
(per login and per client, common/client.py). Keys are hashed: the cache never holds a phone
number, an e-mail address or a client address in clear."""

import hashlib

from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    return f"kwamdee:rate:{scope}:{hashlib.sha256(value.encode()).hexdigest()}"


def rate_count(scope: str, value: str, *, window: int) -> int:
    """Counts one more request of `value` under `scope`; returns the count in the window, which
    starts at the first request and lasts `window` seconds."""
    key = _key(scope, value)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=window)
        return 1


def rate_exceeded(scope: str, value: str | None, *, limit: tuple[int, int]) -> bool:
    """Counts the request and says whether it is over `limit` = (count, seconds). A request
    without a value (no client address) is counted under one shared key."""
    count, window = limit
    return rate_count(scope, value or "-", window=window) > count
