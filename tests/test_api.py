"""The JSON API over the real catalogue, database and Dog API stand-in."""

import json

import pytest
from django.test import Client
from django.urls import resolve

from breeds import catalogue as breed_catalogue
from breeds import images
from breeds.api import views
from breeds.api.urls import urlpatterns
from breeds.models import BlockedImage, Breed

pytestmark = pytest.mark.django_db

MAIN_BREEDS = 107
SUB_BREEDS = 94


def assert_error(response, status):
    """Check that a response is the API's JSON error shape with that status."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]


def titles(entries):
    return [entry["title"] for entry in entries]


def paths(entries):
    return [entry["path"] for entry in entries]


def catalogue_changed():
    """Mark the search index stale, as the admin's save signals do.

    A bulk update() sends no signals, so tests that use it call this.
    """
    breed_catalogue.bump_catalogue_version()


# GET /api/breeds/


def test_list_has_whole_catalogue(client, catalogue):
    response = client.get("/api/breeds/")
    breeds = response.json()["breeds"]

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert len(breeds) == MAIN_BREEDS
    assert sum(len(entry["sub_breeds"]) for entry in breeds) == SUB_BREEDS


def test_list_is_alphabetical_by_title(client, catalogue):
    breeds = client.get("/api/breeds/").json()["breeds"]

    assert titles(breeds) == sorted(titles(breeds), key=str.casefold)
    assert breeds[0]["title"] == "Affenpinscher"


def test_list_nests_sub_breeds(client, catalogue):
    breeds = client.get("/api/breeds/").json()["breeds"]
    hound = next(entry for entry in breeds if entry["path"] == "hound")
    afghan = next(sub for sub in hound["sub_breeds"] if sub["name"] == "afghan")

    assert "hound/afghan" not in paths(breeds)
    assert afghan == {
        "name": "afghan",
        "path": "hound/afghan",
        "title": "Afghan Hound",
        "parent": "hound",
        "page_url": "/breeds/hound/afghan/",
        "api_url": "/api/breeds/hound/afghan/",
    }


def test_list_uses_curated_title(client, catalogue):
    Breed.objects.filter(name="pug").update(display_name="Pug (Mops)")

    breeds = client.get("/api/breeds/").json()["breeds"]

    assert "Pug (Mops)" in titles(breeds)
    assert "Pug" not in titles(breeds)


def test_list_skips_hidden_and_retired(client, catalogue):
    Breed.objects.filter(name="pug").update(hidden=True)
    Breed.objects.filter(name="beagle").update(retired=True)
    Breed.objects.filter(name="hound", parent__isnull=True).update(hidden=True)

    body = json.dumps(client.get("/api/breeds/").json())

    assert '"pug"' not in body
    assert '"beagle"' not in body
    assert "hound/afghan" not in body


def test_list_query_count_is_constant(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/api/breeds/")


def test_empty_catalogue_lists_nothing(client, db):
    response = client.get("/api/breeds/")

    assert response.status_code == 200
    assert response.json() == {"breeds": []}


# ETag and conditional GET


def test_catalogue_sends_etag_and_no_cache(client, catalogue):
    response = client.get("/api/breeds/")

    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == "no-cache"


def test_matching_etag_gives_304(client, catalogue):
    etag = client.get("/api/breeds/")["ETag"]

    response = client.get("/api/breeds/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "no-cache"


def test_weak_and_star_etags_match(client, catalogue):
    etag = client.get("/api/breeds/pug/")["ETag"]

    weak = client.get("/api/breeds/pug/", headers={"If-None-Match": f"W/{etag}"})
    star = client.get("/api/breeds/pug/", headers={"If-None-Match": "*"})

    assert weak.status_code == 304
    assert star.status_code == 304


def test_curator_change_changes_etag(client, catalogue):
    etag = client.get("/api/breeds/")["ETag"]
    Breed.objects.filter(name="pug").update(hidden=True)

    response = client.get("/api/breeds/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_if_match_is_ignored(client, catalogue):
    response = client.get("/api/breeds/", headers={"If-Match": '"other"'})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/breeds/hound/",
        "/api/breeds/hound/afghan/",
        "/api/search/?q=pug",
        "/api/autocomplete/?q=pu",
        "/api/schema/",
    ],
)
def test_entries_and_search_revalidate(client, catalogue, path):
    etag = client.get(path)["ETag"]

    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


# GET /api/breeds/<breed>/ and /api/breeds/<breed>/<sub_breed>/


def test_breed_detail_shape(client, catalogue):
    Breed.objects.filter(name="hound", parent__isnull=True).update(
        description="Hunting dogs."
    )

    response = client.get("/api/breeds/hound/")
    body = response.json()

    assert response.status_code == 200
    assert body["name"] == "hound"
    assert body["path"] == "hound"
    assert body["title"] == "Hound"
    assert body["parent"] is None
    assert body["description"] == "Hunting dogs."
    assert body["page_url"] == "/breeds/hound/"
    assert body["api_url"] == "/api/breeds/hound/"
    assert body["images_url"] == "/api/breeds/hound/images/"
    assert "hound/afghan" in paths(body["sub_breeds"])


def test_breed_detail_skips_hidden_sub_breed(client, catalogue):
    Breed.objects.filter(name="afghan", parent__name="hound").update(hidden=True)

    sub_breeds = client.get("/api/breeds/hound/").json()["sub_breeds"]

    assert "hound/afghan" not in paths(sub_breeds)
    assert "hound/basset" in paths(sub_breeds)


def test_sub_breed_detail_shape(client, catalogue):
    body = client.get("/api/breeds/retriever/golden/").json()

    assert body["name"] == "golden"
    assert body["path"] == "retriever/golden"
    assert body["title"] == "Golden Retriever"
    assert body["parent"] == "retriever"
    assert body["sub_breeds"] == []
    assert body["page_url"] == "/breeds/retriever/golden/"
    assert body["images_url"] == "/api/breeds/retriever/golden/images/"


def test_detail_query_count_is_constant(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/api/breeds/hound/")


@pytest.mark.parametrize(
    "path",
    [
        "/api/breeds/notabreed/",
        "/api/breeds/Hound/",
        "/api/breeds/hound/notasub/",
        "/api/breeds/afghan/",
        "/api/breeds/pug/afghan/",
        "/api/breeds/%3Cscript%3E/",
    ],
)
def test_unknown_breed_is_404(client, catalogue, dogapi, path):
    response = client.get(path)

    assert_error(response, 404)
    assert dogapi.count() == 0


def test_retired_breed_is_404(client, catalogue):
    Breed.objects.filter(name="pug").update(retired=True)

    assert_error(client.get("/api/breeds/pug/"), 404)


def test_hidden_parent_hides_sub_breed(client, catalogue):
    Breed.objects.filter(name="hound", parent__isnull=True).update(hidden=True)

    assert_error(client.get("/api/breeds/hound/afghan/"), 404)


def test_404_message_names_breed(client, catalogue):
    response = client.get("/api/breeds/hound/notasub/")

    assert "hound/notasub" in response.json()["error"]["message"]


# GET /api/breeds/<breed>/images/ and /api/breeds/<breed>/<sub_breed>/images/


def test_images_default_count(client, catalogue, dogapi):
    response = client.get("/api/breeds/hound/images/")
    body = response.json()

    assert response.status_code == 200
    assert body["breed"] == "hound"
    assert body["count"] == images.DEFAULT_COUNT
    assert len(body["images"]) == images.DEFAULT_COUNT
    assert len(set(body["images"])) == len(body["images"])
    assert body["stale"] is False


def test_images_are_not_cached(client, catalogue, dogapi):
    response = client.get("/api/breeds/hound/images/")

    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response


def test_sub_breed_images_use_its_folder(client, catalogue, dogapi):
    body = client.get("/api/breeds/hound/afghan/images/?count=5").json()

    assert body["breed"] == "hound/afghan"
    assert len(body["images"]) == 5
    assert all("/breeds/hound-afghan/" in url for url in body["images"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), ("0", 1), ("-4", 1), ("51", 50), ("9999", 50), ("abc", 6), ("", 6)],
)
def test_images_count_is_clamped(client, catalogue, dogapi, raw, expected):
    body = client.get(f"/api/breeds/hound/images/?count={raw}").json()

    assert body["count"] == expected
    assert len(body["images"]) == expected


def test_images_make_one_upstream_call(client, catalogue, dogapi):
    for _ in range(5):
        client.get("/api/breeds/pug/images/")

    assert dogapi.count("/api/breed/pug/images") == 1


def test_blocked_image_never_returned(client, catalogue, dogapi):
    first = client.get("/api/breeds/pug/images/?count=50").json()["images"]
    BlockedImage.objects.create(url=first[0], reason="Not a pug")

    for _ in range(5):
        picked = client.get("/api/breeds/pug/images/?count=50").json()["images"]
        assert first[0] not in picked


def test_images_of_unknown_breed_404(client, catalogue, dogapi):
    response = client.get("/api/breeds/notabreed/images/")

    assert_error(response, 404)
    assert dogapi.count() == 0


@pytest.mark.parametrize("mode", ["http500_html", "reset", "truncated_json"])
def test_outage_without_cache_is_503(client, catalogue, dogapi, settings, mode):
    dogapi.set_fault(mode)

    response = client.get("/api/breeds/hound/images/")

    assert_error(response, 503)
    assert response["Retry-After"] == str(settings.DOG_API_COOL_DOWN_SECONDS)
    assert response["Cache-Control"] == "no-store"


def test_outage_with_cache_serves_stale(client, catalogue, dogapi, settings):
    client.get("/api/breeds/hound/images/")
    settings.IMAGE_CACHE_FRESH_SECONDS = 0
    dogapi.set_fault("http500_html")

    response = client.get("/api/breeds/hound/images/")

    assert response.status_code == 200
    assert response.json()["stale"] is True
    assert len(response.json()["images"]) == images.DEFAULT_COUNT


def test_hostile_image_urls_are_503(client, catalogue, dogapi):
    dogapi.set_fault("javascript_url")

    response = client.get("/api/breeds/hound/images/")

    assert_error(response, 503)
    assert b"javascript:" not in response.content


# GET /api/search/


@pytest.mark.parametrize(
    ("query", "first_path"),
    [
        ("golden retriever", "retriever/golden"),
        ("basset hound", "hound/basset"),
        ("Alsatian", "germanshepherd"),
    ],
)
def test_search_ranks_best_first(client, catalogue, query, first_path):
    body = client.get("/api/search/", {"q": query}).json()

    assert body["query"] == query
    assert body["results"][0]["path"] == first_path


def test_search_reports_exact_match(client, catalogue):
    body = client.get("/api/search/?q=pug").json()

    assert body["exact"]["path"] == "pug"
    assert body["suggestion"] is None


def test_search_suggests_for_misspelling(client, catalogue):
    body = client.get("/api/search/?q=dalmashun").json()

    assert body["suggestion"]["path"] == "dalmatian"
    assert body["exact"] is None


def test_search_blank_query_is_empty(client, catalogue):
    for url in ("/api/search/", "/api/search/?q=", "/api/search/?q=%20%20"):
        body = client.get(url).json()
        assert body == {"query": "", "results": [], "suggestion": None, "exact": None}


def test_search_normalizes_query(client, catalogue):
    body = client.get("/api/search/", {"q": "  golden   " + "x" * 200}).json()

    assert body["query"].startswith("golden x")
    assert len(body["query"]) == 100


def test_search_skips_hidden_breeds(client, catalogue):
    Breed.objects.filter(name="pug").update(hidden=True)
    catalogue_changed()

    body = client.get("/api/search/?q=pug").json()

    assert "pug" not in paths(body["results"])
    assert body["exact"] is None


def test_search_returns_at_most_20(client, catalogue):
    body = client.get("/api/search/?q=terrier").json()

    assert len(body["results"]) == views.SEARCH_LIMIT


# GET /api/autocomplete/


def test_autocomplete_completes_prefix(client, catalogue):
    response = client.get("/api/autocomplete/?q=golden+ret")
    body = response.json()

    assert response.status_code == 200
    assert body["query"] == "golden ret"
    assert body["results"][0]["path"] == "retriever/golden"
    assert body["results"][0]["page_url"] == "/breeds/retriever/golden/"


def test_autocomplete_returns_at_most_8(client, catalogue):
    body = client.get("/api/autocomplete/?q=b").json()

    assert len(body["results"]) == views.AUTOCOMPLETE_LIMIT


def test_autocomplete_blank_query_is_empty(client, catalogue):
    body = client.get("/api/autocomplete/?q=+").json()

    assert body == {"query": "", "results": []}


def test_autocomplete_skips_hidden_breeds(client, catalogue):
    Breed.objects.filter(name="pug").update(hidden=True)
    catalogue_changed()

    body = client.get("/api/autocomplete/?q=pu").json()

    assert "pug" not in paths(body["results"])


# Errors shared by every endpoint

ENDPOINTS = [
    "/api/breeds/",
    "/api/breeds/hound/",
    "/api/breeds/hound/afghan/",
    "/api/breeds/hound/images/",
    "/api/breeds/hound/afghan/images/",
    "/api/search/?q=pug",
    "/api/autocomplete/?q=pu",
    "/api/schema/",
]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_are_405(catalogue, dogapi, path, method):
    csrf_client = Client(enforce_csrf_checks=True)

    response = getattr(csrf_client, method)(path)

    assert_error(response, 405)
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_head_is_allowed(client, catalogue, dogapi, path):
    assert client.head(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/", "/api/nothing/", "/api/breeds", "/api/breeds/hound/afghan/x/"],
)
def test_unknown_api_path_is_404(client, catalogue, path):
    response = client.get(path)

    assert_error(response, 404)
    assert "/api/schema/" in response.json()["error"]["message"]


def test_unknown_path_post_is_404(catalogue):
    response = Client(enforce_csrf_checks=True).post("/api/nothing/")

    assert_error(response, 404)


def test_api_crash_is_json_500(catalogue, monkeypatch):
    def broken_tree():
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(breed_catalogue, "visible_tree", broken_tree)
    crash_client = Client(raise_request_exception=False)

    response = crash_client.get("/api/breeds/")

    assert_error(response, 500)
    assert b"broken on purpose" not in response.content


def test_page_crash_stays_html(catalogue, monkeypatch):
    def broken_tree():
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(breed_catalogue, "visible_tree", broken_tree)
    crash_client = Client(raise_request_exception=False)

    response = crash_client.get("/breeds/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


# GET /api/schema/


def test_schema_is_openapi_json(client, db):
    response = client.get("/api/schema/")
    schema = response.json()

    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "dogsite API"


def test_schema_documents_every_route(client, db):
    documented = set(client.get("/api/schema/").json()["paths"])
    routed = {
        "/api/" + str(pattern.pattern).replace("<str:", "{").replace(">", "}")
        for pattern in urlpatterns
        if pattern.name != "unknown_path"
    }

    assert documented == routed


def test_schema_paths_reach_api_views(client, db):
    documented = client.get("/api/schema/").json()["paths"]

    for path in documented:
        concrete = path.replace("{breed}", "hound").replace("{sub_breed}", "afghan")
        assert resolve(concrete).url_name != "unknown_path", path
