"""The country profile summary, composed from each app's selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sdg87.countries import selectors as country_selectors
from sdg87.countries.models import Country
from sdg87.indicators import page_selectors as indicator_pages
from sdg87.instruments import selectors as instrument_selectors


@dataclass
class CountryProfile:
    country: Country
    indicators: list[dict[str, Any]]
    ratifications: list[dict[str, Any]]
    pathfinder: dict[str, Any] | None


def country_profile(iso3: str) -> CountryProfile:
    """Raises ``NotFound`` for an unknown code (via ``country_get``)."""
    country = country_selectors.country_get(iso3)
    data = indicator_pages.country_data(country)
    indicators = []
    for item in data.with_data:
        progress = item.progress
        indicators.append(
            {
                "code": item.indicator.code,
                "title": item.indicator.title,
                "latest_year": item.latest_year,
                "latest_period": item.latest_period or None,
                "latest_value": item.latest_value,
                "unit": item.unit,
                "data_points": item.data_points,
                "progress": _progress_statuses(progress),
            }
        )
    return CountryProfile(
        country=country,
        indicators=indicators,
        ratifications=instrument_selectors.ratification_rows_for_country(country.iso3),
        pathfinder=None,
    )


def _progress_statuses(progress: Any) -> dict[str, str] | None:
    if progress is None:
        return None
    statuses = {badge.method: badge.status for badge in progress.badges if badge.status}
    return statuses or None
