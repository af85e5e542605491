"""Fill the image cache for every visible breed and sub-breed."""

from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError

from breeds.images import WarmResult, warm_images
from breeds.models import Breed

PROGRESS_BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Fetch and cache the image list of every visible breed and sub-breed, so "
        "that the first page views need no Dog API call. Lists that are still "
        "fresh are skipped, so a run after a failure continues where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            type=int,
            default=4,
            help="Dog API requests in flight at once, 1 to 16 (default: 4).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Fetch every list again, even those that are still fresh.",
        )

    def handle(self, *args, **options):
        concurrency = options["concurrency"]
        if not 1 <= concurrency <= 16:
            raise CommandError(f"--concurrency must be 1 to 16, not {concurrency}.")
        entries = list(Breed.objects.visible().select_related("parent"))
        if not entries:
            self.stdout.write(
                self.style.WARNING("The catalogue is empty: run sync_breeds first.")
            )
            return

        self.verbosity = options["verbosity"]
        self.on_terminal = self.stdout.isatty()
        totals = {result: 0 for result in WarmResult}
        failed = []
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = pool.map(
                lambda entry: warm_images(entry, options["force"]), entries
            )
            for done, (entry, result) in enumerate(
                zip(entries, results, strict=True), start=1
            ):
                totals[result] += 1
                if result is WarmResult.FAILED:
                    failed.append(entry.api_path)
                self.report_progress(done, len(entries), entry, result)
        if self.on_terminal:
            self.stdout.write("")

        summary = (
            f"Image cache: {totals[WarmResult.FETCHED]} fetched, "
            f"{totals[WarmResult.FRESH]} already fresh, "
            f"{totals[WarmResult.FAILED]} failed, of {len(entries)} breeds."
        )
        if failed:
            listed = ", ".join(failed[:10]) + (" ..." if len(failed) > 10 else "")
            raise CommandError(
                f"{summary} Failed: {listed}. Run the command again to retry them."
            )
        self.stdout.write(self.style.SUCCESS(summary))

    def report_progress(self, done, total, entry, result):
        if self.on_terminal and self.verbosity >= 1:
            filled = PROGRESS_BAR_WIDTH * done // total
            bar = "#" * filled + "-" * (PROGRESS_BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
            self.stdout.flush()
            return
        if result is WarmResult.FAILED and self.verbosity >= 1:
            self.stderr.write(f"{entry.api_path}: failed")
        elif self.verbosity >= 2:
            self.stdout.write(f"{entry.api_path}: {result.value}")
        elif self.verbosity >= 1 and done % 50 == 0:
            self.stdout.write(f"{done}/{total} breeds done")
