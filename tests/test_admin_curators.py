"""The "Breed curators" group: what a curator may do in the admin, and no more."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from breeds.models import BlockedImage, Breed, SyncRun

pytestmark = pytest.mark.django_db

EXPECTED_PERMISSIONS = {
    "breeds.view_breed",
    "breeds.change_breed",
    "breeds.view_breedalias",
    "breeds.add_breedalias",
    "breeds.change_breedalias",
    "breeds.delete_breedalias",
    "breeds.view_blockedimage",
    "breeds.add_blockedimage",
    "breeds.change_blockedimage",
    "breeds.delete_blockedimage",
    "breeds.view_syncrun",
    "breeds.run_sync",
}


def breed(name, parent=None):
    return Breed.objects.get(name=name, parent__name=parent)


def test_group_has_exact_permissions(db):
    group = Group.objects.get(name="Breed curators")
    granted = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }

    assert granted == EXPECTED_PERMISSIONS


def test_curator_has_group_permissions(curator):
    assert curator.get_all_permissions() == EXPECTED_PERMISSIONS
    assert not curator.is_superuser


def test_admin_index_lists_only_catalogue(curator_client):
    response = curator_client.get("/admin/")
    content = response.content.decode()

    assert response.status_code == 200
    assert 'href="/admin/breeds/breed/"' in content
    assert 'href="/admin/breeds/blockedimage/"' in content
    assert 'href="/admin/breeds/syncrun/"' in content
    assert 'href="/admin/auth/user/"' not in content
    assert 'href="/admin/auth/group/"' not in content


@pytest.mark.parametrize(
    "path",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/breeds/breed/add/",
    ],
)
def test_curator_rejected_outside_job(curator_client, path):
    assert curator_client.get(path).status_code == 403


def test_curator_cannot_edit_users(curator_client, curator):
    url = reverse("admin:auth_user_change", args=[curator.pk])

    response = curator_client.post(
        url, {"username": curator.username, "is_superuser": "on", "is_staff": "on"}
    )
    curator.refresh_from_db()

    assert response.status_code == 403
    assert not curator.is_superuser


def test_curator_cannot_delete_breeds(curator_client, catalogue):
    pug = breed("pug")

    page = curator_client.get(f"/admin/breeds/breed/{pug.pk}/delete/")
    post = curator_client.post(f"/admin/breeds/breed/{pug.pk}/delete/", {"post": "yes"})
    action = curator_client.post(
        "/admin/breeds/breed/",
        {"action": "delete_selected", "_selected_action": [pug.pk], "post": "yes"},
    )

    assert page.status_code == 403
    assert post.status_code == 403
    assert action.status_code == 302
    assert Breed.objects.filter(pk=pug.pk).exists()


def test_delete_action_not_offered(curator_client, catalogue):
    response = curator_client.get("/admin/breeds/breed/")

    assert b'value="hide"' in response.content
    assert b'value="delete_selected"' not in response.content


def test_api_owned_fields_ignore_posts(curator_client, catalogue, dogapi):
    afghan = breed("afghan", "hound")
    pug = breed("pug")
    url = reverse("admin:breeds_breed_change", args=[afghan.pk])
    data = {
        "display_name": "Afghan",
        "name": "evil",
        "parent": pug.pk,
        "retired": "on",
        "first_seen": "2000-01-01 00:00:00",
        "default_name": "Evil",
        "aliases-TOTAL_FORMS": 0,
        "aliases-INITIAL_FORMS": 0,
        "featured_order": 0,
    }

    response = curator_client.post(url, data)
    afghan.refresh_from_db()

    assert response.status_code == 302
    assert afghan.display_name == "Afghan"
    assert afghan.name == "afghan"
    assert afghan.parent.name == "hound"
    assert afghan.retired is False
    assert afghan.default_name == "Afghan Hound"
    assert afghan.first_seen.year > 2000


def test_alias_inline_allows_add_delete(curator_client, catalogue, dogapi):
    pug = breed("pug")
    pug.aliases.create(name="Mops")

    change = curator_client.get(f"/admin/breeds/breed/{pug.pk}/change/")

    assert change.status_code == 200
    assert b'name="aliases-0-name"' in change.content
    assert b'name="aliases-0-DELETE"' in change.content
    assert b'name="aliases-1-name"' in change.content


def test_curator_can_manage_blocked_images(curator_client, db):
    blocked = BlockedImage.objects.create(
        url="https://images.dog.ceo/breeds/pug/a.jpg", reason="Blurred"
    )

    listing = curator_client.get("/admin/breeds/blockedimage/")
    add = curator_client.get("/admin/breeds/blockedimage/add/")
    delete = curator_client.post(
        f"/admin/breeds/blockedimage/{blocked.pk}/delete/", {"post": "yes"}
    )

    assert listing.status_code == 200
    assert add.status_code == 200
    assert delete.status_code == 302
    assert not BlockedImage.objects.exists()


def test_sync_runs_are_read_only(curator_client, catalogue):
    run = SyncRun.objects.get()

    view = curator_client.get(f"/admin/breeds/syncrun/{run.pk}/change/")
    change = curator_client.post(
        f"/admin/breeds/syncrun/{run.pk}/change/", {"outcome": "failed"}
    )
    delete = curator_client.post(
        f"/admin/breeds/syncrun/{run.pk}/delete/", {"post": "yes"}
    )
    add = curator_client.get("/admin/breeds/syncrun/add/")

    assert view.status_code == 200
    assert change.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    assert SyncRun.objects.get().outcome == SyncRun.Outcome.SUCCESS


def test_sync_without_permission_rejected(client, curator, catalogue, dogapi):
    curator.groups.clear()
    curator.user_permissions.add(
        Permission.objects.get(codename="view_syncrun"),
        Permission.objects.get(codename="view_breed"),
    )
    client.force_login(curator)

    listing = client.get("/admin/breeds/syncrun/")
    response = client.post("/admin/breeds/syncrun/sync-now/")

    assert listing.status_code == 200
    assert b"Sync now" not in listing.content
    assert response.status_code == 403
    assert SyncRun.objects.count() == 1
    assert dogapi.count() == 0
