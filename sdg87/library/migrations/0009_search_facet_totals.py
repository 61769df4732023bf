"""Both databases: ``library_search_facet_total`` keeps, for each status, how many indexed
documents have each facet key (by the key's number). The library's first page, the empty query
filtered only by status, reads its facets from these totals instead of counting the facets of
every listed resource (see ``sdg87/library/search/backends/base.py``). The indexer keeps them
current from then on.

Filled from the facet rows already indexed; backwards, the table goes.
"""

from __future__ import annotations

from collections import Counter

from django.db import migrations

# The SQL below is built from constant table names only.
# ruff: noqa: S608

TOTALS = "library_search_facet_total"
BATCH = 5000


def _forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    from sdg87.library.search.backends.base import FACET_TOTALS_SQL

    with connection.cursor() as cursor:
        cursor.execute(FACET_TOTALS_SQL)
        cursor.execute(f"DELETE FROM {TOTALS}")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {TOTALS} (status, facet_id, documents) "
                "SELECT status, number, count(*) FROM library_search_match "
                "CROSS JOIN LATERAL unnest(facet_ids) AS number GROUP BY status, number"
            )
            return
        from sdg87.library.search.backends.sqlite import FACETS, unpack

        totals: Counter[tuple[str, int]] = Counter()
        cursor.execute(f"SELECT status, ids FROM {FACETS}")
        while rows := cursor.fetchmany(BATCH):
            for status, packed in rows:
                totals.update((status, number) for number in unpack(bytes(packed)))
        cursor.executemany(
            f"INSERT INTO {TOTALS} (status, facet_id, documents) VALUES (%s, %s, %s)",
            sorted((status, number, count) for (status, number), count in totals.items()),
        )


def _backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TOTALS}")


class Migration(migrations.Migration):
    dependencies = [("library", "0008_postgresql_facet_numbers")]

    operations = [migrations.RunPython(_forward, _backward)]
