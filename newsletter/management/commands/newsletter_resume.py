from django.core.management.base import BaseCommand

from newsletter.models import Mailing
from newsletter.tasks import send_article


class Command(BaseCommand):
    help = (
        "Queue the sending task again for every article whose newsletter is not finished "
        "(after a crash, or for retries when the task backend cannot defer). Safe to repeat: "
        "nobody receives an article twice."
    )

    def handle(self, *args, **options):
        count = 0
        for article_id in Mailing.objects.filter(finished_at__isnull=True).values_list(
            "article_id", flat=True
        ):
            send_article.enqueue(article_id)
            count += 1
        self.stdout.write(f"Queued {count} unfinished mailings.")
