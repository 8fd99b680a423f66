"""The newsletter in the Wagtail admin: subscribers (list, search, filter, CSV export) and
per-article delivery counts."""

from django.db.models import Count, Q
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Delivery, Mailing, Subscriber


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Subscribers"
    name = "subscribers"
    list_display = ["email", "status", "created_at", "confirmed_at", "source", "bounced_at"]
    list_filter = ["status", "source", "created_at"]
    search_fields = ["email"]
    search_backend_name = None  # plain database search: no search index to keep in step
    list_export = [
        "email",
        "status",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "source",
        "source_page",
        "consent_text",
        "bounced_at",
    ]
    export_filename = "subscribers"
    inspect_view_enabled = True
    ordering = ["-created_at"]
    panels = [
        FieldPanel("email"),
        FieldPanel("status"),
        FieldPanel("source"),
        FieldPanel("consent_text"),
        FieldPanel("bounced_at", read_only=True),
        FieldPanel("bounce_reason", read_only=True),
    ]


def _count(status):
    return Count(
        "article__newsletter_deliveries",
        filter=Q(article__newsletter_deliveries__status=status),
    )


class MailingIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("article")
            .annotate(
                sent=_count(Delivery.Status.SENT),
                queued=_count(Delivery.Status.QUEUED),
                failed=_count(Delivery.Status.FAILED),
                skipped=_count(Delivery.Status.SKIPPED),
                interrupted=_count(Delivery.Status.INTERRUPTED),
            )
        )


class MailingViewSet(ModelViewSet):
    """Per-article delivery counts (read-only in practice: mailings are created on publish)."""

    model = Mailing
    icon = "mail"
    menu_label = "Deliveries per article"
    name = "newsletter-deliveries"
    index_view_class = MailingIndexView
    list_display = [
        "article",
        "created_at",
        Column("sent", label="Sent", accessor="sent"),
        Column("queued", label="Waiting / retrying", accessor="queued"),
        Column("failed", label="Failed", accessor="failed"),
        Column("skipped", label="Skipped", accessor="skipped"),
        Column("interrupted", label="Interrupted", accessor="interrupted"),
        "finished_at",
    ]
    list_export = ["article", "created_at", "sent", "queued", "failed", "skipped", "finished_at"]
    export_filename = "newsletter-deliveries"
    ordering = ["-created_at"]
    form_fields = ["finished_at"]


class NewsletterGroup(ModelViewSetGroup):
    menu_label = "Newsletter"
    menu_icon = "mail"
    menu_order = 250
    items = (SubscriberViewSet, MailingViewSet)


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return NewsletterGroup()
