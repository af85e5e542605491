"""Keep the breed catalogue in step with the Dog API's /breeds/list/all.

A sync is all or nothing: it validates the whole list first, then creates,
updates, retires and restores entries in one transaction while holding the
sync lock, so that two syncs never interleave. Nothing is ever deleted, so
curated fields survive an entry's absence upstream.
"""

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from breeds.catalogue import bump_catalogue_version
from breeds.dogapi import DogApiClient, DogApiError, DogApiInvalidResponse
from breeds.images import forget_images
from breeds.models import Breed, SyncLock, SyncRun
from breeds.names import display_name

logger = logging.getLogger(__name__)

# How long a run marked "running" blocks another "Sync now"; a real sync
# takes seconds, so an older one was left behind by a killed process.
RUNNING_SYNC_TIMEOUT = timedelta(minutes=15)

SNAPSHOT_PATH = Path(__file__).resolve().parent / "data" / "breeds-list-all.json"


class SyncError(Exception):
    """The sync failed and changed nothing."""


class MassRetireError(SyncError):
    """The upstream list would retire too much of the catalogue."""


class SyncAlreadyRunning(SyncError):
    """Another sync holds the lock."""


@dataclass
class SyncResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    retired: list = field(default_factory=list)
    restored: list = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = False
    source: str = ""
    run: SyncRun | None = None

    @property
    def changed(self):
        return bool(self.created or self.updated or self.retired or self.restored)

    def counts(self):
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "retired": len(self.retired),
            "restored": len(self.restored),
            "unchanged": self.unchanged,
        }

    def summary(self):
        return ", ".join(f"{value} {name}" for name, value in self.counts().items())


def load_catalogue_file(path):
    """Read and validate a saved /breeds/list/all response."""
    path = Path(path)
    source = str(path)
    limit = settings.DOG_API_MAX_BYTES
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise SyncError(f"Cannot read {source}: {error.strerror}") from None
    if len(data) > limit:
        raise SyncError(f"{source} is larger than DOG_API_MAX_BYTES ({limit} bytes)")
    try:
        payload = json.loads(data.decode("utf-8"))
    except ValueError as error:
        raise SyncError(f"{source} is not valid JSON: {error}") from None
    if not isinstance(payload, dict) or payload.get("status") != "success":
        raise SyncError(
            f"{source} is not a Dog API /breeds/list/all response "
            '(expected {"status": "success", "message": {...}})'
        )
    try:
        return DogApiClient.validate_catalogue(source, payload.get("message"))
    except DogApiInvalidResponse as error:
        raise SyncError(f"{source}: {error.problem}") from None


def fetch_catalogue(client=None):
    client = client or DogApiClient()
    try:
        return client.list_all()
    except DogApiError as error:
        raise SyncError(f"Fetching the breed list failed: {error}") from None


def run_sync(
    *,
    from_file=None,
    trigger="command",
    dry_run=False,
    allow_mass_retire=False,
    nowait=False,
):
    """Fetch the catalogue (or read ``from_file``) and apply it.

    Records a SyncRun for every outcome and returns a SyncResult. Raises
    SyncError, with no breed changed, when the source is unreadable or
    invalid, the guard rejects the list, or the database fails.
    """
    if from_file:
        source = str(from_file)
    else:
        source = f"{settings.DOG_API_URL}/breeds/list/all"
    run = SyncRun.objects.create(
        started_at=timezone.now(), source=source[:500], trigger=trigger[:50]
    )
    if nowait and _earlier_sync_running(run):
        run.delete()
        raise SyncAlreadyRunning(
            "Another sync is running. Try again when it has finished."
        )
    try:
        if from_file:
            catalogue = load_catalogue_file(from_file)
        else:
            catalogue = fetch_catalogue()
        result = _apply(catalogue, dry_run, allow_mass_retire, nowait)
    except SyncError as error:
        _finish(run, SyncRun.Outcome.FAILED, error=str(error))
        logger.error("Sync from %s failed: %s", source, error)
        raise
    except DatabaseError as error:
        _finish(run, SyncRun.Outcome.FAILED, error=f"Database error: {error}")
        logger.error("Sync from %s failed on a database error: %s", source, error)
        raise SyncError(f"The sync failed on a database error: {error}") from error

    if dry_run:
        outcome = SyncRun.Outcome.DRY_RUN
    elif result.changed:
        outcome = SyncRun.Outcome.SUCCESS
    else:
        outcome = SyncRun.Outcome.NO_CHANGES
    _finish(run, outcome, counts=result.counts())
    result.run = run
    result.source = source
    logger.info("Sync from %s finished (%s): %s", source, outcome, result.summary())
    if not dry_run and result.changed:
        # Retired and restored entries' cached image lists may be out of date,
        # and bulk updates send no signals, so the search index version is bumped here.
        forget_images(result.retired + result.restored)
        bump_catalogue_version()
    return result


def _earlier_sync_running(run):
    """Tell whether a sync that started before ``run`` is still running.

    The database lock alone covers only the writing phase. This check also
    covers the fetch, so that a second "Sync now" is reported at once. A
    run left "running" by a killed process stops counting after
    RUNNING_SYNC_TIMEOUT.
    """
    cutoff = run.started_at - RUNNING_SYNC_TIMEOUT
    return SyncRun.objects.filter(
        outcome=SyncRun.Outcome.RUNNING, started_at__gte=cutoff, pk__lt=run.pk
    ).exists()


def _finish(run, outcome, counts=None, error=""):
    run.outcome = outcome
    run.finished_at = timezone.now()
    run.error = error
    for name, value in (counts or {}).items():
        setattr(run, name, value)
    run.save()


class _DryRunRollback(Exception):
    pass


def _apply(catalogue, dry_run, allow_mass_retire, nowait):
    result = SyncResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _take_lock(nowait)
            _apply_locked(catalogue, result, allow_mass_retire)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return result


def _take_lock(nowait):
    lock, _ = SyncLock.objects.get_or_create(pk=1)
    if nowait and connection.features.has_select_for_update_nowait:
        try:
            SyncLock.objects.select_for_update(nowait=True).get(pk=lock.pk)
        except DatabaseError:
            raise SyncAlreadyRunning(
                "Another sync is running. Try again when it has finished."
            ) from None
    else:
        SyncLock.objects.select_for_update().get(pk=lock.pk)


def _apply_locked(catalogue, result, allow_mass_retire):
    now = timezone.now()
    existing = {
        (entry.parent.name if entry.parent_id else None, entry.name): entry
        for entry in Breed.objects.select_related("parent")
    }
    listed = [(None, breed) for breed in sorted(catalogue)]
    listed += [
        (breed, sub) for breed in sorted(catalogue) for sub in sorted(catalogue[breed])
    ]
    listed_keys = set(listed)

    to_retire = [
        entry
        for key, entry in existing.items()
        if key not in listed_keys and not entry.retired
    ]
    _check_retire_share(len(to_retire), existing, allow_mass_retire)

    # Main breeds come first in ``listed``, so sub-breeds find their parents.
    for parent_name, name in listed:
        key = (parent_name, name)
        generated = display_name(name, parent_name)
        entry = existing.get(key)
        if entry is None:
            parent = existing[(None, parent_name)] if parent_name else None
            entry = Breed.objects.create(
                name=name,
                parent=parent,
                default_name=generated,
                first_seen=now,
                last_seen=now,
            )
            existing[key] = entry
            result.created.append(entry)
            continue

        changed_fields = []
        if entry.retired:
            entry.retired = False
            entry.retired_at = None
            changed_fields += ["retired", "retired_at"]
            result.restored.append(entry)
        if entry.default_name != generated:
            entry.default_name = generated
            changed_fields.append("default_name")
            if "retired" not in changed_fields:
                result.updated.append(entry)
        if changed_fields:
            entry.save(update_fields=changed_fields)
        else:
            result.unchanged += 1

    seen_ids = [existing[key].pk for key in listed]
    Breed.objects.filter(pk__in=seen_ids).update(last_seen=now)

    for entry in to_retire:
        entry.retired = True
        entry.retired_at = now
    Breed.objects.bulk_update(to_retire, ["retired", "retired_at"])
    result.retired.extend(to_retire)


def _check_retire_share(retire_count, existing, allow_mass_retire):
    active_count = sum(1 for entry in existing.values() if not entry.retired)
    limit = settings.SYNC_MAX_RETIRE_FRACTION * active_count
    if retire_count == 0 or retire_count <= limit or allow_mass_retire:
        return
    raise MassRetireError(
        f"The Dog API list would retire {retire_count} of {active_count} "
        f"active entries, more than SYNC_MAX_RETIRE_FRACTION "
        f"({settings.SYNC_MAX_RETIRE_FRACTION:.0%}). The list is probably "
        "empty or truncated, so nothing was changed. Run again with "
        "--allow-mass-retire if the Dog API really dropped them."
    )
