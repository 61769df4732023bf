"""Ranking tiers (title, head, rest) and the facet keys kept in the index (both databases)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sdg87.library.models import Resource
from sdg87.library.search import index_resources, resource_search, unindex_resources
from sdg87.library.search.backends.sqlite import HEAD_TERMS
from sdg87.library.tests.search_support import FILLER, framework, geography, resource

pytestmark = pytest.mark.django_db


def titles(result) -> list[str]:
    return [hit.title for hit in result.hits]


def _three_tiers() -> None:
    for number in range(3):
        resource(f"Cocoa report {number}", "Farms.", year=2000 + number)
    for number in range(3):
        resource(f"Head report {number}", "Cocoa farms. " + FILLER, year=2010 + number)
    for number in range(3):
        resource(f"Tail report {number}", FILLER + " cocoa farms.", year=2020 + number)


def test_title_then_head_then_tail_matches():
    _three_tiers()
    result = resource_search(query="cocoa", page_size=20)
    assert result.count == 9
    kinds = [title.split()[0] for title in titles(result)]
    assert kinds == ["Cocoa"] * 3 + ["Head"] * 3 + ["Tail"] * 3


@pytest.mark.parametrize("page_size", [1, 2, 4, 5])
def test_pages_across_the_three_tiers_are_consistent(page_size):
    _three_tiers()
    pages = [
        resource_search(query="cocoa", page=page, page_size=page_size)
        for page in range(1, 11 // page_size + 2)
    ]
    seen = [title for page in pages for title in titles(page)]
    assert {page.count for page in pages} == {9}
    assert len(seen) == len(set(seen)) == 9
    kinds = [title.split()[0] for title in seen]
    assert kinds == ["Cocoa"] * 3 + ["Head"] * 3 + ["Tail"] * 3


def test_a_page_beyond_the_last_is_empty_with_the_exact_count():
    _three_tiers()
    result = resource_search(query="cocoa", page=5, page_size=4)
    assert result.hits == ()
    assert result.count == 9


def test_the_head_follows_edits():
    item = resource("Report", FILLER + " cocoa.")
    other = resource("Other report", "Cocoa first. " + FILLER)
    assert titles(resource_search(query="cocoa")) == ["Other report", "Report"]
    Resource.objects.filter(pk=item.pk).update(full_text="Cocoa, cocoa. " + FILLER)
    Resource.objects.filter(pk=other.pk).update(full_text=FILLER + " cocoa.")
    index_resources([item.pk, other.pk])
    assert titles(resource_search(query="cocoa")) == ["Report", "Other report"]
    unindex_resources([item.pk])
    result = resource_search(query="cocoa")
    assert titles(result) == ["Other report"]
    assert result.count == 1


def _counts(result, kind):
    return {value.value: value.count for value in result.facets[kind]}


def test_facets_follow_edits_withdrawals_and_deletions():
    geo = geography()
    fw = framework()
    first = resource(
        "Cocoa in Ghana",
        countries=[geo["GHA"]],
        themes=[fw["theme"]],
        organisation="ILAB",
        year=2020,
    )
    second = resource("Cocoa in Nepal", countries=[geo["NPL"]], year=2021, type="evaluation")
    result = resource_search(query="cocoa")
    assert _counts(result, "country") == {"GHA": 1, "NPL": 1}
    assert _counts(result, "region") == {"002": 1, "142": 1}

    # Tags and fields change: the facets follow once the resource is indexed again.
    first.countries.set([geo["CIV"], geo["GHA"]])
    first.targets.set([fw["target"]])
    Resource.objects.filter(pk=first.pk).update(organisation="ILO", year=2019)
    index_resources([first.pk])
    result = resource_search(query="cocoa")
    assert _counts(result, "country") == {"GHA": 1, "CIV": 1, "NPL": 1}
    assert _counts(result, "region") == {"002": 1, "142": 1}
    assert _counts(result, "organisation") == {"ILO": 1}
    assert _counts(result, "year") == {"2019": 1, "2021": 1}
    assert _counts(result, "target") == {"8.7": 1}
    assert _counts(result, "theme") == {"child-labour": 1}

    # Withdrawn: no longer counted for the public.
    Resource.objects.filter(pk=second.pk).update(status="withdrawn")
    index_resources([second.pk])
    result = resource_search(query="cocoa")
    assert result.count == 1
    assert _counts(result, "type") == {"research": 1}
    assert _counts(result, "country") == {"GHA": 1, "CIV": 1}

    # Deleted.
    pk = first.pk
    first.delete()
    index_resources([pk])
    result = resource_search(query="cocoa")
    assert result.count == 0
    assert all(values == [] for values in result.facets.values())


def test_facets_of_the_empty_query_count_every_listed_resource():
    geo = geography()
    resource("One", countries=[geo["GHA"]], year=2020)
    resource("Two", countries=[geo["GHA"], geo["NPL"]], year=2021, language="fr")
    resource("Draft", countries=[geo["NPL"]], status="draft")
    result = resource_search(query="")
    assert result.count == 2
    assert _counts(result, "country") == {"GHA": 2, "NPL": 1}
    assert _counts(result, "language") == {"en": 1, "fr": 1}
    assert _counts(result, "region") == {"002": 2, "142": 1}


def test_an_excluded_word_beyond_the_title_and_the_head_still_excludes():
    resource("Cocoa report", FILLER + " Ghana.")
    resource("Report", "Cocoa farms. " + FILLER + " Ghana.")
    resource("Other report", "Cocoa farms. " + FILLER + " Nepal.")
    result = resource_search(query="cocoa -ghana")
    assert titles(result) == ["Other report"]
    assert result.count == 1


def test_a_search_leaves_the_connection_settings_as_they_were():
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend's session setting")
    resource("Cocoa report", "Cocoa farms.")
    with transaction.atomic(), connection.cursor() as cursor:
        assert resource_search(query="cocoa").count == 1
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def _stored_heads() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM library_search_head")
        else:
            cursor.execute(
                "SELECT count(*) FROM library_search_document WHERE head_vector <> ''::tsvector"
            )
        return int(cursor.fetchone()[0])


def test_the_migration_rebuilds_every_head_from_the_index():
    import importlib

    from django.db import connection

    migration = importlib.import_module("sdg87.library.migrations.0005_shorter_search_head")
    assert migration.HEAD_TERMS == HEAD_TERMS
    _three_tiers()
    with connection.cursor() as cursor:  # heads lost (or written with another length)
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM library_search_head")
        else:
            cursor.execute("UPDATE library_search_document SET head_vector = ''::tsvector")
    assert _stored_heads() == 0

    # The function reads only the editor's connection (a real editor cannot open inside the
    # test's transaction on SQLite).
    migration._rebuild_heads(None, SimpleNamespace(connection=connection))

    assert _stored_heads() == 9
    kinds = [title.split()[0] for title in titles(resource_search(query="cocoa", page_size=20))]
    assert kinds == ["Cocoa"] * 3 + ["Head"] * 3 + ["Tail"] * 3
