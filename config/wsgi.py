"""WSGI entry point: ``gunicorn config.wsgi``.

Page-cache hits are answered by ``caching.pagecache.PageCacheApplication`` in front of Django;
without a bucket, uploaded media are served from ``MEDIA_ROOT`` by ``core.media.MediaFiles``.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_wsgi_application()

from caching.pagecache import PageCacheApplication  # noqa: E402  (needs the apps loaded)

application = PageCacheApplication(django_application)

from django.conf import settings  # noqa: E402

if settings.MEDIA_SERVE:
    import logging

    from core.media import MediaFiles, storage_description

    application = MediaFiles(application, settings.MEDIA_ROOT, settings.MEDIA_URL)
    description, persistent = storage_description(settings)
    if not persistent:
        logging.getLogger("core.media").warning("Media are on an %s", description)
