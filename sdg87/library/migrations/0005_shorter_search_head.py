"""The head of each indexed document (the second ranking tier) becomes the title, the abstract
and the body's first 50 terms instead of 100 (benchmarks/search.md: the head tier of a broad
query halves, and with it the matches each search scores). The heads are rebuilt: on SQLite
from the analysed text the index holds; on PostgreSQL, whose vectors do not keep the body's
word order, by indexing the resources again.
"""

from __future__ import annotations

from django.db import migrations

HEAD_TERMS = 50  # as backends/sqlite.py and backends/postgresql.py
BATCH = 1000


def _rebuild_heads(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as reader, connection.cursor() as writer:
            writer.execute("DELETE FROM library_search_head")
            reader.execute("SELECT rowid, title, abstract, body, tags FROM library_search")
            while rows := reader.fetchmany(BATCH):
                writer.executemany(
                    "INSERT INTO library_search_head (rowid, title, abstract, body, tags) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        (pk, title, abstract, " ".join(body.split()[:HEAD_TERMS]), tags)
                        for pk, title, abstract, body, tags in rows
                    ],
                )
            # One b-tree again, as after a bulk load (queries on a table rewritten row by row
            # read many segments until FTS5's automatic merges catch up).
            writer.execute(
                "INSERT INTO library_search_head (library_search_head) VALUES ('optimize')"
            )
        return
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT resource_id FROM library_search_document ORDER BY resource_id")
        ids = [pk for (pk,) in cursor.fetchall()]
    if ids:
        from sdg87.library.search import index_resources
        from sdg87.library.search.backends.postgresql import SIDE_TABLES_SQL, TABLE

        # The indexer is today's code: it writes the side tables of migration 0006, and the
        # rank vector to one of them only (it is recomputed for every document here).
        with connection.cursor() as cursor:
            for statement in SIDE_TABLES_SQL:
                cursor.execute(statement)
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS rank_vector")
        for start in range(0, len(ids), BATCH):
            index_resources(ids[start : start + BATCH])


class Migration(migrations.Migration):
    dependencies = [("library", "0004_search_facets")]

    # Backwards: shorter heads are valid heads for the previous code too.
    operations = [migrations.RunPython(_rebuild_heads, migrations.RunPython.noop)]
