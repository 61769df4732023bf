"""A country's data section: its indicators with data and progress, and its gaps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sdg87.countries.models import Country
from sdg87.indicators.coverage import catalogue, coverage_cells
from sdg87.indicators.models import Indicator, Observation
from sdg87.indicators.page_selectors.labels import TOTAL, format_value
from sdg87.indicators.page_selectors.progress_badges import ProgressSummary, country_progress


@dataclass
class CountryIndicator:
    indicator: Indicator
    latest_year: int
    data_points: int
    latest_value: float | None
    latest_label: str
    latest_period: str
    unit: str
    progress: ProgressSummary | None = None
    """Both methods' assessment of the country's totals."""


@dataclass
class CountryData:
    country: Country
    with_data: list[CountryIndicator]
    """The catalogue indicators with data for the country (SDG and agreed), catalogue order."""
    gaps: list[Indicator]
    """The catalogue indicators without any data for the country."""


def country_data(country: Country) -> CountryData:
    """For one country: the catalogue indicators with data (latest total value, year, number of
    data points, both methods' progress status) and those without (the gaps). Three queries, and
    three more per indicator with data for its progress assessment (``progress_service``)."""
    indicators = list(catalogue().select_related("target"))
    cells = coverage_cells(countries=[country])
    totals: dict[int, dict[tuple[str, str], list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in (
        Observation.objects.filter(country=country, dimensions_key=TOTAL)
        .order_by("indicator_id", "year", "period")
        .values("indicator_id", "series", "unit", "year", "period", "value")
    ):
        totals[row["indicator_id"]][(row["series"], row["unit"])].append(row)
    with_data, gaps = [], []
    for indicator in indicators:
        cell = cells.get((country.pk, indicator.pk))
        if cell is None:
            gaps.append(indicator)
            continue
        latest: dict[str, Any] | None = None
        if totals.get(indicator.pk):
            by_series = totals[indicator.pk]
            richest = max(by_series, key=lambda pair: (len(by_series[pair]), pair))
            latest = by_series[richest][-1]
        with_data.append(
            CountryIndicator(
                indicator=indicator,
                latest_year=cell.latest_year,
                data_points=cell.data_points,
                latest_value=latest["value"] if latest else None,
                latest_label=format_value(latest["value"]) if latest else "",
                latest_period=latest["period"] if latest else "",
                unit=(latest["unit"] if latest else "") or indicator.unit,
                progress=country_progress(indicator, country.iso3) if latest else None,
            )
        )
    return CountryData(country=country, with_data=with_data, gaps=gaps)
