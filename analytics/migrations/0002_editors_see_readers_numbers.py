"""Data migration: the Editors group may see readers' numbers (analytics.view_stats)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="analytics", model="dailyviews")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_stats",
        defaults={"name": "Can see readers' numbers"},
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_views"),
        ("editorial", "0001_newsroom_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
