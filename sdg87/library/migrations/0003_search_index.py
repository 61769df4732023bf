"""Full-text search index (sdg87.library.search): an FTS5 table on SQLite, a tsvector table on
PostgreSQL, and the index vocabulary used for typo tolerance on both. Not Django models: the
search backends own them (see sdg87/library/search/backends/)."""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE library_search USING fts5("
    "title, abstract, body, tags, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE library_search_title USING fts5("
    "title, tags, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO library_search (library_search, rank) "
    "VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 0.0)')",
    "CREATE TABLE library_search_term ("
    "term TEXT NOT NULL PRIMARY KEY, documents INTEGER NOT NULL) WITHOUT ROWID",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS library_search",
    "DROP TABLE IF EXISTS library_search_term",
]

POSTGRES_FORWARD = [
    "CREATE TABLE library_search_document ("
    "resource_id bigint PRIMARY KEY, status varchar(16) NOT NULL, language varchar(8) NOT NULL, "
    "year integer NULL, type varchar(32) NOT NULL, sort_date timestamptz NULL, "
    "tags text[] NOT NULL DEFAULT '{}', vector tsvector NOT NULL, rank_vector tsvector NOT NULL, "
    "title_vector tsvector NOT NULL)",
    "CREATE INDEX library_search_document_vector ON library_search_document USING gin (vector)",
    "CREATE INDEX library_search_document_tags ON library_search_document USING gin (tags)",
    "CREATE INDEX library_search_document_title ON library_search_document "
    "USING gin (title_vector)",
    "CREATE TABLE library_search_term ("
    'term text COLLATE "C" NOT NULL PRIMARY KEY, documents integer NOT NULL)',
]
POSTGRES_BACKWARD = [
    "DROP TABLE IF EXISTS library_search_document",
    "DROP TABLE IF EXISTS library_search_term",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0002_fingerprints_review_comment")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
