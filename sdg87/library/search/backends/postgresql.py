"""PostgreSQL backend.

``library_search_document`` has one row per resource: a ``tsvector`` built with the ``simple``
configuration from the analysed text (the same terms as the SQLite index: folded, stemmed with
the document's language in Python — so both databases find the same documents and the
cross-lingual expansion works the same way), weighted A (title), B (abstract) and C (body),
with a GIN index; filter values are a ``text[]`` of tags with a GIN index, plus ``status``,
``year`` and ``sort_date`` columns. Ranking is ``ts_rank_cd`` with weights
A 1.0, B 0.4, C 0.1 (the 10:4:1 of the SQLite backend), plus the same rank computed on the
user's own words only, so that cross-lingual expansions count half as much. The rank reads
``rank_vector`` (kept in ``library_search_titles``, below): title, abstract and the first
``RANKED_BODY_TERMS`` terms of the body —
reading and ranking a whole report's vector for each match is what makes PostgreSQL's full
text ranking slow; documents that match only further down still match, ranked last.

Relevance ranks in three tiers (as the SQLite backend does): title matches (``title_vector``),
then head matches (``head_vector``: title, abstract and the body's first ``HEAD_TERMS`` terms,
with its own GIN index), then the others; a page that fills up within a tier never ranks the
later tiers. The head tier, which a broad query fills with thousands of matches, is ranked
with ``ts_rank`` (term frequencies, same weights) instead of ``ts_rank_cd``: it does less
work per row (no search for covers), and the bench's judged set (``make bench-search``) ranks
as well with it. ``facets`` holds the resource's facet keys; a search's facets are counted on
their numbers in the count's narrow table (``facet_ids``, below; ``facet_counts``), or on
``facets`` when the search filters on tags.

A search's exact count visits every match's row (visibility and the status filter). Those rows
are wide (the head and title vectors, the tags and facets stay inline), so the visits spread
over most of the table's pages. ``library_search_match`` (``MATCH``) is a narrow copy of each
document for counting: id, status, year and ``vector`` with its own GIN index, created with
``toast_tuple_target = 128`` so that the vector is always stored out of line (the GIN index
finds the matches; the count never reads the vector). Its rows take a small fraction of the
pages. Counts filtered by tags still read ``library_search_document``.

The title tier ranks its matches on ``rank_vector``; in the documents' wide rows it would be
stored out of line (TOAST: one index lookup and fetch per ranked match, hundreds for a country
name). ``library_search_titles`` (``TITLES``) holds the title tier's columns with the rank
vector inline (``STORAGE MAIN``) and its own GIN index on the titles. The rank vector is kept
there only: the tiers that scan ``library_search_document`` (the rest tier, and the title tier
of a query with excluded words, which needs the whole vector) and the date sort read it by
resource id. See docs/decisions/0003-postgresql-search-side-tables.md.

``library_search_match`` also holds the numbers (``library_search_facet_key``) of each
document's facet keys, ``facet_ids``, inline: the facets of a search are counted on integers in
the same scan of narrow rows as its match. See docs/decisions/0004-facet-key-numbers.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from sdg87.library.search.backends.base import (
    FACET_KEYS,
    FACET_TOTALS,
    FACET_TOTALS_SQL,
    Filters,
    Ranked,
    chunks,
    document_terms,
    number_facets,
    update_facet_totals,
    update_vocabulary,
)
from sdg87.library.search.documents import IndexDocument, postgres_tag
from sdg87.library.search.query import QueryPlan, to_tsquery

TABLE = "library_search_document"
MATCH = "library_search_match"  # narrow rows for counting (see the module's docstring)
TITLES = "library_search_titles"  # the title tier's rows (see the module's docstring)
# Both are written with TABLE (``index``) and created by migration 0006; the rank vector is
# only in TITLES, the other columns are copies of TABLE's.
SIDE_TABLES_SQL = (
    f"CREATE TABLE IF NOT EXISTS {MATCH} ("
    "resource_id bigint PRIMARY KEY, status varchar(16) NOT NULL, year integer NULL, "
    "vector tsvector NOT NULL) WITH (toast_tuple_target = 128)",
    f"CREATE INDEX IF NOT EXISTS {MATCH}_vector ON {MATCH} USING gin (vector)",
    f"CREATE TABLE IF NOT EXISTS {TITLES} ("
    "resource_id bigint PRIMARY KEY, status varchar(16) NOT NULL, year integer NULL, "
    "tags text[] NOT NULL, title_vector tsvector NOT NULL, rank_vector tsvector NOT NULL)",
    f"ALTER TABLE {TITLES} ALTER COLUMN tags SET STORAGE MAIN, "
    "ALTER COLUMN title_vector SET STORAGE MAIN, ALTER COLUMN rank_vector SET STORAGE MAIN",
    f"CREATE INDEX IF NOT EXISTS {TITLES}_title ON {TITLES} USING gin (title_vector)",
)
FACET_SQL = (  # migration 0008; the count's table also holds the numbers of the facet keys
    f"CREATE TABLE IF NOT EXISTS {FACET_KEYS} ("
    "id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, facet text NOT NULL UNIQUE)",
    f"ALTER TABLE {MATCH} ADD COLUMN IF NOT EXISTS facet_ids integer[] NOT NULL DEFAULT '{{}}'",
    f"ALTER TABLE {MATCH} ALTER COLUMN facet_ids SET STORAGE MAIN",
    FACET_TOTALS_SQL,  # migration 0009
)
SIDE_TABLES_SQL += FACET_SQL
SIDE_TABLES = {  # table: the columns it copies from TABLE
    MATCH: "resource_id, status, year, vector",
    TITLES: "resource_id, status, year, tags, title_vector",
}
WEIGHTS = "'{0.0, 0.1, 0.4, 1.0}'::float4[]"  # D, C, B, A
NORMALISATION = 1  # rank / (1 + log(document length))


RANKED_BODY_TERMS = 400
HEAD_TERMS = 50  # the head: title, abstract and the body's first terms (second tier)
TITLE_TIER = 1000.0  # added to the score of documents whose title matches the whole query
HEAD_TIER = 500.0  # added to the score of the others whose head matches the whole query


def _ranked(rows: list[tuple[int, float]], count: int | None) -> Ranked:
    return Ranked(
        count=count,
        ids=tuple(int(pk) for pk, _score in rows),
        scores={int(pk): float(score) for pk, score in rows},
    )


def _rank(query_parameter: str, vector: str, function: str = "ts_rank_cd") -> str:
    return f"{function}({WEIGHTS}, {vector}, {query_parameter}, {NORMALISATION})"


class PostgresBackend:
    vendor = "postgresql"

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # --- writing ---------------------------------------------------------------------------

    def _stored_terms(self, cursor: Any, resource_ids: Sequence[int]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for chunk in chunks(resource_ids):
            cursor.execute(
                f"SELECT tsvector_to_array(vector) FROM {TABLE} "  # noqa: S608
                "WHERE resource_id = ANY(%s)",
                [list(chunk)],
            )
            for (terms,) in cursor.fetchall():
                counts.update({*terms, ""})
        return counts

    def _stored_facets(self, cursor: Any, resource_ids: Sequence[int]) -> Counter[tuple[str, int]]:
        """``(status, facet key number)`` → documents, over these resources' stored rows."""
        counts: Counter[tuple[str, int]] = Counter()
        for chunk in chunks(resource_ids):
            cursor.execute(
                f"SELECT status, facet_ids FROM {MATCH} WHERE resource_id = ANY(%s)",  # noqa: S608
                [list(chunk)],
            )
            for status, numbers in cursor.fetchall():
                counts.update((status, number) for number in numbers)
        return counts

    def index(self, documents: Sequence[IndexDocument], resource_ids: Collection[int]) -> None:
        ids = sorted(set(resource_ids) | {document.resource_id for document in documents})
        with (
            transaction.atomic(using=self.connection.alias),
            self.connection.cursor() as cursor,
        ):
            removed = self._stored_terms(cursor, ids)
            removed_facets = self._stored_facets(cursor, ids)
            for chunk in chunks(ids):
                for table in (TABLE, *SIDE_TABLES):
                    cursor.execute(
                        f"DELETE FROM {table} WHERE resource_id = ANY(%s)",  # noqa: S608
                        [list(chunk)],
                    )
            fields = (
                "FROM (SELECT setweight(to_tsvector('simple', %s), 'A') AS title, "
                "setweight(to_tsvector('simple', %s), 'B') AS abstract) AS fields"
            )
            cursor.executemany(
                f"INSERT INTO {TABLE} "
                "(resource_id, status, language, year, type, sort_date, tags, vector, "
                "title_vector, facets, head_vector) "
                "SELECT %s, %s, %s, %s, %s, %s, %s, "
                "title || abstract || setweight(to_tsvector('simple', %s), 'C'), title, "
                "%s::text[], "
                f"title || abstract || setweight(to_tsvector('simple', %s), 'C') {fields}",
                [
                    (
                        document.resource_id,
                        document.status,
                        document.language,
                        document.year,
                        document.type,
                        document.sort_date,
                        [postgres_tag(kind, value) for kind, value in document.tags],
                        " ".join(document.body),
                        list(document.facets),
                        " ".join(document.body[:HEAD_TERMS]),
                        " ".join(document.title),
                        " ".join(document.abstract),
                    )
                    for document in documents
                ],
            )
            # The count's table copies the stored values (no second analysis), with the
            # numbers of the facet keys; the titles' table gets the same title and tags, and the
            # rank vector, kept only there.
            numbered, added_facets = number_facets(cursor, documents)
            cursor.executemany(
                f"INSERT INTO {MATCH} ({SIDE_TABLES[MATCH]}, facet_ids) "  # noqa: S608
                f"SELECT {SIDE_TABLES[MATCH]}, %s::integer[] FROM {TABLE} WHERE resource_id = %s",
                [(numbered[document.resource_id], document.resource_id) for document in documents],
            )
            update_facet_totals(cursor, removed_facets, added_facets)
            cursor.executemany(
                f"INSERT INTO {TITLES} ({SIDE_TABLES[TITLES]}, rank_vector) "
                "SELECT %s, %s, %s, %s::text[], title, "
                f"title || abstract || setweight(to_tsvector('simple', %s), 'C') {fields}",
                [
                    (
                        document.resource_id,
                        document.status,
                        document.year,
                        [postgres_tag(kind, value) for kind, value in document.tags],
                        " ".join(document.body[:RANKED_BODY_TERMS]),
                        " ".join(document.title),
                        " ".join(document.abstract),
                    )
                    for document in documents
                ],
            )
            update_vocabulary(cursor, removed, document_terms(documents))

    def unindex(self, resource_ids: Collection[int]) -> None:
        self.index([], resource_ids)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"TRUNCATE {TABLE}, {MATCH}, {TITLES}, {FACET_TOTALS}, library_search_term"
            )

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {TABLE}")
            for table in SIDE_TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("VACUUM ANALYZE library_search_term")

    def indexed_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
            return int(cursor.fetchone()[0])

    # --- reading ---------------------------------------------------------------------------

    def _where(
        self, plan: QueryPlan, filters: Filters, *, text_match: bool = True
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        text = to_tsquery(plan) if text_match else ""
        if text:
            clauses.append("vector @@ %s::tsquery")
            params.append(text)
        for kind, values in filters.tag_filters():
            if kind == "status":
                clauses.append("status = ANY(%s)")
                params.append(list(values))
            else:
                clauses.append("tags && %s::text[]")
                params.append([postgres_tag(kind, value) for value in values])
        if filters.year_from is not None:
            clauses.append("year >= %s")
            params.append(filters.year_from)
        if filters.year_to is not None:
            clauses.append("year <= %s")
            params.append(filters.year_to)
        return " AND ".join(clauses) or "TRUE", params

    @contextmanager
    def session(self) -> Iterator[None]:
        """One transaction for a search's queries, planned without sequential scans.

        The planner prefers a sequential scan when a query matches much of the table (its
        cost model ignores that ``@@`` on a scanned row reads and decompresses the row's
        whole ``vector``), whereas the GIN bitmap needs no recheck of plain queries: counts
        and facets over broad matches are several times faster with it. ``SET LOCAL`` ends
        with the transaction, whatever happens; inside a caller's transaction (joined, without
        a savepoint: the search only reads) the previous value is restored.
        """
        nested = self.connection.in_atomic_block
        with transaction.atomic(using=self.connection.alias, savepoint=False):
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('enable_seqscan'), "
                    "set_config('enable_seqscan', 'off', true)"
                )
                previous = cursor.fetchone()[0]
            yield
            if nested:  # the caller's transaction goes on: the setting would outlive us
                with self.connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])

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
        """Relevance in tiers, as the SQLite backend does: documents whose title matches the
        whole query, then those whose head does (ranked on the head), then the others; a page
        that fills up within a tier never ranks the later ones.

        A tier's query ranks and returns its page only (a top-N sort; no window count, which
        would keep every match's row): how many the tier holds follows from a page it does not
        fill, and a page that fills up takes the exact count of all matches from one count
        query (on the narrow table when the filters allow it), unless ``count`` is false: the
        caller then counts with the facets (``Ranked.count`` is None)."""
        where, params = self._where(plan, filters)
        query_text = to_tsquery(plan)
        originals = to_tsquery(plan.originals_only()) if plan.has_expansions else ""
        rank_params: list[Any] = [query_text, originals] if originals else [query_text]

        def ranked_on(vector: str, function: str = "ts_rank_cd") -> str:
            return " + ".join(_rank("%s::tsquery", vector, function) for _ in rank_params)

        # The count's table has the status and year, not the tags.
        counted_in = TABLE if filters.tests_tags() else MATCH

        def total(cursor: Any) -> int | None:
            """Every match, when a full page leaves it unknown (unless the caller counts)."""
            return self._count(cursor, where, params, counted_in) if count else None

        # The rank vector is the titles' table's: the other tiers read it by resource id.
        rank = ranked_on("rank_vector")
        rank_by_id = (
            f"coalesce((SELECT {rank} FROM {TITLES} ranked "  # noqa: S608
            f"WHERE ranked.resource_id = {TABLE}.resource_id), 0)"
        )
        # The head tier ranks on the head (as SQLite's bm25 on its head table): a vector a
        # fraction of ``rank_vector``'s size, read for each of the tier's matches; with
        # ``ts_rank``, the cheaper of the two functions (see the module's docstring).
        head_rank = ranked_on("head_vector", "ts_rank")
        with self.connection.cursor() as cursor:
            if sort == "date":
                # The page first, then its rank (not the rank of every match); the page is
                # named as the table, which ``rank_by_id`` refers to.
                newest = "year DESC NULLS LAST, sort_date DESC NULLS LAST, resource_id DESC"
                cursor.execute(
                    f"SELECT resource_id, {rank_by_id} AS score FROM ("  # noqa: S608
                    f"SELECT resource_id, year, sort_date FROM {TABLE} WHERE {where} "
                    f"ORDER BY {newest} LIMIT %s OFFSET %s) AS {TABLE} ORDER BY {newest}",
                    [*rank_params, *params, limit, offset],
                )
                found = cursor.fetchall()
                if found and len(found) < limit:  # the page ends the matches
                    return _ranked(found, offset + len(found))
                if not found:  # past the end, or nothing matches: counted here in any case
                    return _ranked(found, self._count(cursor, where, params, counted_in))
                return _ranked(found, total(cursor))
            in_title = "title_vector @@ %s::tsquery"
            in_head = "head_vector @@ %s::tsquery"
            # Tiers: title matches, then head matches, then the others (a partition of the
            # matches: a title or head match is a match of the whole document). Without
            # excluded words, a title or head match needs no check on the whole vector.
            tiers_where, tiers_params = (
                (where, params) if plan.excluded else self._where(plan, filters, text_match=False)
            )
            # The title tier reads its own table (the rank vector inline), unless excluded
            # words need the whole vector.
            titles, title_rank = (TABLE, rank_by_id) if plan.excluded else (TITLES, rank)
            tiers = (
                (titles, tiers_where, tiers_params, in_title, [query_text], title_rank, TITLE_TIER),
                (
                    TABLE,
                    tiers_where,
                    tiers_params,
                    f"{in_head} AND NOT {in_title}",
                    [query_text, query_text],
                    head_rank,
                    HEAD_TIER,
                ),
                (TABLE, where, params, f"NOT {in_head}", [query_text], rank_by_id, 0.0),
            )
            rows: list[tuple[int, float]] = []
            counted, skip = 0, offset
            for tier in tiers:
                table, tier_where, tier_params, condition, condition_params, tier_rank, bonus = tier
                wanted = limit - len(rows)
                if not wanted:
                    return _ranked(rows, total(cursor))
                cursor.execute(
                    f"SELECT resource_id, {tier_rank} AS score "  # noqa: S608
                    f"FROM {table} WHERE {tier_where} AND {condition} "
                    "ORDER BY score DESC, resource_id LIMIT %s OFFSET %s",
                    [*rank_params, *tier_params, *condition_params, wanted, skip],
                )
                found = cursor.fetchall()
                rows += [(row[0], bonus + row[1]) for row in found]
                if len(found) == wanted:
                    continue  # the page is full: the next round (or the end) counts
                # The tier ends before the page does: it holds ``skip + len(found)`` matches,
                # unless the page starts past its end.
                if found or not skip:
                    in_tier = skip + len(found)
                else:
                    in_tier = self._count(
                        cursor,
                        f"{tier_where} AND {condition}",
                        [*tier_params, *condition_params],
                        table,
                    )
                counted += in_tier
                skip = max(0, skip - in_tier)
            if len(rows) == limit:
                return _ranked(rows, total(cursor))
            return _ranked(rows, counted)

    @staticmethod
    def _count(cursor: Any, where: str, params: list[Any], table: str = TABLE) -> int:
        """Matches of ``where`` in ``table``."""
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return int(cursor.fetchone()[0])

    def facet_counts(self, plan: QueryPlan, filters: Filters) -> tuple[dict[str, int], int]:
        """Facet key → number of matches, and the number of matches, in one grouped query: on
        the count's narrow table (its ``facet_ids``, key numbers, read in the same scan as the
        match), unless the filters test tags, which only the documents' table has (its
        ``facets`` array). Each row's keys get one more, which no key has (0 or NULL): its
        count is the number of matches."""
        where, params = self._where(plan, filters)
        if filters.tests_tags():
            return self._counted(
                f"SELECT f IS NULL, f, count(*) FROM {TABLE} "  # noqa: S608
                "CROSS JOIN LATERAL unnest(array_append(facets, NULL::text)) AS f "
                f"WHERE {where} GROUP BY f",
                params,
            )
        return self._counted(_numbered_counts(where), params)

    def facet_counts_for_ids(self, ids_sql: str, params: list[Any]) -> dict[str, int]:
        by_key, _matches = self._counted(
            _numbered_counts(f"resource_id IN ({ids_sql})"), list(params)
        )
        return by_key

    def _counted(self, sql: str, params: list[Any]) -> tuple[dict[str, int], int]:
        """The ``(every match's, key, count)`` rows of ``sql``: the count of the row that every
        match has apart."""
        by_key: dict[str, int] = {}
        matches = 0
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            for everyone, key, count in cursor.fetchall():
                if everyone:
                    matches = int(count)
                elif key is not None:
                    by_key[str(key)] = int(count)
        return by_key, matches


def _numbered_counts(where: str) -> str:
    """``(false, facet key, count)`` over the rows of the count's table that ``where`` selects,
    and ``(true, NULL, number of rows)``: every row counts a key number 0, which no key has."""
    return (
        f"SELECT g.number = 0, k.facet, g.n FROM (SELECT number, count(*) AS n FROM {MATCH} "  # noqa: S608
        "CROSS JOIN LATERAL unnest(array_append(facet_ids, 0)) AS number "
        f"WHERE {where} GROUP BY number) AS g "
        f"LEFT JOIN {FACET_KEYS} k ON k.id = g.number"
    )
