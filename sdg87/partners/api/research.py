"""``/api/v1/research-projects`` (the research register, similar research) and
``/api/v1/evidence-gaps`` (registered research per theme and country or region)."""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from sdg87.accounts.auth import request_actor, signed_in
from sdg87.core.api_i18n import LANGUAGE_DESCRIPTION, Language, LanguageQuery
from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.core.pagination import PagePagination
from sdg87.partners import library_links, selectors, services
from sdg87.partners.api.common import (
    ISO3_PATTERN,
    SLUG_PATTERN,
    PartnerRefOut,
    ThemeRefOut,
    changed_fields,
    organisation_named,
    page_url,
    split_codes,
)
from sdg87.partners.models import ResearchProject, ResearchStatus

router = Router()
evidence_gaps_router = Router()


class ResearchProjectOut(Schema):
    id: int
    title: str
    organisation: PartnerRefOut
    status: str = Field(description="planned, ongoing or completed")
    countries: list[str] = Field(description="ISO3 codes")
    themes: list[ThemeRefOut]
    period_start: datetime.date | None
    period_end: datetime.date | None
    url: str

    @staticmethod
    def resolve_countries(obj: ResearchProject) -> list[str]:
        return sorted(country.iso3 for country in obj.countries.all())

    @staticmethod
    def resolve_themes(obj: ResearchProject) -> Any:
        return obj.themes.all()

    @staticmethod
    def resolve_url(obj: ResearchProject, context: Any) -> str:
        return page_url(context, "research_detail", obj.pk)


class ResearchProjectDetailOut(ResearchProjectOut):
    summary: str
    questions: str
    methods: str
    populations: str
    funding: str
    contact_email: str | None = Field(description="shown to signed-in users only, else null")
    similar_work_reason: str = Field(
        description="why it went ahead although similar research was registered"
    )
    similar_projects: list[int] = Field(description="ids of the similar research shown then")

    @staticmethod
    def resolve_contact_email(obj: ResearchProject) -> str | None:
        return obj.contact_email if getattr(obj, "contact_visible", False) else None

    @staticmethod
    def resolve_similar_projects(obj: ResearchProject) -> list[int]:
        return sorted(other.pk for other in obj.similar_projects.all())


class SimilarResearchOut(Schema):
    id: int
    title: str
    score: float = Field(description="0–1")
    title_similarity: float
    text_similarity: float
    shared_countries: list[str]
    shared_themes: list[str]
    reasons: list[str] = Field(description='e.g. "same country KEN", "title 0.71 similar"')
    url: str

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return page_url(context, "research_detail", obj.id)


class SimilarResearchListOut(Schema):
    count: int
    results: list[SimilarResearchOut]
    published_resources: list[Any] = Field(
        description="similar published library resources: id, title, type, year, score (relevance)"
    )
    library_available: bool


class ResearchFilters(Schema):
    organisation: str | None = Field(None, pattern=SLUG_PATTERN, description="slug")
    country: str | None = Field(None, pattern=ISO3_PATTERN, description="ISO3 code")
    region: str | None = Field(None, pattern=r"^\d{3}$", description="UN M49 region code")
    theme: str | None = Field(None, pattern=SLUG_PATTERN, description="theme slug")
    status: ResearchStatus | None = None
    q: str | None = Field(None, max_length=100)
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


class SimilarQuery(Schema):
    title: str = Field("", max_length=255)
    text: str = Field("", max_length=5000, description="summary, questions and methods")
    countries: list[str] = Field([], description="ISO3 codes, repeated or comma-separated")
    themes: list[str] = Field([], description="theme slugs, repeated or comma-separated")
    start: datetime.date | None = None
    end: datetime.date | None = None
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


class ResearchProjectIn(Schema):
    organisation: str = Field(description="slug of the organisation doing the research")
    title: str = Field(max_length=255)
    questions: str
    summary: str = ""
    methods: str = ""
    populations: str = ""
    countries: list[str] = Field([], description="ISO3 codes")
    themes: list[str] = Field([], description="theme slugs")
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    funding: str = ""
    contact_email: str = ""
    status: ResearchStatus = ResearchStatus.PLANNED
    similar_work_reason: str = Field(
        "",
        description="required when similar research is registered (else 409 listing it)",
    )


class ResearchProjectPatchIn(Schema):
    title: str | None = Field(None, max_length=255)
    questions: str | None = None
    summary: str | None = None
    methods: str | None = None
    populations: str | None = None
    funding: str | None = Field(None, max_length=255)
    contact_email: str | None = None
    status: ResearchStatus | None = None
    countries: list[str] | None = Field(None, description="ISO3 codes; replaces the list")
    themes: list[str] | None = Field(None, description="theme slugs; replaces the list")
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


@router.get("", response=list[ResearchProjectOut], summary="The research register")
@paginate(PagePagination)
def list_research(request: HttpRequest, filters: Query[ResearchFilters]) -> Any:
    return selectors.research_project_list(
        actor=request_actor(request),
        organisation=filters.organisation,
        country=filters.country,
        region=filters.region,
        theme=filters.theme,
        status=filters.status,
        q=filters.q,
    )


@router.get(
    "/similar", response=SimilarResearchListOut, summary="Registered research like this one"
)
def similar_research(request: HttpRequest, query: Query[SimilarQuery]) -> Any:
    """Scored matches, best first, each with its reasons (same country, same theme,
    overlapping periods, similar title or questions)."""
    if query.start and query.end and query.end < query.start:
        raise InvalidInput("the period ends before it starts", details={"end": "before start"})
    countries = split_codes(query.countries)
    themes = split_codes(query.themes)
    matches = selectors.research_similar(
        title=query.title,
        text=query.text,
        country_codes=countries,
        theme_slugs=themes,
        start=query.start,
        end=query.end,
    )
    return {
        "count": len(matches),
        "results": matches,
        "published_resources": selectors.similar_published_resources(
            title=query.title, text=query.text, country_codes=countries, theme_slugs=themes
        ),
        "library_available": library_links.LIBRARY_AVAILABLE,
    }


@router.get("/{project_id}", response=ResearchProjectDetailOut, summary="One research project")
def get_research(request: HttpRequest, project_id: int, query: Query[LanguageQuery]) -> Any:
    return selectors.research_project_get(actor=request_actor(request), project_id=project_id)


@router.post(
    "",
    response={201: ResearchProjectDetailOut},
    auth=signed_in,
    summary="Register research",
)
def register_research(request: HttpRequest, payload: ResearchProjectIn) -> Any:
    """For the organisation's partner editors and curators. When similar research is
    registered already: 409 ``similar_research`` listing it in ``details.matches``, unless
    ``similar_work_reason`` says why this research goes ahead anyway."""
    organisation = organisation_named(request.auth, payload.organisation)
    project = services.research_project_register(
        actor=request.auth,
        organisation_id=organisation.pk,
        title=payload.title,
        questions=payload.questions,
        summary=payload.summary,
        methods=payload.methods,
        populations=payload.populations,
        country_codes=payload.countries,
        theme_slugs=payload.themes,
        period_start=payload.period_start,
        period_end=payload.period_end,
        funding=payload.funding,
        contact_email=payload.contact_email,
        status=payload.status,
        similar_work_reason=payload.similar_work_reason,
        source=AuditSource.API,
    )
    return Status(201, selectors.research_project_get(actor=request.auth, project_id=project.pk))


@router.patch(
    "/{project_id}",
    response=ResearchProjectDetailOut,
    auth=signed_in,
    summary="Edit registered research",
)
def edit_research(request: HttpRequest, project_id: int, payload: ResearchProjectPatchIn) -> Any:
    """For the organisation's partner editors and curators. Fields left out stay as they
    are."""
    selectors.research_project_get(actor=request.auth, project_id=project_id)
    services.research_project_edit(
        actor=request.auth,
        project_id=project_id,
        source=AuditSource.API,
        **changed_fields(payload),
    )
    return selectors.research_project_get(actor=request.auth, project_id=project_id)


# --- /evidence-gaps -----------------------------------------------------------------------


class GapCellOut(Schema):
    theme: str = Field(description="theme slug")
    projects: int = Field(description="registered research projects")
    studies: int = Field(description="published research and evaluations in the library")


class GapRowOut(Schema):
    code: str = Field(description="ISO3 (by country) or UN M49 sub-region code (by region)")
    name: str
    total: int
    cells: list[GapCellOut]


class GapMapOut(Schema):
    by: str = Field(description="region or country")
    themes: list[ThemeRefOut]
    rows: list[GapRowOut]
    library_available: bool = Field(description="true: published studies are counted")


class GapQuery(Schema):
    by: Literal["region", "country"] = Field("region", description="rows: sub-regions or countries")
    region: str | None = Field(
        None, pattern=r"^\d{3}$", description="by country: list every country of this M49 region"
    )
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


@evidence_gaps_router.get("", response=GapMapOut, summary="Evidence-gap map")
def evidence_gaps(request: HttpRequest, query: Query[GapQuery]) -> Any:
    """Registered research per theme and UN M49 sub-region or country; cells with 0 are the
    gaps. Published research and evaluations in the knowledge library are counted too."""
    gap_map = selectors.evidence_gap_map(by=query.by, region=query.region, language=query.lang)
    return {
        "by": gap_map.by,
        "themes": gap_map.themes,
        "library_available": gap_map.library_available,
        "rows": [
            {
                "code": row.code,
                "name": row.name,
                "total": row.total,
                "cells": [
                    {"theme": cell.theme.slug, "projects": cell.projects, "studies": cell.studies}
                    for cell in row.cells
                ],
            }
            for row in gap_map.rows
        ],
    }
