"""A search's count is exact for every page, sort and filter (both databases), and on
PostgreSQL the narrow table the count reads (``library_search_match``) mirrors the indexed
documents through every kind of change."""

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
from sdg87.library.search.backends.sqlite import HEAD_TERMS
from sdg87.library.search.query import parse_query, plan_query
from sdg87.library.tests.search_support import resource

pytestmark = pytest.mark.django_db

FILLER = " ".join(f"filler{number}" for number in range(HEAD_TERMS + 20))


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


def _expected(made: list[Resource], filters: Filters) -> set[int]:
    return {
        item.pk
        for item in made
        if "cocoa" in (item.title + " " + item.full_text).lower()
        and item.status in filters.statuses
        and (not filters.types or item.type in filters.types)
        and (filters.year_from is None or item.year >= filters.year_from)
        and (filters.year_to is None or item.year <= filters.year_to)
    }


FILTERS = [
    Filters(),
    Filters(statuses=("published", "draft")),
    Filters(year_from=2012),
    Filters(year_from=2011, year_to=2013, statuses=("published", "draft")),
    Filters(types=("evaluation",)),
    Filters(types=("research",), year_to=2012),
    Filters(year_from=2030),
]


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("filters", FILTERS, ids=range(len(FILTERS)))
def test_every_page_carries_the_exact_count(sort, filters):
    made = _corpus()
    expected = _expected(made, filters)
    backend = _backend()
    plan = plan_query(
        parse_query("cocoa"),
        language="en",
        table=expansion_table(),
        vocabulary=TermVocabulary(connection),
    )
    for size in (1, 2, 3, 4, 7, 20):
        seen: list[int] = []
        for offset in range(0, len(made) + 2 * size, size):
            with backend.session():
                ranked = backend.search(plan, filters, sort=sort, offset=offset, limit=size)
            assert ranked.count == len(expected), (size, offset)
            seen += ranked.ids
        assert len(seen) == len(set(seen))
        assert set(seen) == expected, size


# --- PostgreSQL: the narrow copy -------------------------------------------------------------


def _mirror_differences() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "(SELECT resource_id, status, year, vector FROM library_search_document "
            "EXCEPT SELECT resource_id, status, year, vector FROM library_search_match) "
            "UNION ALL "
            "(SELECT resource_id, status, year, vector FROM library_search_match "
            "EXCEPT SELECT resource_id, status, year, vector FROM library_search_document)"
        )
        return cursor.fetchall()


def _matches() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM library_search_match")
        return int(cursor.fetchone()[0])


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the narrow table is PostgreSQL's")


def test_the_narrow_copy_follows_every_change(postgresql):
    made = _corpus()
    assert _matches() == len(made)
    assert _mirror_differences() == []

    first, second, third = made[0], made[1], made[2]
    Resource.objects.filter(pk=first.pk).update(
        status="withdrawn", year=1999, full_text="Tea and cocoa farms."
    )
    Resource.objects.filter(pk=second.pk).update(title="Renamed")
    index_resources([first.pk, second.pk])
    assert _mirror_differences() == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, year FROM library_search_match WHERE resource_id = %s", [first.pk]
        )
        assert cursor.fetchone() == ("withdrawn", 1999)

    unindex_resources([second.pk])
    third_pk = third.pk
    third.delete()
    index_resources([third_pk])
    assert _matches() == len(made) - 2
    assert _mirror_differences() == []

    assert resources_reindex() == len(made) - 1
    assert _matches() == len(made) - 1
    assert _mirror_differences() == []


def test_the_migration_fills_the_narrow_copy_from_the_index(postgresql):
    import importlib

    migration = importlib.import_module("sdg87.library.migrations.0006_search_match_table")
    made = _corpus()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE library_search_match")

    migration._create(None, SimpleNamespace(connection=connection))

    assert _matches() == len(made)
    assert _mirror_differences() == []
    migration._create(None, SimpleNamespace(connection=connection))  # again: no duplicates
    assert _matches() == len(made)
