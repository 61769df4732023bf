"""Roadmaps and what they hold: ``/roadmaps/{id}``, ``/priorities/{id}``, ``/actions/{id}``,
``/milestones/{id}`` and a roadmap's linked indicators.

Reads are public for adopted, completed and superseded roadmaps; drafts exist only for the
country's focal points and curators (a 404 for anyone else). Writes need a signed-in focal
point of the country or a curator; the services decide (partner editors get 403).
"""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.responses import Status

from sdg87.accounts.auth import request_actor, signed_in
from sdg87.core.errors import NotFound
from sdg87.core.models import AuditSource
from sdg87.pathfinders import selectors
from sdg87.pathfinders.api.common import (
    AMOUNT_DESCRIPTION,
    AMOUNT_IN_DESCRIPTION,
    LOCK_DESCRIPTION,
    CountedTotalsOut,
    PriorityThemeOut,
    RoadmapRefOut,
    TotalsOut,
    language_of,
    money,
    theme_ref,
    totals_out,
)
from sdg87.pathfinders.funding import Totals
from sdg87.pathfinders.models import Action, Milestone, Priority, Roadmap, RoadmapIndicator
from sdg87.pathfinders.services import roadmaps as services

router = Router()


# --- output -----------------------------------------------------------------------------------


class ActionPartnerOut(Schema):
    id: int
    slug: str
    name: str
    acronym: str


class PriorityPledgeOut(Schema):
    id: int
    title: str
    status: str = Field(description="active, completed or withdrawn")


class ActionBudgetOut(Schema):
    planned: str = Field(description=AMOUNT_DESCRIPTION)
    secured: str = Field(description=AMOUNT_DESCRIPTION)
    spent: str = Field(description=AMOUNT_DESCRIPTION)
    gap: str = Field(description="planned minus secured, never below 0; " + AMOUNT_DESCRIPTION)


class ActionBudgetUsdOut(TotalsOut):
    rate_date: datetime.date | None = Field(
        description="date of the exchange rate used (null for USD)"
    )


class ActionOut(Schema):
    id: int
    priority: int
    position: int
    title: str
    description: str
    lead_agency: str
    partners: list[ActionPartnerOut]
    start_date: datetime.date | None
    end_date: datetime.date | None
    status: str = Field(description="not_started, on_track, delayed, done or cancelled")
    currency: str = Field(description="ISO 4217 code of the budget")
    budget: ActionBudgetOut
    budget_usd: ActionBudgetUsdOut | None = Field(
        description="the budget in US dollars at the latest rate on or before today; null "
        "when the currency has no exchange rate"
    )
    lock_version: int = Field(description=LOCK_DESCRIPTION)


class PriorityOut(Schema):
    id: int
    roadmap: int
    position: int
    title: str
    description: str
    themes: list[PriorityThemeOut]
    pledges: list[PriorityPledgeOut] = Field(description="partners' pledges covering the priority")
    actions: list[ActionOut]
    funding: CountedTotalsOut = Field(description="sum of its actions (cancelled ones left out)")


class RoadmapIndicatorOut(Schema):
    indicator: str = Field(description="indicator code, e.g. 8.7.1")
    title: str
    unit: str
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None


class MilestoneOut(Schema):
    id: int
    roadmap: int
    action: int | None
    title: str
    due_on: datetime.date
    achieved_on: datetime.date | None


class RoadmapFundingOut(CountedTotalsOut):
    on: datetime.date = Field(description="the day whose exchange rates were used")
    missing_rates: list[str] = Field(
        description="currencies with no exchange rate: their actions are left out of the totals"
    )


class RoadmapOut(RoadmapRefOut):
    country: str = Field(description="ISO3 code")
    document_url: str
    document_file: str | None = Field(
        description="address of the uploaded document file (a download), if there is one"
    )
    consultation: str = Field(description="how social partners were consulted")
    lock_version: int = Field(description=LOCK_DESCRIPTION)
    created_at: datetime.datetime
    updated_at: datetime.datetime
    priorities: list[PriorityOut]
    indicators: list[RoadmapIndicatorOut]
    milestones: list[MilestoneOut]
    funding: RoadmapFundingOut


class RoadmapSummaryOut(RoadmapRefOut):
    country: str = Field(description="ISO3 code")
    lock_version: int = Field(description=LOCK_DESCRIPTION)


def roadmap_ref(roadmap: Roadmap) -> dict[str, Any]:
    return {
        "id": roadmap.pk,
        "title": roadmap.title,
        "status": roadmap.status,
        "period_start": roadmap.period_start,
        "period_end": roadmap.period_end,
        "adopted_on": roadmap.adopted_on,
        "example": roadmap.is_example,
    }


def roadmap_summary_out(roadmap: Roadmap) -> dict[str, Any]:
    return {
        **roadmap_ref(roadmap),
        "country": roadmap.pathfinder.country.iso3,
        "lock_version": roadmap.lock_version,
    }


def _action_out(action: Action, funded: Any) -> dict[str, Any]:
    totals = funded.totals if funded is not None else None
    return {
        "id": action.pk,
        "priority": action.priority_id,
        "position": action.position,
        "title": action.title,
        "description": action.description,
        "lead_agency": action.lead_agency,
        "partners": [
            {"id": item.pk, "slug": item.slug, "name": item.name, "acronym": item.acronym}
            for item in action.partners.all()
        ],
        "start_date": action.start_date,
        "end_date": action.end_date,
        "status": action.status,
        "currency": action.currency,
        "budget": {
            "planned": money(action.budget_planned),
            "secured": money(action.budget_secured),
            "spent": money(action.budget_spent),
            "gap": money(max(action.budget_planned - action.budget_secured, Decimal(0))),
        },
        "budget_usd": None
        if totals is None
        else {**totals_out(totals), "rate_date": funded.rate_date},
        "lock_version": action.lock_version,
    }


def _priority_out(priority: Priority, funded: selectors.RoadmapFunding, language: str) -> Any:
    return {
        "id": priority.pk,
        "roadmap": priority.roadmap_id,
        "position": priority.position,
        "title": priority.title,
        "description": priority.description,
        "themes": [theme_ref(theme, language) for theme in priority.themes.all()],
        "pledges": [
            {"id": pledge.pk, "title": pledge.title, "status": pledge.status}
            for pledge in priority.pledges.all()
        ],
        "actions": [
            _action_out(action, funded.actions.get(action.pk)) for action in priority.actions.all()
        ],
        "funding": totals_out(funded.summary.by_priority.get(priority.pk, Totals())),
    }


def _indicator_out(link: RoadmapIndicator) -> dict[str, Any]:
    return {
        "indicator": link.indicator.code,
        "title": link.indicator.title_en,
        "unit": link.indicator.unit,
        "baseline_value": link.baseline_value,
        "baseline_year": link.baseline_year,
        "target_value": link.target_value,
        "target_year": link.target_year,
    }


def _milestone_out(milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "roadmap": milestone.roadmap_id,
        "action": milestone.action_id,
        "title": milestone.title,
        "due_on": milestone.due_on,
        "achieved_on": milestone.achieved_on,
    }


def roadmap_out(roadmap: Roadmap, language: str) -> dict[str, Any]:
    """A roadmap loaded by ``selectors.roadmap_get``/``roadmap_current``, with its funding."""
    funded = selectors.roadmap_funding(roadmap)
    summary = funded.summary
    return {
        **roadmap_summary_out(roadmap),
        "document_url": roadmap.document_url,
        "document_file": (
            reverse("pathfinders:roadmap_document", args=[roadmap.pk]) if roadmap.document else None
        ),
        "consultation": roadmap.consultation,
        "created_at": roadmap.created_at,
        "updated_at": roadmap.updated_at,
        "priorities": [
            _priority_out(priority, funded, language) for priority in roadmap.priorities.all()
        ],
        "indicators": [_indicator_out(link) for link in roadmap.indicator_links.all()],
        "milestones": [_milestone_out(item) for item in roadmap.milestones.all()],
        "funding": {
            **totals_out(summary.total),
            "on": summary.on,
            "missing_rates": summary.missing_rates,
        },
    }


def _roadmap_part(request: HttpRequest, roadmap_id: int) -> tuple[Roadmap, Any, str]:
    """The roadmap as the caller sees it, its funding and the response language."""
    roadmap = selectors.roadmap_get(actor=request_actor(request), roadmap_id=roadmap_id)
    return roadmap, selectors.roadmap_funding(roadmap), language_of(request)


def _written_priority(request: HttpRequest, priority: Priority) -> dict[str, Any]:
    roadmap, funded, language = _roadmap_part(request, priority.roadmap_id)
    found = next(item for item in roadmap.priorities.all() if item.pk == priority.pk)
    return _priority_out(found, funded, language)


def _written_action(request: HttpRequest, action: Action) -> dict[str, Any]:
    roadmap, funded, _language = _roadmap_part(request, action.priority.roadmap_id)
    for priority in roadmap.priorities.all():
        for item in priority.actions.all():
            if item.pk == action.pk:
                return _action_out(item, funded.actions.get(item.pk))
    raise NotFound(f"no action {action.pk}", details={"action": action.pk})


# --- input ------------------------------------------------------------------------------------


class RoadmapPatchIn(Schema):
    lock_version: int = Field(description=LOCK_DESCRIPTION)
    title: str | None = Field(None, max_length=255)
    period_start: int | None = None
    period_end: int | None = None
    adopted_on: datetime.date | None = None
    status: str | None = Field(None, description="draft, adopted, completed or superseded")
    document_url: str | None = Field(None, description="an http(s) link to the document")
    consultation: str | None = None


class PriorityIn(Schema):
    title: str = Field(max_length=255)
    description: str = ""
    themes: list[str] = Field([], description="theme slugs")
    position: int | None = Field(None, ge=0, description="default: after the last one")


class PriorityPatchIn(Schema):
    title: str | None = Field(None, max_length=255)
    description: str | None = None
    themes: list[str] | None = Field(None, description="theme slugs (replace the list)")
    position: int | None = Field(None, ge=0)


class ActionIn(Schema):
    title: str = Field(max_length=255)
    description: str = ""
    lead_agency: str = ""
    partners: list[int] = Field([], description="ids of approved partner organisations")
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    status: str = Field(
        "not_started", description="not_started, on_track, delayed, done or cancelled"
    )
    currency: str = Field("USD", description="ISO 4217 code, e.g. EUR")
    budget_planned: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)
    budget_secured: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)
    budget_spent: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)
    position: int | None = Field(None, ge=0, description="default: after the last one")


class ActionPatchIn(Schema):
    lock_version: int = Field(description=LOCK_DESCRIPTION)
    priority: int | None = Field(None, description="move to another priority of the roadmap")
    title: str | None = Field(None, max_length=255)
    description: str | None = None
    lead_agency: str | None = None
    partners: list[int] | None = Field(None, description="ids (replace the list)")
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    status: str | None = None
    currency: str | None = Field(None, description="ISO 4217 code")
    budget_planned: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)
    budget_secured: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)
    budget_spent: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)
    position: int | None = Field(None, ge=0)


class RoadmapIndicatorIn(Schema):
    baseline_value: float | None = None
    baseline_year: int | None = None
    target_value: float | None = None
    target_year: int | None = None


class MilestoneIn(Schema):
    title: str = Field(max_length=255)
    due_on: datetime.date
    achieved_on: datetime.date | None = None
    action: int | None = Field(None, description="id of an action of the same roadmap")


class MilestonePatchIn(Schema):
    title: str | None = Field(None, max_length=255)
    due_on: datetime.date | None = None
    achieved_on: datetime.date | None = None


NEVER_NULL = frozenset({"priority", "position"})


def _changes(payload: Schema, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the caller sent (a PATCH changes only those); a null ``priority`` or
    ``position`` means "leave as is"."""
    return {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if name not in drop and not (name in NEVER_NULL and value is None)
    }


# --- endpoints --------------------------------------------------------------------------------


@router.get("/roadmaps/{roadmap_id}", response=RoadmapOut, summary="One roadmap in full")
def get_roadmap(request: HttpRequest, roadmap_id: int) -> Any:
    """Priorities (themes, pledges), actions (budgets in their currency and in USD), linked
    indicators, milestones and funding totals. A draft is a 404 to those who may not see it."""
    roadmap = selectors.roadmap_get(actor=request_actor(request), roadmap_id=roadmap_id)
    return roadmap_out(roadmap, language_of(request))


@router.patch(
    "/roadmaps/{roadmap_id}", response=RoadmapOut, auth=signed_in, summary="Change a roadmap"
)
def update_roadmap(request: HttpRequest, roadmap_id: int, payload: RoadmapPatchIn) -> Any:
    """Send the fields to change with the `lock_version` you read. For the country's focal
    points and curators."""
    services.roadmap_update(
        actor=request.auth,
        roadmap_id=roadmap_id,
        lock_version=payload.lock_version,
        source=AuditSource.API,
        **_changes(payload, drop=("lock_version",)),
    )
    roadmap = selectors.roadmap_get(actor=request.auth, roadmap_id=roadmap_id)
    return roadmap_out(roadmap, language_of(request))


@router.post(
    "/roadmaps/{roadmap_id}/priorities",
    response={201: PriorityOut},
    auth=signed_in,
    summary="Add a priority to a roadmap",
)
def create_priority(request: HttpRequest, roadmap_id: int, payload: PriorityIn) -> Any:
    priority = services.priority_create(
        actor=request.auth,
        roadmap_id=roadmap_id,
        title=payload.title,
        description=payload.description,
        themes=payload.themes,
        position=payload.position,
        source=AuditSource.API,
    )
    return Status(201, _written_priority(request, priority))


@router.patch(
    "/priorities/{priority_id}", response=PriorityOut, auth=signed_in, summary="Change a priority"
)
def update_priority(request: HttpRequest, priority_id: int, payload: PriorityPatchIn) -> Any:
    priority = services.priority_update(
        actor=request.auth, priority_id=priority_id, source=AuditSource.API, **_changes(payload)
    )
    return _written_priority(request, priority)


@router.delete(
    "/priorities/{priority_id}",
    response={204: None},
    auth=signed_in,
    summary="Delete a priority without actions",
)
def delete_priority(request: HttpRequest, priority_id: int) -> Any:
    services.priority_delete(actor=request.auth, priority_id=priority_id, source=AuditSource.API)
    return Status(204, None)


@router.post(
    "/priorities/{priority_id}/actions",
    response={201: ActionOut},
    auth=signed_in,
    summary="Add an action to a priority",
)
def create_action(request: HttpRequest, priority_id: int, payload: ActionIn) -> Any:
    """A negative budget or an unknown currency answers 400 naming the field. For the
    country's focal points and curators."""
    values = _changes(payload, drop=("title",))
    values = {name: value for name, value in values.items() if value is not None}
    action = services.action_create(
        actor=request.auth,
        priority_id=priority_id,
        title=payload.title,
        source=AuditSource.API,
        **values,
    )
    return Status(201, _written_action(request, action))


@router.patch(
    "/actions/{action_id}", response=ActionOut, auth=signed_in, summary="Change an action"
)
def update_action(request: HttpRequest, action_id: int, payload: ActionPatchIn) -> Any:
    """Send the fields to change with the `lock_version` you read; `priority` moves it within
    the roadmap. For the country's focal points and curators."""
    action = services.action_update(
        actor=request.auth,
        action_id=action_id,
        lock_version=payload.lock_version,
        source=AuditSource.API,
        **_changes(payload, drop=("lock_version",)),
    )
    return _written_action(request, action)


@router.delete(
    "/actions/{action_id}",
    response={204: None},
    auth=signed_in,
    summary="Delete an action never reported on",
)
def delete_action(request: HttpRequest, action_id: int) -> Any:
    services.action_delete(actor=request.auth, action_id=action_id, source=AuditSource.API)
    return Status(204, None)


@router.put(
    "/roadmaps/{roadmap_id}/indicators/{code}",
    response=RoadmapIndicatorOut,
    auth=signed_in,
    summary="Link an indicator to a roadmap, with its baseline and target",
)
def set_roadmap_indicator(
    request: HttpRequest, roadmap_id: int, code: str, payload: RoadmapIndicatorIn
) -> Any:
    link = services.roadmap_indicator_set(
        actor=request.auth,
        roadmap_id=roadmap_id,
        indicator=code,
        baseline_value=payload.baseline_value,
        baseline_year=payload.baseline_year,
        target_value=payload.target_value,
        target_year=payload.target_year,
        source=AuditSource.API,
    )
    return _indicator_out(link)


@router.delete(
    "/roadmaps/{roadmap_id}/indicators/{code}",
    response={204: None},
    auth=signed_in,
    summary="Unlink an indicator from a roadmap",
)
def remove_roadmap_indicator(request: HttpRequest, roadmap_id: int, code: str) -> Any:
    services.roadmap_indicator_remove(
        actor=request.auth, roadmap_id=roadmap_id, indicator=code, source=AuditSource.API
    )
    return Status(204, None)


@router.post(
    "/roadmaps/{roadmap_id}/milestones",
    response={201: MilestoneOut},
    auth=signed_in,
    summary="Add a milestone to a roadmap",
)
def create_milestone(request: HttpRequest, roadmap_id: int, payload: MilestoneIn) -> Any:
    milestone = services.milestone_create(
        actor=request.auth,
        roadmap_id=roadmap_id,
        title=payload.title,
        due_on=payload.due_on,
        achieved_on=payload.achieved_on,
        action_id=payload.action,
        source=AuditSource.API,
    )
    return Status(201, _milestone_out(milestone))


@router.patch(
    "/milestones/{milestone_id}",
    response=MilestoneOut,
    auth=signed_in,
    summary="Change a milestone (e.g. mark it achieved)",
)
def update_milestone(request: HttpRequest, milestone_id: int, payload: MilestonePatchIn) -> Any:
    milestone = services.milestone_update(
        actor=request.auth, milestone_id=milestone_id, source=AuditSource.API, **_changes(payload)
    )
    return _milestone_out(milestone)
