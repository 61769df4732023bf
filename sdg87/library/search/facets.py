"""Facet counts over a set of matching resources, with their labels.

The index stores each resource's facet values as keys (``kind:value``, see
``documents.facet_key``), written with the rest of the index whenever a resource changes: the
backends count them over the matches in one query (SQLite: each match's packed row of key
numbers in ``library_search_facets``, read with the FTS5 matches and counted in Python;
PostgreSQL: the key numbers in ``library_search_match.facet_ids``, grouped in the same scan
as the match; the ``facets`` array of ``library_search_document`` when the search filters on
tags), instead of eight joins on the resource tables. The empty query
filtered only by status (the library's first page) reads the totals the indexer keeps
(``backends.base.facet_totals``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import get_language_info

from sdg87.countries.models import Country, Region
from sdg87.framework.models import Theme
from sdg87.library.models import ResourceType
from sdg87.library.search.documents import split_facet_key

FACETS = ("type", "language", "year", "country", "region", "theme", "target", "organisation")
MAX_VALUES = 200


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def _language_label(code: str, ui_language: str) -> str:
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    return str(info["name_translated"] if ui_language != "en" else info["name"])


# The facets whose labels are names in the database, read together in one query.
NAMED = {"country": (Country, "iso3"), "region": (Region, "m49"), "theme": (Theme, "slug")}


def _named_labels(
    connection: BaseDatabaseWrapper, wanted: Mapping[str, Sequence[str]], ui_language: str
) -> dict[str, dict[str, str]]:
    """The names of the countries, regions and themes in ``wanted`` (by facet), one query
    (plain SQL: it runs on every search, and building ORM queries would cost more than it)."""
    selects: list[str] = []
    params: list[Any] = []
    for kind, (model, key) in NAMED.items():
        values = list(wanted.get(kind) or ())
        if not values:
            continue
        marks = ", ".join(["%s"] * len(values))
        selects.append(
            f"SELECT '{kind}', {key}, name_en, name_fr, name_es "  # noqa: S608
            f"FROM {model._meta.db_table} WHERE {key} IN ({marks})"
        )
        params += values
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    if not selects:
        return labels
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for kind, value, name_en, name_fr, name_es in cursor.fetchall():
            names = {"en": name_en, "fr": name_fr, "es": name_es}
            labels[kind][str(value)] = names.get(ui_language) or name_en or str(value)
    return labels


def _labels(kind: str, values: Sequence[str], ui_language: str) -> Mapping[str, str]:
    if kind == "type":
        return {value: str(ResourceType(value).label) for value in values if value in ResourceType}
    if kind == "language":
        return {value: _language_label(value, ui_language) for value in values}
    return {value: value for value in values}


def facet_counts(
    connection: BaseDatabaseWrapper, by_key: Mapping[str, int], ui_language: str = "en"
) -> dict[str, list[FacetValue]]:
    """Counts per value of every facet, with labels; ``by_key`` maps facet keys to counts
    (a backend's ``facet_counts``)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for key, count in by_key.items():
        kind, value = split_facet_key(str(key))
        if kind in FACETS:
            counts[kind][value] = int(count)
    shown: dict[str, list[tuple[str, int]]] = {}
    for kind in FACETS:
        values = counts.get(kind, {})
        if kind == "year":
            ordered = sorted(values.items(), key=lambda item: item[0], reverse=True)
        else:
            ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        shown[kind] = ordered[:MAX_VALUES]
    named = _named_labels(
        connection, {kind: [value for value, _ in shown[kind]] for kind in NAMED}, ui_language
    )
    facets: dict[str, list[FacetValue]] = {}
    for kind in FACETS:
        ordered = shown[kind]
        labels = (
            named[kind] if kind in NAMED else _labels(kind, [v for v, _ in ordered], ui_language)
        )
        facets[kind] = [
            FacetValue(value=value, label=labels.get(value, value), count=count)
            for value, count in ordered
        ]
    return facets
