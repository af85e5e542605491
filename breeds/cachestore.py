"""Cache access that degrades instead of failing.

When the shared cache (Redis) is down, reads behave as misses and writes are
dropped, so a page falls back to the Dog API instead of answering 500.
"""

import logging
import time

from django.core.cache import cache

from breeds import metrics

logger = logging.getLogger(__name__)

# One warning per this many seconds while the cache keeps failing.
WARNING_INTERVAL_SECONDS = 60
_last_warning = 0.0


def _report(operation, key, error):
    global _last_warning
    metrics.increment("dogapi_image_cache_errors_total")
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL_SECONDS:
        _last_warning = now
        logger.warning("Cache %s failed for key %s: %r", operation, key, error)


def get(key, default=None):
    try:
        return cache.get(key, default)
    except Exception as error:  # noqa: BLE001 - any backend error is a miss
        _report("get", key, error)
        return default


def set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception as error:  # noqa: BLE001 - a lost write only costs a refetch
        _report("set", key, error)


def add(key, value, timeout):
    """Store the value only if the key is absent; return whether it was stored.

    A failing cache returns True, so that the caller goes ahead on its own
    rather than waiting for a lock that nobody can hold.
    """
    try:
        return cache.add(key, value, timeout)
    except Exception as error:  # noqa: BLE001
        _report("add", key, error)
        return True


def delete(key):
    try:
        cache.delete(key)
    except Exception as error:  # noqa: BLE001
        _report("delete", key, error)


def incr(key, timeout):
    """Increment a counter key, creating it with the given lifetime."""
    try:
        if cache.add(key, 1, timeout):
            return 1
        return cache.incr(key)
    except ValueError:
        # The key expired between add() and incr().
        set(key, 1, timeout)
        return 1
    except Exception as error:  # noqa: BLE001
        _report("incr", key, error)
        return 0
