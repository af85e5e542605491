"""Look-ups on the visible catalogue for the public pages."""

import threading
import unicodedata
import uuid
from dataclasses import dataclass

from django.http import Http404

from breeds import cachestore
from breeds.models import Breed, BreedAlias
from breeds.search import MAX_QUERY_LENGTH, MatchKind, SearchEntry, SearchIndex


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


# The search index is built once per process and rebuilt when the catalogue
# version in the shared cache changes, so every web process picks up a
# curator's change on its next search.
CATALOGUE_VERSION_KEY = "catalogue:version"
_index_lock = threading.Lock()
_index_state = {"version": None, "index": None}


def bump_catalogue_version():
    """Mark the search index stale in every process."""
    cachestore.set(CATALOGUE_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _current_version():
    version = cachestore.get(CATALOGUE_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cachestore.add(CATALOGUE_VERSION_KEY, version, timeout=None):
            version = cachestore.get(CATALOGUE_VERSION_KEY, version)
    return version


def build_search_index():
    """Build a SearchIndex over the visible catalogue and its curated aliases."""
    aliases = {}
    for breed_id, alias in BreedAlias.objects.values_list("breed_id", "name"):
        aliases.setdefault(breed_id, []).append(alias)
    entries = [
        SearchEntry(
            key=entry.pk,
            name=entry.name,
            parent_name=entry.parent.name if entry.parent_id else None,
            display_name=entry.title,
            aliases=tuple(aliases.get(entry.pk, ())),
        )
        for entry in Breed.objects.visible().select_related("parent")
    ]
    return SearchIndex(entries)


def search_index():
    """Return the process's search index, rebuilt if the catalogue changed."""
    version = _current_version()
    with _index_lock:
        if _index_state["version"] != version or _index_state["index"] is None:
            _index_state["index"] = build_search_index()
            _index_state["version"] = version
        return _index_state["index"]


@dataclass(frozen=True)
class SearchOutcome:
    """Ranked visible entries for a query.

    ``suggestion`` is the best guess ("did you mean") when nothing matched
    by name, alias or prefix, only by a misspelling. ``exact`` is the one
    entry that the query names exactly, if any.
    """

    results: list
    suggestion: Breed | None = None
    exact: Breed | None = None


def search(query, limit=20):
    """Search the visible catalogue and return a SearchOutcome of Breed rows."""
    index = search_index()
    matches = index.search(query, limit=limit)
    rows = (
        Breed.objects.visible()
        .select_related("parent")
        .in_bulk([match.entry.key for match in matches])
    )
    results = [rows[match.entry.key] for match in matches if match.entry.key in rows]
    suggestion = None
    if matches and matches[0].kind == MatchKind.FUZZY and results:
        suggestion = results[0]
    exact = index.exact_match(query)
    return SearchOutcome(
        results=results,
        suggestion=suggestion,
        exact=rows.get(exact.key) if exact is not None else None,
    )


def autocomplete(prefix, limit=8):
    """Return up to ``limit`` visible entries completing a search-box prefix."""
    matches = search_index().autocomplete(prefix, limit=limit)
    rows = (
        Breed.objects.visible()
        .select_related("parent")
        .in_bulk([match.entry.key for match in matches])
    )
    return [rows[match.entry.key] for match in matches if match.entry.key in rows]


def clean_query(raw):
    """Drop control characters, fold white space and cut to MAX_QUERY_LENGTH."""
    printable = "".join(
        character
        for character in raw
        if not unicodedata.category(character).startswith("C")
    )
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]
