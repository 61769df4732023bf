"""PostgreSQL: two side tables of the search index, copies of columns of
``library_search_document`` written with it (see ``sdg87/library/search/backends/postgresql.py``):

* ``library_search_match``: id, status, year and the vector stored out of line, on which a
  search counts its matches without visiting the wide document rows;
* ``library_search_titles``: the title tier's rows, with the rank vector stored inline.

Filled from the documents already indexed; nothing on SQLite.
"""

from __future__ import annotations

from django.db import migrations


def _create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from sdg87.library.search.backends.postgresql import SIDE_TABLES, SIDE_TABLES_SQL, TABLE

    with connection.cursor() as cursor:
        for statement in SIDE_TABLES_SQL:
            cursor.execute(statement)
        for table, columns in SIDE_TABLES.items():
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {TABLE} "  # noqa: S608
                "ON CONFLICT (resource_id) DO NOTHING"
            )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS library_search_match, library_search_titles")


class Migration(migrations.Migration):
    dependencies = [("library", "0005_shorter_search_head")]

    operations = [migrations.RunPython(_create, _drop)]
