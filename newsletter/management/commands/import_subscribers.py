import csv

from django.core.management.base import BaseCommand, CommandError

from newsletter.importexport import import_subscribers
from newsletter.models import Subscriber


class Command(BaseCommand):
    help = (
        "Import newsletter subscribers from a CSV file with an 'email' column (other columns: "
        "created_at, confirmed_at, consent_text, source), or one address per line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--status",
            choices=Subscriber.Status.values,
            default=Subscriber.Status.CONFIRMED,
            help="Status for new subscribers (default: confirmed, i.e. consent already given).",
        )
        parser.add_argument("--source", default="import")
        parser.add_argument("--consent-text", default="", help="The consent they gave elsewhere.")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, status, source, consent_text, dry_run, **options):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                first = handle.readline()
                handle.seek(0)
                if "email" in first.lower() and ("," in first or first.strip().lower() == "email"):
                    rows = list(csv.DictReader(handle))
                    rows = [{k.strip().lower(): v for k, v in row.items() if k} for row in rows]
                else:
                    rows = [line.strip() for line in handle if line.strip()]
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        result = import_subscribers(
            rows, status, source=source, consent_text=consent_text, dry_run=dry_run
        )
        prefix = "Dry run: " if dry_run else ""
        self.stdout.write(f"{prefix}{result}")
        for bad in result.invalid[:20]:
            self.stderr.write(f"  invalid: {bad!r}")
