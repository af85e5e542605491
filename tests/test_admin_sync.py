"""Sync runs and blocked images in the admin."""

import threading
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client

from breeds import admin_sync, images
from breeds.models import BlockedImage, Breed, SyncLock, SyncRun
from breeds.sync import SyncAlreadyRunning

SYNC_RUNS = "/admin/breeds/syncrun/"
SYNC_NOW = "/admin/breeds/syncrun/sync-now/"
ADD_BLOCKED = "/admin/breeds/blockedimage/add/"


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_sync_runs_list_outcomes(curator_client, catalogue):
    SyncRun.objects.create(
        started_at="2026-01-02T03:04:05Z", source="x", trigger="cron", outcome="failed"
    )

    response = curator_client.get(SYNC_RUNS)
    content = response.content.decode()

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
    assert '<td class="field-outcome">success</td>' in content
    assert '<td class="field-outcome">failed</td>' in content
    assert '<td class="field-created">201</td>' in content


@pytest.mark.django_db
def test_sync_button_posts_with_token(curator_client, catalogue):
    content = curator_client.get(SYNC_RUNS).content.decode()

    assert f'<form method="post" action="{SYNC_NOW}">' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "Sync now" in content


@pytest.mark.django_db
def test_sync_now_runs_sync(curator_client, catalogue, dogapi):
    Breed.objects.filter(name="pug").delete()

    response = curator_client.post(SYNC_NOW, follow=True)
    run = SyncRun.objects.first()

    assert response.redirect_chain == [(SYNC_RUNS, 302)]
    assert run.trigger == "admin"
    assert run.outcome == SyncRun.Outcome.SUCCESS
    assert run.created == 1
    assert Breed.objects.filter(name="pug").exists()
    assert dogapi.count("/api/breeds/list/all") == 1
    assert (
        "Sync finished: 1 created, 0 updated, 0 retired, 0 restored, 200 unchanged."
        in message_texts(response)
    )


@pytest.mark.django_db
def test_sync_now_reports_no_changes(curator_client, catalogue, dogapi):
    response = curator_client.post(SYNC_NOW, follow=True)

    assert (
        "The catalogue is already up to date: 201 entries unchanged."
        in message_texts(response)
    )


@pytest.mark.django_db
def test_sync_now_reports_failure(curator_client, catalogue, dogapi):
    dogapi.set_fault("http500_html")

    response = curator_client.post(SYNC_NOW, follow=True)
    texts = message_texts(response)

    assert len(texts) == 1
    assert texts[0].startswith("The sync failed and changed nothing:")
    assert SyncRun.objects.first().outcome == SyncRun.Outcome.FAILED
    assert Breed.objects.count() == 201


@pytest.mark.django_db
def test_sync_now_reports_running_sync(curator_client, catalogue, monkeypatch):
    def running(**options):
        raise SyncAlreadyRunning("Another sync is running; try again later.")

    monkeypatch.setattr(admin_sync, "run_sync", running)

    response = curator_client.post(SYNC_NOW, follow=True)

    assert response.status_code == 200
    assert any(
        text.startswith("Another sync is running") for text in message_texts(response)
    )


@pytest.mark.django_db(transaction=True)
def test_locked_sync_is_not_started(client, django_user_model, dogapi):
    if not connection.features.has_select_for_update_nowait:
        pytest.skip("the database cannot test a lock without waiting (SQLite)")
    # Not the curators group, because an earlier transactional test may have
    # flushed it.
    user = django_user_model.objects.create_user(
        "syncer", password="not-used", is_staff=True
    )
    user.user_permissions.add(
        Permission.objects.get(codename="view_syncrun"),
        Permission.objects.get(codename="run_sync"),
    )
    client.force_login(user)
    # Committed first, as after any earlier sync, so that only the row lock
    # and not an uncommitted insert is what the admin's sync runs into.
    SyncLock.objects.get_or_create(pk=1)
    locked = threading.Event()
    release = threading.Event()

    def hold_lock():
        try:
            with transaction.atomic():
                SyncLock.objects.select_for_update().get(pk=1)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    locked.wait(10)
    try:
        response = client.post(SYNC_NOW, follow=True)
    finally:
        release.set()
        holder.join()

    assert any(
        text.startswith("Another sync is running") for text in message_texts(response)
    )
    assert Breed.objects.count() == 0


@pytest.mark.django_db
def test_sync_now_rejects_get(curator_client, dogapi):
    response = curator_client.get(SYNC_NOW)

    assert response.status_code == 405
    assert SyncRun.objects.count() == 0


@pytest.mark.django_db
def test_sync_now_requires_csrf_token(curator, dogapi):
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)

    response = client.post(SYNC_NOW)

    assert response.status_code == 403
    assert SyncRun.objects.count() == 0


@pytest.mark.django_db
def test_sync_now_requires_staff(client, django_user_model, dogapi):
    user = django_user_model.objects.create_user("visitor", password="not-used")
    client.force_login(user)

    response = client.post(SYNC_NOW)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert SyncRun.objects.count() == 0


@pytest.mark.django_db
def test_blocking_stores_normalized_url(curator_client, curator, catalogue, dogapi):
    listed = images.get_image_list(Breed.objects.get(name="pug")).urls
    encoded = next(url for url in listed if "%20" in url)

    response = curator_client.post(
        ADD_BLOCKED, {"url": f"  {unquote(encoded)} ", "reason": "Not a pug"}
    )
    blocked = BlockedImage.objects.get()

    assert response.status_code == 302
    assert blocked.url == encoded
    assert blocked.blocked_by == curator
    assert blocked.reason == "Not a pug"


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/breeds/pug/a.jpg",
        "javascript:alert(1)",
        "not a url",
        "https://images.dog.ceo/breeds/pug/a.jpg?size=large",
    ],
)
@pytest.mark.django_db
def test_blocking_rejects_other_urls(curator_client, url):
    response = curator_client.post(ADD_BLOCKED, {"url": url, "reason": "Spam"})

    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not BlockedImage.objects.exists()


@pytest.mark.django_db
def test_blocking_twice_rejected(curator_client, catalogue, dogapi):
    url = images.get_image_list(Breed.objects.get(name="pug")).urls[0]
    BlockedImage.objects.create(url=url, reason="Blurred")

    response = curator_client.post(ADD_BLOCKED, {"url": url, "reason": "Again"})

    assert response.status_code == 200
    assert BlockedImage.objects.count() == 1


@pytest.mark.django_db
def test_block_link_prefills_url(curator_client, catalogue, dogapi):
    url = images.get_image_list(Breed.objects.get(name="pug")).urls[0]

    response = curator_client.get(ADD_BLOCKED, {"url": url})

    assert response.context["adminform"].form.initial["url"] == url
