"""The JSON behind the ratification map and charts (read by ``static/js/choropleth.js`` and
``instruments/parties_chart.js`` through ``json_script``). Pure: standings in, dicts out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.utils.translation import gettext as _

from sdg87.instruments import standing

# ColorBrewer-like, distinguishable without relying on red/green alone (lightness differs too).
CATEGORY_COLOURS = {
    standing.IN_FORCE: "#1b7837",
    standing.NOT_YET_IN_FORCE: "#a6dba0",
    standing.REPORTED_RATIFIED: "#4393c3",
    standing.SIGNED_ONLY: "#fdb863",
    standing.DENOUNCED: "#b2182b",
    standing.NO_RECORD: "#e5e7eb",
}


class CountryLike(Protocol):
    iso3: str

    @property
    def name(self) -> str: ...


class StandingLike(Protocol):
    @property
    def country(self) -> CountryLike: ...

    @property
    def category(self) -> str: ...

    @property
    def category_label(self) -> str: ...


def legend(labels: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"key": key, "label": labels[key], "color": CATEGORY_COLOURS[key]}
        for key in standing.CATEGORIES
    ]


def status_map(standings: Iterable[StandingLike], labels: dict[str, str]) -> dict[str, Any]:
    """A categorical choropleth: every country coloured by the status that speaks for it."""
    return {
        "mode": "categorical",
        "values": {
            item.country.iso3: {
                "category": item.category,
                "label": labels[item.category],
                "name": item.country.name,
            }
            for item in standings
        },
        "categories": legend(labels),
        "missing_label": labels[standing.NO_RECORD],
    }


def parties_line(points: Sequence[tuple[int, int]]) -> dict[str, Any]:
    return {
        "kind": "line",
        "categories": [year for year, _count in points],
        "series": [{"name": _("Parties"), "data": [count for _year, count in points]}],
        "x_name": _("Year"),
        "y_name": _("Parties"),
    }


def timeline_bars(years: Sequence[int], series: Sequence[tuple[str, Sequence[int]]]) -> dict:
    return {
        "kind": "bar",
        "stacked": True,
        "categories": list(years),
        "series": [{"name": name, "data": list(values)} for name, values in series],
        "x_name": _("Year"),
        "y_name": _("New parties"),
    }
