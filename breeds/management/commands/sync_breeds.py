"""Sync the breed catalogue from the Dog API or a saved response."""

from django.core.management.base import BaseCommand, CommandError

from breeds.sync import SyncError, run_sync


class Command(BaseCommand):
    help = (
        "Sync the breed catalogue with the Dog API's /breeds/list/all: create new "
        "entries, retire vanished ones and restore returning ones, all in one "
        "transaction. Exits non-zero and changes nothing on failure."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change and write nothing.",
        )
        parser.add_argument(
            "--from-file",
            metavar="PATH",
            help=(
                "Sync from a saved /breeds/list/all response instead of the Dog "
                "API, such as breeds/data/breeds-list-all.json."
            ),
        )
        parser.add_argument(
            "--allow-mass-retire",
            action="store_true",
            help=(
                "Accept a list that would retire more than "
                "SYNC_MAX_RETIRE_FRACTION of the catalogue."
            ),
        )
        parser.add_argument(
            "--trigger",
            default="command",
            help="Label recorded on the sync run, such as cron (default: command).",
        )

    def handle(self, *args, **options):
        try:
            result = run_sync(
                from_file=options["from_file"],
                trigger=options["trigger"],
                dry_run=options["dry_run"],
                allow_mass_retire=options["allow_mass_retire"],
            )
        except SyncError as error:
            raise CommandError(f"Sync failed: {error}") from error

        if options["verbosity"] >= 2:
            for label, entries in (
                ("created", result.created),
                ("updated", result.updated),
                ("retired", result.retired),
                ("restored", result.restored),
            ):
                for entry in entries:
                    self.stdout.write(f"  {label}: {entry.api_path}")

        prefix = "Dry run, nothing written" if result.dry_run else "Synced"
        summary = f"{prefix} from {result.source}: {result.summary()}."
        if result.changed or result.dry_run:
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(self.style.SUCCESS(f"{summary} Already up to date."))
