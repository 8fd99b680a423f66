"""A GIN index on (title || body) of Wagtail's search index, for search.engine on PostgreSQL.

Wagtail's database backend matches ``title || body`` (so that every word of a query may be in
either field); without an index on that expression PostgreSQL scans and concatenates every
row. Other databases are left alone (SQLite uses its FTS5 table).
"""

from django.db import migrations

INDEX = "search_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING gin ((title || body))'
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
