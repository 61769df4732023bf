"""``GET /api/v1/countries/{iso3}``: the country profile summary."""

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema

from sdg87.core.api_i18n import LanguageQuery
from sdg87.countries.api import CountryOut
from sdg87.profiles import selectors

router = Router()


class IndicatorProgressOut(Schema):
    open_sdg: str | None = Field(None, description="Open SDG method status")
    unsd: str | None = Field(None, description="UNSD Progress Chart status")


class ProfileIndicatorOut(Schema):
    code: str
    title: str
    latest_year: int
    latest_period: str | None
    latest_value: float | None = Field(None, description="Latest total value (no breakdown)")
    unit: str
    data_points: int
    progress: IndicatorProgressOut | None


class ProfileRatificationOut(Schema):
    instrument: str
    status: str = Field(..., description="in_force, not_yet_in_force, denounced, … or no_record")
    date: str | None
    date_precision: str | None
    kind: str | None
    source: str | None


class CountryProfileOut(CountryOut):
    official_name_en: str
    indicators: list[ProfileIndicatorOut] = Field(
        ..., description="Indicators with data for the country: latest value and progress"
    )
    ratifications: list[ProfileRatificationOut] = Field(
        ..., description="One entry per international instrument"
    )
    pathfinder: dict[str, Any] | None = Field(
        None, description="Pathfinder status; null when the country is not a pathfinder"
    )


@router.get("/{iso3}", response=CountryProfileOut, summary="Country profile summary")
def get_country_profile(request: HttpRequest, iso3: str, query: Query[LanguageQuery]) -> Any:
    """Names, codes, M49 region, indicators with latest values, ratifications and pathfinder
    status of one country (ISO3, case-insensitive); 404 if unknown."""
    with translation.override(query.lang):
        profile = selectors.country_profile(iso3)
    country = profile.country
    country.indicators = profile.indicators
    country.ratifications = profile.ratifications
    country.pathfinder = profile.pathfinder
    return country
