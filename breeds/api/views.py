"""API views: parse the request, call the catalogue or image code, shape JSON."""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from breeds import catalogue, images
from breeds.api import shapes
from breeds.api.responses import (
    ApiError,
    api_view,
    conditional_json,
    error_response,
)
from breeds.models import Breed

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "openapi.json"
SEARCH_LIMIT = 20
AUTOCOMPLETE_LIMIT = 8


def _visible_entry(breed, sub_breed=None):
    try:
        return catalogue.get_visible_breed(breed, sub_breed)
    except Http404:
        path = breed if sub_breed is None else f"{breed}/{sub_breed}"
        raise ApiError(404, f"Breed {path!r} is not in the catalogue.") from None


def _query(request):
    """Read ``?q=`` as the search page does."""
    return catalogue.clean_query(request.GET.get("q", ""))


@api_view
def breed_list(request):
    tree = catalogue.visible_tree()
    payload = {"breeds": [shapes.tree_item(entry, subs) for entry, subs in tree]}
    return conditional_json(request, payload)


@api_view
def breed_detail(request, breed, sub_breed=None):
    entry = _visible_entry(breed, sub_breed)
    sub_breeds = []
    if sub_breed is None:
        sub_breeds = catalogue.sorted_by_title(
            Breed.objects.visible().filter(parent=entry).select_related("parent")
        )
    return conditional_json(request, shapes.detail(entry, sub_breeds))


@api_view
def breed_images(request, breed, sub_breed=None):
    entry = _visible_entry(breed, sub_breed)
    count = images.parse_count(request.GET.get("count"))
    picked = images.random_images(entry, count)
    if picked.unavailable:
        response = error_response(
            503,
            f"Images of {entry.api_path!r} are unavailable: the Dog API did not "
            "answer as expected and none are cached. Try again later.",
        )
        response["Retry-After"] = str(settings.DOG_API_COOL_DOWN_SECONDS)
    else:
        response = JsonResponse(
            {
                "breed": entry.api_path,
                "count": count,
                "images": picked.urls,
                "stale": picked.stale,
            }
        )
    # Every request picks other images, so no cache may store the response.
    response["Cache-Control"] = "no-store"
    return response


def _summary_or_none(entry):
    return shapes.summary(entry) if entry is not None else None


@api_view
def search(request):
    query = _query(request)
    outcome = catalogue.SearchOutcome(results=[])
    if query:
        outcome = catalogue.search(query, limit=SEARCH_LIMIT)
    payload = {
        "query": query,
        "results": [shapes.summary(entry) for entry in outcome.results],
        "suggestion": _summary_or_none(outcome.suggestion),
        "exact": _summary_or_none(outcome.exact),
    }
    return conditional_json(request, payload)


@api_view
def autocomplete(request):
    query = _query(request)
    entries = []
    if query:
        entries = catalogue.autocomplete(query, limit=AUTOCOMPLETE_LIMIT)
    payload = {"query": query, "results": [shapes.summary(e) for e in entries]}
    return conditional_json(request, payload)


@cache
def _schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@api_view
def schema(request):
    return conditional_json(request, _schema())


@csrf_exempt
def unknown_path(request):
    """Return a 404 in the API's shape for any other path under /api/."""
    return error_response(
        404,
        f"No API endpoint at {request.path}. API paths end with a slash, and "
        "the endpoints are described at /api/schema/.",
    )


def server_error(request):
    """Return the 500 response: JSON under /api/, the HTML page elsewhere.

    Installed as ``handler500`` in the root URLconf.
    """
    if request.path.startswith("/api/"):
        return error_response(500, "Internal server error. Try again later.")
    return defaults.server_error(request)
