"""Tests for the Dog API stand-in, over real HTTP on 127.0.0.1."""

import json
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.dogapi_standin import (
    DEFAULT_CATALOGUE,
    DEFAULT_IMAGES,
    FAULT_MODES,
    MAIN_BREED_NOT_FOUND,
    SUB_BREED_NOT_FOUND,
    DogApiStandin,
    synthesize_image_names,
)

TIMEOUT = 5
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = json.loads(DEFAULT_CATALOGUE.read_text())["message"]
SAMPLE_IMAGES = json.loads(DEFAULT_IMAGES.read_text())["images"]
PUG_SPACED_NAME = "WhatsApp Image 2023-05-30 at 21.37.23.jpeg"
GOLDEN_PARENTHESES_NAME = "mabel1 (1).jpg"


@pytest.fixture
def standin():
    with DogApiStandin(seed=7) as server:
        yield server


def get(standin, path, **kwargs):
    return requests.get(standin.api_url + path, timeout=TIMEOUT, **kwargs)


def get_message(standin, path):
    response = get(standin, path)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["status"] == "success"
    return payload["message"]


def image_path(url, standin):
    """Return folder and file name of an image URL on the stand-in."""
    assert url.startswith(standin.image_base), url
    folder, name = url[len(standin.image_base) :].split("/")
    return folder, name


def assert_error(response, message, status=404):
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "message": message, "code": status}


def read_png(data):
    """Decode a PNG written as one RGB IDAT chunk into (width, height, pixels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = {}
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        content = data[offset + 8 : offset + 8 + length]
        (checksum,) = struct.unpack(
            ">I", data[offset + 8 + length : offset + 12 + length]
        )
        assert checksum == zlib.crc32(kind + content), kind
        chunks[kind] = content
        offset += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour_type) == (8, 2)
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert len(pixels) == height * (1 + 3 * width)
    assert b"IEND" in chunks
    return width, height, pixels


# Breed lists


def test_list_all_matches_catalogue(standin):
    message = get_message(standin, "/breeds/list/all")

    assert message == CATALOGUE
    assert len(message) == 107
    assert sum(len(subs) for subs in message.values()) == 94


def test_list_returns_breed_names(standin):
    message = get_message(standin, "/breeds/list")

    assert message == list(CATALOGUE)


def test_body_escapes_slashes_like_php(standin):
    response = get(standin, "/breeds/image/random")

    assert response.text.startswith('{"message":"http:\\/\\/127.0.0.1:')
    assert response.json()["message"].startswith(standin.image_base)


def test_breed_list_returns_sub_breeds(standin):
    assert get_message(standin, "/breed/hound/list") == CATALOGUE["hound"]
    assert get_message(standin, "/breed/pug/list") == []


def test_other_catalogue_file_served(tmp_path):
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps({"message": {"pug": [], "hound": ["afghan"]}}))

    with DogApiStandin(catalogue_path=catalogue) as server:
        message = get_message(server, "/breeds/list/all")
        afghan = get_message(server, "/breed/hound/afghan/images")

    assert message == {"pug": [], "hound": ["afghan"]}
    assert [url.rsplit("/", 1)[1] for url in afghan] == SAMPLE_IMAGES["hound-afghan"]


def test_invalid_catalogue_file_rejected(tmp_path):
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps({"message": {"pug": "none"}}))

    with pytest.raises(ValueError, match="'pug' must be a list of strings"):
        DogApiStandin(catalogue_path=catalogue)


# Images of a breed and its sub-breeds


def test_breed_images_cover_sub_breeds(standin):
    message = get_message(standin, "/breed/hound/images")

    folders = {image_path(url, standin)[0] for url in message}
    assert folders == {f"hound-{sub}" for sub in CATALOGUE["hound"]}
    afghan = standin.image_base + "hound-afghan/" + SAMPLE_IMAGES["hound-afghan"][0]
    assert afghan in message


def test_breed_images_keep_real_names(standin):
    message = get_message(standin, "/breed/pug/images")

    expected = [standin.image_base + "pug/" + name for name in SAMPLE_IMAGES["pug"]]
    assert message == expected
    assert standin.image_base + "pug/" + PUG_SPACED_NAME in message
    assert standin.image_base + "pug/Alfbaby.JPG" in message


def test_sub_breed_images_keep_real_names(standin):
    message = get_message(standin, "/breed/retriever/golden/images")

    names = [image_path(url, standin)[1] for url in message]
    assert names == SAMPLE_IMAGES["retriever-golden"]
    assert GOLDEN_PARENTHESES_NAME in names


def test_synthesized_names_are_deterministic(standin):
    message = get_message(standin, "/breed/akita/images")

    names = [image_path(url, standin)[1] for url in message]
    assert names == list(synthesize_image_names("akita"))
    assert 8 <= len(names) <= 12
    assert all(name.startswith("n0") and name.endswith(".jpg") for name in names)
    assert names != list(synthesize_image_names("beagle"))


def test_image_urls_point_at_standin(standin):
    message = get_message(standin, "/breeds/image/random/20")

    assert all(url.startswith(standin.image_base) for url in message)
    assert standin.image_base == f"http://127.0.0.1:{standin.port}/breeds/"
    assert standin.api_url == f"http://127.0.0.1:{standin.port}/api"


# Random images and the n quirks


def test_random_image_is_one_url(standin):
    message = get_message(standin, "/breeds/image/random")

    assert isinstance(message, str)
    assert image_path(message, standin)[0] in {
        folder
        for breed, subs in CATALOGUE.items()
        for folder in ([f"{breed}-{s}" for s in subs] or [breed])
    }


def test_random_images_return_n(standin):
    message = get_message(standin, "/breeds/image/random/7")

    assert len(message) == 7
    assert len(set(message)) == 7


def test_random_images_capped_at_50(standin):
    message = get_message(standin, "/breeds/image/random/80")

    assert len(message) == 50


@pytest.mark.parametrize("n", ["abc", "0", "-3", "1.5", "2x"])
@pytest.mark.parametrize(
    "path",
    [
        "/breeds/image/random/",
        "/breed/hound/images/random/",
        "/breed/retriever/golden/images/random/",
    ],
)
def test_invalid_n_gives_one_image(standin, path, n):
    message = get_message(standin, path + n)

    assert isinstance(message, list)
    assert len(message) == 1


def test_breed_random_drawn_from_pool(standin):
    pool = get_message(standin, "/breed/hound/images")

    single = get_message(standin, "/breed/hound/images/random")
    several = get_message(standin, "/breed/hound/images/random/5")

    assert single in pool
    assert len(several) == 5
    assert set(several) <= set(pool)


def test_breed_random_not_capped(standin):
    message = get_message(standin, "/breed/terrier/images/random/80")

    assert len(message) == 80
    assert len(set(message)) == 80


def test_breed_random_limited_by_pool(standin):
    message = get_message(standin, "/breed/pug/images/random/30")

    assert sorted(message) == sorted(
        standin.image_base + "pug/" + name for name in SAMPLE_IMAGES["pug"]
    )


def test_sub_breed_random_from_sub_breed(standin):
    single = get_message(standin, "/breed/hound/afghan/images/random")
    several = get_message(standin, "/breed/hound/afghan/images/random/3")

    assert image_path(single, standin)[0] == "hound-afghan"
    assert len(several) == 3
    assert {image_path(url, standin)[0] for url in several} == {"hound-afghan"}


def test_seed_repeats_random_images():
    with DogApiStandin(seed=3) as first:
        first_images = get_message(first, "/breeds/image/random/5")
    with DogApiStandin(seed=3) as second:
        second_images = get_message(second, "/breeds/image/random/5")

    first_paths = [url.split("/breeds/")[1] for url in first_images]
    second_paths = [url.split("/breeds/")[1] for url in second_images]
    assert first_paths == second_paths


# Error envelopes


@pytest.mark.parametrize(
    "path",
    [
        "/breed/wolf/list",
        "/breed/wolf/images",
        "/breed/wolf/images/random",
        "/breed/wolf/images/random/3",
        "/breed/wolf/grey/images",
        "/breed/wolf/grey/images/random/2",
        "/breed/Hound/images",
    ],
)
def test_unknown_breed_is_404(standin, path):
    assert_error(get(standin, path), MAIN_BREED_NOT_FOUND)


@pytest.mark.parametrize(
    "path",
    [
        "/breed/hound/wolf/images",
        "/breed/hound/wolf/images/random",
        "/breed/hound/Afghan/images/random/2",
        "/breed/pug/tiny/images",
    ],
)
def test_wrong_sub_breed_is_404(standin, path):
    assert_error(get(standin, path), SUB_BREED_NOT_FOUND)


@pytest.mark.parametrize(
    "path",
    [
        "/breeds/list/alll",
        "/breeds/list/all/",
        "/breed/hound",
        "/breed/hound/images/random/3/4",
        "/breed/hound/afghan/images/extra",
        "/breeds/image/random/3/4",
        "",
    ],
)
def test_unknown_route_is_404(standin, path):
    response = get(standin, path)

    url = standin.api_url + path
    assert_error(response, f'No route found for "GET {url}" with code: 0')


def test_post_to_api_is_404(standin):
    response = requests.post(standin.api_url + "/breeds/list/all", timeout=TIMEOUT)

    url = standin.api_url + "/breeds/list/all"
    assert_error(response, f'No route found for "POST {url}" with code: 0')


# Image bytes


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("pug", PUG_SPACED_NAME),
        ("pug", "WhatsApp_Image_2023-05-30_at_21.40.58_(1).jpg"),
        ("retriever-golden", GOLDEN_PARENTHESES_NAME),
        ("pug", "Alfbaby.JPG"),
        ("akita", synthesize_image_names("akita")[0]),
    ],
)
def test_image_served_as_png(standin, folder, name):
    url = standin.image_base + quote(f"{folder}/{name}")

    response = requests.get(url, timeout=TIMEOUT)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    width, height, _ = read_png(response.content)
    assert (width, height) == (160, 120)


def test_image_with_raw_parentheses(standin):
    url = standin.image_base + "retriever-golden/mabel1%20(1).jpg"

    response = requests.get(url, timeout=TIMEOUT)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"


def test_every_listed_url_loads(standin):
    urls = get_message(standin, "/breed/pug/images")

    for url in urls:
        response = requests.get(url, timeout=TIMEOUT)
        assert response.status_code == 200, url


def test_image_colour_differs_by_folder(standin):
    pug = requests.get(standin.image_base + "pug/Alf.jpg", timeout=TIMEOUT)
    akita_name = synthesize_image_names("akita")[0]
    akita = requests.get(standin.image_base + "akita/" + akita_name, timeout=TIMEOUT)

    pug_pixel = read_png(pug.content)[2][1:4]
    akita_pixel = read_png(akita.content)[2][1:4]
    assert pug_pixel != akita_pixel


@pytest.mark.parametrize(
    "path",
    [
        "pug/missing.jpg",
        "wolf/n02085620_1.jpg",
        "pug/Alf.JPG",
        "pug/WhatsApp+Image+2023-05-30+at+21.37.23.jpeg",
        "retriever/mabel1%20(1).jpg",
        "pug",
    ],
)
def test_unknown_image_is_404(standin, path):
    response = requests.get(standin.image_base + path, timeout=TIMEOUT)

    assert response.status_code == 404


# Request record


def test_record_counts_by_prefix(standin):
    get(standin, "/breeds/list/all")
    get(standin, "/breed/hound/images")
    get(standin, "/breed/pug/images")
    requests.get(standin.image_base + "pug/Alf.jpg", timeout=TIMEOUT)

    assert standin.count() == 4
    assert standin.count("/api/breed/") == 2
    assert standin.count("/api/breeds/list/all") == 1
    assert standin.count("/breeds/") == 1
    assert standin.paths[0] == "/api/breeds/list/all"


def test_record_keeps_encoded_path(standin):
    requests.get(standin.image_base + "pug/Alf%20x.jpg?size=2", timeout=TIMEOUT)

    assert standin.paths == ["/breeds/pug/Alf%20x.jpg?size=2"]


def test_reset_clears_record_only(standin):
    get(standin, "/breeds/list")
    standin.set_fault("http503")

    standin.reset()

    assert standin.count() == 0
    assert standin.paths == []
    assert standin.fault["mode"] == "http503"


def test_record_is_thread_safe(standin):
    def fetch_many():
        for _ in range(10):
            get(standin, "/breeds/list")

    threads = [threading.Thread(target=fetch_many) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)

    assert standin.count("/api/breeds/list") == 50


# Fault modes


def test_fault_http500_html(standin):
    standin.set_fault("http500_html")

    response = get(standin, "/breeds/list/all")

    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")


def test_fault_http200_html(standin):
    standin.set_fault("http200_html")

    response = get(standin, "/breeds/list/all")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_fault_truncated_json(standin):
    standin.set_fault("truncated_json")

    response = get(standin, "/breeds/list/all")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.text.startswith('{"message":{"affenpinscher":[]')
    with pytest.raises(requests.JSONDecodeError):
        response.json()


@pytest.mark.parametrize(
    ("path", "wrong_type"),
    [
        ("/breeds/list/all", list),
        ("/breeds/list", str),
        ("/breed/hound/images", str),
        ("/breeds/image/random", list),
    ],
)
def test_fault_wrong_type(standin, path, wrong_type):
    standin.set_fault("wrong_type")

    response = get(standin, path)

    assert response.status_code == 200
    assert response.json()["status"] == "success"
    assert isinstance(response.json()["message"], wrong_type)


def test_fault_status_error_200(standin):
    standin.set_fault("status_error_200")

    response = get(standin, "/breed/hound/images")

    assert response.status_code == 200
    assert response.json() == {
        "status": "error",
        "message": MAIN_BREED_NOT_FOUND,
        "code": 404,
    }


@pytest.mark.parametrize(
    "path", ["/api/breeds/list/all", "/api/breed/pug/images", "/breeds/pug/Alf.jpg"]
)
def test_fault_error_404_any_path(standin, path):
    standin.set_fault("error_404")

    response = requests.get(standin.base_url + path, timeout=TIMEOUT)

    assert_error(response, MAIN_BREED_NOT_FOUND)


def test_fault_reset_sends_rst(standin):
    standin.set_fault("reset")

    with socket.create_connection(("127.0.0.1", standin.port), TIMEOUT) as client:
        client.sendall(b"GET /api/breeds/list HTTP/1.0\r\nHost: x\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            client.recv(1024)


def test_fault_reset_fails_requests(standin):
    standin.set_fault("reset")

    with pytest.raises(requests.ConnectionError):
        get(standin, "/breeds/list/all")


def test_fault_slow_delays_answer(standin):
    standin.set_fault("slow", delay=0.4)

    started = time.monotonic()
    message = get_message(standin, "/breeds/list")
    elapsed = time.monotonic() - started

    assert elapsed >= 0.4
    assert message == list(CATALOGUE)


def test_fault_slow_default_delay(standin):
    standin.set_fault("slow")

    with pytest.raises(requests.Timeout):
        requests.get(standin.api_url + "/breeds/list", timeout=0.5)

    assert standin.fault["options"] == {"delay": 10.0}


def test_fault_slow_blocks_nothing_else(standin):
    standin.set_fault("slow", path_prefix="/api/breeds/list/all", delay=1)
    slow_statuses = []
    slow = threading.Thread(
        target=lambda: slow_statuses.append(
            get(standin, "/breeds/list/all").status_code
        )
    )
    slow.start()
    time.sleep(0.1)

    started = time.monotonic()
    message = get_message(standin, "/breeds/list")
    elapsed = time.monotonic() - started
    slow.join(TIMEOUT)

    assert message == list(CATALOGUE)
    assert elapsed < 0.5
    assert slow_statuses == [200]


def test_stop_interrupts_slow_request(standin):
    standin.set_fault("slow", delay=30)
    errors = []

    def fetch():
        try:
            get(standin, "/breeds/list")
        except requests.RequestException as error:
            errors.append(error)

    client = threading.Thread(target=fetch)
    client.start()
    time.sleep(0.2)
    started = time.monotonic()
    standin.stop()
    client.join(TIMEOUT)

    assert time.monotonic() - started < 2
    assert not client.is_alive()
    assert len(errors) == 1


def test_fault_oversized_default_size(standin):
    standin.set_fault("oversized")

    response = get(standin, "/breeds/list/all")

    assert len(response.content) >= 5 * 1024 * 1024
    assert response.json()["message"] == CATALOGUE
    assert response.json()["status"] == "success"


def test_fault_oversized_custom_size(standin):
    standin.set_fault("oversized", size=200_000)

    response = get(standin, "/breeds/list")

    assert 200_000 <= len(response.content) < 210_000
    assert response.json()["message"] == list(CATALOGUE)


def test_fault_empty_list(standin):
    standin.set_fault("empty_list")

    assert get_message(standin, "/breeds/list/all") == {}
    assert get_message(standin, "/breeds/list") == []
    assert get_message(standin, "/breed/hound/list") == CATALOGUE["hound"]


def test_fault_truncated_list_default(standin):
    standin.set_fault("truncated_list")

    message = get_message(standin, "/breeds/list/all")

    assert list(message) == list(CATALOGUE)[:5]
    assert get_message(standin, "/breeds/list") == list(CATALOGUE)[:5]


def test_fault_truncated_list_count(standin):
    standin.set_fault("truncated_list", count=2)

    message = get_message(standin, "/breeds/list/all")

    assert message == {breed: CATALOGUE[breed] for breed in list(CATALOGUE)[:2]}


def test_fault_foreign_host(standin):
    standin.set_fault("foreign_host")

    message = get_message(standin, "/breed/pug/images")

    assert message[0] == "https://evil.example.com/breeds/pug/Alf.jpg"
    assert all(url.startswith("https://evil.example.com/breeds/") for url in message)


def test_fault_javascript_url(standin):
    standin.set_fault("javascript_url")

    single = get_message(standin, "/breeds/image/random")
    several = get_message(standin, "/breed/hound/images/random/3")

    assert single == "javascript:alert(1)"
    assert several == ["javascript:alert(1)"] * 3


def test_fault_markup_url(standin):
    standin.set_fault("markup_url")

    message = get_message(standin, "/breed/hound/afghan/images/random")

    expected = standin.image_base + 'hound-afghan/"><script>alert(1)</script>.jpg'
    assert message == expected


def test_fault_http503(standin):
    standin.set_fault("http503")

    response = get(standin, "/breeds/list/all")

    assert_error(response, "Service Unavailable", status=503)


def test_fault_path_prefix_limits(standin):
    standin.set_fault("http500_html", path_prefix="/api/breed/")

    listed = get(standin, "/breeds/list/all")
    images = get(standin, "/breed/hound/images")

    assert listed.status_code == 200
    assert images.status_code == 500


def test_fault_times_then_clears(standin):
    standin.set_fault("http503", times=2)

    statuses = [get(standin, "/breeds/list").status_code for _ in range(3)]

    assert statuses == [503, 503, 200]
    assert standin.fault is None


def test_list_fault_skips_other_paths(standin):
    standin.set_fault("empty_list", times=1)

    images = get_message(standin, "/breed/pug/images")
    listed = get_message(standin, "/breeds/list/all")

    assert len(images) == 10
    assert listed == {}


def test_faults_spare_control_endpoint(standin):
    standin.set_fault("reset")

    response = requests.get(standin.base_url + "/_standin/fault", timeout=TIMEOUT)

    assert response.status_code == 200
    assert response.json()["message"]["mode"] == "reset"


def test_clear_fault_restores_answers(standin):
    standin.set_fault("http500_html")

    standin.clear_fault()

    assert get(standin, "/breeds/list").status_code == 200
    assert standin.fault is None


@pytest.mark.parametrize(
    ("mode", "options", "message"),
    [
        ("teapot", {}, "Invalid fault mode 'teapot'"),
        ("slow", {"size": 3}, "Invalid option\\(s\\) size for fault 'slow'"),
        ("slow", {"delay": -1}, "delay=-1"),
        ("slow", {"delay": "2"}, "delay='2'"),
        ("oversized", {"size": True}, "size=True"),
        ("http503", {"times": 0}, "times=0"),
        ("http503", {"times": 1.5}, "times=1.5"),
    ],
)
def test_invalid_fault_rejected(standin, mode, options, message):
    with pytest.raises(ValueError, match=message):
        standin.set_fault(mode, **options)

    assert standin.fault is None


def test_every_fault_mode_covered():
    covered = {
        "http500_html",
        "http200_html",
        "truncated_json",
        "wrong_type",
        "status_error_200",
        "error_404",
        "reset",
        "slow",
        "oversized",
        "empty_list",
        "truncated_list",
        "foreign_host",
        "javascript_url",
        "markup_url",
        "http503",
    }

    assert set(FAULT_MODES) == covered


# Control endpoint


def control(standin, method, path, **kwargs):
    url = standin.base_url + "/_standin/" + path
    return requests.request(method, url, timeout=TIMEOUT, **kwargs)


def test_control_sets_fault(standin):
    body = {"mode": "slow", "path_prefix": "/api/breed/", "delay": 0.2}

    response = control(standin, "POST", "fault", json=body)

    assert response.status_code == 200
    assert response.json()["message"] == {
        "mode": "slow",
        "path_prefix": "/api/breed/",
        "options": {"delay": 0.2},
        "remaining": None,
    }
    assert standin.fault["mode"] == "slow"


def test_control_fault_takes_effect(standin):
    control(standin, "POST", "fault", json={"mode": "http503", "times": 1})

    first = get(standin, "/breeds/list")
    second = get(standin, "/breeds/list")

    assert first.status_code == 503
    assert second.status_code == 200


def test_control_deletes_fault(standin):
    standin.set_fault("http500_html")

    response = control(standin, "DELETE", "fault")

    assert response.status_code == 200
    assert standin.fault is None
    assert get(standin, "/breeds/list").status_code == 200


def test_control_reports_request_counts(standin):
    get(standin, "/breeds/list")
    get(standin, "/breeds/list")
    get(standin, "/breed/pug/images")

    everything = control(standin, "GET", "requests").json()["message"]
    breed_only = control(standin, "GET", "requests?prefix=/api/breed/").json()

    assert everything["total"] == 3
    assert everything["by_path"] == {"/api/breeds/list": 2, "/api/breed/pug/images": 1}
    assert breed_only["message"]["total"] == 1
    assert breed_only["message"]["paths"] == ["/api/breed/pug/images"]
    assert standin.count() == 3


def test_control_reset_clears_record(standin):
    get(standin, "/breeds/list")

    response = control(standin, "POST", "reset")

    assert response.status_code == 200
    assert standin.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "Request body is not valid JSON"),
        (b"[]", 'Request body must be a JSON object with a string "mode".'),
        (b'{"mode": "teapot"}', "Invalid fault mode 'teapot'"),
        (b'{"mode": "slow", "delay": "soon"}', "delay='soon'"),
    ],
)
def test_control_rejects_bad_fault(standin, body, message):
    response = control(standin, "POST", "fault", data=body)

    assert response.status_code == 400
    assert response.json()["status"] == "error"
    assert message in response.json()["message"]
    assert standin.fault is None


def test_control_rejects_large_body(standin):
    body = json.dumps({"mode": "http503", "path_prefix": "x" * 70_000})

    response = control(standin, "POST", "fault", data=body)

    assert response.status_code == 400
    assert "at most 65536 bytes" in response.json()["message"]
    assert standin.fault is None


def test_control_unknown_action_is_404(standin):
    response = control(standin, "GET", "shutdown")

    assert response.status_code == 404
    assert (
        response.json()["message"] == "Unknown control action GET /_standin/shutdown."
    )


# Lifecycle


def test_stop_releases_port(standin):
    port = standin.port

    standin.stop()

    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/api/breeds/list", timeout=TIMEOUT)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def test_restart_reuses_port(standin):
    port = standin.port
    get(standin, "/breeds/list")
    standin.stop()

    standin.start()

    assert standin.port == port
    assert get(standin, "/breeds/list").status_code == 200


def test_stop_is_quick_and_idempotent(standin):
    started = time.monotonic()
    standin.stop()
    standin.stop()

    assert time.monotonic() - started < 1
    assert not standin.running


def test_start_twice_rejected(standin):
    with pytest.raises(RuntimeError, match="already running"):
        standin.start()


def test_public_url_in_image_urls():
    with DogApiStandin(public_url="http://dogapi.test:9000/") as server:
        message = get_message_at(server, "/breed/pug/images")

    assert server.api_url == "http://dogapi.test:9000/api"
    assert message[0] == "http://dogapi.test:9000/breeds/pug/Alf.jpg"


def get_message_at(server, path):
    """Fetch from the listening address when public_url names another host."""
    url = f"http://127.0.0.1:{server.port}/api{path}"
    return requests.get(url, timeout=TIMEOUT).json()["message"]


# Command line


def run_cli(*arguments):
    return subprocess.Popen(
        [sys.executable, *arguments, "--port", "0"],
        cwd=REPOSITORY_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_process(process):
    """Kill the process if a failed step left it running."""
    if process.poll() is None:
        process.kill()
        process.wait(TIMEOUT)


@pytest.mark.parametrize(
    "command", [("-m", "tests.dogapi_standin"), ("tests/dogapi_standin.py",)]
)
def test_cli_serves_until_sigterm(command):
    with run_cli(*command) as process:
        try:
            line = process.stdout.readline().strip()
            api_url = line.removeprefix("DOG_API_URL=")
            response = requests.get(api_url + "/breeds/list", timeout=TIMEOUT)

            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=TIMEOUT)
        finally:
            stop_process(process)

    assert line.startswith("DOG_API_URL=http://127.0.0.1:")
    assert api_url.endswith("/api")
    assert response.json()["message"] == list(CATALOGUE)
    assert process.returncode == 0
    assert "stopped" in stderr


def test_cli_fault_option():
    with run_cli("-m", "tests.dogapi_standin", "--fault", "http503") as process:
        try:
            api_url = process.stdout.readline().strip().removeprefix("DOG_API_URL=")
            response = requests.get(api_url + "/breeds/list", timeout=TIMEOUT)

            process.send_signal(signal.SIGINT)
            process.communicate(timeout=TIMEOUT)
        finally:
            stop_process(process)

    assert response.status_code == 503
    assert process.returncode == 0


def test_cli_rejects_missing_catalogue(tmp_path):
    missing = tmp_path / "missing.json"

    completed = subprocess.run(
        [sys.executable, "-m", "tests.dogapi_standin", "--catalogue", str(missing)],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )

    assert completed.returncode == 2
    assert f"Failed to read {missing}" in completed.stderr
