"""SQLite FTS5 backend.

``library_search`` is an FTS5 table (``unicode61 remove_diacritics 2``) whose rowid is the
resource id, with four columns: ``title``, ``abstract`` and ``body`` hold the analysed text
(folded, stemmed with the document's language; see ``analysis``) and ``tags`` holds one token
per filter value (``xstatuspublished``, ``xcountrygha`` …), so filters are intersections of
posting lists inside FTS5 rather than joins. Ranking is FTS5's ``bm25`` with column weights
title 10, abstract 4, body 1, tags 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Max, Min

from sdg87.library.models import Resource
from sdg87.library.search.backends.base import (
    Filters,
    Ranked,
    chunks,
    document_terms,
    update_vocabulary,
)
from sdg87.library.search.documents import PUBLISHED, UNPUBLISHED, IndexDocument, fts5_tag
from sdg87.library.search.query import QueryPlan, to_fts5

TABLE = "library_search"
TITLES = "library_search_title"  # the analysed titles: a small index for the title tier
RANK = "bm25(10.0, 4.0, 1.0, 0.0)"
TITLE_RANK = "bm25(1.0, 0.0)"
TITLE_TIER = 1000.0  # added to the score of documents whose title matches the whole query


class SqliteBackend:
    vendor = "sqlite"

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # --- writing ---------------------------------------------------------------------------

    def _stored_terms(self, cursor: Any, resource_ids: Sequence[int]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for chunk in chunks(resource_ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT title, abstract, body FROM {TABLE} WHERE rowid IN ({marks})",  # noqa: S608
                list(chunk),
            )
            for title, abstract, body in cursor.fetchall():
                counts.update({*title.split(), *abstract.split(), *body.split(), ""})
        return counts

    def _delete(self, cursor: Any, resource_ids: Sequence[int]) -> None:
        for chunk in chunks(resource_ids):
            marks = ", ".join(["%s"] * len(chunk))
            for table in (TABLE, TITLES):
                cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", list(chunk))  # noqa: S608

    def index(self, documents: Sequence[IndexDocument], resource_ids: Collection[int]) -> None:
        ids = sorted(set(resource_ids) | {document.resource_id for document in documents})
        with self.connection.cursor() as cursor:
            removed = self._stored_terms(cursor, ids)
            self._delete(cursor, ids)
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, abstract, body, tags) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        document.resource_id,
                        " ".join(document.title),
                        " ".join(document.abstract),
                        " ".join(document.body),
                        " ".join(fts5_tag(kind, value) for kind, value in document.tags),
                    )
                    for document in documents
                ],
            )
            cursor.executemany(
                f"INSERT INTO {TITLES} (rowid, title, tags) VALUES (%s, %s, %s)",  # noqa: S608
                [
                    (
                        document.resource_id,
                        " ".join(document.title),
                        " ".join(fts5_tag(kind, value) for kind, value in document.tags),
                    )
                    for document in documents
                ],
            )
            update_vocabulary(cursor, removed, document_terms(documents))

    def unindex(self, resource_ids: Collection[int]) -> None:
        self.index([], resource_ids)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            cursor.execute(f"DELETE FROM {TITLES}")  # noqa: S608
            cursor.execute("DELETE FROM library_search_term")

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            for table in (TABLE, TITLES):
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
            cursor.execute("ANALYZE")

    def indexed_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
            return int(cursor.fetchone()[0])

    # --- reading ---------------------------------------------------------------------------

    def _year_tags(self, filters: Filters) -> list[str] | None:
        """Year filters as the year tokens in range (None: no year filter)."""
        if filters.year_from is None and filters.year_to is None:
            return None
        bounds = Resource.objects.aggregate(low=Min("year"), high=Max("year"))
        if bounds["low"] is None:
            return []
        low = max(bounds["low"], filters.year_from or bounds["low"])
        high = min(bounds["high"], filters.year_to or bounds["high"])
        return [fts5_tag("year", year) for year in range(low, high + 1)]

    def match_expression(self, plan: QueryPlan, filters: Filters) -> str | None:
        """The MATCH expression (None: nothing can match).

        Published-only (the public's case) is ``NOT "xstatusunpublished"``: a rare token is
        far cheaper to exclude than a token of every document is to require.
        """
        parts = []
        text = to_fts5(plan)
        if text:
            parts.append(f"({text})")
        for kind, values in filters.tag_filters():
            if kind == "status" and tuple(values) == (PUBLISHED,):
                continue
            tokens = " OR ".join(f'"{fts5_tag(kind, value)}"' for value in values)
            parts.append(f"({tokens})")
        years = self._year_tags(filters)
        if years is not None:
            if not years:
                return None
            parts.append("(" + " OR ".join(f'"{token}"' for token in years) + ")")
        if tuple(filters.statuses) != (PUBLISHED,):
            return " AND ".join(parts)
        if not parts:
            return f'"{fts5_tag("status", PUBLISHED)}"'
        return " AND ".join(parts) + f' NOT "{fts5_tag("status", UNPUBLISHED)}"'

    def search(
        self, plan: QueryPlan, filters: Filters, *, sort: str, offset: int, limit: int
    ) -> Ranked:
        """Relevance: documents whose title matches the whole query first, then the others.

        Each tier is ranked by bm25 (the first on titles, the second on whole documents).
        The title tier makes up for FTS5's bm25 giving (almost) no weight to a term found in
        more than half of the documents — in a Target 8.7 library, "forced labour
        convention" would otherwise rank the Convention among hundreds of reports citing
        it — and it is cheap: a page within it never ranks the other matches.
        """
        expression = self.match_expression(plan, filters)
        if expression is None:
            return Ranked(count=0)
        if sort == "date":
            return self._by_date(expression, offset, limit)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -rank, count(*) OVER () FROM {TITLES} "  # noqa: S608
                f"WHERE {TITLES} MATCH %s AND rank MATCH %s ORDER BY rank LIMIT %s OFFSET %s",
                [expression, TITLE_RANK, limit, offset],
            )
            titled = cursor.fetchall()
            rows = [(row[0], TITLE_TIER + row[1]) for row in titled]
            in_titles = int(titled[0][2]) if titled else 0
            if not titled and offset:
                cursor.execute(
                    f"SELECT count(*) FROM {TITLES} WHERE {TITLES} MATCH %s",  # noqa: S608
                    [expression],
                )
                in_titles = int(cursor.fetchone()[0])
            wanted = limit - len(rows)
            if wanted:
                cursor.execute(
                    f"SELECT rowid, -rank, count(*) OVER () FROM {TABLE} "  # noqa: S608
                    f"WHERE {TABLE} MATCH %s AND rank MATCH %s AND rowid NOT IN "
                    f"(SELECT rowid FROM {TITLES} WHERE {TITLES} MATCH %s) "
                    "ORDER BY rank LIMIT %s OFFSET %s",
                    [expression, RANK, expression, wanted, max(0, offset - in_titles)],
                )
                others = cursor.fetchall()
                if others:
                    rows += [(row[0], row[1]) for row in others]
                    return self._ranked(rows, in_titles + int(others[0][2]))
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [expression],
            )
            return self._ranked(rows, int(cursor.fetchone()[0]))

    def _by_date(self, expression: str, offset: int, limit: int) -> Ranked:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.rowid, -s.rank, count(*) OVER () FROM {TABLE} s "  # noqa: S608
                "JOIN library_resource r ON r.id = s.rowid "
                f"WHERE {TABLE} MATCH %s AND s.rank MATCH %s "
                "ORDER BY r.year DESC NULLS LAST, r.created_at DESC, r.id DESC "
                "LIMIT %s OFFSET %s",
                [expression, RANK, limit, offset],
            )
            rows = cursor.fetchall()
            if rows:
                return self._ranked([(row[0], row[1]) for row in rows], int(rows[0][2]))
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [expression],
            )
            return self._ranked([], int(cursor.fetchone()[0]))

    @staticmethod
    def _ranked(rows: list[tuple[int, float]], count: int) -> Ranked:
        return Ranked(
            count=count,
            ids=tuple(int(pk) for pk, _score in rows),
            scores={int(pk): float(score) for pk, score in rows},
        )

    def matching_ids_sql(self, plan: QueryPlan, filters: Filters) -> tuple[str, list[Any]]:
        expression = self.match_expression(plan, filters)
        if expression is None:
            return "SELECT NULL AS id WHERE 0", []
        return f"SELECT rowid AS id FROM {TABLE} WHERE {TABLE} MATCH %s", [expression]  # noqa: S608
