"""Public pages: home, search, the catalogue and breed galleries."""

from django.shortcuts import render

from breeds import catalogue, images
from breeds.models import Breed

# Longest query the search page accepts; longer input is cut, not rejected.
MAX_QUERY_LENGTH = 100


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
    results = catalogue.search_visible(query) if query else []
    context = {"query": query, "results": results}
    return render(request, "breeds/search.html", context)


def breed_list(request):
    return render(request, "breeds/breed_list.html", {"tree": catalogue.visible_tree()})


def breed_detail(request, breed, sub_breed=None):
    entry = catalogue.get_visible_breed(breed, sub_breed)
    count = images.parse_count(request.GET.get("count"))
    gallery = images.random_images(entry, count)
    context = {
        "breed": entry,
        "sub_breeds": catalogue.visible_sub_breeds(entry) if sub_breed is None else [],
        "gallery": gallery,
        "count": count,
    }
    response = render(request, "breeds/breed_detail.html", context)
    # Every reload shows other photos, so no shared cache may keep the page.
    response["Cache-Control"] = "no-store"
    return response
