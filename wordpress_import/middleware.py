"""WordPress's numeric links (``/?p=123``) lead to the imported article.

Wagtail's redirect middleware only looks for redirects when a page is not found, but ``/`` is the
home page and answers 200 whatever its query string. This middleware looks up the imported
redirect (stored as ``/?p=123``) for requests to ``/`` that carry WordPress's ``p`` or
``page_id`` parameter; every other request passes straight through without a query.
"""

from django import http
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

WORDPRESS_ID_PARAMETERS = ("p", "page_id")


class WordPressIdRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for name in WORDPRESS_ID_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isdigit():
                    redirect = get_redirect(request, Redirect.normalise_path(f"/?{name}={value}"))
                    if redirect is not None and redirect.link:
                        if redirect.is_permanent:
                            return http.HttpResponsePermanentRedirect(redirect.link)
                        return http.HttpResponseRedirect(redirect.link)
        return self.get_response(request)
