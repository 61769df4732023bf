"""``/api/v1/coverage`` and ``/api/v1/countries/{iso3}/data-gaps``: who has data for what.

Mounted at the API root (``api.add_router("/", coverage_router, tags=["coverage"])``). Both are
lists, paginated with ``?page=`` and ``?page_size=`` and carrying ``count``. Every read takes
``?lang=en|fr|es`` for the language of names and titles.
"""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sdg87.core.api_i18n import LANGUAGE_DESCRIPTION, Language
from sdg87.core.i18n import localized
from sdg87.core.pagination import PagePagination
from sdg87.countries import selectors as country_selectors
from sdg87.indicators import coverage

router = Router()

Kind = Literal["sdg", "agreed"]
KIND_DESCRIPTION = "sdg: SDG indicators of 8.7 and its synergy targets; agreed: agreed indicators"


class CoverageFilters(Schema):
    region: str | None = Field(
        None,
        pattern=r"^\d{3}$",
        description="UN M49 code of a region, sub-region or intermediate region (e.g. 202)",
    )
    kind: Kind | None = Field(None, description=KIND_DESCRIPTION)
    with_data: bool = Field(False, description="true: only countries with data for an indicator")
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


class CoverageCellOut(Schema):
    indicator: str = Field(..., description='Indicator code, e.g. "8.7.1"')
    latest_year: int = Field(..., description="Latest year with data")
    data_points: int = Field(..., description="Observations, every disaggregation counted")


class CoverageRowOut(Schema):
    country: str = Field(..., description="ISO 3166-1 alpha-3")
    name: str = Field(..., description="Country name in the requested language")
    indicators_with_data: int
    indicators_without_data: int
    cells: list[CoverageCellOut] = Field(..., description="The indicators with data")
    gaps: list[str] = Field(..., description="Codes of the indicators without data")


class GapFilters(Schema):
    kind: Kind | None = Field(None, description=KIND_DESCRIPTION)
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


class DataGapOut(Schema):
    code: str = Field(..., description='Indicator code, e.g. "8.7.1"')
    title: str = Field(..., description="Title in the requested language")
    kind: str = Field(..., description="sdg or agreed")
    target: str | None = Field(None, description='SDG target code, e.g. "8.7"')


@router.get("/coverage", response=list[CoverageRowOut], summary="Coverage matrix")
@paginate(PagePagination)
def coverage_matrix(request: HttpRequest, filters: Query[CoverageFilters]) -> Any:
    """One row per country (ordered by ISO3): for each indicator with data the latest year and
    the number of data points, and the codes of the indicators without data."""
    matrix = coverage.coverage_matrix(
        region=filters.region, kind=filters.kind, with_data_only=filters.with_data
    )
    codes = [indicator.code for indicator in matrix.indicators]
    return [
        {
            "country": row.country.iso3,
            "name": localized(row.country, "name", filters.lang),
            "indicators_with_data": row.indicators_with_data,
            "indicators_without_data": row.missing,
            "cells": [
                {
                    "indicator": code,
                    "latest_year": cell.latest_year,
                    "data_points": cell.data_points,
                }
                for code, cell in zip(codes, row.cells, strict=True)
                if cell is not None
            ],
            "gaps": [code for code, cell in zip(codes, row.cells, strict=True) if cell is None],
        }
        for row in matrix.rows
    ]


@router.get(
    "/countries/{iso3}/data-gaps",
    response=list[DataGapOut],
    summary="Indicators without data for a country",
)
@paginate(PagePagination)
def country_data_gaps(request: HttpRequest, iso3: str, filters: Query[GapFilters]) -> Any:
    """The catalogue indicators (of ``kind``) with no observation for the country; 404 for an
    unknown country."""
    country = country_selectors.country_get(iso3)
    return [
        {
            "code": indicator.code,
            "title": localized(indicator, "title", filters.lang),
            "kind": indicator.kind,
            "target": indicator.target.code if indicator.target else None,
        }
        for indicator in coverage.data_gaps(country=country, kind=filters.kind)
    ]
