import csv

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import slugify
from wagtail.models import Page

from . import conf, stats
from .counting import beacon_view

PERMISSION = "analytics.view_stats"


def privacy(request):
    """What is counted and kept (the reader's privacy notice)."""
    return TemplateResponse(
        request,
        "analytics/privacy.html",
        {"mode": conf.mode(), "hourly_days": conf.get("ANALYTICS_HOURLY_DAYS")},
    )


def beacon(request, name):
    """The beacon where the WSGI layer does not answer it first (runserver without
    config.wsgi, the test client)."""
    status, headers, body = beacon_view(request.META)
    response = HttpResponse(body, status=int(status.split()[0]))
    for header, value in headers:
        if header.lower() != "content-length":
            response[header] = value
    return response


@permission_required(PERMISSION, raise_exception=True)
def overview(request):
    return TemplateResponse(request, "analytics/admin/overview.html", stats.dashboard())


@permission_required(PERMISSION, raise_exception=True)
def page_stats(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific_deferred
    try:
        days = min(max(int(request.GET.get("days", 30)), 7), 366)
    except ValueError:
        days = 30
    context = {"page": page, **stats.page_stats(page, days)}
    return TemplateResponse(request, "analytics/admin/page_stats.html", context)


class _Echo:
    def write(self, value):
        return value


@permission_required(PERMISSION, raise_exception=True)
def page_csv(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in stats.csv_rows(page)), content_type="text/csv"
    )
    name = slugify(page.slug or page.title) or f"page-{page.pk}"
    response["Content-Disposition"] = f'attachment; filename="views-{name}.csv"'
    return response
