"""Search index: facet keys and the "head" tier.

* Facet keys (sdg87.library.search.facets): a ``library_search_facet`` table on SQLite, a
  ``facets`` array on ``library_search_document`` on PostgreSQL;
* the head of each document (title, abstract and the first ``HEAD_TERMS`` terms of the body),
  the second ranking tier: an FTS5 table ``library_search_head`` on SQLite, a
  ``head_vector`` column with a GIN index on PostgreSQL.

Rows of resources already indexed are filled here; the search backends keep them current from
then on (see sdg87/library/search/backends/)."""

from django.db import migrations

# The SQL below is built from constant table names only.
# ruff: noqa: S608


def _facet_rows_sql(indexed_ids_sql: str) -> str:
    """``(resource_id, facet key)`` of the indexed resources, as ``documents.facet_key``."""
    return " UNION ".join(
        [
            "SELECT r.id, 'type:' || r.type FROM library_resource r "
            f"WHERE r.id IN ({indexed_ids_sql})",
            "SELECT r.id, 'language:' || r.language FROM library_resource r "
            f"WHERE r.id IN ({indexed_ids_sql})",
            "SELECT r.id, 'year:' || CAST(r.year AS TEXT) FROM library_resource r "
            f"WHERE r.year IS NOT NULL AND r.id IN ({indexed_ids_sql})",
            "SELECT r.id, 'organisation:' || r.organisation FROM library_resource r "
            f"WHERE r.organisation <> '' AND r.id IN ({indexed_ids_sql})",
            "SELECT rc.resource_id, 'country:' || c.iso3 FROM library_resource_countries rc "
            "JOIN countries_country c ON c.id = rc.country_id "
            f"WHERE rc.resource_id IN ({indexed_ids_sql})",
            "SELECT rc.resource_id, 'region:' || g.m49 FROM library_resource_countries rc "
            "JOIN countries_country c ON c.id = rc.country_id "
            "JOIN countries_region g ON g.id = c.region_id "
            f"WHERE rc.resource_id IN ({indexed_ids_sql})",
            "SELECT rt.resource_id, 'theme:' || t.slug FROM library_resource_themes rt "
            "JOIN framework_theme t ON t.id = rt.theme_id "
            f"WHERE rt.resource_id IN ({indexed_ids_sql})",
            "SELECT ra.resource_id, 'target:' || t.code FROM library_resource_targets ra "
            "JOIN framework_target t ON t.id = ra.target_id "
            f"WHERE ra.resource_id IN ({indexed_ids_sql})",
        ]
    )


SQLITE_FORWARD = [
    "CREATE TABLE library_search_facet ("
    "resource_id INTEGER NOT NULL, facet TEXT NOT NULL, PRIMARY KEY (resource_id, facet)) "
    "WITHOUT ROWID",
    "INSERT INTO library_search_facet (resource_id, facet) "
    + _facet_rows_sql("SELECT rowid FROM library_search"),
]
SQLITE_FORWARD += [
    "CREATE VIRTUAL TABLE library_search_head USING fts5("
    "title, abstract, body, tags, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO library_search_head (library_search_head, rank) "
    "VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 0.0)')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS library_search_facet",
    "DROP TABLE IF EXISTS library_search_head",
]
HEAD_TERMS = 100  # as backends/sqlite.py and backends/postgresql.py

POSTGRES_FORWARD = [
    "ALTER TABLE library_search_document ADD COLUMN facets text[] NOT NULL DEFAULT '{}'",
    "UPDATE library_search_document d SET facets = k.facets FROM ("
    "SELECT id, array_agg(facet ORDER BY facet) AS facets FROM ("
    + _facet_rows_sql("SELECT resource_id FROM library_search_document")
    + ") AS rows(id, facet) GROUP BY id) AS k WHERE k.id = d.resource_id",
]
POSTGRES_FORWARD += [
    "ALTER TABLE library_search_document ADD COLUMN head_vector tsvector NOT NULL "
    "DEFAULT ''::tsvector",
    "ALTER TABLE library_search_document ALTER COLUMN head_vector DROP DEFAULT",
    "CREATE INDEX library_search_document_head ON library_search_document USING gin (head_vector)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE library_search_document DROP COLUMN IF EXISTS facets",
    "ALTER TABLE library_search_document DROP COLUMN IF EXISTS head_vector",
]


def _fill_heads(schema_editor):
    """The head of every indexed document, from what the index already holds."""
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, title, abstract, body, tags FROM library_search")
            rows = [
                (pk, title, abstract, " ".join(body.split()[:HEAD_TERMS]), tags)
                for pk, title, abstract, body, tags in cursor.fetchall()
            ]
            cursor.executemany(
                "INSERT INTO library_search_head (rowid, title, abstract, body, tags) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )
            return
        cursor.execute("SELECT resource_id FROM library_search_document")
        ids = [pk for (pk,) in cursor.fetchall()]
    if ids:
        # The body's word order is not in the tsvector: index those resources again.
        from sdg87.library.search import index_resources

        index_resources(ids)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
        if statements_by_vendor is FORWARD:
            _fill_heads(schema_editor)

    return run


FORWARD = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
BACKWARD = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_search_index"),
        ("countries", "0001_initial"),
        ("framework", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
