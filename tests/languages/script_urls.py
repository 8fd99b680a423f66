"""Test URLs standing in for the Serbian pages (one view under both script prefixes)."""

from django.http import HttpResponse, JsonResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

PAGE = {"text": "Njegoš i konjunkcija"}


def page(request):
    return HttpResponse(
        f'<!DOCTYPE html><html lang="sr"><head><title>{PAGE["text"]} | The Balkan Report</title>'
        f'</head><body><h1>{PAGE["text"]}</h1><a href="/sr/vesti/njegos/">Džem</a>'
        f"<p>Piši na urednik@balkanreport.example ili <code>nj</code>.</p></body></html>"
    )


def data(request):
    return JsonResponse({"text": PAGE["text"]})


urlpatterns = [
    path("sr/vesti/njegos/", page),
    path("sr-latn/vesti/njegos/", page),
    path("sr/data/", data),
    path("news/njegos/", page),
    # The site's own URLs after these (not include()d: they use i18n_patterns).
    *site_urlpatterns,
]
