from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide infrastructure: security middleware, health check, failure pages, warm-up."""

    name = "core"
    verbose_name = "Site infrastructure"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from .middleware import record_login_failure

        user_login_failed.connect(record_login_failure, dispatch_uid="core-login-throttle")
