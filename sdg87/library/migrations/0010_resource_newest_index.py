"""The library's listing (the empty query: every resource that passes the filters, newest
first) reads its page from an index in that order, ``resource_newest_idx`` (status, year
descending with nulls last, creation descending, id descending), instead of sorting every
resource. It replaces ``resource_status_year_idx``, whose columns it starts with.

PostgreSQL gets the index as the model declares it. SQLite refuses ``NULLS LAST`` in an index
but puts nulls last in descending order by itself, which is the order asked for: its index
says ``year DESC``, and the table's statistics are refreshed (without them SQLite takes any
index for a selective one).
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.models import F

INDEX = models.Index(
    F("status"),
    F("year").desc(nulls_last=True),
    F("created_at").desc(),
    F("id").desc(),
    name="resource_newest_idx",
)
SQLITE_SQL = (
    'CREATE INDEX "resource_newest_idx" ON "library_resource" '
    '("status", "year" DESC, "created_at" DESC, "id" DESC)'
)


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_SQL)
        # Without statistics SQLite takes any index for a selective one, and would walk
        # this one to count a country's resources.
        schema_editor.execute("PRAGMA analysis_limit = 1000")
        schema_editor.execute('ANALYZE "library_resource"')
    else:
        schema_editor.add_index(apps.get_model("library", "Resource"), INDEX)


def _drop(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("library", "Resource"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("library", "0009_search_facet_totals")]

    operations = [
        migrations.RemoveIndex(model_name="resource", name="resource_status_year_idx"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="resource", index=INDEX)],
            database_operations=[migrations.RunPython(_create, _drop)],
        ),
    ]
