"""The sync_breeds command and the sync module, over the real database."""

import json
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.utils import timezone

from breeds.models import Breed, SyncRun
from breeds.sync import SNAPSHOT_PATH, SyncAlreadyRunning, SyncError, run_sync

SNAPSHOT = json.loads(SNAPSHOT_PATH.read_text())["message"]


def write_catalogue(tmp_path, message, status="success"):
    path = tmp_path / "list-all.json"
    path.write_text(json.dumps({"message": message, "status": status}))
    return path


def sync_output(*args):
    out = StringIO()
    call_command("sync_breeds", *args, stdout=out)
    return out.getvalue()


def catalogue_state():
    return sorted(
        Breed.objects.values_list(
            "parent__name", "name", "retired", "display_name", "default_name"
        ),
        key=str,
    )


@pytest.mark.django_db
def test_sync_from_standin_creates_catalogue(dogapi):
    output = sync_output()

    assert Breed.objects.filter(parent__isnull=True).count() == 107
    assert Breed.objects.filter(parent__isnull=False).count() == 94
    assert "201 created" in output
    assert dogapi.count("/api/breeds/list/all") == 1


@pytest.mark.django_db
def test_second_sync_changes_nothing(dogapi):
    sync_output()
    before = catalogue_state()

    output = sync_output()

    assert catalogue_state() == before
    assert "0 created, 0 updated, 0 retired, 0 restored, 201 unchanged" in output
    assert "Already up to date" in output
    assert SyncRun.objects.first().outcome == SyncRun.Outcome.NO_CHANGES


@pytest.mark.django_db
def test_sync_retires_and_restores(tmp_path):
    run_sync(from_file=SNAPSHOT_PATH)
    smaller = {breed: subs for breed, subs in SNAPSHOT.items() if breed != "pug"}
    smaller["hound"] = [sub for sub in SNAPSHOT["hound"] if sub != "afghan"]

    retired = run_sync(from_file=write_catalogue(tmp_path, smaller))

    assert sorted(entry.api_path for entry in retired.retired) == [
        "hound/afghan",
        "pug",
    ]
    assert Breed.objects.get(name="pug").retired
    assert Breed.objects.get(name="pug").retired_at is not None

    restored = run_sync(from_file=SNAPSHOT_PATH)

    assert sorted(entry.api_path for entry in restored.restored) == [
        "hound/afghan",
        "pug",
    ]
    assert not Breed.objects.filter(retired=True).exists()
    assert Breed.objects.count() == 201


@pytest.mark.django_db
def test_sync_keeps_curated_fields(tmp_path):
    run_sync(from_file=SNAPSHOT_PATH)
    Breed.objects.filter(name="pug").update(
        display_name="Carlino", description="Small.", hidden=True, featured=True
    )
    without_pug = {breed: subs for breed, subs in SNAPSHOT.items() if breed != "pug"}
    run_sync(from_file=write_catalogue(tmp_path, without_pug))

    run_sync(from_file=SNAPSHOT_PATH)

    pug = Breed.objects.get(name="pug")
    assert pug.display_name == "Carlino"
    assert pug.description == "Small."
    assert pug.hidden
    assert pug.featured
    assert not pug.retired


@pytest.mark.django_db
def test_sync_updates_generated_names():
    run_sync(from_file=SNAPSHOT_PATH)
    Breed.objects.filter(name="germanshepherd").update(default_name="Old name")

    result = run_sync(from_file=SNAPSHOT_PATH)

    assert [entry.api_path for entry in result.updated] == ["germanshepherd"]
    assert Breed.objects.get(name="germanshepherd").default_name != "Old name"


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    output = sync_output("--dry-run", "--from-file", str(SNAPSHOT_PATH))

    assert "Dry run" in output
    assert "201 created" in output
    assert Breed.objects.count() == 0
    assert SyncRun.objects.get().outcome == SyncRun.Outcome.DRY_RUN


@pytest.mark.django_db
def test_verbose_sync_lists_entries():
    output = sync_output("--from-file", str(SNAPSHOT_PATH), "--verbosity", "2")

    assert "created: retriever/golden" in output
    assert "created: pug" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    "message",
    [{}, {"pug": [], "beagle": []}],
    ids=["empty", "truncated"],
)
def test_mass_retire_guard_rejects(tmp_path, message):
    run_sync(from_file=SNAPSHOT_PATH)
    before = catalogue_state()

    with pytest.raises(CommandError, match="--allow-mass-retire"):
        sync_output("--from-file", str(write_catalogue(tmp_path, message)))

    assert catalogue_state() == before
    assert SyncRun.objects.first().outcome == SyncRun.Outcome.FAILED


@pytest.mark.django_db
def test_mass_retire_allowed_with_flag(tmp_path):
    run_sync(from_file=SNAPSHOT_PATH)
    path = write_catalogue(tmp_path, {"pug": []})

    sync_output("--from-file", str(path), "--allow-mass-retire")

    assert Breed.objects.active().count() == 1
    assert Breed.objects.count() == 201


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, problem",
    [
        ("not json", "not valid JSON"),
        ('{"status": "error", "message": "x"}', "not a Dog API"),
        ('{"status": "success", "message": ["pug"]}', "not an object"),
        ('{"status": "success", "message": {"Pug": []}}', "invalid breed name"),
        (
            '{"status": "success", "message": {"hound": ["af ghan"]}}',
            "invalid sub-breed",
        ),
        ('{"status": "success", "message": {"hound": "afghan"}}', "not a list"),
        ('{"status": "success", "message": {"hound": ["a", "a"]}}', "duplicate"),
    ],
)
def test_invalid_file_changes_nothing(tmp_path, content, problem):
    run_sync(from_file=SNAPSHOT_PATH)
    before = catalogue_state()
    path = tmp_path / "bad.json"
    path.write_text(content)

    with pytest.raises(CommandError, match=problem):
        sync_output("--from-file", str(path))

    assert catalogue_state() == before


@pytest.mark.django_db
def test_missing_file_gives_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        sync_output("--from-file", str(tmp_path / "absent.json"))


@pytest.mark.django_db
def test_upstream_failure_changes_nothing(dogapi):
    run_sync(from_file=SNAPSHOT_PATH)
    before = catalogue_state()
    dogapi.set_fault("http500_html")

    with pytest.raises(CommandError, match="server error HTTP 500"):
        sync_output()

    assert catalogue_state() == before
    failed = SyncRun.objects.first()
    assert failed.outcome == SyncRun.Outcome.FAILED
    assert "HTTP 500" in failed.error


@pytest.mark.django_db
def test_database_error_rolls_back(monkeypatch, tmp_path):
    run_sync(from_file=SNAPSHOT_PATH)
    before = catalogue_state()
    smaller = {breed: subs for breed, subs in SNAPSHOT.items() if breed != "pug"}
    smaller["newbreed"] = []

    def broken_bulk_update(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Breed.objects, "bulk_update", broken_bulk_update)

    with pytest.raises(SyncError, match="disk full"):
        run_sync(from_file=write_catalogue(tmp_path, smaller))

    assert catalogue_state() == before
    assert not Breed.objects.filter(name="newbreed").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_syncs_do_not_duplicate():
    errors = []

    def sync():
        try:
            run_sync(from_file=SNAPSHOT_PATH)
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Breed.objects.count() == 201
    assert SyncRun.objects.filter(outcome=SyncRun.Outcome.SUCCESS).count() == 1
    assert SyncRun.objects.filter(outcome=SyncRun.Outcome.NO_CHANGES).count() == 3


@pytest.mark.django_db
def test_oversized_file_rejected(tmp_path, settings):
    settings.DOG_API_MAX_BYTES = 1024
    path = write_catalogue(tmp_path, {f"breed{'x' * 20}": [] for _ in range(1)})
    path.write_text(path.read_text() + " " * 2000)

    with pytest.raises(CommandError, match="larger than DOG_API_MAX_BYTES"):
        sync_output("--from-file", str(path))

    assert Breed.objects.count() == 0


@pytest.mark.django_db
def test_running_sync_blocks_nowait_sync():
    running = SyncRun.objects.create(
        started_at=timezone.now(), source="x", trigger="admin"
    )

    with pytest.raises(SyncAlreadyRunning):
        run_sync(from_file=SNAPSHOT_PATH, nowait=True)

    assert list(SyncRun.objects.all()) == [running]
    assert Breed.objects.count() == 0


@pytest.mark.django_db
def test_stale_running_sync_is_ignored():
    SyncRun.objects.create(
        started_at=timezone.now() - timedelta(hours=1), source="x", trigger="admin"
    )

    result = run_sync(from_file=SNAPSHOT_PATH, nowait=True)

    assert len(result.created) == 201


@pytest.mark.django_db
def test_command_waits_instead_of_failing():
    SyncRun.objects.create(started_at=timezone.now(), source="x", trigger="cron")

    output = sync_output("--from-file", str(SNAPSHOT_PATH))

    assert "201 created" in output


@pytest.mark.django_db(transaction=True)
def test_second_sync_during_fetch_reported(dogapi, settings):
    settings.DOG_API_TIMEOUT = 5
    dogapi.set_fault("slow", path_prefix="/api/breeds/list/all", delay=1, times=1)
    first_results = []

    def first_sync():
        try:
            first_results.append(run_sync(nowait=True))
        finally:
            connection.close()

    thread = threading.Thread(target=first_sync)
    thread.start()
    while not SyncRun.objects.filter(outcome=SyncRun.Outcome.RUNNING).exists():
        time.sleep(0.02)

    with pytest.raises(SyncAlreadyRunning):
        run_sync(nowait=True)
    thread.join()

    assert len(first_results[0].created) == 201
    assert dogapi.count("/api/breeds/list/all") == 1
    assert SyncRun.objects.count() == 1
