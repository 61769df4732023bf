"""A country's data section: its indicators with data and progress, and its gaps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sdg87.countries.models import Country
from sdg87.indicators import progress_service
from sdg87.indicators.coverage import CoverageCell, catalogue
from sdg87.indicators.headline import headlines_by_series
from sdg87.indicators.models import Indicator, Observation
from sdg87.indicators.page_selectors.labels import breakdown_label, format_value
from sdg87.indicators.page_selectors.progress_badges import (
    ProgressSummary,
    country_progress_from_rows,
)


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
    """Both methods' assessment of the country's headline values."""
    breakdown: dict[str, str] | None = None
    """The breakdown the latest value comes from when the source has no total
    (``{"AGE": "Y5T17"}``); ``{}`` for a total, None when there is no headline value."""
    breakdown_label: str = ""
    """How that breakdown reads ("Age: 5–17 (AGE=Y5T17)"); "" for a total."""


@dataclass
class CountryData:
    country: Country
    with_data: list[CountryIndicator]
    """The catalogue indicators with data for the country (SDG and agreed), catalogue order."""
    gaps: list[Indicator]
    """The catalogue indicators without any data for the country."""


def _cell(rows: list[dict[str, Any]]) -> CoverageCell:
    """The coverage cell (``coverage.coverage_cells``) of one indicator's rows."""
    return CoverageCell(latest_year=max(row["year"] for row in rows), data_points=len(rows))


def country_data(country: Country) -> CountryData:
    """For one country: the catalogue indicators with data (latest headline value, year, number
    of data points, both methods' progress status) and those without (the gaps).

    Two queries whatever the number of indicators: the catalogue, and every observation of the
    country (each disaggregation, as the headline rule and progress need them), from which the
    coverage cells, the headline values (:mod:`sdg87.indicators.headline`) and the progress
    assessments (``progress_service.progress_from_rows``) are computed."""
    indicators = list(catalogue().select_related("target"))
    rows_by_indicator: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        Observation.objects.filter(country=country)
        .order_by("indicator_id", "series", "unit", "year", "period")
        .values("indicator_id", *progress_service.OBSERVATION_FIELDS)
    ):
        rows_by_indicator[row["indicator_id"]].append(row)
    with_data, gaps = [], []
    for indicator in indicators:
        rows = rows_by_indicator.get(indicator.pk)
        if not rows:
            gaps.append(indicator)
            continue
        cell = _cell(rows)
        headlines = headlines_by_series(rows, key=lambda row: (row["series"], row["unit"]))
        latest: dict[str, Any] | None = None
        breakdown: dict[str, str] | None = None
        if headlines:
            richest = max(headlines, key=lambda pair: (len(headlines[pair].rows), pair))
            chosen = headlines[richest]
            latest = max(chosen.rows, key=lambda row: (row["year"], row["period"]))
            breakdown = chosen.breakdown
        with_data.append(
            CountryIndicator(
                indicator=indicator,
                latest_year=cell.latest_year,
                data_points=cell.data_points,
                latest_value=latest["value"] if latest else None,
                latest_label=format_value(latest["value"]) if latest else "",
                latest_period=latest["period"] if latest else "",
                unit=(latest["unit"] if latest else "") or indicator.unit,
                progress=country_progress_from_rows(indicator, country, rows) if latest else None,
                breakdown=breakdown,
                breakdown_label=breakdown_label(breakdown or {}),
            )
        )
    return CountryData(country=country, with_data=with_data, gaps=gaps)
