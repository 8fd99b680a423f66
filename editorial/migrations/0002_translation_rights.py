"""Data migration: Editors may start and sync translations (wagtail-localize's permission), and
every news index already there, in any language, has both groups' rights and the workflow."""

from django.db import migrations


def forwards(apps, schema_editor):
    from editorial.roles import ensure_editorial_setup

    ensure_editorial_setup(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_newsroom_roles"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
