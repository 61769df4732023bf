"""``/api/v1/pledges``: partners' pledges with their staleness traffic light, and progress
updates by the owner's partner editors."""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from sdg87.accounts.auth import signed_in
from sdg87.core.api_i18n import LANGUAGE_DESCRIPTION, Language, LanguageQuery
from sdg87.core.models import AuditSource
from sdg87.core.pagination import PagePagination
from sdg87.partners import pathfinder_links, selectors, services
from sdg87.partners.api.common import (
    ISO3_PATTERN,
    SLUG_PATTERN,
    BudgetOut,
    PartnerRefOut,
    ThemeRefOut,
    changed_fields,
    organisation_named,
    page_url,
)
from sdg87.partners.models import Pledge, PledgeStatus, PledgeUpdate
from sdg87.partners.staleness import Staleness

router = Router()


class PledgeOut(Schema):
    id: int
    title: str
    owner: PartnerRefOut
    status: str = Field(description="active, completed or withdrawn")
    staleness: str | None = Field(
        description="green (reported on within a year), amber (1–2 years), red (2 years or "
        "more); null once the pledge is completed or withdrawn"
    )
    last_reported_at: datetime.datetime
    deadline: datetime.date | None
    budget: BudgetOut | None
    countries: list[str] = Field(description="ISO3 codes")
    themes: list[ThemeRefOut]
    indicators: list[str] = Field(description="SDG indicator codes, e.g. 8.7.1")
    url: str

    @staticmethod
    def resolve_budget(obj: Pledge) -> dict[str, str] | None:
        if obj.budget_amount is None:
            return None
        return {"amount": str(obj.budget_amount), "currency": obj.budget_currency}

    @staticmethod
    def resolve_countries(obj: Pledge) -> list[str]:
        return sorted(country.iso3 for country in obj.countries.all())

    @staticmethod
    def resolve_themes(obj: Pledge) -> Any:
        return obj.themes.all()

    @staticmethod
    def resolve_indicators(obj: Pledge) -> list[str]:
        return sorted(indicator.code for indicator in obj.indicators.all())

    @staticmethod
    def resolve_url(obj: Pledge, context: Any) -> str:
        return page_url(context, "pledge_detail", obj.pk)


class PledgeUpdateOut(Schema):
    id: int
    text: str
    evidence_url: str
    evidence_file_url: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_evidence_file_url(obj: PledgeUpdate, context: Any) -> str | None:
        if not obj.evidence_file:
            return None
        return page_url(context, "pledge_evidence", obj.pledge_id, obj.pk)


class PledgeDetailOut(PledgeOut):
    description: str
    deliverables: str
    indicators_text: str = Field(description="indicators of progress, in the owner's words")
    updates: list[PledgeUpdateOut]
    roadmap_priorities: list[Any] = Field(
        description="pathfinder roadmap priorities it supports: id, title, country (ISO3), roadmap"
    )

    @staticmethod
    def resolve_updates(obj: Pledge) -> Any:
        return obj.updates.all()

    @staticmethod
    def resolve_roadmap_priorities(obj: Pledge) -> list[Any]:
        return pathfinder_links.pledge_roadmap_priorities(pledge_id=obj.pk)


class PledgeFilters(Schema):
    organisation: str | None = Field(None, pattern=SLUG_PATTERN, description="owner's slug")
    country: str | None = Field(None, pattern=ISO3_PATTERN, description="ISO3 code")
    theme: str | None = Field(None, pattern=SLUG_PATTERN, description="theme slug")
    status: PledgeStatus | None = None
    staleness: Staleness | None = Field(None, description="green, amber or red")
    q: str | None = Field(None, max_length=100)
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


class PledgeIn(Schema):
    organisation: str = Field(description="slug of the owner organisation")
    title: str = Field(max_length=255)
    description: str = ""
    deliverables: str = ""
    indicators_text: str = ""
    indicator_codes: list[str] = Field([], description="SDG indicator codes, e.g. 8.7.1")
    deadline: datetime.date | None = None
    budget_amount: Decimal | None = Field(None, description="non-negative amount")
    budget_currency: str = Field("", description="ISO 4217 code, required with an amount")
    countries: list[str] = Field([], description="ISO3 codes")
    themes: list[str] = Field([], description="theme slugs")


class PledgePatchIn(Schema):
    title: str | None = Field(None, max_length=255)
    description: str | None = None
    deliverables: str | None = None
    indicators_text: str | None = None
    indicator_codes: list[str] | None = Field(None, description="replaces the list")
    deadline: datetime.date | None = Field(None, description="null clears it")
    budget_amount: Decimal | None = Field(None, description="null clears the budget")
    budget_currency: str | None = Field(None, description="ISO 4217 code")
    countries: list[str] | None = Field(None, description="ISO3 codes; replaces the list")
    themes: list[str] | None = Field(None, description="theme slugs; replaces the list")
    status: PledgeStatus | None = None


class PledgeUpdateIn(Schema):
    text: str = Field(description="what was done since the last update")
    evidence_url: str = Field("", description="an http or https link to the evidence")
    status: PledgeStatus | None = Field(None, description="set to close the pledge")


@router.get("", response=list[PledgeOut], summary="Pledges with their staleness light")
@paginate(PagePagination)
def list_pledges(request: HttpRequest, filters: Query[PledgeFilters]) -> Any:
    return selectors.pledge_list(
        organisation=filters.organisation,
        country=filters.country,
        theme=filters.theme,
        status=filters.status,
        staleness=filters.staleness,
        q=filters.q,
    )


@router.get("/{pledge_id}", response=PledgeDetailOut, summary="One pledge with its updates")
def get_pledge(request: HttpRequest, pledge_id: int, query: Query[LanguageQuery]) -> Any:
    return selectors.pledge_get(pledge_id)


@router.post("", response={201: PledgeDetailOut}, auth=signed_in, summary="Record a pledge")
def create_pledge(request: HttpRequest, payload: PledgeIn) -> Any:
    """For the organisation's partner editors and curators."""
    owner = organisation_named(request.auth, payload.organisation)
    pledge = services.pledge_create(
        actor=request.auth,
        organisation_id=owner.pk,
        title=payload.title,
        description=payload.description,
        deliverables=payload.deliverables,
        indicators_text=payload.indicators_text,
        indicator_codes=payload.indicator_codes,
        deadline=payload.deadline,
        budget_amount=payload.budget_amount,
        budget_currency=payload.budget_currency,
        country_codes=payload.countries,
        theme_slugs=payload.themes,
        source=AuditSource.API,
    )
    return Status(201, selectors.pledge_get(pledge.pk))


@router.patch("/{pledge_id}", response=PledgeDetailOut, auth=signed_in, summary="Edit a pledge")
def edit_pledge(request: HttpRequest, pledge_id: int, payload: PledgePatchIn) -> Any:
    """For the owner's partner editors and curators (the service the pledge page uses).
    Fields left out stay as they are."""
    services.pledge_edit(
        actor=request.auth,
        pledge_id=pledge_id,
        source=AuditSource.API,
        **changed_fields(payload),
    )
    return selectors.pledge_get(pledge_id)


class PledgePrioritiesIn(Schema):
    roadmap_priorities: list[int] = Field(
        description="ids of the pathfinder roadmap priorities the pledge supports (replaces)"
    )


@router.put(
    "/{pledge_id}/roadmap-priorities",
    response=PledgeDetailOut,
    auth=signed_in,
    summary="Say which roadmap priorities a pledge supports",
)
def link_priorities(request: HttpRequest, pledge_id: int, payload: PledgePrioritiesIn) -> Any:
    """For the owner's partner editors and curators; replaces the list."""
    services.pledge_link_priorities(
        actor=request.auth,
        pledge_id=pledge_id,
        priority_ids=payload.roadmap_priorities,
        source=AuditSource.API,
    )
    return selectors.pledge_get(pledge_id)


@router.post(
    "/{pledge_id}/updates",
    response={201: PledgeUpdateOut},
    auth=signed_in,
    summary="Report progress on a pledge",
)
def report_progress(request: HttpRequest, pledge_id: int, payload: PledgeUpdateIn) -> Any:
    """For the owner's partner editors and curators; the pledge's light turns green."""
    update = services.pledge_progress_report(
        actor=request.auth,
        pledge_id=pledge_id,
        text=payload.text,
        evidence_url=payload.evidence_url,
        status=payload.status,
        source=AuditSource.API,
    )
    return Status(201, update)
