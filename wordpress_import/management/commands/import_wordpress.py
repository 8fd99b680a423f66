"""manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError

from wordpress_import.importer import ImportFailed, PostResult, WordPressImporter
from wordpress_import.wxr import WXRError, parse_wxr

BAR_WIDTH = 24


class Command(BaseCommand):
    help = (
        "Import posts from a WordPress export (Tools → Export → All content, a WXR .xml file) "
        "as articles under the news index, with permanent redirects from their old URLs. "
        "Running it again updates what changed and creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress export file (WXR, .xml).")
        parser.add_argument(
            "--media-dir",
            help="A copy of wp-content/uploads (or of wp-content, or of the site) to take images "
            "from. Without it, images are reported as missing.",
        )
        parser.add_argument(
            "--subscribers",
            metavar="CSV",
            help="The subscriber list exported from WordPress (Jetpack / WordPress.com CSV, or "
            "one address per line): imported as confirmed newsletter subscribers.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be imported and change nothing.",
        )

    def handle(self, *args, export, media_dir=None, subscribers=None, dry_run=False, **options):
        self.verbosity = options.get("verbosity", 1)
        if subscribers is not None:
            from pathlib import Path

            if not Path(subscribers).is_file():
                raise CommandError(f"--subscribers {subscribers} is not a file.")
        try:
            parsed = parse_wxr(export)
        except WXRError as exc:
            raise CommandError(str(exc)) from exc
        if media_dir is not None:
            from pathlib import Path

            if not Path(media_dir).is_dir():
                raise CommandError(f"--media-dir {media_dir} is not a directory.")
        if parsed.error:
            self.stderr.write(self.style.ERROR(parsed.error))

        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing will be changed."))
        importer = WordPressImporter(
            parsed, media_dir=media_dir, dry_run=dry_run, progress=self.show_progress
        )
        self.stdout.write(
            f"Importing {len(parsed.posts)} post(s) from “{parsed.title or parsed.source}” "
            f"(WXR {parsed.wxr_version})."
        )
        try:
            summary = importer.run()
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write("")
        if summary.missing_media:
            self.stdout.write(self.style.WARNING(f"Missing media ({len(summary.missing_media)}):"))
            for upload, posts in sorted(summary.missing_media.items()):
                self.stdout.write(f"  {upload}  (used by {', '.join(posts)})")
        if summary.not_posts:
            others = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.not_posts.items()))
            self.stdout.write(f"Not articles, so not imported as pages: {others}.")
        heading = "Dry run summary (nothing was changed)" if dry_run else "Summary"
        self.stdout.write(self.style.SUCCESS(f"{heading}: {summary.line(dry_run)}"))
        if subscribers is not None:
            from wordpress_import.subscribers import import_wordpress_subscribers

            result = import_wordpress_subscribers(subscribers, dry_run=dry_run)
            self.stdout.write(self.style.SUCCESS(f"Subscribers: {result}"))
            for bad in result.invalid[:20]:
                self.stdout.write(self.style.WARNING(f"  invalid address skipped: {bad!r}"))

        problems = summary.errors + ([parsed.error] if parsed.error else [])
        if problems:
            listing = "\n".join(f"  - {problem}" for problem in problems)
            raise CommandError(
                f"{len(problems)} problem(s); everything else was "
                f"{'checked' if dry_run else 'imported'}:\n{listing}"
            )

    def show_progress(self, number: int, total: int, result: PostResult) -> None:
        if self.verbosity < 1 and result.action != "failed":
            return
        filled = round(BAR_WIDTH * number / total) if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        style = {
            "created": self.style.SUCCESS,
            "updated": self.style.SUCCESS,
            "failed": self.style.ERROR,
            "skipped": self.style.WARNING,
        }.get(result.action, str)
        self.stdout.write(
            f"[{bar}] {number}/{total} " + style(f"{result.action:<9}") + f" {result.item.label}"
        )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"      ! {warning}"))
        if result.error:
            self.stdout.write(self.style.ERROR(f"      ✗ {result.error}"))
