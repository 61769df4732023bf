"""The facet keys of the index as numbers (``library_search_facet_key``). SQLite keeps each
indexed resource's keys as one row of packed numbers (``library_search_facets``); PostgreSQL,
in the count's narrow table (``library_search_match.facet_ids``). The numbers follow the index,
and migrations 0007 (SQLite) and 0008 (PostgreSQL) convert both ways without changing a
count."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from sdg87.countries.models import Country
from sdg87.library.models import Resource
from sdg87.library.search import (
    SearchFilters,
    index_resources,
    resource_search,
    resources_reindex,
    unindex_resources,
)
from sdg87.library.search.backends.base import Filters, facet_totals
from sdg87.library.search.backends.sqlite import (
    FACET_KEYS,
    FACETS,
    count_packed,
    pack,
    unpack,
)
from sdg87.library.search.documents import documents_for
from sdg87.library.tests.search_support import framework, geography, resource

pytestmark = pytest.mark.django_db


def test_packed_numbers_round_trip_and_count():
    numbers = [1, 2, 255, 256, 70_000, 2**32 - 1]
    assert unpack(pack(numbers)) == numbers
    assert len(pack(numbers)) == 4 * len(numbers)
    assert pack([1]) == b"\x01\x00\x00\x00"  # little-endian whatever the machine
    assert count_packed([pack([1, 2]), pack([2]), None, b"", pack([2, 70_000])]) == {
        1: 1,
        2: 3,
        70_000: 1,
    }
    with pytest.raises(OverflowError):
        pack([2**32])


@pytest.fixture
def sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the packed facet rows are SQLite's")


def _stored() -> dict[int, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, facet FROM {FACET_KEYS}")  # noqa: S608
        keys = dict(cursor.fetchall())
        cursor.execute(f"SELECT resource_id, ids FROM {FACETS}")  # noqa: S608
        return {pk: sorted(keys[n] for n in unpack(bytes(ids))) for pk, ids in cursor.fetchall()}


def _corpus() -> tuple[dict[str, Country], list[Resource]]:
    geo, fw = geography(), framework()
    return geo, [
        resource("Cocoa in Ghana", countries=[geo["GHA"]], themes=[fw["theme"]], year=2020),
        resource("Cocoa in Nepal", countries=[geo["NPL"]], year=2021, type="evaluation"),
        resource("Cocoa and Ghana", countries=[geo["GHA"], geo["CIV"]], organisation="ILO"),
        resource("Coffee", countries=[geo["NPL"]], language="fr", status="draft"),
    ]


def _facet_counts(query: str) -> dict[str, dict[str, int]]:
    result = resource_search(query=query)
    return {kind: {v.value: v.count for v in values} for kind, values in result.facets.items()}


def test_each_indexed_resource_has_one_row_of_its_keys(sqlite):
    geo, made = _corpus()
    expected = {
        document.resource_id: sorted(document.facets)
        for document in documents_for([r.pk for r in made])
    }
    assert _stored() == expected

    # A change of tags: the row is rewritten; an unindexed resource loses its row.
    made[0].countries.set([geo["NPL"]])
    index_resources([made[0].pk])
    assert "country:NPL" in _stored()[made[0].pk]
    assert "country:GHA" not in _stored()[made[0].pk]
    unindex_resources([made[1].pk])
    assert made[1].pk not in _stored()
    assert _facet_counts("cocoa")["country"] == {"NPL": 1, "GHA": 1, "CIV": 1}


def test_the_migration_converts_the_rows_both_ways(sqlite):
    migration = importlib.import_module("sdg87.library.migrations.0007_sqlite_packed_facets")
    totals = importlib.import_module("sdg87.library.migrations.0009_search_facet_totals")
    editor = SimpleNamespace(connection=connection)
    _geo, made = _corpus()
    stored = _stored()
    before = {query: _facet_counts(query) for query in ("cocoa", "ghana", "")}
    assert before["cocoa"]["country"] == {"GHA": 2, "CIV": 1, "NPL": 1}

    totals._backward(None, editor)
    migration._backward(None, editor)  # back to 0006: one row per resource and key
    with connection.cursor() as cursor:
        cursor.execute("SELECT resource_id, facet FROM library_search_facet")
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s)", [FACETS, FACET_KEYS]
        )
        assert cursor.fetchone()[0] == 0
    assert sorted(rows) == sorted((pk, key) for pk, keys in stored.items() for key in keys)
    assert len({pk for pk, _key in rows}) == len(made)

    migration._forward(None, editor)
    totals._forward(None, editor)
    assert _stored() == stored
    assert {query: _facet_counts(query) for query in before} == before


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the count table's facet numbers are PostgreSQL's")


def _numbered() -> dict[int, list[str]]:
    """The count table's facet keys of each document, through their numbers."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.resource_id, coalesce(array_agg(k.facet ORDER BY k.facet) "  # noqa: S608
            "FILTER (WHERE k.facet IS NOT NULL), '{}') FROM library_search_match m "
            "LEFT JOIN LATERAL unnest(m.facet_ids) AS number ON TRUE "
            f"LEFT JOIN {FACET_KEYS} k ON k.id = number GROUP BY m.resource_id"
        )
        return {pk: list(keys) for pk, keys in cursor.fetchall()}


def _document_facets() -> dict[int, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT resource_id, facets FROM library_search_document")
        return {pk: sorted(keys) for pk, keys in cursor.fetchall()}


def test_the_count_table_numbers_each_documents_keys(postgresql):
    geo, made = _corpus()
    assert _numbered() == _document_facets()
    assert len(_numbered()) == len(made)
    made[0].countries.set([geo["NPL"]])
    index_resources([made[0].pk])
    unindex_resources([made[1].pk])
    assert _numbered() == _document_facets()
    assert "country:NPL" in _numbered()[made[0].pk]
    assert _facet_counts("cocoa")["country"] == {"NPL": 1, "GHA": 1, "CIV": 1}
    # Filtered by a tag, the facets are counted on the documents' table: the same counts.
    filtered = resource_search(query="cocoa", filters=SearchFilters(countries=["GHA"]))
    assert {v.value: v.count for v in filtered.facets["country"]} == {"GHA": 1, "CIV": 1}


def test_migration_0008_removes_and_restores_the_numbers(postgresql):
    migration = importlib.import_module("sdg87.library.migrations.0008_postgresql_facet_numbers")
    totals = importlib.import_module("sdg87.library.migrations.0009_search_facet_totals")
    editor = SimpleNamespace(connection=connection)
    _corpus()
    numbered = _numbered()
    before = {query: _facet_counts(query) for query in ("cocoa", "ghana", "")}
    totals._backward(None, editor)
    migration._backward(None, editor)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = 'library_search_match' "
            "AND column_name = 'facet_ids'"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT to_regclass(%s)", [FACET_KEYS])
        assert cursor.fetchone()[0] is None
    migration._forward(None, editor)
    totals._forward(None, editor)
    assert _numbered() == numbered
    assert {query: _facet_counts(query) for query in before} == before
    migration._forward(None, editor)  # again: nothing changes
    totals._forward(None, editor)
    assert _numbered() == numbered
    assert {query: _facet_counts(query) for query in before} == before


def _counted_from_rows(statuses: tuple[str, ...]) -> dict[str, int]:
    """The empty query's facets counted over the listed resources' own rows (the path that
    other filters take)."""
    from sdg87.library.search import _backend, _browse_queryset

    ids_sql, params = (
        _browse_queryset(Filters(statuses=statuses)).values("pk").query.sql_with_params()
    )
    return dict(_backend().facet_counts_for_ids(ids_sql, list(params)))


STATUS_SETS = (("published",), ("published", "draft"), ("draft",), ("withdrawn",))


def _totals_agree() -> None:
    for statuses in STATUS_SETS:
        assert facet_totals(connection, statuses) == _counted_from_rows(statuses), statuses


def test_the_totals_follow_every_change():
    geo, made = _corpus()
    _totals_agree()
    published = facet_totals(connection, ("published",))
    assert published["country:GHA"] == 2
    assert published["type:research"] == 2
    assert "country:NPL" in published  # "Cocoa in Nepal"; the draft "Coffee" is not counted
    assert facet_totals(connection, ("draft",))["language:fr"] == 1

    made[0].countries.set([geo["NPL"]])
    index_resources([made[0].pk])
    _totals_agree()
    assert facet_totals(connection, ("published",))["country:GHA"] == 1

    Resource.objects.filter(pk=made[1].pk).update(status="withdrawn")
    index_resources([made[1].pk])
    _totals_agree()
    assert facet_totals(connection, ("withdrawn",))["type:evaluation"] == 1
    assert "type:evaluation" not in facet_totals(connection, ("published",))

    pk = made[2].pk
    made[2].delete()
    index_resources([pk])
    _totals_agree()
    assert "country:CIV" not in facet_totals(connection, ("published",))

    resources_reindex()
    _totals_agree()
    for item in Resource.objects.all():
        pk = item.pk
        item.delete()
        unindex_resources([pk])
    assert all(facet_totals(connection, statuses) == {} for statuses in STATUS_SETS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM library_search_facet_total")
        assert cursor.fetchone()[0] == 0  # no zero rows left behind


def test_the_first_page_reads_the_totals_and_other_filters_count_rows(monkeypatch):
    from sdg87.library import search

    _corpus()
    used = []
    real = search.facet_totals
    monkeypatch.setattr(search, "facet_totals", lambda *args: used.append(args[1]) or real(*args))
    assert _facet_counts("")["country"] == {"GHA": 2, "NPL": 1, "CIV": 1}
    assert used == [("published",)]
    filtered = resource_search(query="", filters=SearchFilters(countries=["GHA"]))
    assert {v.value: v.count for v in filtered.facets["country"]} == {"GHA": 2, "CIV": 1}
    assert len(used) == 1  # a country filter: counted over the listed resources
