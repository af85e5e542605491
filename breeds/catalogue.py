"""Look-ups on the visible catalogue for the public pages."""

from django.http import Http404

from breeds.models import Breed


def get_visible_breed(breed, sub_breed=None):
    """Return the visible entry for an API path, or raise Http404.

    Names are looked up exactly as the Dog API spells them, so a URL that
    is not in the catalogue never turns into a Dog API request.
    """
    entries = Breed.objects.visible().select_related("parent")
    try:
        if sub_breed is None:
            return entries.get(parent__isnull=True, name=breed)
        return entries.get(
            parent__name=breed, parent__parent__isnull=True, name=sub_breed
        )
    except Breed.DoesNotExist:
        raise Http404("No such breed in the catalogue.") from None


def sorted_by_title(entries):
    return sorted(entries, key=lambda entry: (entry.title.casefold(), entry.name))


def visible_tree():
    """Return ``[(main breed, [visible sub-breeds])]``, alphabetical by title."""
    entries = list(Breed.objects.visible().select_related("parent"))
    children = {}
    for entry in entries:
        if entry.parent_id is not None:
            children.setdefault(entry.parent_id, []).append(entry)
    mains = sorted_by_title(entry for entry in entries if entry.parent_id is None)
    return [(main, sorted_by_title(children.get(main.pk, []))) for main in mains]


def visible_sub_breeds(breed):
    return sorted_by_title(Breed.objects.visible().filter(parent=breed))


def random_visible_breed():
    """Return a random visible entry, or None when the catalogue is empty."""
    return Breed.objects.visible().select_related("parent").order_by("?").first()


def search_visible(query):
    """Return visible entries whose name or title contains the query."""
    words = query.casefold().split()
    if not words:
        return []
    entries = Breed.objects.visible().select_related("parent")
    matches = [
        entry
        for entry in entries
        if all(
            word in f"{entry.title} {entry.api_path.replace('/', ' ')}".casefold()
            for word in words
        )
    ]
    return sorted_by_title(matches)
