from django.core.management.base import BaseCommand

from newsletter.importexport import export_subscribers
from newsletter.models import Subscriber


class Command(BaseCommand):
    help = "Export newsletter subscribers as CSV (to stdout, or to --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--status", choices=Subscriber.Status.values, help="Only this status.")

    def handle(self, *args, output=None, status=None, **options):
        queryset = Subscriber.objects.order_by("pk")
        if status:
            queryset = queryset.filter(status=status)
        if output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                count = export_subscribers(handle, queryset)
            self.stderr.write(f"Exported {count} subscribers to {output}")
        else:
            export_subscribers(self.stdout, queryset)
