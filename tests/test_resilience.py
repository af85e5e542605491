"""The site survives the Dog API: fault matrix, stale cache, breaker, concurrency.

Every test talks to the Dog API stand-in over real HTTP and uses the cache
configured by CACHE_URL (local memory, or Redis in CI).
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from breeds import circuit, images, metrics
from breeds.models import Breed
from breeds.sync import SNAPSHOT_PATH, run_sync

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/breeds/",
    "/breeds/hound/",
    "/breeds/retriever/golden/",
    "/search/?q=pug",
]
HOSTILE = [b"evil.example.com", b"javascript:", b"<script>alert(1)</script>"]

# Stand-in faults, and whether each one breaks /breeds/list/all. The image-URL
# faults only rewrite image lists, so a sync under them changes nothing but
# succeeds.
FAULTS = {
    "http500_html": True,
    "http503": True,
    "http200_html": True,
    "truncated_json": True,
    "wrong_type": True,
    "status_error_200": True,
    "error_404": True,
    "reset": True,
    "slow": True,
    "oversized": True,
    "empty_list": True,
    "truncated_list": True,
    "foreign_host": False,
    "javascript_url": False,
    "markup_url": False,
}

# No page may wait for a slow Dog API longer than its own timeouts allow:
# connect plus read timeout of one attempt, and a second for the page itself.
PAGE_DEADLINE_SECONDS = 3.0


def catalogue_state():
    return sorted(Breed.objects.values_list("parent__name", "name", "retired"), key=str)


def set_fault(dogapi, mode):
    if mode == "slow":
        dogapi.set_fault(mode, delay=10)
    else:
        dogapi.set_fault(mode)


@pytest.mark.parametrize("mode", FAULTS)
def test_pages_survive_fault(client, catalogue, dogapi, mode):
    set_fault(dogapi, mode)

    for path in PAGES:
        started = time.monotonic()
        response = client.get(path)
        elapsed = time.monotonic() - started

        assert response.status_code == 200, path
        assert elapsed < PAGE_DEADLINE_SECONDS, path
        for marker in HOSTILE:
            assert marker not in response.content, (path, marker)


@pytest.mark.parametrize("mode", FAULTS)
def test_sync_under_fault_changes_nothing(catalogue, dogapi, mode):
    before = catalogue_state()
    set_fault(dogapi, mode)

    if FAULTS[mode]:
        with pytest.raises(CommandError, match="Sync failed"):
            call_command("sync_breeds", stdout=StringIO())
    else:
        call_command("sync_breeds", stdout=StringIO())

    assert catalogue_state() == before


def test_refused_connection_pages_and_sync(client, catalogue, dogapi, settings):
    settings.DOG_API_URL = "http://127.0.0.1:9/api"
    before = catalogue_state()

    for path in PAGES:
        assert client.get(path).status_code == 200, path
    with pytest.raises(CommandError, match="ConnectionRefusedError"):
        call_command("sync_breeds", stdout=StringIO())

    assert catalogue_state() == before


def test_stale_list_served_then_refreshed(catalogue, dogapi, settings):
    hound = Breed.objects.get(name="hound", parent=None)
    images.get_image_list(hound)
    settings.IMAGE_CACHE_FRESH_SECONDS = 1
    time.sleep(1.1)

    stale = images.get_image_list(hound)
    images.wait_for_refreshes(timeout=10)
    refreshed = images.get_image_list(hound)

    assert stale.stale
    assert stale.urls
    assert not refreshed.stale
    assert dogapi.count("/api/breed/hound/images") == 2


def test_stale_list_kept_on_failure(catalogue, dogapi, settings):
    hound = Breed.objects.get(name="hound", parent=None)
    first = images.get_image_list(hound)
    settings.IMAGE_CACHE_FRESH_SECONDS = 1
    time.sleep(1.1)
    dogapi.set_fault("http500_html")

    stale = images.get_image_list(hound)
    images.wait_for_refreshes(timeout=10)

    assert stale.stale
    assert stale.urls == first.urls
    assert metrics.snapshot()["dogapi_upstream_failures_total"] == 1


def test_failed_refresh_backs_off(catalogue, dogapi, settings):
    hound = Breed.objects.get(name="hound", parent=None)
    images.get_image_list(hound)
    settings.IMAGE_CACHE_FRESH_SECONDS = 1
    time.sleep(1.1)
    dogapi.set_fault("http500_html")
    dogapi.reset()

    for _ in range(5):
        assert images.get_image_list(hound).stale
        images.wait_for_refreshes(timeout=10)

    assert dogapi.count("/api/breed/hound/images") == 2  # one request, one retry


def test_stale_refresh_skipped_while_locked(catalogue, dogapi, settings):
    hound = Breed.objects.get(name="hound", parent=None)
    images.get_image_list(hound)
    settings.IMAGE_CACHE_FRESH_SECONDS = 1
    time.sleep(1.1)
    dogapi.reset()
    images.cachestore.add(images._lock_key(hound), "other-process", 30)

    result = images.get_image_list(hound)

    assert result.stale
    assert dogapi.count() == 0


def test_breaker_opens_after_threshold(catalogue, dogapi, settings):
    settings.DOG_API_FAILURE_THRESHOLD = 3
    settings.DOG_API_RETRIES = 0
    dogapi.set_fault("http500_html")
    breeds = list(Breed.objects.visible().main_breeds()[:10])

    for breed in breeds:
        assert images.get_image_list(breed).unavailable

    assert dogapi.count() == 3
    assert circuit.breaker.state() == circuit.OPEN
    assert metrics.snapshot()["dogapi_circuit_opened_total"] == 1


@pytest.fixture
def quick_breaker(settings):
    """Open the circuit on the first failure and half-open it after 1 s."""
    settings.DOG_API_FAILURE_THRESHOLD = 1
    settings.DOG_API_COOL_DOWN_SECONDS = 1
    settings.DOG_API_RETRIES = 0


def test_breaker_half_opens_and_closes(catalogue, dogapi, quick_breaker):
    pug = Breed.objects.get(name="pug")
    dogapi.set_fault("http500_html")
    images.get_image_list(pug)
    assert circuit.breaker.state() == circuit.OPEN

    time.sleep(1.1)
    dogapi.clear_fault()
    assert circuit.breaker.state() == circuit.HALF_OPEN
    result = images.get_image_list(pug)

    assert result.urls
    assert circuit.breaker.state() == circuit.CLOSED
    assert metrics.snapshot()["dogapi_circuit_half_opened_total"] == 1
    assert metrics.snapshot()["dogapi_circuit_closed_total"] == 1


def test_failed_trial_reopens_breaker(catalogue, dogapi, quick_breaker):
    pug = Breed.objects.get(name="pug")
    dogapi.set_fault("http500_html")
    images.get_image_list(pug)
    time.sleep(1.1)

    images.get_image_list(pug)

    assert circuit.breaker.state() == circuit.OPEN
    assert dogapi.count() == 2
    assert metrics.snapshot()["dogapi_circuit_opened_total"] == 2


def test_open_breaker_page_still_renders(client, catalogue, dogapi, settings):
    settings.DOG_API_FAILURE_THRESHOLD = 1
    settings.DOG_API_RETRIES = 0
    dogapi.set_fault("http500_html")
    client.get("/breeds/pug/")
    dogapi.reset()

    response = client.get("/breeds/hound/")

    assert response.status_code == 200
    assert b"Photos are unavailable right now" in response.content
    assert dogapi.count() == 0


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
)
def test_cache_outage_falls_back_upstream(client, catalogue, dogapi):
    response = client.get("/breeds/hound/")

    assert response.status_code == 200
    assert b'<img src="' in response.content
    assert dogapi.count("/api/breed/hound/images") == 1
    assert metrics.snapshot()["dogapi_image_cache_errors_total"] > 0


@pytest.fixture
def silent_server():
    """A TCP server on 127.0.0.1 that accepts connections and never replies."""
    listener = socket.create_server(("127.0.0.1", 0))
    open_connections = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                open_connections.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in open_connections:
        connection.close()
    listener.close()


def test_hung_cache_is_bypassed(client, catalogue, dogapi, silent_server):
    hung_redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{silent_server}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    with override_settings(CACHES=hung_redis):
        first = client.get("/breeds/hound/")
        second = client.get("/breeds/pug/")

    assert first.status_code == 200
    assert second.status_code == 200
    assert b'<img src="' in second.content
    # The first timeout switches the cache off for this process, so the
    # second page never waits on the hung server.
    assert metrics.snapshot()["dogapi_image_cache_errors_total"] == 1


def test_sync_forgets_retired_images(catalogue, dogapi, tmp_path):
    pug = Breed.objects.get(name="pug")
    images.get_image_list(pug)
    message = json.loads(SNAPSHOT_PATH.read_text())["message"]
    del message["pug"]
    path = tmp_path / "list.json"
    path.write_text(json.dumps({"status": "success", "message": message}))

    run_sync(from_file=path)

    assert images.cachestore.get(images.cache_key(pug)) is None


def test_concurrent_cold_requests_one_call(catalogue, dogapi, settings):
    settings.DOG_API_TIMEOUT = 5
    dogapi.set_fault("slow", path_prefix="/api/breed/hound/images", delay=0.5)
    hound = Breed.objects.get(name="hound", parent=None)
    results = []

    def view():
        results.append(images.get_image_list(hound))

    threads = [threading.Thread(target=view) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert dogapi.count("/api/breed/hound/images") == 1
    assert len(results) == 12
    assert all(result.urls for result in results)


# Run in a child process: fetch the hound image list from 6 threads at once.
CHILD_SCRIPT = """
import threading, django
django.setup()
from breeds import images
from breeds.models import Breed
hound = Breed(name="hound")
results = []
threads = [threading.Thread(target=lambda: results.append(images.get_image_list(hound)))
           for _ in range(6)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
assert all(result.urls for result in results), results
"""


def test_concurrent_processes_share_one_call(catalogue, dogapi):
    dogapi.set_fault("slow", path_prefix="/api/breed/hound/images", delay=0.5)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DOG_API_URL": dogapi.api_url,
        "DOG_IMAGE_HOSTS": dogapi.base_url.split("//", 1)[1],
        "DOG_API_TIMEOUT": "5",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD_SCRIPT], cwd=ROOT, env=environment
        )
        for _ in range(3)
    ]
    exit_codes = [process.wait(timeout=60) for process in processes]

    assert exit_codes == [0, 0, 0]
    calls = dogapi.count("/api/breed/hound/images")
    if django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        assert calls == 1
    else:
        # Local-memory caches are private to each process.
        assert calls <= len(processes)


def test_warm_command_fills_cache(catalogue, dogapi, client):
    out = StringIO()

    call_command("warm_image_cache", stdout=out)
    dogapi.reset()
    client.get("/breeds/hound/")

    assert "201 fetched" in out.getvalue()
    assert dogapi.count() == 0


def test_warm_command_continues_after_failure(catalogue, dogapi, settings):
    settings.DOG_API_FAILURE_THRESHOLD = 1000
    dogapi.set_fault("http500_html", path_prefix="/api/breed/terrier/", times=100)

    with pytest.raises(CommandError, match="Run the command again"):
        call_command("warm_image_cache", stdout=StringIO(), stderr=StringIO())
    dogapi.clear_fault()
    dogapi.reset()
    out = StringIO()
    call_command("warm_image_cache", stdout=out)

    terriers = (
        Breed.objects.filter(name="terrier").count()
        + Breed.objects.filter(parent__name="terrier").count()
    )
    assert f"{terriers} fetched" in out.getvalue()
    assert dogapi.count() == terriers


def test_warm_command_rejects_bad_concurrency(catalogue):
    with pytest.raises(CommandError, match="--concurrency"):
        call_command("warm_image_cache", "--concurrency", "0")


def test_not_found_list_expires_soon(client, catalogue, dogapi, settings):
    settings.DOG_API_COOL_DOWN_SECONDS = 1
    dogapi.set_fault("error_404", path_prefix="/api/breed/")
    empty = client.get("/breeds/briard/")
    dogapi.clear_fault()

    cached = client.get("/breeds/briard/")
    time.sleep(1.1)
    client.get("/breeds/briard/")
    images.wait_for_refreshes(timeout=10)
    recovered = client.get("/breeds/briard/")

    assert b"There are no photos of this breed yet." in empty.content
    assert b"There are no photos of this breed yet." in cached.content
    assert b'<img src="' in recovered.content
    assert dogapi.count("/api/breed/briard/images") == 2
