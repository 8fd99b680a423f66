import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from demo.build import load_demo

DEFAULT_ADMIN_USERNAME = "admin"
DEFAULT_ADMIN_PASSWORD = "balkan-report-demo"  # noqa: S105 - local demo only, printed to the user


def site_address() -> str:
    """Where scripts/demo serves the site: ``DEMO_ADDR`` as runserver takes it ("8001",
    "0.0.0.0:8001"), 127.0.0.1:8000 by default."""
    host, _, port = (os.environ.get("DEMO_ADDR") or "127.0.0.1:8000").rpartition(":")
    return f"{host or '127.0.0.1'}:{port}"


class Command(BaseCommand):
    help = (
        "Build the demo site (settings, page tree, authors, tags, 12 articles; with several "
        "SITE_LANGUAGES, each language's pages and the seed article's demo translations) and a "
        "demo admin account. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create the demo admin account."
        )

    def handle(self, *args, **options):
        summary = load_demo()
        other = summary["articles_other_languages"]
        languages = f", {other} in Albanian and Serbian (demo translations)" if other else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {summary['articles_total']} live articles "
                f"({summary['articles_created']} new){languages}, {summary['authors']} authors."
            )
        )
        if options["no_admin"]:
            return
        username = os.environ.get("DEMO_ADMIN_USERNAME", DEFAULT_ADMIN_USERNAME)
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        if created or "DEMO_ADMIN_PASSWORD" in os.environ:
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            self.stdout.write(
                f"Admin account: http://{site_address()}/admin/  user {username!r}  "
                f"password {password!r}"
            )
        else:
            self.stdout.write(
                f"Admin account {username!r} already exists (set DEMO_ADMIN_PASSWORD to reset it)."
            )
