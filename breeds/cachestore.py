"""Cache access that degrades instead of failing.

When the shared cache (Redis) fails, reads behave as misses and writes are
dropped, so a page falls back to the Dog API instead of returning 500. After
a failure this process leaves the cache alone for BYPASS_SECONDS, so that a
Redis that hangs costs one socket timeout per process, not one per request.
"""

import logging
import threading
import time

from django.core.cache import cache

from breeds import metrics

logger = logging.getLogger(__name__)

BYPASS_SECONDS = 10
# One warning per this many seconds while the cache keeps failing.
WARNING_INTERVAL_SECONDS = 60

_state_lock = threading.Lock()
_state = {"bypass_until": 0.0, "last_warning": float("-inf")}


def _call(operation, key, action, fallback):
    if time.monotonic() < _state["bypass_until"]:
        return fallback
    try:
        return action()
    except Exception as error:  # noqa: BLE001 - any backend error degrades
        metrics.increment("dogapi_image_cache_errors_total")
        now = time.monotonic()
        with _state_lock:
            _state["bypass_until"] = now + BYPASS_SECONDS
            warn = now - _state["last_warning"] >= WARNING_INTERVAL_SECONDS
            if warn:
                _state["last_warning"] = now
        if warn:
            logger.warning(
                "Cache %s failed for key %s, bypassing the cache for %s s: %r",
                operation,
                key,
                BYPASS_SECONDS,
                error,
            )
        return fallback


def reset():
    """Forget an earlier failure, so the next call uses the cache again."""
    with _state_lock:
        _state["bypass_until"] = 0.0


def get(key, default=None):
    return _call("get", key, lambda: cache.get(key, default), default)


def set(key, value, timeout):
    _call("set", key, lambda: cache.set(key, value, timeout), None)


def add(key, value, timeout):
    """Store the value only if the key is absent; return whether it was stored.

    A failing cache returns True, so that the caller goes ahead on its own
    rather than waiting for a lock that no process can hold.
    """
    return _call("add", key, lambda: cache.add(key, value, timeout), True)


def delete(key):
    _call("delete", key, lambda: cache.delete(key), None)


def incr(key, timeout):
    """Increment a counter key, creating it with the given lifetime.

    Returns the new value, or 0 when the cache is unavailable.
    """

    def increment():
        if cache.add(key, 1, timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            # The key expired between add() and incr().
            cache.set(key, 1, timeout)
            return 1

    return _call("incr", key, increment, 0)
