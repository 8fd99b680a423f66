"""Background tasks (Django's tasks framework; the "newsletter" TASKS backend)."""

from __future__ import annotations

import datetime
import logging

from django.tasks import task, task_backends
from django.utils import timezone

from . import conf

logger = logging.getLogger(__name__)
BACKEND = conf.get("NEWSLETTER_TASK_BACKEND")


@task(backend=BACKEND)
def send_confirmation_email(subscriber_id: int) -> bool:
    from .emails import send_confirmation
    from .models import Subscriber, Subscription, Suppression

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or Suppression.is_suppressed(subscriber.email):
        return False
    pending = subscriber.subscriptions.filter(status=Subscription.Status.PENDING)
    if subscriber.is_mailable and not pending.exists():
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


@task(backend=BACKEND)
def send_mailing(mailing_id: int) -> dict:
    """Any send: a digest, an editor's email (new articles use ``send_article``)."""
    from .sending import deliver_mailing

    result = deliver_mailing(mailing_id)
    if result.get("next_retry"):
        when = datetime.datetime.fromisoformat(result["next_retry"])
        _defer(send_mailing, mailing_id, when)
    return result


@task(backend=BACKEND)
def send_welcome_email(subscription_id: int) -> bool:
    from .emails import get_mailer, welcome_message
    from .models import Subscription, Suppression

    subscription = (
        Subscription.objects.select_related("subscriber", "newsletter")
        .filter(pk=subscription_id, status=Subscription.Status.ACTIVE, welcomed_at__isnull=True)
        .first()
    )
    if subscription is None or not subscription.newsletter.welcome_text:
        return False
    if Suppression.is_suppressed(subscription.subscriber.email):
        return False
    # Marked first: a crash after this never sends a second welcome.
    if not Subscription.objects.filter(pk=subscription.pk, welcomed_at__isnull=True).update(
        welcomed_at=timezone.now()
    ):
        return False
    get_mailer().send_messages([welcome_message(subscription)])
    return True


def schedule_retry(article_id: int, when: datetime.datetime) -> None:
    _defer(send_article, article_id, when)


def _defer(task_function, argument: int, when: datetime.datetime) -> None:
    backend = task_backends[task_function.backend]
    if backend.supports_defer:
        task_function.using(run_after=when).enqueue(argument)
    else:
        # e.g. the immediate backend in development: `manage.py newsletter_resume` retries.
        logger.info("newsletter: %s(%s) has retries due at %s", task_function.name, argument, when)
