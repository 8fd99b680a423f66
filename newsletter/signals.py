"""Queue the newsletter when an article is published for the first time."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import Mailing


def is_first_publication(page) -> bool:
    # Wagtail sets first_published_at to the same instant as last_published_at only on the
    # publish that makes a page live for the first time. Re-publishes keep the old first date,
    # and imports that set an earlier first_published_at are not "new".
    return bool(
        page.live and page.first_published_at and page.first_published_at == page.last_published_at
    )


@receiver(page_published)
def queue_article_newsletter(sender, instance, **kwargs):
    from news.models import ArticlePage

    if not isinstance(instance, ArticlePage) or instance.skip_newsletter:
        return
    if not is_first_publication(instance):
        return
    mailing, created = Mailing.objects.get_or_create(
        article=instance, defaults={"kind": Mailing.Kind.ARTICLE}
    )
    if created:
        from .tasks import send_article

        send_article.enqueue(instance.pk)
