"""WSGI entry point: ``gunicorn config.wsgi``.

Page-cache hits are answered by ``caching.pagecache.PageCacheApplication`` in front of Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_wsgi_application()

from caching.pagecache import PageCacheApplication  # noqa: E402  (needs the apps loaded)

application = PageCacheApplication(django_application)
