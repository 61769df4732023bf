"""Coverage and data gaps: which country has data for which indicator.

Reads only. A *cell* is one country × indicator: the latest year with data and the number of data
points (observations, every disaggregation counted). A *gap* is an indicator of the catalogue with
no observation at all for a country. Regional aggregates (areas that are M49 regions) are not
countries and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet

from sdg87.countries import selectors as country_selectors
from sdg87.countries.models import Country
from sdg87.indicators.models import Indicator, IndicatorKind, Observation


@dataclass(frozen=True)
class CoverageCell:
    latest_year: int
    data_points: int


@dataclass
class CoverageRow:
    country: Country
    cells: list[CoverageCell | None]
    """One entry per indicator of the matrix, in the same order; ``None`` where data are missing."""

    @property
    def indicators_with_data(self) -> int:
        return sum(1 for cell in self.cells if cell is not None)

    @property
    def missing(self) -> int:
        return len(self.cells) - self.indicators_with_data


@dataclass
class CoverageMatrix:
    indicators: list[Indicator]
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def countries_with_data(self) -> list[int]:
        """Per indicator (matrix order), how many of the rows' countries have data."""
        return [
            sum(1 for row in self.rows if row.cells[position] is not None)
            for position in range(len(self.indicators))
        ]

    @property
    def countries_with_any_data(self) -> int:
        return sum(1 for row in self.rows if row.indicators_with_data)


def catalogue(*, kind: str | None = None) -> QuerySet[Indicator]:
    """The indicators coverage is measured against, in catalogue order."""
    indicators = Indicator.objects.order_by("position", "code")
    if kind:
        indicators = indicators.filter(kind=kind)
    return indicators


def coverage_cells(
    *, countries: Iterable[Country] | None = None
) -> dict[tuple[int, int], CoverageCell]:
    """``{(country_id, indicator_id): cell}`` for every pair with data, in one aggregate query."""
    observations = Observation.objects.filter(country__isnull=False)
    if countries is not None:
        observations = observations.filter(country__in=[country.pk for country in countries])
    rows = (
        observations.values("country_id", "indicator_id")
        .annotate(latest_year=Max("year"), data_points=Count("id"))
        .order_by()
    )
    return {
        (row["country_id"], row["indicator_id"]): CoverageCell(
            latest_year=row["latest_year"], data_points=row["data_points"]
        )
        for row in rows
    }


def coverage_matrix(
    *, region: str | None = None, kind: str | None = None, with_data_only: bool = False
) -> CoverageMatrix:
    """Countries (of an M49 ``region`` if given, by ISO3) × catalogue indicators (of ``kind``).

    ``with_data_only`` keeps the countries with data for at least one of the indicators.
    Three queries whatever the size: indicators, countries, cells.
    """
    if kind and kind not in IndicatorKind.values:
        kind = None
    indicators = list(catalogue(kind=kind))
    countries = list(country_selectors.country_list(region=region or None))
    cells = coverage_cells(countries=countries if region else None)
    matrix = CoverageMatrix(indicators=indicators)
    for country in countries:
        row = CoverageRow(
            country=country,
            cells=[cells.get((country.pk, indicator.pk)) for indicator in indicators],
        )
        if with_data_only and not row.indicators_with_data:
            continue
        matrix.rows.append(row)
    return matrix


def data_gaps(*, country: Country, kind: str | None = None) -> list[Indicator]:
    """The catalogue indicators (of ``kind``) with no observation for ``country``."""
    with_data = Observation.objects.filter(country=country).values("indicator_id")
    return list(catalogue(kind=kind).exclude(pk__in=with_data).select_related("target"))
