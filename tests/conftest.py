"""Shared fixtures: the Dog API stand-in, a clean cache and catalogue helpers."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from breeds import images, metrics
from breeds.models import Breed
from breeds.sync import SNAPSHOT_PATH, run_sync
from tests.dogapi_standin import DogApiStandin


@pytest.fixture(scope="session")
def standin_server():
    server = DogApiStandin()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def clean_cache():
    """Start every test with an empty cache, fresh counters and a new client."""
    cache.clear()
    metrics.reset()
    images._client_for.cache_clear()
    yield
    cache.clear()


@pytest.fixture
def dogapi(standin_server, settings):
    """Point the site at the stand-in, with short timeouts and no faults."""
    standin_server.clear_fault()
    standin_server.reset()
    settings.DOG_API_URL = standin_server.api_url
    settings.DOG_IMAGE_HOSTS = [urlsplit(standin_server.base_url).netloc]
    settings.DOG_API_TIMEOUT = 1.0
    settings.DOG_API_CONNECT_TIMEOUT = 1.0
    settings.DOG_API_RETRIES = 1
    images._client_for.cache_clear()
    yield standin_server
    standin_server.clear_fault()


@pytest.fixture
def catalogue(db):
    """Fill the catalogue from the bundled snapshot (107 breeds, 94 sub-breeds)."""
    run_sync(from_file=SNAPSHOT_PATH)
    return Breed.objects.all()


def make_breed(name, parent=None, **fields):
    now = timezone.now()
    fields.setdefault("first_seen", now)
    fields.setdefault("last_seen", now)
    return Breed.objects.create(name=name, parent=parent, **fields)


@pytest.fixture
def breed_factory(db):
    return make_breed
