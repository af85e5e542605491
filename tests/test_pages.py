"""Public pages over the real catalogue and the Dog API stand-in."""

import re

import pytest
from django.test import override_settings

from breeds import images, metrics
from breeds.models import BlockedImage, Breed

pytestmark = pytest.mark.django_db

IMG_SRC = re.compile(r'<img src="([^"]+)"')


def image_sources(response):
    return IMG_SRC.findall(response.content.decode())


def test_home_shows_search_and_photo(client, catalogue, dogapi):
    response = client.get("/")

    assert response.status_code == 200
    assert b'action="/search/"' in response.content
    assert b'name="q"' in response.content
    assert len(image_sources(response)) == 1


def test_home_lists_featured_breeds(client, catalogue, dogapi):
    Breed.objects.filter(name="pug").update(featured=True, featured_order=2)
    Breed.objects.filter(name="beagle").update(featured=True, featured_order=1)

    content = client.get("/").content.decode()
    featured = content[content.index("Featured breeds") :]

    assert featured.index(">Beagle</a>") < featured.index(">Pug</a>")


def test_home_without_catalogue_renders(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert image_sources(response) == []


def test_catalogue_lists_visible_breeds(client, catalogue):
    response = client.get("/breeds/")
    content = response.content.decode()

    assert response.status_code == 200
    assert len(re.findall(r'href="/breeds/[a-z]+/([a-z]+/)?"', content)) == 201
    assert 'href="/breeds/retriever/golden/"' in content
    assert content.index("Affenpinscher") < content.index("Whippet")


def test_catalogue_nests_sub_breeds(client, catalogue):
    content = client.get("/breeds/").content.decode()
    hound = content.index('href="/breeds/hound/"')
    next_main = content.index('href="/breeds/husky/"')

    assert hound < content.index('href="/breeds/hound/afghan/"') < next_main


def test_empty_catalogue_explains_sync(client, db):
    response = client.get("/breeds/")

    assert b"sync_breeds" in response.content


def test_breed_page_shows_gallery(client, catalogue, dogapi):
    response = client.get("/breeds/hound/")
    sources = image_sources(response)

    assert response.status_code == 200
    assert len(sources) == images.DEFAULT_COUNT
    assert len(set(sources)) == len(sources)
    assert b'href="/breeds/hound/afghan/"' in response.content
    assert response["Cache-Control"] == "no-store"


def test_sub_breed_page_uses_its_images(client, catalogue, dogapi):
    response = client.get("/breeds/retriever/golden/")
    content = response.content.decode()

    assert response.status_code == 200
    assert "Golden Retriever" in content
    assert all("/breeds/retriever-golden/" in url for url in image_sources(response))
    assert dogapi.paths == ["/api/breed/retriever/golden/images"]


def test_alt_text_names_breed(client, catalogue, dogapi):
    content = client.get("/breeds/pug/").content.decode()

    assert content.count('alt="Photo of a Pug"') == images.DEFAULT_COUNT


def test_image_urls_encoded_in_html(client, catalogue, dogapi):
    content = client.get("/breeds/pug/?count=50").content.decode()
    sources = IMG_SRC.findall(content)

    assert any("WhatsApp%20Image" in url for url in sources)
    assert all(" " not in url and '"' not in url for url in sources)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3", 3),
        ("50", 50),
        ("51", 50),
        ("1000000000000000000000", 50),
        ("0", 1),
        ("-4", 1),
        ("abc", images.DEFAULT_COUNT),
        ("2.5", images.DEFAULT_COUNT),
        ("", images.DEFAULT_COUNT),
    ],
)
def test_count_is_clamped(client, catalogue, dogapi, raw, expected):
    response = client.get("/breeds/hound/", {"count": raw})

    assert response.status_code == 200
    assert len(image_sources(response)) == expected


def test_reloads_show_other_photos(client, catalogue, dogapi):
    galleries = {tuple(image_sources(client.get("/breeds/hound/"))) for _ in range(5)}

    assert len(galleries) > 1


def test_many_views_make_one_upstream_call(client, catalogue, dogapi):
    for _ in range(20):
        assert client.get("/breeds/hound/").status_code == 200

    assert dogapi.count("/api/breed/hound/images") == 1
    assert metrics.snapshot()["dogapi_image_cache_hits_total"] == 19


@pytest.mark.parametrize(
    "path",
    [
        "/breeds/notabreed/",
        "/breeds/hound/notasub/",
        "/breeds/afghan/",
        "/breeds/pug/afghan/",
        "/breeds/%3Cscript%3E/",
    ],
)
def test_unknown_breeds_are_404(client, catalogue, dogapi, path):
    response = client.get(path)

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert dogapi.count() == 0


def test_retired_breed_is_404(client, catalogue, dogapi):
    Breed.objects.filter(name="pug").update(retired=True)

    assert client.get("/breeds/pug/").status_code == 404


def test_hidden_parent_hides_sub_breeds(client, catalogue, dogapi):
    Breed.objects.filter(name="hound", parent__isnull=True).update(hidden=True)

    assert client.get("/breeds/hound/afghan/").status_code == 404
    assert b"/breeds/hound/afghan/" not in client.get("/breeds/").content


def test_blocked_image_never_shown(client, catalogue, dogapi):
    first = image_sources(client.get("/breeds/pug/?count=50"))
    BlockedImage.objects.create(url=first[0], reason="Not a pug")

    for _ in range(5):
        assert first[0] not in image_sources(client.get("/breeds/pug/?count=50"))


@pytest.mark.parametrize(
    "mode", ["http500_html", "reset", "truncated_json", "markup_url"]
)
def test_upstream_failure_page_still_renders(client, catalogue, dogapi, mode):
    dogapi.set_fault(mode)

    response = client.get("/breeds/hound/")

    assert response.status_code == 200
    assert b"Photos are unavailable right now" in response.content
    assert b"<script>" not in response.content


def test_cached_images_survive_outage(client, catalogue, dogapi, settings):
    client.get("/breeds/hound/")
    settings.IMAGE_CACHE_FRESH_SECONDS = 0
    dogapi.set_fault("http500_html")

    response = client.get("/breeds/hound/")

    assert response.status_code == 200
    assert len(image_sources(response)) == images.DEFAULT_COUNT


def test_search_finds_sub_breed(client, catalogue):
    response = client.get("/search/", {"q": "  Golden   RETRIEVER "})

    assert response.status_code == 200
    assert b'href="/breeds/retriever/golden/"' in response.content


def test_search_empty_query_helps(client, catalogue):
    response = client.get("/search/", {"q": "   "})

    assert response.status_code == 200
    assert b"Type a breed name" in response.content


def test_search_no_match_helps(client, catalogue):
    response = client.get("/search/", {"q": "zzzzqqq"})

    assert response.status_code == 200
    assert b"No breed matches" in response.content


def test_search_escapes_query(client, catalogue):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_healthz_needs_no_database(client):
    response = client.get("/healthz", HTTP_HOST="10.128.0.7:8080")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database(client, db):
    response = client.get("/readyz", HTTP_HOST="10.128.0.7:8080")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["dogsite.example.com"])
def test_probes_skip_host_check_and_redirect(client, db):
    assert client.get("/healthz", HTTP_HOST="10.0.0.1").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.1").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.1").status_code == 400


def test_pages_send_content_security_policy(client, catalogue, dogapi):
    policy = client.get("/breeds/pug/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy


@pytest.mark.parametrize(
    "query, first_path",
    [
        ("golden retriever", "/breeds/retriever/golden/"),
        ("basset hound", "/breeds/hound/basset/"),
        ("German Shepherd", "/breeds/germanshepherd/"),
        ("caniche", "/breeds/poodle/"),
    ],
)
def test_search_ranks_best_first(client, catalogue, query, first_path):
    content = client.get("/search/", {"q": query}).content.decode()
    links = re.findall(r'<li><a href="(/breeds/[^"]+)"', content)

    assert links[0] == first_path


def test_search_suggests_for_misspelling(client, catalogue):
    content = client.get("/search/", {"q": "poodel"}).content.decode()

    assert "Did you mean" in content
    assert 'href="/breeds/poodle/"' in content


def test_search_follows_curation(client, catalogue):
    pug = Breed.objects.get(name="pug")
    pug.display_name = "Carlino"
    pug.save()
    pug.aliases.create(name="Mops")

    by_name = client.get("/search/", {"q": "carlino"}).content.decode()
    by_alias = client.get("/search/", {"q": "mops"}).content.decode()

    assert 'href="/breeds/pug/">Carlino</a>' in by_name
    assert 'href="/breeds/pug/"' in by_alias


def test_search_skips_hidden_breeds(client, catalogue):
    pug = Breed.objects.get(name="pug")
    pug.hidden = True
    pug.save()

    content = client.get("/search/", {"q": "pug"}).content.decode()

    assert 'href="/breeds/pug/"' not in content


def test_upper_case_breed_redirects(client, catalogue):
    response = client.get("/breeds/Retriever/GOLDEN/")

    assert response.status_code == 301
    assert response["Location"] == "/breeds/retriever/golden/"


def test_search_drops_control_characters(client, catalogue):
    response = client.get("/search/", {"q": "pu\x00g\x07"})

    assert b"\x00" not in response.content
    assert b'href="/breeds/pug/"' in response.content


def test_search_says_when_capped(client, catalogue):
    content = client.get("/search/", {"q": "s"}).content.decode()

    assert "Showing the best 50 matches" in content


def test_language_matches_text(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")

    assert b'<html lang="en">' in response.content


@pytest.mark.parametrize("path", ["/", "/search/", "/breeds/", "/breeds/pug/"])
def test_pages_reject_post(client, catalogue, path):
    response = client.post(path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
