"""The pathfinder countries: ``/pathfinders`` and ``/pathfinders/{iso3}/…``.

Mounted after every router with literal first segments (``/reports``, ``/roadmaps``,
``/funding-gaps``…): ninja matches paths in declaration order, and ``{iso3}`` is three letters.
"""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from sdg87.accounts.auth import request_actor, signed_in
from sdg87.core.api_i18n import LanguageQuery
from sdg87.core.errors import NotFound
from sdg87.core.i18n import localized
from sdg87.core.models import AuditSource
from sdg87.core.pagination import PagePagination
from sdg87.pathfinders import selectors
from sdg87.pathfinders.api.common import (
    ISO3_PATTERN,
    USD_DESCRIPTION,
    RoadmapRefOut,
    TotalsOut,
    language_of,
    money,
)
from sdg87.pathfinders.api.reports import (
    AnnualReportDetailOut,
    AnnualReportIn,
    AnnualReportOut,
    report_detail,
)
from sdg87.pathfinders.api.roadmaps import (
    RoadmapOut,
    RoadmapSummaryOut,
    roadmap_out,
    roadmap_summary_out,
)
from sdg87.pathfinders.services import reports as report_services
from sdg87.pathfinders.services import roadmaps as roadmap_services

router = Router()


class PathfinderFundingOut(TotalsOut):
    missing_rates: list[str] = Field(
        description="currencies with no exchange rate: their actions are left out of the totals"
    )


class PathfinderLatestReportOut(Schema):
    id: int
    year: int
    version: int
    published_at: datetime.datetime | None
    example: bool = Field(description="example content, not real data")


class PathfinderOut(Schema):
    iso3: str
    name: str = Field(description="country name in the requested language")
    status: str = Field(description="active, suspended or left")
    joined_on: datetime.date
    example: bool = Field(description="example content, not real data")
    roadmap_status: str | None = Field(
        description="status of the current roadmap (draft, adopted, completed); null when none"
    )
    roadmap: RoadmapRefOut | None = Field(
        description="the current roadmap: the newest adopted one, else the newest visible"
    )
    funding_gap_usd: str = Field(
        description="the current roadmap's funding gap; " + USD_DESCRIPTION
    )
    funding: PathfinderFundingOut
    actions_total: int
    actions_on_track: int = Field(description="actions on track or done")
    latest_report: PathfinderLatestReportOut | None = Field(
        description="the latest published report"
    )
    timeliness: str = Field(
        description="green (reported within a year), amber (overdue), red (two years "
        "overdue), none (first report not yet due)"
    )
    url: str | None = Field(description="the pathfinder's page")


class PathfinderDetailOut(PathfinderOut):
    summary: str
    contact: str = Field(description="the national focal points' contacts")
    actions_on_track_share: float | None = Field(
        description="share of non-cancelled actions on track or done, 0–1"
    )
    indicators_on_track: int = Field(description="linked indicators on track (Open SDG method)")
    indicators_assessed: int


class RoadmapIn(Schema):
    title: str = Field(max_length=255)
    period_start: int = Field(description="first year")
    period_end: int = Field(description="last year")
    adopted_on: datetime.date | None = None
    status: str = Field("draft", description="draft, adopted, completed or superseded")
    document_url: str = Field("", description="an http(s) link to the document")
    consultation: str = Field("", description="how social partners were consulted")


class AnnualReportFilters(Schema):
    status: str | None = Field(
        None, description="only reports in this status (the public sees published ones only)"
    )


def _pathfinder_out(summary: dict[str, Any], language: str) -> dict[str, Any]:
    funding = summary["funding"]
    roadmap = summary["roadmap"]
    return {
        **summary,
        "name": localized(summary["country"], "name", language),
        "roadmap_status": roadmap["status"] if roadmap else None,
        "funding_gap_usd": money(funding["gap_usd"]),
        "funding": {
            "planned_usd": money(funding["planned_usd"]),
            "secured_usd": money(funding["secured_usd"]),
            "spent_usd": money(funding["spent_usd"]),
            "gap_usd": money(funding["gap_usd"]),
            "missing_rates": funding["missing_rates"],
        },
    }


# Mounted on the package's own router (``GET /pathfinders``, no trailing slash).
@paginate(PagePagination)
def list_pathfinders(request: HttpRequest, query: Query[LanguageQuery]) -> Any:
    """Every pathfinder country with its current roadmap's status and its funding gap in US
    dollars. Example content carries `"example": true`."""
    language = language_of(request)
    return [
        _pathfinder_out(summary, language)
        for summary in selectors.pathfinder_overview(
            actor=request_actor(request), with_indicators=False
        )
    ]


@router.get("/{iso3}", response=PathfinderDetailOut, summary="One pathfinder country")
def get_pathfinder(
    request: HttpRequest,
    query: Query[LanguageQuery],
    iso3: str = Path(..., pattern=ISO3_PATTERN),
) -> Any:
    pathfinder = selectors.pathfinder_get(iso3)
    summary = selectors.pathfinder_summary(iso3=iso3, actor=request_actor(request))
    if summary is None:  # pragma: no cover - pathfinder_get raised already
        raise NotFound(f"{iso3} is not a pathfinder country")
    return {
        **_pathfinder_out(summary, language_of(request)),
        "summary": pathfinder.summary,
        "contact": pathfinder.contact,
    }


@router.get("/{iso3}/roadmap", response=RoadmapOut, summary="A country's current roadmap")
def get_current_roadmap(request: HttpRequest, iso3: str = Path(..., pattern=ISO3_PATTERN)) -> Any:
    """The newest adopted roadmap, else the newest one the caller may see; 404 when none."""
    pathfinder = selectors.pathfinder_get(iso3)
    roadmap = selectors.roadmap_current(actor=request_actor(request), iso3=pathfinder.country.iso3)
    if roadmap is None:
        raise NotFound(
            f"{pathfinder.country.iso3} has no roadmap yet",
            details={"iso3": pathfinder.country.iso3},
        )
    return roadmap_out(roadmap, language_of(request))


@router.get("/{iso3}/roadmaps", response=list[RoadmapSummaryOut], summary="A country's roadmaps")
@paginate(PagePagination)
def list_roadmaps(request: HttpRequest, iso3: str = Path(..., pattern=ISO3_PATTERN)) -> Any:
    """Every roadmap the caller may see (drafts only for the country's focal points and
    curators), newest first."""
    return [
        roadmap_summary_out(roadmap)
        for roadmap in selectors.roadmaps_of(actor=request_actor(request), iso3=iso3)
    ]


@router.post(
    "/{iso3}/roadmaps",
    response={201: RoadmapOut},
    auth=signed_in,
    summary="Start a roadmap",
)
def create_roadmap(
    request: HttpRequest, payload: RoadmapIn, iso3: str = Path(..., pattern=ISO3_PATTERN)
) -> Any:
    """For the country's focal points and curators (a draft unless `status` says otherwise)."""
    values = payload.dict(exclude_unset=True)
    for name in ("title", "period_start", "period_end"):
        values.pop(name, None)
    roadmap = roadmap_services.roadmap_create(
        actor=request.auth,
        iso3=iso3,
        title=payload.title,
        period_start=payload.period_start,
        period_end=payload.period_end,
        source=AuditSource.API,
        **values,
    )
    return Status(
        201,
        roadmap_out(
            selectors.roadmap_get(actor=request.auth, roadmap_id=roadmap.pk), language_of(request)
        ),
    )


@router.get("/{iso3}/reports", response=list[AnnualReportOut], summary="A country's annual reports")
@paginate(PagePagination)
def list_reports(
    request: HttpRequest,
    filters: Query[AnnualReportFilters],
    iso3: str = Path(..., pattern=ISO3_PATTERN),
) -> Any:
    """The public sees published reports only; the country's focal points and curators see
    every version and status. Newest year and version first."""
    pathfinder = selectors.pathfinder_get(iso3)
    return selectors.report_list(
        actor=request_actor(request), iso3=pathfinder.country.iso3, status=filters.status
    )


@router.post(
    "/{iso3}/reports",
    response={201: AnnualReportDetailOut},
    auth=signed_in,
    summary="Start a country's annual report (a draft)",
)
def create_report(
    request: HttpRequest, payload: AnnualReportIn, iso3: str = Path(..., pattern=ISO3_PATTERN)
) -> Any:
    """For the country's focal points and curators; one report per year (409
    `report_exists` otherwise: edit it, or correct the approved version)."""
    narrative = payload.dict(exclude={"year", "roadmap"})
    report = report_services.report_create(
        actor=request.auth,
        iso3=iso3,
        year=payload.year,
        roadmap_id=payload.roadmap,
        source=AuditSource.API,
        **narrative,
    )
    return Status(201, report_detail(request.auth, report.pk))
