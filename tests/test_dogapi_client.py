"""The Dog API client against the stand-in over real HTTP."""

import pytest

from breeds.dogapi import (
    USER_AGENT,
    DogApiClient,
    DogApiInvalidResponse,
    DogApiNotFound,
    DogApiUnavailable,
    normalize_image_url,
)

HOSTS = ["images.dog.ceo", "127.0.0.1:8001"]


@pytest.fixture
def client(dogapi, settings):
    return DogApiClient()


def test_list_all_returns_catalogue(client):
    catalogue = client.list_all()

    assert len(catalogue) == 107
    assert sum(len(subs) for subs in catalogue.values()) == 94
    assert "golden" in catalogue["retriever"]


def test_session_sends_user_agent(client):
    assert client.session.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("dogsite/")


def test_sub_breed_images_are_encoded(client):
    urls = client.breed_images("pug")

    assert any(
        "WhatsApp%20Image%202023-05-30%20at%2021.37.23.jpeg" in url for url in urls
    )
    assert all(" " not in url for url in urls)


def test_sub_breed_uses_own_endpoint(client, dogapi):
    urls = client.breed_images("retriever", "golden")

    assert urls
    assert all("/breeds/retriever-golden/" in url for url in urls)
    assert dogapi.paths[-1] == "/api/breed/retriever/golden/images"


def test_unknown_breed_raises_not_found(client):
    with pytest.raises(DogApiNotFound, match="Breed not found"):
        client.breed_images("notabreed")


@pytest.mark.parametrize("name", ["Hound", "hound/../x", "", "h0und", "a" * 65])
def test_invalid_name_never_requested(client, dogapi, name):
    with pytest.raises(ValueError):
        client.breed_images(name)

    assert dogapi.count() == 0


@pytest.mark.parametrize(
    "mode, error, problem",
    [
        ("http500_html", DogApiUnavailable, "HTTP 500"),
        ("http503", DogApiUnavailable, "HTTP 503"),
        ("http200_html", DogApiInvalidResponse, "not JSON"),
        ("truncated_json", DogApiInvalidResponse, "not JSON"),
        ("wrong_type", DogApiInvalidResponse, "message is not"),
        ("status_error_200", DogApiInvalidResponse, "not 'success'"),
        ("error_404", DogApiNotFound, "not found"),
        ("reset", DogApiUnavailable, "request failed"),
        ("oversized", DogApiInvalidResponse, "DOG_API_MAX_BYTES"),
        ("foreign_host", DogApiInvalidResponse, "not in DOG_IMAGE_HOSTS"),
        ("javascript_url", DogApiInvalidResponse, "invalid image URL"),
        ("markup_url", DogApiInvalidResponse, "markup"),
    ],
)
def test_faults_raise_named_errors(client, dogapi, mode, error, problem):
    dogapi.set_fault(mode)

    with pytest.raises(error, match=problem) as raised:
        client.breed_images("hound")

    assert raised.value.url.endswith("/api/breed/hound/images")


def test_server_errors_are_retried(client, dogapi):
    dogapi.set_fault("http500_html")

    with pytest.raises(DogApiUnavailable):
        client.list_all()

    assert dogapi.count("/api/breeds/list/all") == 2


def test_slow_answer_times_out(dogapi, settings):
    settings.DOG_API_TIMEOUT = 0.3
    dogapi.set_fault("slow", delay=2)

    with pytest.raises(DogApiUnavailable, match="timed out"):
        DogApiClient().list_all()

    assert dogapi.count("/api/breeds/list/all") == 1


def test_refused_connection_is_unavailable(settings):
    with pytest.raises(DogApiUnavailable, match="request failed"):
        DogApiClient("http://127.0.0.1:9/api", retries=0).list_all()


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "https://images.dog.ceo/breeds/pug/WhatsApp Image 2023.jpeg",
            "https://images.dog.ceo/breeds/pug/WhatsApp%20Image%202023.jpeg",
        ),
        (
            "https://images.dog.ceo/breeds/retriever-golden/mabel1 (1).jpg",
            "https://images.dog.ceo/breeds/retriever-golden/mabel1%20(1).jpg",
        ),
        (
            "https://images.dog.ceo/breeds/pug/a%20b.JPG",
            "https://images.dog.ceo/breeds/pug/a%20b.JPG",
        ),
        (
            "http://127.0.0.1:8001/breeds/pug/a.jpg",
            "http://127.0.0.1:8001/breeds/pug/a.jpg",
        ),
    ],
)
def test_normalize_accepts_real_urls(url, expected):
    assert normalize_image_url(url, HOSTS) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://images.dog.ceo/breeds/pug/a.jpg",
        "https://evil.example.com/breeds/pug/a.jpg",
        "javascript:alert(1)",
        'https://images.dog.ceo/breeds/pug/a.jpg"><script>alert(1)</script>',
        "https://images.dog.ceo/other/pug/a.jpg",
        "https://images.dog.ceo/breeds/pug/a.jpg?x=1",
        "https://images.dog.ceo.evil.com/breeds/pug/a.jpg",
        "https://user@images.dog.ceo/breeds/pug/a.jpg",
        "",
        None,
        42,
    ],
)
def test_normalize_rejects_hostile_urls(url):
    with pytest.raises(ValueError):
        normalize_image_url(url, HOSTS)
