"""Each curation made in the admin, followed by the public page it changes."""

import json
import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from breeds import images
from breeds.models import Breed
from breeds.sync import SNAPSHOT_PATH, run_sync
from tests.test_admin import change_form

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/breeds/breed/"
IMG_SRC = re.compile(r'<img src="([^"]+)"')


@pytest.fixture
def visitor():
    """A separate anonymous client, so no admin session leaks into the page."""
    return Client()


def breed(name, parent=None):
    return Breed.objects.get(name=name, parent__name=parent)


def image_sources(response):
    return IMG_SRC.findall(response.content.decode())


def curate(client, entry, aliases=(), **changes):
    url = reverse("admin:breeds_breed_change", args=[entry.pk])
    response = client.post(url, change_form(entry, aliases, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    return entry


def run_action(client, action, entries):
    data = {"action": action, "_selected_action": [entry.pk for entry in entries]}
    assert client.post(CHANGELIST, data).status_code == 302


def search_links(client, query):
    content = client.get("/search/", {"q": query}).content.decode()
    return re.findall(r'<li><a href="(/breeds/[^"]+)"', content)


def write_snapshot_without(tmp_path, breed_name):
    payload = json.loads(SNAPSHOT_PATH.read_text())
    del payload["message"][breed_name]
    path = tmp_path / "list-all.json"
    path.write_text(json.dumps(payload))
    return path


def test_hidden_breed_leaves_site(curator_client, visitor, catalogue, dogapi):
    # Builds the search index first, so the action must mark it stale.
    assert "/breeds/pug/" in search_links(visitor, "pug")

    run_action(curator_client, "hide", [breed("pug")])

    assert visitor.get("/breeds/pug/").status_code == 404
    assert b'href="/breeds/pug/"' not in visitor.get("/breeds/").content
    assert "/breeds/pug/" not in search_links(visitor, "pug")


def test_shown_breed_returns(curator_client, visitor, catalogue, dogapi):
    Breed.objects.filter(name="pug").update(hidden=True)

    run_action(curator_client, "show", [breed("pug")])

    assert visitor.get("/breeds/pug/").status_code == 200
    assert "/breeds/pug/" in search_links(visitor, "pug")


def test_hidden_breeds_not_picked(curator_client, visitor, catalogue, dogapi):
    others = list(Breed.objects.main_breeds().exclude(name="pug"))

    run_action(curator_client, "hide", others)

    for _ in range(5):
        content = visitor.get("/").content.decode()
        assert '<figcaption><a href="/breeds/pug/">Pug</a>' in content


def test_hidden_breed_leaves_home(curator_client, visitor, catalogue, dogapi):
    run_action(curator_client, "feature", [breed("pug")])
    assert "/breeds/pug/" in visitor.get("/").content.decode()

    run_action(curator_client, "hide", [breed("pug")])

    assert 'href="/breeds/pug/"' not in visitor.get("/").content.decode()


def test_retired_breed_leaves_site(visitor, catalogue, dogapi, tmp_path):
    Breed.objects.filter(name="pug").update(featured=True)

    run_sync(from_file=write_snapshot_without(tmp_path, "pug"))

    assert visitor.get("/breeds/pug/").status_code == 404
    assert b'href="/breeds/pug/"' not in visitor.get("/breeds/").content
    assert "/breeds/pug/" not in search_links(visitor, "pug")
    assert b'href="/breeds/pug/"' not in visitor.get("/").content


def test_display_name_drives_pages(curator_client, visitor, catalogue, dogapi):
    curate(curator_client, breed("pug"), display_name="Carlino")

    page = visitor.get("/breeds/pug/").content.decode()
    catalogue_page = visitor.get("/breeds/").content.decode()

    assert "<h1>Carlino</h1>" in page
    assert '<a href="/breeds/pug/">Carlino</a>' in catalogue_page
    assert search_links(visitor, "carlino")[0] == "/breeds/pug/"


def test_alias_drives_search(curator_client, visitor, catalogue, dogapi):
    assert "/breeds/germanshepherd/" not in search_links(visitor, "schaeferhund")

    curate(curator_client, breed("germanshepherd"), aliases=["Schaeferhund"])

    assert search_links(visitor, "schaeferhund")[0] == "/breeds/germanshepherd/"


def test_removed_alias_leaves_search(curator_client, visitor, catalogue, dogapi):
    shepherd = curate(curator_client, breed("germanshepherd"), aliases=["Schaeferhund"])
    data = change_form(shepherd)
    data["aliases-0-DELETE"] = "on"

    url = reverse("admin:breeds_breed_change", args=[shepherd.pk])
    assert curator_client.post(url, data).status_code == 302

    assert "/breeds/germanshepherd/" not in search_links(visitor, "schaeferhund")


def test_featured_order_on_home(curator_client, visitor, catalogue, dogapi):
    curate(curator_client, breed("pug"), featured=True, featured_order=2)
    curate(curator_client, breed("beagle"), featured=True, featured_order=1)
    curate(curator_client, breed("akita"), featured=True, featured_order=3)

    content = visitor.get("/").content.decode()
    featured = content[content.index("Featured breeds") :]

    assert featured.index("Beagle") < featured.index("Pug")
    assert featured.index("Pug") < featured.index("Akita")


def test_unfeatured_breed_leaves_home(curator_client, visitor, catalogue, dogapi):
    Breed.objects.filter(name="pug").update(featured=True)

    run_action(curator_client, "unfeature", [breed("pug")])

    assert "Featured breeds" not in visitor.get("/").content.decode()


def test_description_is_escaped_text(curator_client, visitor, catalogue, dogapi):
    text = "Small & loyal.\n<script>alert(1)</script>\nSnores."

    curate(curator_client, breed("pug"), description=text)
    content = visitor.get("/breeds/pug/").content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "Small &amp; loyal.<br>" in content
    assert "<br>Snores." in content


def test_cover_image_leads_page(curator_client, visitor, catalogue, dogapi):
    pug = breed("pug")
    cover = images.get_image_list(pug).urls[3]

    curate(curator_client, pug, cover_image=cover)
    sources = image_sources(visitor.get("/breeds/pug/"))

    assert sources[0] == cover
    assert len(sources) == images.DEFAULT_COUNT + 1


def test_blocked_cover_not_shown(curator_client, visitor, catalogue, dogapi):
    pug = breed("pug")
    cover = images.get_image_list(pug).urls[3]
    curate(curator_client, pug, cover_image=cover)

    blocked = curator_client.post(
        "/admin/breeds/blockedimage/add/", {"url": unquote(cover), "reason": "Blur"}
    )
    assert blocked.status_code == 302
    response = visitor.get("/breeds/pug/?count=50")

    assert cover not in image_sources(response)
    assert b'class="cover"' not in response.content


def test_blocked_image_gone_next_view(curator_client, visitor, catalogue, dogapi):
    listed = images.get_image_list(breed("pug")).urls
    assert visitor.get("/breeds/pug/?count=50").status_code == 200
    pasted = unquote(next(url for url in listed if "%20" in url))

    blocked = curator_client.post(
        "/admin/breeds/blockedimage/add/", {"url": pasted, "reason": "Not a pug"}
    )
    assert blocked.status_code == 302
    sources = image_sources(visitor.get("/breeds/pug/?count=50"))

    assert len(sources) == len(listed) - 1
    assert all(" " not in url for url in sources)
    assert dogapi.count("/api/breed/pug/images") == 1


def test_blocked_image_off_home(curator_client, visitor, catalogue, dogapi):
    others = list(Breed.objects.main_breeds().exclude(name="pug"))
    run_action(curator_client, "hide", others)
    listed = images.get_image_list(breed("pug")).urls
    for url in listed[1:]:
        curator_client.post(
            "/admin/breeds/blockedimage/add/", {"url": url, "reason": "Test"}
        )

    for _ in range(5):
        assert image_sources(visitor.get("/")) == [listed[0]]


def test_sync_keeps_curation(curator_client, visitor, catalogue, dogapi, tmp_path):
    pug = breed("pug")
    cover = images.get_image_list(pug).urls[0]
    curate(
        curator_client,
        pug,
        aliases=["Mops"],
        display_name="Carlino",
        description="Snores.",
        featured=True,
        featured_order=4,
        cover_image=cover,
    )
    run_action(curator_client, "hide", [breed("beagle")])

    run_sync(from_file=write_snapshot_without(tmp_path, "pug"))
    curator_client.post("/admin/breeds/syncrun/sync-now/")
    pug.refresh_from_db()
    page = visitor.get("/breeds/pug/").content.decode()

    assert pug.retired is False
    assert pug.display_name == "Carlino"
    assert pug.description == "Snores."
    assert pug.featured is True
    assert pug.featured_order == 4
    assert pug.cover_image == cover
    assert list(pug.aliases.values_list("name", flat=True)) == ["Mops"]
    assert breed("beagle").hidden is True
    assert "<h1>Carlino</h1>" in page
    assert search_links(visitor, "mops")[0] == "/breeds/pug/"
