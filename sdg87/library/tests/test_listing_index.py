"""The library's listing (the empty query) reads its page from ``resource_newest_idx``, in
the listing's order, on both databases (migration 0010); a bulk load leaves the planner fresh
statistics."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from sdg87.library.models import Resource
from sdg87.library.search import SearchFilters, resource_search
from sdg87.library.tests.search_support import resource
from sdg87.loading import refresh_statistics

pytestmark = pytest.mark.django_db

INDEX = "resource_newest_idx"


def _index(name: str = INDEX) -> dict | None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Resource._meta.db_table)
    return found.get(name)


def _orders() -> list[str]:
    """The index's columns and their order, as the database declares them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [INDEX])
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        (definition,) = cursor.fetchone()
    inside = definition[definition.index("(") + 1 : definition.rindex(")")]
    return [part.strip().replace('"', "") for part in inside.split(",")]


def test_the_index_is_in_the_listings_order():
    assert _index() is not None
    descending_year = "year DESC" if connection.vendor == "sqlite" else "year DESC NULLS LAST"
    assert _orders() == ["status", descending_year, "created_at DESC", "id DESC"]
    assert _index("resource_status_year_idx") is None


def test_the_listing_is_newest_first_with_undated_resources_last():
    undated = resource("Undated", year=None)
    old = resource("Old", year=2001)
    new_first = resource("New, created first", year=2020)
    new_second = resource("New, created second", year=2020)
    same_time = timezone.now() - timedelta(days=1)
    twin_a = resource("Twin A", year=2010)
    twin_b = resource("Twin B", year=2010)
    Resource.objects.filter(pk__in=[twin_a.pk, twin_b.pk]).update(created_at=same_time)
    resource("Draft", year=2030, status="draft")

    ids = [hit.id for hit in resource_search(query="", page_size=50).hits]
    assert ids == [new_second.pk, new_first.pk, twin_b.pk, twin_a.pk, old.pk, undated.pk]
    paged = [
        hit.id
        for page in (1, 2, 3)
        for hit in resource_search(query="", page=page, page_size=2).hits
    ]
    assert paged == ids
    typed = resource_search(query="", filters=SearchFilters(year_to=2015), page_size=50)
    assert [hit.id for hit in typed.hits] == [twin_b.pk, twin_a.pk, old.pk]


@pytest.mark.django_db(transaction=True)  # schema changes outside a test's transaction
def test_the_migration_swaps_the_indexes_both_ways():
    migration = importlib.import_module("sdg87.library.migrations.0010_resource_newest_index")
    resource("Kept", year=2015)
    with connection.schema_editor() as editor:
        migration._drop(apps, editor)
    assert _index() is None
    with connection.schema_editor() as editor:
        migration._create(apps, editor)
    assert _index() is not None
    assert [hit.title for hit in resource_search(query="").hits] == ["Kept"]


def test_a_bulk_load_leaves_statistics_for_the_planner():
    for number in range(30):
        resource(f"Item {number}", year=2000 + number % 7, index=False)
    refresh_statistics()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = %s", [INDEX])
            (stat,) = cursor.fetchone()
            assert stat.split()[0] == "30"  # rows in the index
        else:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s", [Resource._meta.db_table]
            )
            assert cursor.fetchone()[0] == 30
