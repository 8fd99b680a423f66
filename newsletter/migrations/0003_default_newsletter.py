"""Existing subscribers keep receiving what they get today: every new article, now as the
subscribers of one default newsletter. Addresses marked bounced join the suppression list."""

from django.db import migrations

STATUS = {"confirmed": "active", "pending": "pending", "unsubscribed": "unsubscribed"}


def forwards(apps, schema_editor):
    Newsletter = apps.get_model("newsletter", "Newsletter")
    Subscriber = apps.get_model("newsletter", "Subscriber")
    Subscription = apps.get_model("newsletter", "Subscription")
    Suppression = apps.get_model("newsletter", "Suppression")
    Mailing = apps.get_model("newsletter", "Mailing")
    Delivery = apps.get_model("newsletter", "Delivery")

    newsletter, _ = Newsletter.objects.get_or_create(
        slug="new-articles",
        defaults={
            "name": "New articles",
            "description": "Every new article, when it is published.",
            "cadence": "instant",
            "is_default": True,
        },
    )
    batch = []
    for subscriber in Subscriber.objects.order_by("pk").iterator(chunk_size=2000):
        batch.append(
            Subscription(
                subscriber_id=subscriber.pk,
                newsletter_id=newsletter.pk,
                status=STATUS.get(subscriber.status, "pending"),
                created_at=subscriber.created_at,
                activated_at=subscriber.confirmed_at,
                unsubscribed_at=subscriber.unsubscribed_at,
                welcomed_at=subscriber.confirmed_at,  # no welcome email for old subscribers
            )
        )
        if subscriber.bounced_at:
            Suppression.objects.get_or_create(
                email=subscriber.email.lower(),
                defaults={
                    "reason": "smtp_rejected",
                    "source": "smtp",
                    "detail": subscriber.bounce_reason[:300],
                    "created_at": subscriber.bounced_at,
                },
            )
        if len(batch) == 2000:
            Subscription.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Subscription.objects.bulk_create(batch, ignore_conflicts=True)
    # Past sends become the default newsletter's new-article mailings.
    for mailing in Mailing.objects.filter(article__isnull=False).iterator():
        Delivery.objects.filter(article_id=mailing.article_id, mailing__isnull=True).update(
            mailing_id=mailing.pk, newsletter_id=newsletter.pk
        )


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0002_newsletters")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
