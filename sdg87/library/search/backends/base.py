"""What every search backend provides, and the SQL both share (vocabulary, filters)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.db.backends.base.base import BaseDatabaseWrapper

from sdg87.library.search.documents import IndexDocument
from sdg87.library.search.query import QueryPlan

TERM_TABLE = "library_search_term"
T = TypeVar("T")
MAX_PREFIX_TERMS = 50_000
BATCH = 500


@dataclass(frozen=True)
class Filters:
    """Normalised filters: each tuple is OR-ed inside, the filters AND-ed together."""

    types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    statuses: tuple[str, ...] = ("published",)

    def tag_filters(self) -> list[tuple[str, tuple[str, ...]]]:
        pairs = [
            ("status", self.statuses),
            ("type", self.types),
            ("lang", self.languages),
            ("country", self.countries),
            ("region", self.regions),
            ("theme", self.themes),
            ("target", self.targets),
            ("org", self.organisations),
        ]
        return [(kind, values) for kind, values in pairs if values]

    def tests_tags(self) -> bool:
        """Whether the filters test tags (type, language, places …), not only the status."""
        return any(kind != "status" for kind, _values in self.tag_filters())

    def status_only(self) -> bool:
        """Whether the filters test the status and nothing else (no tags, no years)."""
        return not self.tests_tags() and self.year_from is None and self.year_to is None


@dataclass(frozen=True)
class Ranked:
    """One page of matches, best first, with the number of all matches: None when the search
    was asked not to count (``count=False``) and the page filled up, so that only a count of
    every match would tell; the caller counts them with the facets (``facet_counts``)."""

    count: int | None
    ids: tuple[int, ...] = ()
    scores: Mapping[int, float] = field(default_factory=dict)


class Backend(Protocol):
    connection: BaseDatabaseWrapper

    def index(self, documents: Sequence[IndexDocument], resource_ids: Collection[int]) -> None: ...

    def unindex(self, resource_ids: Collection[int]) -> None: ...

    def clear(self) -> None: ...

    def optimize(self) -> None: ...

    def indexed_count(self) -> int: ...

    def session(self) -> AbstractContextManager[None]: ...

    def search(
        self,
        plan: QueryPlan,
        filters: Filters,
        *,
        sort: str,
        offset: int,
        limit: int,
        count: bool = True,
    ) -> Ranked: ...

    def facet_counts(self, plan: QueryPlan, filters: Filters) -> tuple[dict[str, int], int]:
        """Facet key (``documents.facet_key``) → number of matches holding it; and the number
        of matches, counted in the same scan."""
        ...

    def facet_counts_for_ids(self, ids_sql: str, params: list[Any]) -> Mapping[str, int]:
        """The same over the resources ``ids_sql`` selects (one ``id`` column)."""
        ...


class TermVocabulary:
    """``library_search_term``: each index term with the number of documents that have it."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def document_frequencies(self, terms: Collection[str]) -> Mapping[str, int]:
        found: dict[str, int] = {}
        ordered = sorted(terms)
        with self.connection.cursor() as cursor:
            for start in range(0, len(ordered), BATCH):
                chunk = ordered[start : start + BATCH]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT term, documents FROM {TERM_TABLE} WHERE term IN ({marks})",  # noqa: S608
                    chunk,
                )
                found.update(cursor.fetchall())
        return found

    def terms_with_prefix(self, prefix: str) -> Sequence[tuple[str, int]]:
        if not prefix:
            return []
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, documents FROM {TERM_TABLE} "  # noqa: S608
                "WHERE term >= %s AND term < %s LIMIT %s",
                [prefix, upper, MAX_PREFIX_TERMS],
            )
            return cursor.fetchall()


def update_vocabulary(cursor: Any, removed: Counter[str], added: Counter[str]) -> None:
    """Add ``added - removed`` to the document counts; drop terms no document has any more."""
    delta = Counter(added)
    delta.subtract(removed)
    rows = sorted((term, count) for term, count in delta.items() if count)
    for start in range(0, len(rows), BATCH * 4):
        cursor.executemany(
            f"INSERT INTO {TERM_TABLE} (term, documents) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (term) DO UPDATE SET documents = "
            f"{TERM_TABLE}.documents + excluded.documents",
            rows[start : start + BATCH * 4],
        )
    if any(count < 0 for _term, count in rows):
        cursor.execute(f"DELETE FROM {TERM_TABLE} WHERE documents <= 0")  # noqa: S608


FACET_KEYS = "library_search_facet_key"  # (id, facet key): the facet keys' numbers
FACET_TOTALS = "library_search_facet_total"  # (status, facet key number, documents)
FACET_TOTALS_SQL = (
    f"CREATE TABLE IF NOT EXISTS {FACET_TOTALS} (status varchar(16) NOT NULL, "
    "facet_id integer NOT NULL, documents integer NOT NULL, PRIMARY KEY (status, facet_id))"
)


def facet_numbers(cursor: Any, keys: Collection[str]) -> dict[str, int]:
    """The numbers of these facet keys, numbering the new ones (in one order: two writers
    that add the same keys wait for each other instead of deadlocking)."""
    ordered = sorted(keys)
    numbers: dict[str, int] = {}
    cursor.executemany(
        f"INSERT INTO {FACET_KEYS} (facet) VALUES (%s) ON CONFLICT (facet) DO NOTHING",  # noqa: S608
        [(key,) for key in ordered],
    )
    for chunk in chunks(ordered):
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"SELECT facet, id FROM {FACET_KEYS} WHERE facet IN ({marks})",  # noqa: S608
            list(chunk),
        )
        numbers.update(cursor.fetchall())
    return numbers


def number_facets(
    cursor: Any, documents: Sequence[IndexDocument]
) -> tuple[dict[int, list[int]], Counter[tuple[str, int]]]:
    """Each document's facet key numbers, sorted (new keys are numbered), and the
    ``(status, number)`` memberships they add to the totals."""
    numbers = facet_numbers(cursor, {key for document in documents for key in document.facets})
    by_document = {
        document.resource_id: sorted(numbers[key] for key in document.facets)
        for document in documents
    }
    added = Counter(
        (document.status, number)
        for document in documents
        for number in by_document[document.resource_id]
    )
    return by_document, added


def update_facet_totals(
    cursor: Any, removed: Counter[tuple[str, int]], added: Counter[tuple[str, int]]
) -> None:
    """Add ``added - removed`` (``(status, facet key number)``: documents) to the totals; drop
    the totals that reach zero."""
    delta = Counter(added)
    delta.subtract(removed)
    rows = sorted((status, number, count) for (status, number), count in delta.items() if count)
    if not rows:
        return
    cursor.executemany(
        f"INSERT INTO {FACET_TOTALS} (status, facet_id, documents) VALUES (%s, %s, %s) "  # noqa: S608
        "ON CONFLICT (status, facet_id) DO UPDATE SET documents = "
        f"{FACET_TOTALS}.documents + excluded.documents",
        rows,
    )
    if any(count < 0 for _status, _number, count in rows):
        cursor.execute(f"DELETE FROM {FACET_TOTALS} WHERE documents <= 0")  # noqa: S608


def facet_totals(connection: BaseDatabaseWrapper, statuses: Sequence[str]) -> dict[str, int]:
    """Facet key → number of indexed documents with one of these statuses (the facets of the
    empty query with no other filter), from the totals the indexer keeps."""
    if not statuses:
        return {}
    marks = ", ".join(["%s"] * len(statuses))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k.facet, sum(t.documents) FROM {FACET_TOTALS} t "  # noqa: S608
            f"JOIN {FACET_KEYS} k ON k.id = t.facet_id WHERE t.status IN ({marks}) "
            "GROUP BY k.facet HAVING sum(t.documents) > 0",
            list(statuses),
        )
        return {str(key): int(count) for key, count in cursor.fetchall()}


DOCUMENT_COUNT_TERM = ""  # this vocabulary row counts the indexed documents


def document_terms(documents: Iterable[IndexDocument]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for document in documents:
        counts.update(document.terms() | {DOCUMENT_COUNT_TERM})
    return counts


def chunks(values: Sequence[T], size: int = BATCH) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
