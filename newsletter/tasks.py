"""Background tasks (Django's tasks framework; the "newsletter" TASKS backend)."""

from __future__ import annotations

import datetime
import logging

from django.tasks import task, task_backends

from . import conf

logger = logging.getLogger(__name__)
BACKEND = conf.get("NEWSLETTER_TASK_BACKEND")


@task(backend=BACKEND)
def send_confirmation_email(subscriber_id: int) -> bool:
    from .emails import send_confirmation
    from .models import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.is_mailable:
        return False
    send_confirmation(subscriber)
    return True


@task(backend=BACKEND)
def send_article(article_id: int) -> dict:
    from .sending import deliver_article

    result = deliver_article(article_id)
    if result.get("next_retry"):
        schedule_retry(article_id, datetime.datetime.fromisoformat(result["next_retry"]))
    return result


def schedule_retry(article_id: int, when: datetime.datetime) -> None:
    backend = task_backends[send_article.backend]
    if backend.supports_defer:
        send_article.using(run_after=when).enqueue(article_id)
    else:
        # e.g. the immediate backend in development: `manage.py newsletter_resume` retries.
        logger.info("newsletter: article %s has retries due at %s", article_id, when)
