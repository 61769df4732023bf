"""``GET /api/v1/countries/{iso3}``: the country profile summary."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema

from sdg87.core.api_i18n import LanguageQuery
from sdg87.countries.api import CountryOut
from sdg87.profiles import selectors

router = Router()


class ProfileProgressOut(Schema):
    open_sdg: str | None = Field(None, description="Open SDG method status")
    unsd: str | None = Field(None, description="UNSD Progress Chart status")


class ProfileIndicatorOut(Schema):
    code: str
    title: str
    latest_year: int
    latest_period: str | None
    latest_value: float | None = Field(
        None,
        description="Latest headline value: the total, or where the source publishes no total "
        "the breakdown named in headline_breakdown",
    )
    headline_breakdown: dict[str, str] = Field(
        default_factory=dict,
        description='The breakdown that stands for the total (e.g. {"AGE": "Y5T17"}); '
        "{} when the value is a total",
    )
    unit: str
    data_points: int
    progress: ProfileProgressOut | None


class ProfileRatificationOut(Schema):
    instrument: str
    status: str = Field(..., description="in_force, not_yet_in_force, denounced, … or no_record")
    date: str | None
    date_precision: str | None
    kind: str | None
    source: str | None


class ProfileRoadmapOut(Schema):
    id: int
    title: str
    status: str = Field(..., description="draft, adopted, completed or superseded")
    status_label: str
    period_start: int = Field(..., description="First year of the roadmap")
    period_end: int = Field(..., description="Last year of the roadmap")
    adopted_on: datetime.date | None


class ProfileFundingOut(Schema):
    planned_usd: float = Field(..., description="Planned budget of the roadmap's actions, USD")
    secured_usd: float = Field(..., description="Funding secured, USD")
    spent_usd: float = Field(..., description="Funding spent, USD")
    gap_usd: float = Field(..., description="Planned minus secured, USD")
    missing_rates: list[str] = Field(
        ..., description="Currencies (ISO 4217) left out of the sums: no exchange rate to USD"
    )


class ProfileReportOut(Schema):
    id: int
    year: int = Field(..., description="Year reported on")
    version: int
    published_at: datetime.datetime | None
    url: str | None = Field(..., description="Page of the report")


class ProfilePathfinderOut(Schema):
    example: bool = Field(..., description="Example content, not real data")
    status: str = Field(..., description="active, suspended or left")
    status_label: str
    joined_on: datetime.date
    roadmap: ProfileRoadmapOut | None = Field(
        ..., description="The current roadmap the public may see; null when there is none"
    )
    actions_total: int
    actions_on_track_share: float | None = Field(
        ..., description="Share (0..1) of non-cancelled actions on track or done"
    )
    funding: ProfileFundingOut
    latest_report: ProfileReportOut | None = Field(
        ..., description="The latest published annual report"
    )
    timeliness: str = Field(..., description="Reporting timeliness: green, amber, red or none")
    timeliness_label: str
    url: str | None = Field(..., description="Page of the pathfinder")


class ProfilePartnerOut(Schema):
    name: str
    acronym: str
    kind: str
    kind_label: str
    url: str = Field(..., description="Page of the partner")
    reason: str = Field(
        ..., description="based_here (based in the country) or pledge (an active pledge for it)"
    )
    active_pledges: int = Field(..., description="Active pledges for the country")


class ProfileResourceOut(Schema):
    id: int
    title: str
    year: int | None
    type: str
    language: str
    url: str = Field(..., description="Page of the resource")


class CountryProfileOut(CountryOut):
    official_name_en: str
    indicators: list[ProfileIndicatorOut] = Field(
        ..., description="Indicators with data for the country: latest value and progress"
    )
    ratifications: list[ProfileRatificationOut] = Field(
        ..., description="One entry per international instrument"
    )
    pathfinder: ProfilePathfinderOut | None = Field(
        None, description="Pathfinder status; null when the country is not a pathfinder"
    )
    partners: list[ProfilePartnerOut] = Field(
        ...,
        description="Approved partners based in the country, then those with an active pledge "
        "for it",
    )
    resources: list[ProfileResourceOut] = Field(
        ..., description="Key resources: published library resources on the country, newest first"
    )


class ProfileResponse:
    """The country's own fields and the profile's parts as one object for the schema (the
    model's reverse relations ``pathfinder`` and ``resources`` cannot be overwritten)."""

    PARTS = frozenset({"indicators", "ratifications", "pathfinder", "partners", "resources"})

    def __init__(self, profile: selectors.CountryProfile) -> None:
        self.profile = profile

    def __getattr__(self, name: str) -> Any:
        if name in self.PARTS:
            return getattr(self.profile, name)
        return getattr(self.profile.country, name)


@router.get("/{iso3}", response=CountryProfileOut, summary="Country profile summary")
def get_country_profile(request: HttpRequest, iso3: str, query: Query[LanguageQuery]) -> Any:
    """Names, codes, M49 region, indicators with latest values, ratifications, pathfinder
    status (roadmap, funding gap, latest published report), active partners and key resources
    of one country (ISO3, case-insensitive); 404 if unknown."""
    with translation.override(query.lang):
        profile = selectors.country_profile(iso3, actor=request.user)
    return ProfileResponse(profile)
