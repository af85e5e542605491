"""Public pages: home, search, the catalogue and breed galleries."""

from django.shortcuts import render

from breeds import catalogue, images
from breeds.models import Breed
from breeds.search import MAX_QUERY_LENGTH


def home(request):
    photo = None
    breed = catalogue.random_visible_breed()
    if breed is not None:
        picked = images.random_images(breed, 1)
        if picked.urls:
            photo = {"url": picked.urls[0], "breed": breed}
    context = {
        "photo": photo,
        "featured": list(Breed.objects.featured().select_related("parent")[:8]),
    }
    return render(request, "breeds/home.html", context)


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    outcome = catalogue.search(query) if query else None
    context = {
        "query": query,
        "results": outcome.results if outcome else [],
        "suggestion": outcome.suggestion if outcome else None,
    }
    return render(request, "breeds/search.html", context)


def breed_list(request):
    return render(request, "breeds/breed_list.html", {"tree": catalogue.visible_tree()})


def breed_detail(request, breed, sub_breed=None):
    entry = catalogue.get_visible_breed(breed, sub_breed)
    count = images.parse_count(request.GET.get("count"))
    gallery = images.random_images(entry, count)
    context = {
        "breed": entry,
        "cover": images.cover_image(entry),
        "sub_breeds": catalogue.visible_sub_breeds(entry) if sub_breed is None else [],
        "gallery": gallery,
        "count": count,
    }
    response = render(request, "breeds/breed_detail.html", context)
    # Every reload shows other photos, so no shared cache may keep the page.
    response["Cache-Control"] = "no-store"
    return response
