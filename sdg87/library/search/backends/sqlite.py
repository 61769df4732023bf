"""SQLite FTS5 backend.

``library_search`` is an FTS5 table (``unicode61 remove_diacritics 2``) whose rowid is the
resource id, with four columns: ``title``, ``abstract`` and ``body`` hold the analysed text
(folded, stemmed with the document's language; see ``analysis``) and ``tags`` holds one token
per filter value (``xstatuspublished``, ``xcountrygha`` …), so filters are intersections of
posting lists inside FTS5 rather than joins. Ranking is FTS5's ``bm25`` with column weights
title 10, abstract 4, body 1, tags 0.

Two smaller FTS5 tables serve the first ranking tiers: ``library_search_title`` (titles and
tags) and ``library_search_head`` (the same columns as ``library_search``, the body cut to its
first ``HEAD_TERMS`` terms). ``library_search_facets`` holds each resource's facet keys as one
packed row of key numbers (``library_search_facet_key`` numbers the keys), counted over the
matches by ``facet_counts``. All are written and deleted with the main table.

A title or head tier with at most ``SMALL_TIER`` matches is ranked in Python (``scoring``: the
same bm25, with the vocabulary's document frequencies), because FTS5's ``bm25()`` begins by
reading the whole posting list of each of the query's phrases.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Max, Min

from sdg87.library.models import Resource
from sdg87.library.search.backends.base import (
    FACET_KEYS,
    FACET_TOTALS,
    Filters,
    Ranked,
    chunks,
    document_terms,
    number_facets,
    update_facet_totals,
    update_vocabulary,
)
from sdg87.library.search.documents import PUBLISHED, UNPUBLISHED, IndexDocument, fts5_tag
from sdg87.library.search.query import QueryPlan, fts5_phrases, to_fts5
from sdg87.library.search.scoring import Scorer, averages

TABLE = "library_search"
TITLES = "library_search_title"  # the analysed titles: a small index for the title tier
FACETS = "library_search_facets"  # one row per resource: status, its facet keys' numbers packed
FACET_TABLES_SQL = (  # created by migration 0007
    f"CREATE TABLE IF NOT EXISTS {FACET_KEYS} (id INTEGER PRIMARY KEY, facet TEXT NOT NULL UNIQUE)",
    f"CREATE TABLE IF NOT EXISTS {FACETS} (resource_id INTEGER PRIMARY KEY, "
    "status TEXT NOT NULL, ids BLOB NOT NULL)",
)
HEAD = "library_search_head"  # the same fields, the body cut to its first HEAD_TERMS terms
HEAD_TERMS = 50  # as backends/postgresql.py
WEIGHTS = (10.0, 4.0, 1.0, 0.0)  # title, abstract, body, tags
TITLE_WEIGHTS = (1.0, 0.0)  # title, tags
RANK = f"bm25({', '.join(map(str, WEIGHTS))})"
TITLE_RANK = f"bm25({', '.join(map(str, TITLE_WEIGHTS))})"
TITLE_TIER = 1000.0  # added to the score of documents whose title matches the whole query
HEAD_TIER = 500.0  # added to the score of the others whose head matches the whole query
# Relevance ranks in tiers, each table's matches less those of the previous table.
TIERS = ((TITLES, TITLE_RANK, TITLE_TIER), (HEAD, RANK, HEAD_TIER), (TABLE, RANK, 0.0))
# A title or head tier with at most this many matches is ranked in Python (``scoring``):
# FTS5's bm25 would first read the whole posting list of each of the query's phrases. Only
# when those lists are long against the tier (their documents, summed, at least
# LONG_LISTS_PER_MATCH times its matches): otherwise FTS5 ranks faster (small libraries).
SMALL_TIER = 400
LONG_LISTS_PER_MATCH = 100
COLUMNS = {TITLES: ("title", "tags"), HEAD: ("title", "abstract", "body", "tags")}
COLUMN_WEIGHTS = {TITLES: TITLE_WEIGHTS, HEAD: WEIGHTS}


# --- facet keys, numbered and packed -------------------------------------------------------
# A resource's facet keys are stored as the little-endian 32-bit numbers of its keys in
# FACET_KEYS, concatenated: the count of a broad query reads one short value per match.
_UINT32 = next(code for code in "IL" if array(code).itemsize == 4)


def pack(numbers: Sequence[int]) -> bytes:
    packed = array(_UINT32, numbers)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack(value: bytes) -> list[int]:
    numbers = array(_UINT32)
    numbers.frombytes(value)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tolist()


def count_packed(values: Iterable[bytes | None]) -> Counter[int]:
    """How many of ``values`` (packed rows) hold each number."""
    return Counter(unpack(b"".join(value for value in values if value)))


def facet_keys(cursor: Any, counts: Counter[int]) -> dict[str, int]:
    """``counts`` by number → by facet key."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(counts)):
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"SELECT id, facet FROM {FACET_KEYS} WHERE id IN ({marks})",  # noqa: S608
            list(chunk),
        )
        for number, key in cursor.fetchall():
            found[key] = counts[number]
    return found


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

    def _stored_facets(self, cursor: Any, resource_ids: Sequence[int]) -> Counter[tuple[str, int]]:
        """``(status, facet key number)`` → documents, over these resources' stored rows."""
        counts: Counter[tuple[str, int]] = Counter()
        for chunk in chunks(resource_ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT status, ids FROM {FACETS} WHERE resource_id IN ({marks})",  # noqa: S608
                list(chunk),
            )
            for status, packed in cursor.fetchall():
                counts.update((status, number) for number in unpack(bytes(packed)))
        return counts

    def _delete(self, cursor: Any, resource_ids: Sequence[int]) -> None:
        for chunk in chunks(resource_ids):
            marks = ", ".join(["%s"] * len(chunk))
            for table in (TABLE, TITLES, HEAD):
                cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", list(chunk))  # noqa: S608
            cursor.execute(
                f"DELETE FROM {FACETS} WHERE resource_id IN ({marks})",  # noqa: S608
                list(chunk),
            )

    def index(self, documents: Sequence[IndexDocument], resource_ids: Collection[int]) -> None:
        ids = sorted(set(resource_ids) | {document.resource_id for document in documents})
        with self.connection.cursor() as cursor:
            removed = self._stored_terms(cursor, ids)
            removed_facets = self._stored_facets(cursor, ids)
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
                f"INSERT INTO {HEAD} (rowid, title, abstract, body, tags) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        document.resource_id,
                        " ".join(document.title),
                        " ".join(document.abstract),
                        " ".join(document.body[:HEAD_TERMS]),
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
            numbered, added_facets = number_facets(cursor, documents)
            cursor.executemany(
                f"INSERT INTO {FACETS} (resource_id, status, ids) VALUES (%s, %s, %s)",  # noqa: S608
                [
                    (document.resource_id, document.status, pack(numbered[document.resource_id]))
                    for document in documents
                ],
            )
            update_facet_totals(cursor, removed_facets, added_facets)
            update_vocabulary(cursor, removed, document_terms(documents))

    def unindex(self, resource_ids: Collection[int]) -> None:
        self.index([], resource_ids)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            cursor.execute(f"DELETE FROM {TITLES}")  # noqa: S608
            cursor.execute(f"DELETE FROM {HEAD}")  # noqa: S608
            cursor.execute(f"DELETE FROM {FACETS}")  # noqa: S608
            cursor.execute(f"DELETE FROM {FACET_KEYS}")  # noqa: S608
            cursor.execute(f"DELETE FROM {FACET_TOTALS}")  # noqa: S608
            cursor.execute("DELETE FROM library_search_term")

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            for table in (TABLE, TITLES, HEAD):
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

    def _filtering(self, filters: Filters) -> tuple[list[str], str] | None:
        """The filters' parts of a MATCH expression, and what ends it (None: nothing can
        match).

        Published-only (the public's case) is ``NOT "xstatusunpublished"``: a rare token is
        far cheaper to exclude than a token of every document is to require.
        """
        parts = []
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
            return parts, ""
        return parts, f'NOT "{fts5_tag("status", UNPUBLISHED)}"'

    @staticmethod
    def _expression(text: str, filtering: tuple[list[str], str]) -> str:
        parts, ending = filtering
        parts = [f"({text})", *parts] if text else parts
        if not parts:
            return f'"{fts5_tag("status", PUBLISHED)}"' if ending else ""
        return " AND ".join(parts) + (f" {ending}" if ending else "")

    def match_expressions(self, plan: QueryPlan, filters: Filters) -> tuple[str, str] | None:
        """The MATCH expression for ranking with bm25 (an original phrase written twice) and
        the one for matching and counting only (each phrase once; ``to_fts5``), built on the
        same filters; None: nothing can match."""
        filtering = self._filtering(filters)
        if filtering is None:
            return None
        return (
            self._expression(to_fts5(plan), filtering),
            self._expression(to_fts5(plan, weighted=False), filtering),
        )

    def match_expression(self, plan: QueryPlan, filters: Filters) -> str | None:
        """The MATCH expression for matching and counting (None: nothing can match)."""
        filtering = self._filtering(filters)
        if filtering is None:
            return None
        return self._expression(to_fts5(plan, weighted=False), filtering)

    @contextmanager
    def session(self) -> Iterator[None]:
        """A search's queries need nothing more than the connection."""
        yield

    def search(
        self,
        plan: QueryPlan,
        filters: Filters,
        *,
        sort: str,
        offset: int,
        limit: int,
        count: bool = True,
    ) -> Ranked:
        """Relevance in three tiers: documents whose title matches the whole query, then
        those whose head (title, abstract, first ``HEAD_TERMS`` terms of the body) matches
        it, then the others.

        Each tier is ranked by bm25 on its own table (titles, heads, whole documents), less
        the matches of the previous tier, so the tiers partition the matches. The title tier
        makes up for FTS5's bm25 giving (almost) no weight to a term found in more than half
        of the documents — in a Target 8.7 library, "forced labour convention" would
        otherwise rank the Convention among hundreds of reports citing it. The head tier
        bounds the work of broad queries: FTS5 scores every match of a table it ranks, and
        a page that fills up within a tier never ranks the later ones (they are only
        counted, which needs no scoring). Documents that name the query's words early are
        ranked before those that name them only further down. That count is left to the
        caller when ``count`` is false (``Ranked.count`` is None): it counts with the facets.
        """
        expressions = self.match_expressions(plan, filters)
        if expressions is None:
            return Ranked(count=0)
        # ``matching`` (each phrase once) for every query that does not rank.
        expression, matching = expressions
        if sort == "date":
            return self._by_date(expression, matching, offset, limit)
        rows: list[tuple[int, float]] = []
        tiers_counted = 0  # matches in the tiers ranked so far
        skip = offset  # of the page's offset, what is left to skip in the next tier
        previous: str | None = None
        with self.connection.cursor() as cursor:
            for table, rank, bonus in TIERS:
                wanted = limit - len(rows)
                if not wanted:
                    break
                excluded, params = "", [expression, rank]
                if previous:
                    excluded = (
                        f"AND rowid NOT IN (SELECT rowid FROM {previous} "  # noqa: S608
                        f"WHERE {previous} MATCH %s) "
                    )
                    params.append(matching)
                if plan.excluded and table != TABLE:
                    # An excluded word may be further down than the title or the head.
                    excluded += f"AND rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s) "  # noqa: S608
                    params.append(matching)
                small = self._small_tier(cursor, plan, table, excluded, [matching, *params[2:]])
                if small is not None:
                    rows += [(pk, bonus + score) for pk, score in small[skip : skip + wanted]]
                    tiers_counted += len(small)
                    skip = max(0, skip - len(small))
                    previous = table
                    continue
                cursor.execute(
                    f"SELECT rowid, -rank, count(*) OVER () FROM {table} "  # noqa: S608
                    f"WHERE {table} MATCH %s AND rank MATCH %s {excluded}"
                    "ORDER BY rank LIMIT %s OFFSET %s",
                    [*params, wanted, skip],
                )
                found = cursor.fetchall()
                rows += [(row[0], bonus + row[1]) for row in found]
                if found:
                    in_tier = int(found[0][2])
                elif skip:
                    cursor.execute(
                        f"SELECT count(*) FROM {table} WHERE {table} MATCH %s {excluded}",  # noqa: S608
                        [matching, *params[2:]],
                    )
                    in_tier = int(cursor.fetchone()[0])
                else:
                    in_tier = 0
                tiers_counted += in_tier
                skip = max(0, skip - in_tier)
                previous = table
            else:
                return self._ranked(rows, tiers_counted)
            # Ranking stopped early (the page is full): count every match, without ranking.
            if not count:
                return self._ranked(rows, None)
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [matching],
            )
            return self._ranked(rows, int(cursor.fetchone()[0]))

    def _small_tier(
        self, cursor: Any, plan: QueryPlan, table: str, conditions: str, params: list[Any]
    ) -> list[tuple[int, float]] | None:
        """A title or head tier of at most ``SMALL_TIER`` matches whose phrases have long
        posting lists, ranked (best first) by ``scoring``; None for the others, that FTS5
        ranks."""
        if table not in COLUMNS:
            return None
        columns = COLUMNS[table]
        cursor.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s {conditions}LIMIT %s",  # noqa: S608
            [*params, SMALL_TIER + 1],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        if len(ids) > SMALL_TIER:
            return None  # (only the row ids were read: a large tier costs little here)
        if not ids:
            return []
        phrases = fts5_phrases(plan)
        if sum(p.documents * p.weight for p in phrases) < LONG_LISTS_PER_MATCH * len(ids):
            return None
        # Straight from the table's content store (FTS5's ``<table>_content``: ``id`` and the
        # columns as ``c0``, ``c1`` …): the same values as the virtual table's columns, without
        # a lookup through the virtual table for each row.
        stored = ", ".join(f"c{index}" for index in range(len(columns)))
        cursor.execute(
            f"SELECT id, {stored} FROM {table}_content "  # noqa: S608
            f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        found = cursor.fetchall()
        cursor.execute(f"SELECT block FROM {table}_data WHERE id = 1")  # noqa: S608
        record = cursor.fetchone()
        statistics = averages(bytes(record[0]), len(columns)) if record else None
        if statistics is None:
            return None
        score = Scorer(phrases, COLUMN_WEIGHTS[table], statistics)
        scored = [(int(row[0]), score(row[1:])) for row in found]
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored

    def _by_date(self, expression: str, matching: str, offset: int, limit: int) -> Ranked:
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
                [matching],
            )
            return self._ranked([], int(cursor.fetchone()[0]))

    @staticmethod
    def _ranked(rows: list[tuple[int, float]], count: int | None) -> Ranked:
        return Ranked(
            count=count,
            ids=tuple(int(pk) for pk, _score in rows),
            scores={int(pk): float(score) for pk, score in rows},
        )

    def facet_counts(self, plan: QueryPlan, filters: Filters) -> tuple[dict[str, int], int]:
        """Facet key → number of matches, and the number of matches: the matches' packed rows,
        read in one scan of the FTS5 matches (each joined by rowid to its row; one row per
        match), counted in Python. Counting the keys in SQL would group one row per match and
        key, which SQLite sorts."""
        expression = self.match_expression(plan, filters)
        if expression is None:
            return {}, 0
        return self._counted(
            f"SELECT p.ids FROM {TABLE} s CROSS JOIN {FACETS} p "  # noqa: S608
            f"ON p.resource_id = s.rowid WHERE {TABLE} MATCH %s",
            [expression],
        )

    def facet_counts_for_ids(self, ids_sql: str, params: list[Any]) -> dict[str, int]:
        by_key, _matches = self._counted(
            f"SELECT ids FROM {FACETS} WHERE resource_id IN ({ids_sql})",  # noqa: S608
            list(params),
        )
        return by_key

    def _counted(self, sql: str, params: list[Any]) -> tuple[dict[str, int], int]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            counts = count_packed(row[0] for row in rows)
            return facet_keys(cursor, counts), len(rows)
