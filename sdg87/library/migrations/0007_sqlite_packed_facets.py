"""SQLite: each indexed resource's facet keys become one row of packed key numbers
(``library_search_facets``, the numbers in ``library_search_facet_key``; see
``sdg87/library/search/backends/sqlite.py``) instead of one ``library_search_facet`` row per
key. Counting the facets of a broad query then reads one short value per match, where
``GROUP BY`` over a row per match and key made SQLite sort them all.

Filled from the rows already indexed; nothing on PostgreSQL. Backwards, the rows per key come
back.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import migrations

# The SQL below is built from constant table names only.
# ruff: noqa: S608

OLD = "library_search_facet"
BATCH = 5000


def _forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    from sdg87.library.search.backends.sqlite import FACET_KEYS, FACET_TABLES_SQL, FACETS, pack

    with connection.cursor() as reader, connection.cursor() as writer:
        for statement in FACET_TABLES_SQL:
            writer.execute(statement)
        writer.execute(
            f"INSERT OR IGNORE INTO {FACET_KEYS} (facet) SELECT DISTINCT facet FROM {OLD} "
            "ORDER BY facet"
        )
        # The status indexed with a resource is the resource's: the index is written in the
        # same transaction as every change of a resource.
        reader.execute(
            "SELECT f.resource_id, coalesce(r.status, 'published'), k.id "
            f"FROM {OLD} f JOIN {FACET_KEYS} k ON k.facet = f.facet "
            "LEFT JOIN library_resource r ON r.id = f.resource_id "
            "ORDER BY f.resource_id, k.id"
        )
        numbers: dict[tuple[int, str], list[int]] = defaultdict(list)
        while rows := reader.fetchmany(BATCH):
            for resource_id, status, number in rows:
                numbers[(resource_id, status)].append(number)
        items = sorted(numbers.items())
        for start in range(0, len(items), BATCH):
            writer.executemany(
                f"INSERT OR REPLACE INTO {FACETS} (resource_id, status, ids) VALUES (%s, %s, %s)",
                [(pk, status, pack(found)) for (pk, status), found in items[start : start + BATCH]],
            )
        writer.execute(f"DROP TABLE {OLD}")


def _backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    from sdg87.library.search.backends.sqlite import FACET_KEYS, FACETS, unpack

    with connection.cursor() as reader, connection.cursor() as writer:
        writer.execute(
            f"CREATE TABLE IF NOT EXISTS {OLD} (resource_id INTEGER NOT NULL, "
            "facet TEXT NOT NULL, PRIMARY KEY (resource_id, facet)) WITHOUT ROWID"
        )
        writer.execute(f"SELECT id, facet FROM {FACET_KEYS}")
        keys = dict(writer.fetchall())
        reader.execute(f"SELECT resource_id, ids FROM {FACETS} ORDER BY resource_id")
        while rows := reader.fetchmany(BATCH):
            writer.executemany(
                f"INSERT OR IGNORE INTO {OLD} (resource_id, facet) VALUES (%s, %s)",
                [(pk, keys[number]) for pk, packed in rows for number in unpack(bytes(packed))],
            )
        writer.execute(f"DROP TABLE {FACETS}")
        writer.execute(f"DROP TABLE {FACET_KEYS}")


class Migration(migrations.Migration):
    dependencies = [("library", "0006_search_side_tables")]

    operations = [migrations.RunPython(_forward, _backward)]
