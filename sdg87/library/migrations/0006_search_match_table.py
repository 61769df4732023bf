"""PostgreSQL: ``library_search_match``, a narrow copy of each indexed document (id, status, year
and the vector, stored out of line) on which a search counts its matches without visiting the
wide rows of ``library_search_document`` (see ``sdg87/library/search/backends/postgresql.py``).
Filled from the documents already indexed; nothing on SQLite.
"""

from __future__ import annotations

from django.db import migrations


def _create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from sdg87.library.search.backends.postgresql import MATCH, MATCH_TABLE_SQL, TABLE

    with connection.cursor() as cursor:
        for statement in MATCH_TABLE_SQL:
            cursor.execute(statement)
        cursor.execute(
            f"INSERT INTO {MATCH} (resource_id, status, year, vector) "  # noqa: S608
            f"SELECT resource_id, status, year, vector FROM {TABLE} "
            "ON CONFLICT (resource_id) DO NOTHING"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS library_search_match")


class Migration(migrations.Migration):
    dependencies = [("library", "0005_shorter_search_head")]

    operations = [migrations.RunPython(_create, _drop)]
