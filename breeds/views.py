"""Public pages: home, search, the catalogue and breed galleries."""

from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from breeds import catalogue, images
from breeds.models import Breed

# Results listed on the search page; the page notes when there may be more.
SEARCH_PAGE_LIMIT = 50


def public_page(view):
    """Serve a read-only page: GET and HEAD, anything else 405.

    The pages change nothing, so CSRF checks add nothing; exempting them lets
    a POST get 405 Method Not Allowed instead of a CSRF 403.
    """
    return csrf_exempt(require_safe(view))


@public_page
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


@public_page
def search(request):
    query = catalogue.clean_query(request.GET.get("q", ""))
    outcome = catalogue.search(query, limit=SEARCH_PAGE_LIMIT) if query else None
    results = outcome.results if outcome else []
    context = {
        "query": query,
        "results": results,
        "suggestion": outcome.suggestion if outcome else None,
        "limit_reached": len(results) >= SEARCH_PAGE_LIMIT,
    }
    return render(request, "breeds/search.html", context)


@public_page
def breed_list(request):
    return render(request, "breeds/breed_list.html", {"tree": catalogue.visible_tree()})


@public_page
def breed_detail(request, breed, sub_breed=None):
    if breed != breed.lower() or (sub_breed and sub_breed != sub_breed.lower()):
        # Dog API names are lower case; "/breeds/Pug/" is the same page.
        lowered = [breed.lower()] + ([sub_breed.lower()] if sub_breed else [])
        name = "breeds:sub_breed" if sub_breed else "breeds:breed"
        return redirect(name, *lowered, permanent=True)
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
