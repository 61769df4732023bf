"""PostgreSQL: two side tables of the search index, written with ``library_search_document``
(see ``sdg87/library/search/backends/postgresql.py``):

* ``library_search_match``: id, status, year and the vector stored out of line, on which a
  search counts its matches without visiting the wide document rows;
* ``library_search_titles``: the title tier's rows, with the rank vector stored inline. The
  rank vector moves there: ``library_search_document`` no longer has it.

Filled from the documents already indexed; nothing on SQLite. Backwards, the rank vector goes
back to ``library_search_document``.
"""

from __future__ import annotations

from django.db import migrations


def _has_rank_vector(cursor, table: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s AND column_name = 'rank_vector'",
        [table],
    )
    return cursor.fetchone() is not None


def _create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from sdg87.library.search.backends.postgresql import (
        MATCH,
        SIDE_TABLES,
        SIDE_TABLES_SQL,
        TABLE,
        TITLES,
    )

    with connection.cursor() as cursor:
        for statement in SIDE_TABLES_SQL:
            cursor.execute(statement)
        columns = SIDE_TABLES[MATCH]
        cursor.execute(
            f"INSERT INTO {MATCH} ({columns}) SELECT {columns} FROM {TABLE} "  # noqa: S608
            "ON CONFLICT (resource_id) DO NOTHING"
        )
        if _has_rank_vector(cursor, TABLE):
            columns = f"{SIDE_TABLES[TITLES]}, rank_vector"
            cursor.execute(
                f"INSERT INTO {TITLES} ({columns}) SELECT {columns} FROM {TABLE} "  # noqa: S608
                "ON CONFLICT (resource_id) DO NOTHING"
            )
            cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN rank_vector")


def _drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table, titles = "library_search_document", "library_search_titles"
    with connection.cursor() as cursor:
        if not _has_rank_vector(cursor, table):
            cursor.execute(f"ALTER TABLE {table} ADD COLUMN rank_vector tsvector")
            cursor.execute("SELECT to_regclass(%s)", [titles])
            if cursor.fetchone()[0] is not None:
                cursor.execute(
                    f"UPDATE {table} d SET rank_vector = t.rank_vector FROM {titles} t "  # noqa: S608
                    "WHERE t.resource_id = d.resource_id"
                )
            cursor.execute(
                f"UPDATE {table} SET rank_vector = ''::tsvector WHERE rank_vector IS NULL"  # noqa: S608
            )
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN rank_vector SET NOT NULL")
        cursor.execute(
            f"DROP TABLE IF EXISTS library_search_match, {titles}, library_search_facet_key, "
            "library_search_facet_total"
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0005_shorter_search_head")]

    operations = [migrations.RunPython(_create, _drop)]
