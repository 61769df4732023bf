"""PostgreSQL: the count's narrow table (``library_search_match``) also holds the numbers of each
document's facet keys (``facet_ids``, numbered in ``library_search_facet_key``; see
``sdg87/library/search/backends/postgresql.py``). A search's facets are then counted on the
narrow rows, grouping integers, instead of on the documents' wide rows, grouping text.

Filled from the facet keys already indexed; nothing on SQLite. Backwards, the column and the
numbers go.
"""

from __future__ import annotations

from django.db import migrations

# The SQL below is built from constant table names only.
# ruff: noqa: S608


def _forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from sdg87.library.search.backends.postgresql import FACET_KEYS, FACET_SQL, MATCH, TABLE

    with connection.cursor() as cursor:
        for statement in FACET_SQL:
            cursor.execute(statement)
        cursor.execute(
            f"INSERT INTO {FACET_KEYS} (facet) SELECT DISTINCT unnest(facets) FROM {TABLE} "
            "ORDER BY 1 ON CONFLICT (facet) DO NOTHING"
        )
        cursor.execute(
            f"UPDATE {MATCH} m SET facet_ids = numbered.ids FROM ("
            "SELECT d.resource_id, array_agg(k.id ORDER BY k.id) AS ids "
            f"FROM {TABLE} d CROSS JOIN LATERAL unnest(d.facets) AS f "
            f"JOIN {FACET_KEYS} k ON k.facet = f GROUP BY d.resource_id) AS numbered "
            "WHERE numbered.resource_id = m.resource_id"
        )


def _backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE library_search_match DROP COLUMN IF EXISTS facet_ids")
        cursor.execute("DROP TABLE IF EXISTS library_search_facet_key")


class Migration(migrations.Migration):
    dependencies = [("library", "0007_sqlite_packed_facets")]

    operations = [migrations.RunPython(_forward, _backward)]
