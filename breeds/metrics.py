"""In-process counters for the Dog API and the image cache.

Each process counts its own events; a later metrics endpoint will expose
them in the Prometheus text format. Names follow Prometheus conventions.
"""

import threading
from collections import Counter

COUNTER_NAMES = (
    "dogapi_upstream_requests_total",
    "dogapi_upstream_failures_total",
    "dogapi_image_cache_hits_total",
    "dogapi_image_cache_misses_total",
    "dogapi_image_cache_stale_served_total",
    "dogapi_image_cache_errors_total",
    "dogapi_circuit_opened_total",
    "dogapi_circuit_half_opened_total",
    "dogapi_circuit_closed_total",
)

_lock = threading.Lock()
_counts = Counter()


def increment(name, amount=1):
    if name not in COUNTER_NAMES:
        raise KeyError(f"unknown counter {name!r}")
    with _lock:
        _counts[name] += amount


def snapshot():
    """Return the current value of every counter, zeros included."""
    with _lock:
        return {name: _counts[name] for name in COUNTER_NAMES}


def reset():
    with _lock:
        _counts.clear()
