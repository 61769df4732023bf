"""PostgreSQL backend.

``library_search_document`` has one row per resource: a ``tsvector`` built with the ``simple``
configuration from the analysed text (the same terms as the SQLite index: folded, stemmed with
the document's language in Python — so both databases find the same documents and the
cross-lingual expansion works the same way), weighted A (title), B (abstract) and C (body),
with a GIN index; filter values are a ``text[]`` of tags with a GIN index, plus ``status``,
``year`` and ``sort_date`` columns. Ranking is ``ts_rank_cd`` with weights
A 1.0, B 0.4, C 0.1 (the 10:4:1 of the SQLite backend), plus the same rank computed on the
user's own words only, so that cross-lingual expansions count half as much. The rank reads
``rank_vector``: title, abstract and the first ``RANKED_BODY_TERMS`` terms of the body —
reading and ranking a whole report's vector for each match is what makes PostgreSQL's full
text ranking slow; documents that match only further down still match, ranked last.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from sdg87.library.search.backends.base import (
    Filters,
    Ranked,
    chunks,
    document_terms,
    update_vocabulary,
)
from sdg87.library.search.documents import IndexDocument, postgres_tag
from sdg87.library.search.query import QueryPlan, to_tsquery

TABLE = "library_search_document"
WEIGHTS = "'{0.0, 0.1, 0.4, 1.0}'::float4[]"  # D, C, B, A
NORMALISATION = 1  # rank / (1 + log(document length))


RANKED_BODY_TERMS = 400
TITLE_TIER = 1000.0  # added to the score of documents whose title matches the whole query


def _ranked(rows: list[tuple[int, float]], count: int) -> Ranked:
    return Ranked(
        count=count,
        ids=tuple(int(pk) for pk, _score in rows),
        scores={int(pk): float(score) for pk, score in rows},
    )


def _rank(query_parameter: str) -> str:
    return f"ts_rank_cd({WEIGHTS}, rank_vector, {query_parameter}, {NORMALISATION})"


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

    def index(self, documents: Sequence[IndexDocument], resource_ids: Collection[int]) -> None:
        ids = sorted(set(resource_ids) | {document.resource_id for document in documents})
        with self.connection.cursor() as cursor:
            removed = self._stored_terms(cursor, ids)
            for chunk in chunks(ids):
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE resource_id = ANY(%s)",  # noqa: S608
                    [list(chunk)],
                )
            cursor.executemany(
                f"INSERT INTO {TABLE} "  # noqa: S608
                "(resource_id, status, language, year, type, sort_date, tags, vector, rank_vector, "
                "title_vector) "
                "SELECT %s, %s, %s, %s, %s, %s, %s, "
                "title || abstract || setweight(to_tsvector('simple', %s), 'C'), "
                "title || abstract || setweight(to_tsvector('simple', %s), 'C'), title "
                "FROM (SELECT setweight(to_tsvector('simple', %s), 'A') AS title, "
                "setweight(to_tsvector('simple', %s), 'B') AS abstract) AS fields",
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
            cursor.execute(f"TRUNCATE {TABLE}, library_search_term")

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {TABLE}")
            cursor.execute("VACUUM ANALYZE library_search_term")

    def indexed_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
            return int(cursor.fetchone()[0])

    # --- reading ---------------------------------------------------------------------------

    def _where(self, plan: QueryPlan, filters: Filters) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        text = to_tsquery(plan)
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

    def search(
        self, plan: QueryPlan, filters: Filters, *, sort: str, offset: int, limit: int
    ) -> Ranked:
        """Relevance: documents whose title matches the whole query first, then the others
        (as the SQLite backend does); a page within the first tier never ranks the others."""
        where, params = self._where(plan, filters)
        query_text = to_tsquery(plan)
        originals = to_tsquery(plan.originals_only()) if plan.has_expansions else ""
        rank_params: list[Any] = [query_text]
        rank = _rank("%s::tsquery")
        if originals:
            rank += " + " + _rank("%s::tsquery")
            rank_params.append(originals)
        with self.connection.cursor() as cursor:
            if sort == "date":
                cursor.execute(
                    f"SELECT resource_id, {rank} AS score, count(*) OVER () "  # noqa: S608
                    f"FROM {TABLE} WHERE {where} ORDER BY year DESC NULLS LAST, "
                    "sort_date DESC NULLS LAST, resource_id DESC LIMIT %s OFFSET %s",
                    [*rank_params, *params, limit, offset],
                )
                rows = cursor.fetchall()
                if rows:
                    return _ranked([(r[0], r[1]) for r in rows], int(rows[0][2]))
                return _ranked([], self._count(cursor, where, params))
            in_title = "title_vector @@ %s::tsquery"
            cursor.execute(
                f"SELECT resource_id, {rank} AS score, count(*) OVER () "  # noqa: S608
                f"FROM {TABLE} WHERE {where} AND {in_title} "
                "ORDER BY score DESC, resource_id LIMIT %s OFFSET %s",
                [*rank_params, *params, query_text, limit, offset],
            )
            titled = cursor.fetchall()
            rows = [(row[0], TITLE_TIER + row[1]) for row in titled]
            in_titles = int(titled[0][2]) if titled else 0
            if not titled and offset:
                in_titles = self._count(cursor, f"{where} AND {in_title}", [*params, query_text])
            wanted = limit - len(rows)
            if wanted:
                cursor.execute(
                    f"SELECT resource_id, {rank} AS score, count(*) OVER () "  # noqa: S608
                    f"FROM {TABLE} WHERE {where} AND NOT {in_title} "
                    "ORDER BY score DESC, resource_id LIMIT %s OFFSET %s",
                    [*rank_params, *params, query_text, wanted, max(0, offset - in_titles)],
                )
                others = cursor.fetchall()
                if others:
                    rows += [(row[0], row[1]) for row in others]
                    return _ranked(rows, in_titles + int(others[0][2]))
            return _ranked(rows, self._count(cursor, where, params))

    @staticmethod
    def _count(cursor: Any, where: str, params: list[Any]) -> int:
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}", params)  # noqa: S608
        return int(cursor.fetchone()[0])

    def matching_ids_sql(self, plan: QueryPlan, filters: Filters) -> tuple[str, list[Any]]:
        where, params = self._where(plan, filters)
        return f"SELECT resource_id AS id FROM {TABLE} WHERE {where}", params  # noqa: S608
