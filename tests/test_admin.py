"""The breed admin: change list, change page and actions, as a curator uses them."""

import string

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from breeds import images
from breeds.models import BlockedImage, Breed

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/breeds/breed/"


def change_url(breed):
    return reverse("admin:breeds_breed_change", args=[breed.pk])


def breed(name, parent=None):
    return Breed.objects.get(name=name, parent__name=parent)


def change_form(entry, aliases=(), **changes):
    """Return the POST data of a breed's change form with ``changes`` applied.

    ``aliases`` are new aliases to add. Existing aliases are sent unchanged.
    Boolean fields set to False are left out, as a browser does.
    """
    values = {
        "display_name": entry.display_name,
        "description": entry.description,
        "hidden": entry.hidden,
        "featured": entry.featured,
        "featured_order": entry.featured_order,
        "cover_image": entry.cover_image,
        **changes,
    }
    data = {key: value for key, value in values.items() if value is not False}
    data = {key: "on" if value is True else value for key, value in data.items()}
    existing = list(entry.aliases.order_by("pk"))
    for index, alias in enumerate(existing):
        data[f"aliases-{index}-id"] = alias.pk
        data[f"aliases-{index}-breed"] = entry.pk
        data[f"aliases-{index}-name"] = alias.name
    for index, name in enumerate(aliases, start=len(existing)):
        data[f"aliases-{index}-breed"] = entry.pk
        data[f"aliases-{index}-name"] = name
    data["aliases-TOTAL_FORMS"] = len(existing) + len(aliases)
    data["aliases-INITIAL_FORMS"] = len(existing)
    data["aliases-MIN_NUM_FORMS"] = 0
    data["aliases-MAX_NUM_FORMS"] = 1000
    return data


def run_action(client, action, entries):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [entry.pk for entry in entries]},
        follow=True,
    )


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def result_paths(response):
    return [entry.api_path for entry in response.context["cl"].result_list]


def add_entries(total):
    """Grow the catalogue to ``total`` entries, half of the new ones sub-breeds."""
    now = timezone.now()
    hound = breed("hound")
    missing = total - Breed.objects.count()
    letters = string.ascii_lowercase
    entries = []
    for number in range(missing):
        name = "extra" + "".join(letters[int(digit)] for digit in f"{number:04d}")
        entries.append(
            Breed(
                name=name,
                parent=hound if number % 2 else None,
                default_name=name.title(),
                first_seen=now,
                last_seen=now,
            )
        )
    Breed.objects.bulk_create(entries)


def test_changelist_shows_columns(curator_client, catalogue):
    response = curator_client.get(CHANGELIST, {"q": "afghan"})
    content = response.content.decode()

    assert response.status_code == 200
    assert '<td class="field-api_path_column">hound/afghan</td>' in content
    assert "Afghan Hound" in content
    assert '<td class="field-parent nowrap">Hound</td>' in content
    assert "field-last_seen" in content
    for column in ("hidden", "featured", "retired"):
        assert f'class="field-{column}"' in content


def test_changelist_counts_sub_breeds(curator_client, catalogue):
    expected = breed("hound").sub_breeds.count()

    response = curator_client.get(CHANGELIST, {"q": "hound"})

    assert expected > 1
    assert f'<td class="field-sub_breed_count">{expected}</td>' in (
        response.content.decode()
    )


def test_changelist_orders_by_api_path(curator_client, catalogue):
    paths = result_paths(curator_client.get(CHANGELIST, {"level": "main"}))
    hound_paths = result_paths(curator_client.get(CHANGELIST, {"q": "hound"}))

    hound_family = [path for path in hound_paths if path.startswith("hound")]
    assert paths == sorted(paths)
    assert hound_paths == sorted(hound_paths, key=lambda path: path.split("/"))
    assert hound_family[0] == "hound"
    assert len(hound_family) > 1


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"level": "main"}, 107),
        ({"level": "sub"}, 94),
        ({"hidden__exact": "1"}, 1),
        ({"featured__exact": "1"}, 1),
        ({"retired__exact": "1"}, 1),
        ({"hidden__exact": "0"}, 200),
    ],
)
def test_changelist_filters(curator_client, catalogue, params, expected):
    Breed.objects.filter(name="pug").update(hidden=True)
    Breed.objects.filter(name="beagle").update(featured=True)
    Breed.objects.filter(name="akita").update(retired=True)

    response = curator_client.get(CHANGELIST, params)

    assert response.context["cl"].result_count == expected


@pytest.mark.parametrize(
    "query, expected_path",
    [
        ("Golden Retriever", "retriever/golden"),
        ("germanshepherd", "germanshepherd"),
        ("Alsatian", "germanshepherd"),
        ("Carlino", "pug"),
    ],
)
def test_changelist_search(curator_client, catalogue, query, expected_path):
    breed("germanshepherd").aliases.create(name="Alsatian")
    Breed.objects.filter(name="pug").update(display_name="Carlino")

    response = curator_client.get(CHANGELIST, {"q": query})

    assert expected_path in result_paths(response)


def test_alias_search_lists_breed_once(curator_client, catalogue):
    retriever = breed("golden", "retriever")
    retriever.aliases.create(name="Goldie")
    retriever.aliases.create(name="Golden")

    paths = result_paths(curator_client.get(CHANGELIST, {"q": "gold"}))

    assert paths.count("retriever/golden") == 1


def test_changelist_queries_do_not_grow(admin_client, catalogue):
    admin_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as small:
        small_response = admin_client.get(CHANGELIST)
    add_entries(1000)
    with CaptureQueriesContext(connection) as large:
        large_response = admin_client.get(CHANGELIST)

    assert small_response.context["cl"].result_count == 201
    assert large_response.context["cl"].result_count == 1000
    assert len(large_response.context["cl"].result_list) == 100
    assert len(large) == len(small)


def test_api_fields_are_read_only(curator_client, catalogue, dogapi):
    content = curator_client.get(change_url(breed("afghan", "hound"))).content
    content = content.decode()

    assert 'name="display_name"' in content
    assert 'name="description"' in content
    assert 'name="cover_image"' in content
    assert 'name="name"' not in content
    assert 'name="parent"' not in content
    assert 'name="first_seen"' not in content
    assert 'name="last_seen"' not in content
    assert 'name="retired"' not in content


def test_change_page_links_family(curator_client, catalogue, dogapi):
    hound = breed("hound")
    afghan = breed("afghan", "hound")

    hound_page = curator_client.get(change_url(hound)).content.decode()
    afghan_page = curator_client.get(change_url(afghan)).content.decode()

    assert f'<a href="{change_url(afghan)}">Afghan Hound</a>' in hound_page
    assert f'<a href="{change_url(hound)}">Hound</a>' in afghan_page


def test_change_page_previews_photos(curator_client, catalogue, dogapi):
    response = curator_client.get(change_url(breed("pug")))
    content = response.content.decode()
    listed = images.get_image_list(breed("pug")).urls

    previews = [url for url in listed if f'<img src="{url}"' in content]
    assert len(previews) == 4
    assert "/admin/breeds/blockedimage/add/?url=" in content


def test_preview_skips_blocked_photos(curator_client, catalogue, dogapi):
    listed = images.get_image_list(breed("pug")).urls
    for url in listed[1:]:
        BlockedImage.objects.create(url=url, reason="Not a pug")

    content = curator_client.get(change_url(breed("pug"))).content.decode()

    assert f'<img src="{listed[0]}"' in content
    for url in listed[1:]:
        assert f'<img src="{url}"' not in content


def test_preview_reports_dog_api_outage(curator_client, catalogue, dogapi):
    dogapi.set_fault("http500_html")

    response = curator_client.get(change_url(breed("pug")))

    assert response.status_code == 200
    assert b"The Dog API is not answering" in response.content


def test_cover_choices_are_breed_photos(curator_client, catalogue, dogapi):
    pug = breed("pug")
    listed = images.get_image_list(pug).urls
    BlockedImage.objects.create(url=listed[0], reason="Not a pug")

    form = curator_client.get(change_url(pug)).context["adminform"].form
    choices = [value for value, _label in form.fields["cover_image"].choices]

    assert choices[0] == ""
    assert choices[1:] == listed[1:]


def test_cover_outside_list_rejected(curator_client, catalogue, dogapi):
    pug = breed("pug")
    other = images.get_image_list(breed("hound")).urls[0]

    response = curator_client.post(change_url(pug), change_form(pug, cover_image=other))

    assert response.status_code == 200
    assert "cover_image" in response.context["adminform"].form.errors
    assert breed("pug").cover_image == ""


def test_change_form_saves_curation(curator_client, catalogue, dogapi):
    pug = breed("pug")
    cover = images.get_image_list(pug).urls[2]
    data = change_form(
        pug,
        aliases=["Mops", "Carlino"],
        display_name="Pug dog",
        description="Small.\nLoyal.",
        featured=True,
        featured_order=3,
        cover_image=cover,
    )

    response = curator_client.post(change_url(pug), data)
    pug.refresh_from_db()

    assert response.status_code == 302
    assert pug.display_name == "Pug dog"
    assert pug.description == "Small.\nLoyal."
    assert pug.featured is True
    assert pug.featured_order == 3
    assert pug.cover_image == cover
    assert sorted(pug.aliases.values_list("name", flat=True)) == ["Carlino", "Mops"]


def test_alias_can_be_deleted(curator_client, catalogue, dogapi):
    pug = breed("pug")
    pug.aliases.create(name="Mops")
    data = change_form(pug)
    data["aliases-0-DELETE"] = "on"

    response = curator_client.post(change_url(pug), data)

    assert response.status_code == 302
    assert not pug.aliases.exists()


def test_alias_is_cleaned_on_save(curator_client, catalogue, dogapi):
    pug = breed("pug")
    data = change_form(pug, aliases=["  Mo\u200bps   dog "])

    response = curator_client.post(change_url(pug), data)

    assert response.status_code == 302
    assert list(pug.aliases.values_list("name", flat=True)) == ["Mops dog"]


@pytest.mark.parametrize(
    "aliases, error",
    [
        (["Mops", "MOPS"], "already listed"),
        (["\u200b"], "at least one visible letter"),
        (["golden retriever"], "is the name of the breed Golden Retriever"),
    ],
)
def test_bad_aliases_are_rejected(curator_client, catalogue, dogapi, aliases, error):
    pug = breed("pug")
    data = change_form(pug, aliases=aliases)

    response = curator_client.post(change_url(pug), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not pug.aliases.exists()


@pytest.mark.parametrize(
    "action, field, value, message",
    [
        ("hide", "hidden", True, "2 breeds were hidden."),
        ("feature", "featured", True, "2 breeds were featured."),
    ],
)
def test_action_sets_flag(curator_client, catalogue, action, field, value, message):
    entries = [breed("pug"), breed("beagle")]

    response = run_action(curator_client, action, entries)

    assert message in message_texts(response)
    assert Breed.objects.filter(**{field: value}).count() == 2


@pytest.mark.parametrize(
    "action, field, message",
    [
        ("show", "hidden", "1 breed was shown."),
        ("unfeature", "featured", "1 breed was unfeatured."),
    ],
)
def test_action_clears_flag(curator_client, catalogue, action, field, message):
    Breed.objects.filter(name="pug").update(**{field: True})

    response = run_action(curator_client, action, [breed("pug"), breed("beagle")])

    assert message in message_texts(response)
    assert not Breed.objects.filter(**{field: True}).exists()


def test_action_counts_only_changes(curator_client, catalogue):
    Breed.objects.filter(name="pug").update(hidden=True)

    response = run_action(curator_client, "hide", [breed("pug"), breed("beagle")])

    assert "1 breed was hidden." in message_texts(response)


def test_action_logs_each_change(curator_client, curator, catalogue):
    run_action(curator_client, "hide", [breed("pug"), breed("beagle")])

    entries = LogEntry.objects.filter(user=curator)
    assert sorted(entries.values_list("object_repr", flat=True)) == ["Beagle", "Pug"]


def test_refresh_action_fetches_photos(curator_client, catalogue, dogapi):
    images.get_image_list(breed("pug"))
    dogapi.reset()

    response = run_action(
        curator_client, "refresh_images", [breed("pug"), breed("afghan", "hound")]
    )

    assert "The photos of 2 breeds were refreshed." in message_texts(response)
    assert dogapi.count("/api/breed/pug/images") == 1
    assert dogapi.count("/api/breed/hound/afghan/images") == 1


def test_refresh_failure_keeps_cache(curator_client, catalogue, dogapi):
    cached = images.get_image_list(breed("pug")).urls
    dogapi.set_fault("http500_html")

    response = run_action(curator_client, "refresh_images", [breed("pug")])

    assert "The photos of 0 breeds were refreshed." in message_texts(response)
    assert any(
        "photos of 1 breed could not be refreshed" in text
        for text in message_texts(response)
    )
    assert images.get_image_list(breed("pug")).urls == cached


def test_superuser_cannot_add_or_delete(admin_client, catalogue):
    pug = breed("pug")

    add = admin_client.get("/admin/breeds/breed/add/")
    delete = admin_client.post(f"/admin/breeds/breed/{pug.pk}/delete/", {"post": "yes"})

    assert add.status_code == 403
    assert delete.status_code == 403
    assert Breed.objects.filter(pk=pug.pk).exists()


def test_block_links_need_permission(client, catalogue, dogapi, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_breed"),
        Permission.objects.get(codename="change_breed"),
    )
    client.force_login(viewer)

    content = client.get(change_url(breed("pug"))).content.decode()

    assert content.count('<img src="') >= 4
    assert "/admin/breeds/blockedimage/add/" not in content
