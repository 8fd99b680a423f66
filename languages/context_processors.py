"""``html_lang`` (``<html lang>``, JSON-LD ``inLanguage``) and ``language_home`` (the active
language's home: ``/``, ``/sq/``, ``/sr-latn/``) for every template."""

from django.conf import settings
from django.utils import translation

from . import routing


def language(request):
    code = translation.get_language() or settings.LANGUAGE_CODE
    home = routing.home_path(code) if routing.enabled() else "/"
    return {"html_lang": routing.hreflang(code), "language_home": home}
