"""Random breed images from the Dog API, served through the cache.

Each breed's full image list is fetched once and kept in the cache: fresh for
IMAGE_CACHE_FRESH_SECONDS, then stale for IMAGE_CACHE_STALE_SECONDS more.
Page views pick at random from the cached list, so they do not become Dog API
traffic, and an upstream outage leaves the stale list in service.

Only one caller refreshes a list at a time: threads of a process queue on a
lock, and processes share a lock key in the cache (Redis in production).
"""

import enum
import functools
import logging
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from django.conf import settings

from breeds import cachestore, metrics
from breeds.circuit import breaker
from breeds.dogapi import (
    DogApiClient,
    DogApiError,
    DogApiNotFound,
    normalize_image_url,
)
from breeds.models import BlockedImage

logger = logging.getLogger(__name__)

CACHE_VERSION = 1
DEFAULT_COUNT = 6
MAX_COUNT = 50

# How often a process that waits for another's refresh looks at the cache.
POLL_INTERVAL_SECONDS = 0.05


@dataclass(frozen=True)
class ImageList:
    """A breed's image URLs and how current they are."""

    urls: list = field(default_factory=list)
    stale: bool = False
    # True when the Dog API failed and nothing was cached to fall back on.
    unavailable: bool = False


def cache_key(breed):
    return f"images:v{CACHE_VERSION}:{breed.api_path}"


def _lock_key(breed):
    return f"images-lock:v{CACHE_VERSION}:{breed.api_path}"


def _upstream_seconds():
    """Upper bound of one Dog API call, retries included, in seconds."""
    attempts = settings.DOG_API_RETRIES + 1
    return (settings.DOG_API_CONNECT_TIMEOUT + settings.DOG_API_TIMEOUT) * attempts


_process_locks = {}
_process_locks_guard = threading.Lock()


def _process_lock(key):
    with _process_locks_guard:
        return _process_locks.setdefault(key, threading.Lock())


@functools.lru_cache(maxsize=4)
def _client_for(base_url, timeout, connect_timeout, retries, max_bytes, hosts):
    return DogApiClient(
        base_url,
        timeout=timeout,
        connect_timeout=connect_timeout,
        retries=retries,
        max_bytes=max_bytes,
        image_hosts=list(hosts),
    )


def get_client():
    """Return a shared client for the current settings, reusing its connections."""
    return _client_for(
        settings.DOG_API_URL,
        settings.DOG_API_TIMEOUT,
        settings.DOG_API_CONNECT_TIMEOUT,
        settings.DOG_API_RETRIES,
        settings.DOG_API_MAX_BYTES,
        tuple(settings.DOG_IMAGE_HOSTS),
    )


def _fresh_seconds(urls):
    """Return how long a list stays fresh: an empty one only for a cool-down.

    An empty list usually means the Dog API returned 404 for a breed that
    the catalogue still lists, so it is asked again soon.
    """
    if urls:
        return settings.IMAGE_CACHE_FRESH_SECONDS
    return min(settings.DOG_API_COOL_DOWN_SECONDS, settings.IMAGE_CACHE_FRESH_SECONDS)


def _is_fresh(entry):
    return time.time() - entry["fetched_at"] < _fresh_seconds(entry["urls"])


def _fetch(breed):
    """Fetch the breed's list from the Dog API and cache it; return the entry.

    Raises DogApiError when the Dog API fails, after counting the failure.
    """
    metrics.increment("dogapi_upstream_requests_total")
    if breed.parent_id is None:
        names = (breed.name, None)
    else:
        names = (breed.parent.name, breed.name)
    try:
        urls = get_client().breed_images(*names)
    except DogApiNotFound as error:
        # The catalogue is behind the Dog API (a breed renamed or moved), or
        # the Dog API erred. The empty list is cached, but fresh for one
        # cool-down only (see _fresh_seconds).
        logger.warning("Dog API has no images for %s: %s", breed.api_path, error)
        urls = []
    except DogApiError as error:
        metrics.increment("dogapi_upstream_failures_total")
        breaker.record_failure()
        logger.warning(
            "Dog API image request failed for %s at %s: %s",
            breed.api_path,
            error.url,
            error.problem,
        )
        raise
    breaker.record_success()
    entry = {"urls": urls, "fetched_at": time.time()}
    lifetime = _fresh_seconds(urls) + settings.IMAGE_CACHE_STALE_SECONDS
    cachestore.set(cache_key(breed), entry, lifetime)
    return entry


# Stale lists are refreshed in these threads, so the request that finds a
# list stale gets the stale list at once instead of waiting for the Dog API.
_refresh_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="image-refresh")
_refreshes = set()
_refreshes_lock = threading.Lock()


def _refresh_stale(breed, entry):
    """Serve a stale entry and refresh it in the background.

    Only the caller that takes the refresh lock starts a refresh, so other
    requests and processes keep serving the stale list meanwhile.
    """
    stale = ImageList(entry["urls"], stale=True)
    token = uuid.uuid4().hex
    lock_key = _lock_key(breed)
    if not breaker.allow_request():
        return stale
    if not cachestore.add(lock_key, token, int(_upstream_seconds()) + 1):
        return stale
    breed.api_path  # noqa: B018 - loads the parent here, not in the refresh thread
    future = _refresh_pool.submit(_refresh, breed, lock_key, token)
    with _refreshes_lock:
        _refreshes.add(future)
    future.add_done_callback(_forget_refresh)
    return stale


def _forget_refresh(future):
    with _refreshes_lock:
        _refreshes.discard(future)


def _refresh(breed, lock_key, token):
    try:
        _fetch(breed)
    except DogApiError:
        # Keep the lock for a cool-down, so that the stale list is served
        # without a Dog API call on every request until then.
        cachestore.set(lock_key, token, settings.DOG_API_COOL_DOWN_SECONDS)
        return
    except Exception:
        logger.exception("Refreshing the image list of %s failed", breed.api_path)
        cachestore.delete(lock_key)
        return
    cachestore.delete(lock_key)


def wait_for_refreshes(timeout=None):
    """Block until the background refreshes started so far have finished."""
    with _refreshes_lock:
        pending = list(_refreshes)
    wait(pending, timeout=timeout)


def _fill_cold(breed):
    """Fill an empty cache entry with at most one upstream call per process."""
    key = cache_key(breed)
    lock_key = _lock_key(breed)
    with _process_lock(key):
        entry = cachestore.get(key)
        if entry is not None:
            return ImageList(entry["urls"], stale=not _is_fresh(entry))
        if not breaker.allow_request():
            return ImageList(unavailable=True)
        if cachestore.add(lock_key, uuid.uuid4().hex, int(_upstream_seconds()) + 1):
            try:
                return ImageList(_fetch(breed)["urls"])
            except DogApiError:
                return ImageList(unavailable=True)
            finally:
                cachestore.delete(lock_key)
        return _wait_for_other_process(breed)


def _wait_for_other_process(breed):
    """Wait, within one Dog API timeout, for another process to fill the entry."""
    deadline = time.monotonic() + settings.DOG_API_TIMEOUT
    key = cache_key(breed)
    while time.monotonic() < deadline:
        time.sleep(POLL_INTERVAL_SECONDS)
        entry = cachestore.get(key)
        if entry is not None:
            return ImageList(entry["urls"], stale=not _is_fresh(entry))
        if cachestore.get(_lock_key(breed)) is None:
            break
    return ImageList(unavailable=True)


def get_image_list(breed):
    """Return the breed's image URLs from the cache, refreshing when needed."""
    entry = cachestore.get(cache_key(breed))
    if entry is not None and _is_fresh(entry):
        metrics.increment("dogapi_image_cache_hits_total")
        return ImageList(entry["urls"])
    if entry is not None:
        metrics.increment("dogapi_image_cache_stale_served_total")
        return _refresh_stale(breed, entry)
    metrics.increment("dogapi_image_cache_misses_total")
    return _fill_cold(breed)


def random_images(breed, count=DEFAULT_COUNT):
    """Return up to ``count`` distinct random images of a breed, none blocked.

    The result's ``urls`` may be empty: check ``unavailable`` to tell an
    upstream failure from a breed without images.
    """
    image_list = get_image_list(breed)
    blocked = set(BlockedImage.objects.values_list("url", flat=True))
    allowed = [url for url in image_list.urls if url not in blocked]
    picked = random.sample(allowed, min(count, len(allowed)))
    return ImageList(picked, stale=image_list.stale, unavailable=image_list.unavailable)


class WarmResult(enum.Enum):
    FRESH = "fresh"
    FETCHED = "fetched"
    FAILED = "failed"


def warm_images(breed, force=False):
    """Make sure the breed's image list is cached and fresh.

    Returns WarmResult.FRESH when the cached list was still fresh (and
    ``force`` is off), FETCHED after a successful Dog API call, and FAILED
    when the Dog API failed or the circuit breaker is open.
    """
    entry = cachestore.get(cache_key(breed))
    if entry is not None and _is_fresh(entry) and not force:
        return WarmResult.FRESH
    if not breaker.allow_request():
        return WarmResult.FAILED
    try:
        _fetch(breed)
    except DogApiError:
        return WarmResult.FAILED
    return WarmResult.FETCHED


def forget_images(breeds):
    """Drop the cached image lists of the given breeds."""
    for breed in breeds:
        cachestore.delete(cache_key(breed))


def refresh_images(breed):
    """Fetch the breed's image list from the Dog API now and cache it.

    Return True on success. When the Dog API fails, or the circuit breaker
    is open, return False and leave the cached list in service.
    """
    return warm_images(breed, force=True) is WarmResult.FETCHED


def normalize_for_site(url):
    """Normalize an image URL as the Dog API client does, or raise ValueError.

    Blocked image URLs are stored in this form, so that they compare equal
    to the URLs in the cached image lists.
    """
    return normalize_image_url(url.strip(), settings.DOG_IMAGE_HOSTS)


def cover_image(breed):
    """Return the URL of the breed's cover image for the public page, or "".

    A cover that is blocked, or that is not an image URL the site accepts
    under the current DOG_IMAGE_HOSTS, is not shown.
    """
    if not breed.cover_image:
        return ""
    try:
        url = normalize_for_site(breed.cover_image)
    except ValueError:
        return ""
    if BlockedImage.objects.filter(url=url).exists():
        return ""
    return url


def parse_count(raw, default=DEFAULT_COUNT):
    """Read a ``?count=`` value, clamped to 1..MAX_COUNT.

    Anything that is not a whole number gives ``default``.
    """
    try:
        count = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return max(1, min(MAX_COUNT, count))
