"""JSON shapes of catalogue entries, as the API returns them."""

from django.urls import reverse


def _reverse_entry(entry, main_breed_view, sub_breed_view):
    if entry.parent_id is None:
        return reverse(main_breed_view, kwargs={"breed": entry.name})
    kwargs = {"breed": entry.parent.name, "sub_breed": entry.name}
    return reverse(sub_breed_view, kwargs=kwargs)


def entry_api_url(entry):
    return _reverse_entry(entry, "api:breed", "api:sub_breed")


def images_api_url(entry):
    return _reverse_entry(entry, "api:breed_images", "api:sub_breed_images")


def summary(entry):
    """Return an entry's names and URLs, as lists show it.

    ``entry.parent`` must be loaded with select_related, or each sub-breed
    costs one more query.
    """
    return {
        "name": entry.name,
        "path": entry.api_path,
        "title": entry.title,
        "parent": entry.parent.name if entry.parent_id else None,
        "page_url": entry.get_absolute_url(),
        "api_url": entry_api_url(entry),
    }


def tree_item(entry, sub_breeds):
    """Return an entry's summary with the summaries of its visible sub-breeds."""
    return {**summary(entry), "sub_breeds": [summary(sub) for sub in sub_breeds]}


def detail(entry, sub_breeds):
    """Return one entry in full: the tree item, description and images URL."""
    return {
        **tree_item(entry, sub_breeds),
        "description": entry.description,
        "images_url": images_api_url(entry),
    }
