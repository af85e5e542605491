"""A circuit breaker for the Dog API whose state lives in the shared cache.

After DOG_API_FAILURE_THRESHOLD consecutive failures the circuit opens and no
request goes upstream for DOG_API_COOL_DOWN_SECONDS. Then it half-opens: one
request, across all processes, may try; its success closes the circuit and
its failure opens it again for another cool-down.
"""

import logging
import time

from django.conf import settings

from breeds import cachestore, metrics

logger = logging.getLogger(__name__)

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(self, name="dogapi"):
        self.failures_key = f"circuit:v1:{name}:failures"
        self.open_until_key = f"circuit:v1:{name}:open_until"
        self.trial_key = f"circuit:v1:{name}:trial"
        self.name = name

    @property
    def threshold(self):
        return settings.DOG_API_FAILURE_THRESHOLD

    @property
    def cool_down(self):
        return settings.DOG_API_COOL_DOWN_SECONDS

    def state(self):
        open_until = cachestore.get(self.open_until_key)
        if open_until is None:
            return CLOSED
        if time.time() < open_until:
            return OPEN
        return HALF_OPEN

    def allow_request(self):
        """Tell whether a request may go upstream now.

        In the half-open state only the caller that takes the trial slot
        gets True; the slot expires after one request's worth of time.
        """
        state = self.state()
        if state == CLOSED:
            return True
        if state == OPEN:
            return False
        trial_seconds = (
            int(settings.DOG_API_TIMEOUT + settings.DOG_API_CONNECT_TIMEOUT) + 1
        )
        if cachestore.add(self.trial_key, 1, trial_seconds):
            metrics.increment("dogapi_circuit_half_opened_total")
            logger.info("Dog API circuit %s half-open: trying one request", self.name)
            return True
        return False

    def record_success(self):
        if cachestore.get(self.open_until_key) is not None:
            metrics.increment("dogapi_circuit_closed_total")
            logger.info("Dog API circuit %s closed: upstream responded", self.name)
            cachestore.delete(self.open_until_key)
            cachestore.delete(self.trial_key)
        cachestore.delete(self.failures_key)

    def record_failure(self):
        if self.state() == HALF_OPEN:
            self._open(reason="the trial request failed")
            return
        failures = cachestore.incr(
            self.failures_key, timeout=max(self.cool_down * 4, 60)
        )
        if failures >= self.threshold:
            self._open(reason=f"{failures} consecutive failures")

    def _open(self, reason):
        # The open_until entry outlives the cool-down so that its expiry
        # leaves a half-open circuit behind instead of a closed one.
        open_until = time.time() + self.cool_down
        cachestore.set(
            self.open_until_key, open_until, timeout=self.cool_down * 10 + 60
        )
        cachestore.delete(self.failures_key)
        cachestore.delete(self.trial_key)
        metrics.increment("dogapi_circuit_opened_total")
        logger.warning(
            "Dog API circuit %s opened for %s s: %s", self.name, self.cool_down, reason
        )


breaker = CircuitBreaker()
