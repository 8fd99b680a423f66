from django.core.management.base import BaseCommand

from newsletter.models import Mailing
from newsletter.tasks import send_article, send_mailing


class Command(BaseCommand):
    help = (
        "Queue the sending task again for every send (new article, digest, editor's email) "
        "that is not finished (after a crash, or for retries when the task backend cannot "
        "defer). Safe to repeat: nobody receives an email twice."
    )

    def handle(self, *args, **options):
        count = 0
        for pk, article_id in Mailing.objects.filter(finished_at__isnull=True).values_list(
            "pk", "article_id"
        ):
            if article_id:
                send_article.enqueue(article_id)
            else:
                send_mailing.enqueue(pk)
            count += 1
        self.stdout.write(f"Queued {count} unfinished mailings.")
