"""A search's count is exact for every page, sort and filter (both databases), and on
PostgreSQL the side tables of the index (``library_search_match``, which the count reads, and
``library_search_titles``, the title tier's) mirror the indexed documents through every kind
of change."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection

from sdg87.library.models import Resource
from sdg87.library.search import (
    _backend,
    expansion_table,
    index_resources,
    resources_reindex,
    unindex_resources,
)
from sdg87.library.search.backends.base import Filters, TermVocabulary
from sdg87.library.search.query import parse_query, plan_query
from sdg87.library.tests.search_support import FILLER, geography, resource

pytestmark = pytest.mark.django_db


def _corpus() -> list[Resource]:
    """Cocoa in the title, in the head or only in the tail, across statuses, years and types;
    and documents without it."""
    made = []
    places = [
        ("Cocoa {n}", "Farms."),
        ("Head {n}", "Cocoa farms. " + FILLER),
        ("Tail {n}", FILLER + " cocoa farms."),
        ("Other {n}", "Coffee farms."),
    ]
    for n in range(12):
        title, text = places[n % 4]
        made.append(
            resource(
                title.format(n=n),
                text,
                year=2010 + n % 5,
                type=("research", "evaluation")[n % 2],
                status=("published", "published", "draft")[n % 3],
            )
        )
    return made


def _expected(made: list[Resource], filters: Filters, excluded: str | None) -> set[int]:
    return {
        item.pk
        for item in made
        if "cocoa" in (item.title + " " + item.full_text).lower()
        and (excluded is None or excluded not in item.full_text.split())
        and item.status in filters.statuses
        and (not filters.types or item.type in filters.types)
        and (filters.year_from is None or item.year >= filters.year_from)
        and (filters.year_to is None or item.year <= filters.year_to)
    }


def _plan(query: str):
    return plan_query(
        parse_query(query),
        language="en",
        table=expansion_table(),
        vocabulary=TermVocabulary(connection),
    )


FILTERS = [
    Filters(),
    Filters(statuses=("published", "draft")),
    Filters(year_from=2012),
    Filters(year_from=2011, year_to=2013, statuses=("published", "draft")),
    Filters(types=("evaluation",)),
    Filters(types=("research",), year_to=2012),
    Filters(year_from=2030),
]


@pytest.mark.parametrize("query", ["cocoa", "cocoa -filler0"])
@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("filters", FILTERS, ids=range(len(FILTERS)))
def test_every_page_carries_the_exact_count(query, sort, filters):
    made = _corpus()
    expected = _expected(made, filters, "filler0" if "-" in query else None)
    assert expected or filters != Filters()
    backend = _backend()
    plan = _plan(query)
    for size in (1, 2, 3, 4, 7, 20):
        seen: list[int] = []
        for offset in range(0, len(made) + 2 * size, size):
            with backend.session():
                ranked = backend.search(plan, filters, sort=sort, offset=offset, limit=size)
            assert ranked.count == len(expected), (size, offset)
            seen += ranked.ids
        assert len(seen) == len(set(seen))
        assert set(seen) == expected, size


@pytest.mark.parametrize("query", ["cocoa", "cocoa -filler0"])
@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("filters", FILTERS, ids=range(len(FILTERS)))
def test_a_search_that_leaves_the_count_to_the_facets_gets_it_there(query, sort, filters):
    made = _corpus()
    expected = _expected(made, filters, "filler0" if "-" in query else None)
    backend = _backend()
    plan = _plan(query)
    with backend.session():
        by_key, matches = backend.facet_counts(plan, filters)
    assert matches == len(expected)
    types = [item.type for item in made if item.pk in expected]
    assert {key: n for key, n in by_key.items() if key.startswith("type:")} == {
        f"type:{kind}": types.count(kind) for kind in set(types)
    }
    deferred = 0
    for size in (1, 2, 3, 20):
        for offset in range(0, len(made) + size, size):
            with backend.session():
                ranked = backend.search(
                    plan, filters, sort=sort, offset=offset, limit=size, count=False
                )
            # Left uncounted only when the page is full (more matches may follow).
            assert ranked.count in (None, len(expected)), (size, offset)
            if ranked.count is None:
                deferred += 1
                assert len(ranked.ids) == size
    if sort == "relevance" and len(expected) > 1:
        assert deferred  # the count's own scan was skipped at least once


def test_pages_with_facets_count_as_pages_without():
    from sdg87.library.search import SearchFilters, resource_search

    _corpus()
    for query in ("cocoa", "farms", "cocoa -filler0", "nothing-like-it", "cocoa coffee"):
        for sort in ("relevance", "date"):
            for size in (1, 3, 50):
                with_facets = resource_search(query=query, page_size=size, sort=sort)
                without = resource_search(query=query, page_size=size, sort=sort, with_facets=False)
                assert with_facets.count == without.count, (query, size)
                assert with_facets.relaxed == without.relaxed == (query == "cocoa coffee")
                assert [hit.id for hit in with_facets.hits] == [hit.id for hit in without.hits]
    typed = resource_search(query="farms", page_size=1, filters=SearchFilters(types=["research"]))
    assert typed.count == sum(value.count for value in typed.facets["type"])


# --- PostgreSQL: the side tables -------------------------------------------------------------


def _mirror_differences() -> dict[str, list[tuple]]:
    from sdg87.library.search.backends.postgresql import SIDE_TABLES, TABLE

    differences = {}
    with connection.cursor() as cursor:
        for table, columns in SIDE_TABLES.items():
            cursor.execute(
                f"(SELECT {columns} FROM {TABLE} EXCEPT SELECT {columns} FROM {table}) "  # noqa: S608
                "UNION ALL "
                f"(SELECT {columns} FROM {table} EXCEPT SELECT {columns} FROM {TABLE})"
            )
            differences[table] = cursor.fetchall()
    return differences


NO_DIFFERENCES = {"library_search_match": [], "library_search_titles": []}


def _rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _side_rows() -> set[int]:
    return {_rows("library_search_match"), _rows("library_search_titles")}


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the side tables are PostgreSQL's")


def test_the_side_tables_follow_every_change(postgresql):
    made = _corpus()
    assert _side_rows() == {len(made)}
    assert _mirror_differences() == NO_DIFFERENCES

    first, second, third = made[0], made[1], made[2]
    Resource.objects.filter(pk=first.pk).update(
        status="withdrawn", year=1999, title="Tea and cocoa", full_text="Tea and cocoa farms."
    )
    first.countries.set([geography()["GHA"]])
    Resource.objects.filter(pk=second.pk).update(title="Renamed")
    index_resources([first.pk, second.pk])
    assert _mirror_differences() == NO_DIFFERENCES
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, year FROM library_search_match WHERE resource_id = %s", [first.pk]
        )
        assert cursor.fetchone() == ("withdrawn", 1999)
        cursor.execute(
            "SELECT status, year, title_vector @@ 'tea'::tsquery, "
            "'country:GHA' = ANY(tags) FROM library_search_titles WHERE resource_id = %s",
            [first.pk],
        )
        assert cursor.fetchone() == ("withdrawn", 1999, True, True)

    unindex_resources([second.pk])
    third_pk = third.pk
    third.delete()
    index_resources([third_pk])
    assert _side_rows() == {len(made) - 2}
    assert _mirror_differences() == NO_DIFFERENCES

    assert resources_reindex() == len(made) - 1
    assert _side_rows() == {len(made) - 1}
    assert _mirror_differences() == NO_DIFFERENCES


def _rank_vectors() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT resource_id, rank_vector::text FROM library_search_titles")
        return dict(cursor.fetchall())


def test_the_titles_hold_the_rank_vector(postgresql):
    made = _corpus()
    vectors = _rank_vectors()
    assert set(vectors) == {item.pk for item in made}
    with_cocoa = {pk for pk, vector in vectors.items() if "'cocoa'" in vector}
    assert with_cocoa == {
        item.pk for item in made if "cocoa" in f"{item.title} {item.full_text}".lower()
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = 'library_search_document' "
            "AND column_name = 'rank_vector'"
        )
        assert cursor.fetchone()[0] == 0  # one copy only


def test_the_migration_moves_the_rank_vector_both_ways(postgresql):
    import importlib

    migration = importlib.import_module("sdg87.library.migrations.0006_search_side_tables")
    editor = SimpleNamespace(connection=connection)
    made = _corpus()
    before = _rank_vectors()

    migration._drop(None, editor)  # back to 0005: the documents hold the rank vector
    with connection.cursor() as cursor:
        cursor.execute("SELECT resource_id, rank_vector::text FROM library_search_document")
        assert dict(cursor.fetchall()) == before
        cursor.execute(
            "SELECT to_regclass('library_search_match'), to_regclass('library_search_titles')"
        )
        assert cursor.fetchone() == (None, None)

    migration._create(None, editor)  # forward again, from the documents
    assert _side_rows() == {len(made)}
    assert _mirror_differences() == NO_DIFFERENCES
    assert _rank_vectors() == before
    migration._create(None, editor)  # again: nothing changes
    assert _side_rows() == {len(made)}
    assert _rank_vectors() == before


def test_a_document_without_its_titles_row_still_ranks_and_sorts(postgresql):
    from sdg87.library.search import resource_search

    made = _corpus()
    tail = next(i for i in made if i.title.startswith("Tail") and i.status == "published")
    with connection.cursor() as cursor:  # as if the row were lost
        cursor.execute("DELETE FROM library_search_titles WHERE resource_id = %s", [tail.pk])
    for sort in ("relevance", "date"):
        result = resource_search(query="cocoa", sort=sort, page_size=20)
        assert tail.pk in [hit.id for hit in result.hits]
