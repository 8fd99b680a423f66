"""Data migration: Reporters post, edit and withdraw live updates; Editors also delete them."""

from django.db import migrations


def forwards(apps, schema_editor):
    from editorial.roles import ensure_groups

    ensure_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("live", "0001_initial"), ("editorial", "0001_newsroom_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
