"""Facet counts over a set of matching resources (one SQL statement, both databases)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import get_language_info

from sdg87.core.i18n import localized
from sdg87.countries.models import Country, Region
from sdg87.framework.models import Target, Theme
from sdg87.library.models import Resource, ResourceType

FACETS = ("type", "language", "year", "country", "region", "theme", "target", "organisation")
MAX_VALUES = 200


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


def _tables() -> dict[str, str]:
    resource = Resource._meta
    return {
        "resource": resource.db_table,
        "resource_countries": Resource.countries.through._meta.db_table,
        "resource_themes": Resource.themes.through._meta.db_table,
        "resource_targets": Resource.targets.through._meta.db_table,
        "country": Country._meta.db_table,
        "region": Region._meta.db_table,
        "theme": Theme._meta.db_table,
        "target": Target._meta.db_table,
    }


def facet_sql(ids_sql: str) -> str:
    t = _tables()
    countries = (
        f"JOIN {t['resource_countries']} rc ON rc.resource_id = m.id "
        f"JOIN {t['country']} c ON c.id = rc.country_id"
    )
    parts = [
        f"SELECT 'type', r.type, count(*) FROM matched m JOIN {t['resource']} r ON r.id = m.id "  # noqa: S608
        "GROUP BY r.type",
        f"SELECT 'language', r.language, count(*) FROM matched m "  # noqa: S608
        f"JOIN {t['resource']} r ON r.id = m.id GROUP BY r.language",
        f"SELECT 'year', CAST(r.year AS TEXT), count(*) FROM matched m "  # noqa: S608
        f"JOIN {t['resource']} r ON r.id = m.id WHERE r.year IS NOT NULL GROUP BY r.year",
        f"SELECT 'organisation', r.organisation, count(*) FROM matched m "  # noqa: S608
        f"JOIN {t['resource']} r ON r.id = m.id WHERE r.organisation <> '' "
        "GROUP BY r.organisation",
        f"SELECT 'country', c.iso3, count(*) FROM matched m {countries} GROUP BY c.iso3",  # noqa: S608
        f"SELECT 'region', g.m49, count(DISTINCT m.id) FROM matched m {countries} "  # noqa: S608
        f"JOIN {t['region']} g ON g.id = c.region_id GROUP BY g.m49",
        f"SELECT 'theme', th.slug, count(*) FROM matched m "  # noqa: S608
        f"JOIN {t['resource_themes']} rt ON rt.resource_id = m.id "
        f"JOIN {t['theme']} th ON th.id = rt.theme_id GROUP BY th.slug",
        f"SELECT 'target', tg.code, count(*) FROM matched m "  # noqa: S608
        f"JOIN {t['resource_targets']} ra ON ra.resource_id = m.id "
        f"JOIN {t['target']} tg ON tg.id = ra.target_id GROUP BY tg.code",
    ]
    return f"WITH matched(id) AS MATERIALIZED ({ids_sql}) " + " UNION ALL ".join(parts)


def _language_label(code: str, ui_language: str) -> str:
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    return str(info["name_translated"] if ui_language != "en" else info["name"])


def _labels(kind: str, values: Sequence[str], ui_language: str) -> Mapping[str, str]:
    if kind == "type":
        return {value: str(ResourceType(value).label) for value in values if value in ResourceType}
    if kind == "language":
        return {value: _language_label(value, ui_language) for value in values}
    if kind == "country":
        rows = Country.objects.filter(iso3__in=values)
        return {row.iso3: localized(row, "name", ui_language) for row in rows}
    if kind == "region":
        rows = Region.objects.filter(m49__in=values)
        return {row.m49: localized(row, "name", ui_language) for row in rows}
    if kind == "theme":
        rows = Theme.objects.filter(slug__in=values)
        return {row.slug: localized(row, "name", ui_language) for row in rows}
    if kind == "target":
        return {value: value for value in values}
    return {value: value for value in values}


def facet_counts(
    connection: BaseDatabaseWrapper, ids_sql: str, params: list[Any], ui_language: str = "en"
) -> dict[str, list[FacetValue]]:
    """Counts per value of every facet over the resources ``ids_sql`` selects."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(facet_sql(ids_sql), params)
        for kind, value, count in cursor.fetchall():
            if value is not None:
                counts[kind][str(value)] = int(count)
    facets: dict[str, list[FacetValue]] = {}
    for kind in FACETS:
        values = counts.get(kind, {})
        if kind == "year":
            ordered = sorted(values.items(), key=lambda item: item[0], reverse=True)
        else:
            ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        ordered = ordered[:MAX_VALUES]
        labels = _labels(kind, [value for value, _ in ordered], ui_language)
        facets[kind] = [
            FacetValue(value=value, label=labels.get(value, value), count=count)
            for value, count in ordered
        ]
    return facets
