"""The newsletter in the Wagtail admin: newsletters (a snippet), subscribers (list, search,
filter, CSV export), the suppression list, and per-send statistics."""

from django.db import transaction
from django.db.models import Count, Q, Sum
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Delivery, Mailing, Newsletter, Subscriber, Suppression


class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = "Newsletters"
    list_display = ["name", "cadence", "priority", "language", "is_default", "active"]
    list_filter = ["cadence", "active"]
    ordering = ["-priority", "pk"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("language"),
        MultiFieldPanel(
            [
                FieldPanel("cadence"),
                FieldRowPanel([FieldPanel("send_time"), FieldPanel("weekday")]),
                FieldPanel("time_zone"),
            ],
            heading="When it is sent",
        ),
        MultiFieldPanel([FieldPanel("sections"), FieldPanel("tags")], heading="What feeds it"),
        FieldPanel("sender_name"),
        FieldPanel("priority"),
        FieldPanel("track_clicks"),
        MultiFieldPanel(
            [FieldPanel("welcome_subject"), FieldPanel("welcome_text")], heading="Welcome email"
        ),
        FieldPanel("is_default"),
        FieldPanel("active"),
    ]


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Subscribers"
    name = "subscribers"
    list_display = [
        "email",
        "status",
        "language",
        "created_at",
        "confirmed_at",
        "source",
        "bounced_at",
    ]
    list_filter = ["status", "language", "source", "created_at", "subscriptions__newsletter"]
    search_fields = ["email"]
    search_backend_name = None  # plain database search: no search index to keep in step
    list_export = [
        "email",
        "status",
        "language",
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
        FieldPanel("language"),
        FieldPanel("source"),
        FieldPanel("consent_text"),
        FieldPanel("soft_bounces", read_only=True),
        FieldPanel("bounced_at", read_only=True),
        FieldPanel("bounce_reason", read_only=True),
    ]


class SuppressionViewSet(ModelViewSet):
    """Addresses no newsletter goes to; delete an entry to let the address be mailed again."""

    model = Suppression
    icon = "warning"
    menu_label = "Suppression list"
    name = "newsletter-suppressions"
    list_display = ["email", "reason", "source", "created_at"]
    list_filter = ["reason", "source"]
    search_fields = ["email"]
    search_backend_name = None
    list_export = ["email", "reason", "source", "detail", "created_at"]
    export_filename = "suppressions"
    ordering = ["-created_at"]
    form_fields = ["email", "reason", "detail"]


def _count(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


def _events(field):
    return Count("deliveries", filter=Q(**{f"deliveries__{field}__isnull": False}))


class MailingIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("article", "newsletter")
            .annotate(
                sent=_count(Delivery.Status.SENT),
                queued=_count(Delivery.Status.QUEUED),
                failed=_count(Delivery.Status.FAILED),
                skipped=_count(Delivery.Status.SKIPPED),
                interrupted=_count(Delivery.Status.INTERRUPTED),
                delivered=_events("delivered_at"),
                bounced=_events("bounced_at"),
                complained=_events("complained_at"),
                unsubscribed=_events("unsubscribed_at"),
                clicks=Sum("deliveries__clicks"),
                clickers=Count("deliveries", filter=Q(deliveries__clicks__gt=0)),
            )
        )


class EditorEmailForm(WagtailAdminModelForm):
    """An editor's email to one newsletter's readers."""

    class Meta:
        model = Mailing
        fields = ["newsletter", "subject", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True
        self.fields["newsletter"].queryset = Newsletter.objects.filter(active=True)


class EditorEmailCreateView(CreateView):
    submit_button_label = "Send to the newsletter's readers"

    def form_valid(self, form):
        from .tasks import send_mailing

        form.instance.kind = Mailing.Kind.MANUAL
        response = super().form_valid(form)
        transaction.on_commit(lambda: send_mailing.enqueue(self.object.pk))
        return response


class MailingViewSet(ModelViewSet):
    """Per-send statistics (sends are created on publish, by the digest job or by editors)."""

    model = Mailing
    icon = "mail"
    menu_label = "Sends and statistics"
    name = "newsletter-deliveries"
    index_view_class = MailingIndexView
    list_display = [
        "__str__",
        "kind",
        "newsletter",
        "created_at",
        Column("sent", label="Sent", accessor="sent"),
        Column("queued", label="Waiting / retrying", accessor="queued"),
        Column("failed", label="Failed", accessor="failed"),
        Column("skipped", label="Skipped", accessor="skipped"),
        Column("interrupted", label="Interrupted", accessor="interrupted"),
        Column("delivered", label="Delivered", accessor="delivered"),
        Column("bounced", label="Bounced", accessor="bounced"),
        Column("complained", label="Complaints", accessor="complained"),
        Column("unsubscribed", label="Unsubscribed", accessor="unsubscribed"),
        Column("clicks", label="Clicks", accessor="clicks"),
        "finished_at",
        "skip_reason",
    ]
    list_filter = ["kind", "newsletter"]
    list_export = [
        "article",
        "kind",
        "newsletter",
        "subject",
        "created_at",
        "sent",
        "queued",
        "failed",
        "skipped",
        "delivered",
        "bounced",
        "complained",
        "unsubscribed",
        "clicks",
        "clickers",
        "finished_at",
        "skip_reason",
    ]
    export_filename = "newsletter-sends"
    ordering = ["-created_at"]
    add_view_class = EditorEmailCreateView
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return EditorEmailForm


class NewsletterGroup(SnippetViewSetGroup):
    menu_label = "Newsletter"
    menu_icon = "mail"
    menu_order = 250
    items = (NewsletterViewSet, SubscriberViewSet, SuppressionViewSet, MailingViewSet)


register_snippet(NewsletterGroup)
