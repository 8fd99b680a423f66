"""Data migration: Editors may email breaking alerts ("Can email a breaking alert")."""

from django.db import migrations


def forwards(apps, schema_editor):
    from editorial.roles import ensure_groups

    ensure_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("live", "0003_breaking_alerts"), ("editorial", "0001_newsroom_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
