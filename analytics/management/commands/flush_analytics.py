from django.core.management.base import BaseCommand

from analytics.flush import flush


class Command(BaseCommand):
    help = "Write the views buffered in Redis into the hourly and daily aggregates."

    def handle(self, *args, **options):
        self.stdout.write(flush())
