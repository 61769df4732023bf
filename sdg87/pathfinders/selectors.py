"""Reads of pathfinder content, with the visibility rules of :mod:`access` applied.

An object the actor may not see raises ``NotFound`` exactly as a missing one does.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from sdg87.accounts.permissions import can_act_for_country, country_codes, is_curator
from sdg87.core.errors import InvalidInput, NotFound
from sdg87.indicators import progress_service
from sdg87.pathfinders import access, funding
from sdg87.pathfinders.models import (
    Action,
    ActionStatus,
    AnnualReport,
    ExchangeRate,
    Milestone,
    Pathfinder,
    Priority,
    ReportActionUpdate,
    ReportStatus,
    Roadmap,
    RoadmapIndicator,
    RoadmapStatus,
)
from sdg87.pathfinders.timeliness import reporting_timeliness

ON_TRACK_ACTIONS = frozenset({ActionStatus.ON_TRACK, ActionStatus.DONE})
ON_TRACK_PROGRESS = frozenset({"target_achieved", "on_track", "substantial_progress"})
TIMELINESS_LABELS = {
    "green": gettext_noop("Reported within a year"),
    "amber": gettext_noop("Report overdue"),
    "red": gettext_noop("Report two years overdue"),
    "none": gettext_noop("First report not yet due"),
}


# --- registry ---------------------------------------------------------------------------------


def pathfinder_list() -> QuerySet[Pathfinder]:
    return Pathfinder.objects.select_related("country", "country__region")


def pathfinder_get(iso3: str) -> Pathfinder:
    code = (iso3 or "").strip().upper()
    found = pathfinder_list().filter(country__iso3=code).first()
    if found is None:
        raise NotFound(f"{code or '(empty)'} is not a pathfinder country", details={"iso3": code})
    return found


# --- roadmaps ---------------------------------------------------------------------------------


def _roadmap_queryset() -> QuerySet[Roadmap]:
    return Roadmap.objects.select_related("pathfinder__country").prefetch_related(
        Prefetch(
            "priorities",
            queryset=Priority.objects.prefetch_related(
                "themes",
                Prefetch(
                    "actions", queryset=Action.objects.prefetch_related("partners", "milestones")
                ),
                "pledges",
            ),
        ),
        "indicator_links__indicator",
        "milestones",
    )


def visible_roadmaps(actor: Any) -> QuerySet[Roadmap]:
    """Roadmaps the actor sees: every non-draft one, plus drafts of their countries."""
    queryset = Roadmap.objects.all()
    if is_curator(actor):
        return queryset
    return queryset.filter(
        ~Q(status=RoadmapStatus.DRAFT) | Q(pathfinder__country__iso3__in=country_codes(actor))
    )


def roadmap_get(*, actor: Any, roadmap_id: int) -> Roadmap:
    roadmap = _roadmap_queryset().filter(pk=roadmap_id).first()
    if roadmap is None or not access.can_see_roadmap(
        actor, iso3=roadmap.pathfinder.country.iso3, status=roadmap.status
    ):
        raise NotFound(f"no roadmap {roadmap_id}", details={"roadmap": roadmap_id})
    return roadmap


def roadmaps_of(*, actor: Any, iso3: str) -> list[Roadmap]:
    pathfinder = pathfinder_get(iso3)
    return list(
        visible_roadmaps(actor).filter(pathfinder=pathfinder).order_by("-period_start", "-id")
    )


def roadmap_current(*, actor: Any, iso3: str) -> Roadmap | None:
    """The roadmap to show: the newest adopted one, else the newest the actor may see that
    is not superseded."""
    roadmaps = _roadmap_queryset().filter(
        pk__in=visible_roadmaps(actor)
        .filter(pathfinder__country__iso3=(iso3 or "").upper())
        .exclude(status=RoadmapStatus.SUPERSEDED)
        .values("pk")
    )
    ranked = sorted(
        roadmaps,
        key=lambda item: (item.status != RoadmapStatus.ADOPTED, -item.period_start, -item.pk),
    )
    return ranked[0] if ranked else None


def action_get(*, actor: Any, action_id: int) -> Action:
    action = (
        Action.objects.select_related("priority__roadmap__pathfinder__country")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise NotFound(f"no action {action_id}", details={"action": action_id})
    roadmap = action.priority.roadmap
    if not access.can_see_roadmap(
        actor, iso3=roadmap.pathfinder.country.iso3, status=roadmap.status
    ):
        raise NotFound(f"no action {action_id}", details={"action": action_id})
    return action


# --- reports ----------------------------------------------------------------------------------


def _report_queryset() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.select_related("pathfinder__country", "roadmap", "supersedes")


def visible_reports(actor: Any) -> QuerySet[AnnualReport]:
    queryset = _report_queryset()
    if is_curator(actor):
        return queryset
    return queryset.filter(
        Q(status=ReportStatus.PUBLISHED) | Q(pathfinder__country__iso3__in=country_codes(actor))
    )


def report_list(*, actor: Any, iso3: str | None = None, status: str | None = None) -> Any:
    queryset = visible_reports(actor)
    if iso3:
        queryset = queryset.filter(pathfinder__country__iso3=iso3.upper())
    if status:
        if status not in ReportStatus.values:
            raise InvalidInput(
                f"unknown report status {status!r}",
                details={"status": f"one of {', '.join(ReportStatus.values)}"},
            )
        queryset = queryset.filter(status=status)
    return queryset.order_by("-year", "-version", "pathfinder__country__iso3")


def report_get(*, actor: Any, report_id: int) -> AnnualReport:
    report = (
        _report_queryset()
        .prefetch_related(
            "indicator_values__indicator",
            "action_updates__action__priority",
            "evidence",
            "transitions",
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or not access.can_see_report(
        actor, iso3=report.pathfinder.country.iso3, status=report.status
    ):
        raise NotFound(f"no report {report_id}", details={"report": report_id})
    report.roadmap_visible = report.roadmap is not None and access.can_see_roadmap(
        actor, iso3=report.pathfinder.country.iso3, status=report.roadmap.status
    )
    return report


def latest_published_report(iso3: str) -> AnnualReport | None:
    return (
        _report_queryset()
        .filter(pathfinder__country__iso3=iso3.upper(), status=ReportStatus.PUBLISHED)
        .order_by("-year", "-version")
        .first()
    )


def review_queue(*, actor: Any) -> list[AnnualReport]:
    """Reports waiting for a curator (submitted or resubmitted), oldest first; curators only."""
    if not is_curator(actor):
        return []
    return list(
        _report_queryset()
        .filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED])
        .order_by("submitted_at", "id")
    )


def reports_to_edit(*, actor: Any) -> list[AnnualReport]:
    """Drafts and returned reports of the actor's countries (every country for curators)."""
    queryset = _report_queryset().filter(
        status__in=[ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED]
    )
    if not is_curator(actor):
        queryset = queryset.filter(pathfinder__country__iso3__in=country_codes(actor))
    return list(queryset.order_by("pathfinder__country__name_en", "-year"))


# --- funding ----------------------------------------------------------------------------------


def rate_table() -> funding.RateTable:
    return funding.RateTable(
        funding.Rate(
            currency=rate.currency, rate_date=rate.rate_date, usd_per_unit=rate.usd_per_unit
        )
        for rate in ExchangeRate.objects.all()
    )


def exchange_rates() -> QuerySet[ExchangeRate]:
    return ExchangeRate.objects.all()


def budget_lines(roadmaps: Iterable[Roadmap]) -> list[funding.BudgetLine]:
    """The budget lines of roadmaps loaded with :func:`_roadmap_queryset` prefetches."""
    lines = []
    for roadmap in roadmaps:
        iso3 = roadmap.pathfinder.country.iso3
        for priority in roadmap.priorities.all():
            themes = tuple(theme.slug for theme in priority.themes.all())
            for action in priority.actions.all():
                lines.append(
                    funding.BudgetLine(
                        action_id=action.pk,
                        action_title=action.title,
                        priority_id=priority.pk,
                        priority_title=priority.title,
                        country=iso3,
                        currency=action.currency,
                        planned=action.budget_planned,
                        secured=action.budget_secured,
                        spent=action.budget_spent,
                        themes=themes,
                        cancelled=action.status == ActionStatus.CANCELLED,
                    )
                )
    return lines


def _roadmap_summary_queryset() -> QuerySet[Roadmap]:
    """What summaries and funding totals read of a roadmap: priorities with their themes and
    actions, linked indicators (not partners, milestones or pledges)."""
    return Roadmap.objects.select_related("pathfinder__country").prefetch_related(
        Prefetch(
            "priorities",
            queryset=Priority.objects.prefetch_related("themes", "actions"),
        ),
        "indicator_links__indicator",
    )


def current_roadmaps(actor: Any, *, iso3: str | None = None, light: bool = False) -> list[Roadmap]:
    """One current roadmap per pathfinder the actor can see (see :func:`roadmap_current`), of
    one country when ``iso3`` is given; ``light`` loads only what summaries need."""
    visible = visible_roadmaps(actor).exclude(status=RoadmapStatus.SUPERSEDED)
    if iso3:
        visible = visible.filter(pathfinder__country__iso3=iso3.upper())
    queryset = _roadmap_summary_queryset() if light else _roadmap_queryset()
    roadmaps = list(queryset.filter(pk__in=visible.values("pk")))
    best: dict[int, Roadmap] = {}
    for roadmap in sorted(
        roadmaps,
        key=lambda item: (item.status != RoadmapStatus.ADOPTED, -item.period_start, -item.pk),
    ):
        best.setdefault(roadmap.pathfinder_id, roadmap)
    return list(best.values())


@dataclass
class FundingView:
    """``priorities`` (with their roadmap) and ``pledges`` (the active ones, by priority id)
    hold every priority that has an action or an active pledge."""

    summary: funding.FundingSummary
    roadmaps: list[Roadmap]
    priorities: dict[int, Priority]
    pledges: dict[int, list[Any]] = field(default_factory=dict)
    history: list[tuple[int, funding.Totals]] = field(default_factory=list)


def _ranked(roadmaps: Iterable[Roadmap]) -> list[Roadmap]:
    """Roadmaps in the order :func:`roadmap_current` prefers them: adopted first, then the
    newest period, then the newest."""
    return sorted(
        roadmaps,
        key=lambda item: (item.status != RoadmapStatus.ADOPTED, -item.period_start, -item.pk),
    )


# The same preference in SQL (for a subquery picking the current roadmap of each pathfinder).
ADOPTED_FIRST = Case(
    When(status=RoadmapStatus.ADOPTED, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def _with_rates(actions: QuerySet[Action], day: datetime.date) -> QuerySet[Action]:
    """The actions, each with the exchange-rate row :class:`funding.RateTable` uses for its
    currency on ``day`` (``rate_usd_per_unit``, ``rate_on``; None when the currency has no
    rate): the latest dated on or before the day, else the earliest. Read in the same query,
    so a page needs no query of the whole table."""
    rates = ExchangeRate.objects.filter(currency=OuterRef("currency"))
    on_or_before = rates.filter(rate_date__lte=day).order_by("-rate_date")
    earliest = rates.order_by("rate_date")
    return actions.annotate(
        rate_usd_per_unit=Coalesce(
            Subquery(on_or_before.values("usd_per_unit")[:1]),
            Subquery(earliest.values("usd_per_unit")[:1]),
        ),
        rate_on=Coalesce(
            Subquery(on_or_before.values("rate_date")[:1]),
            Subquery(earliest.values("rate_date")[:1]),
        ),
    )


def _rates_of(actions: Iterable[Action]) -> funding.RateTable:
    """The rate table of the rows read by :func:`_with_rates` (it gives the same rate as the
    whole table on that day)."""
    return funding.RateTable(
        funding.Rate(
            currency=action.currency,
            rate_date=action.rate_on,  # type: ignore[attr-defined]
            usd_per_unit=action.rate_usd_per_unit,  # type: ignore[attr-defined]
        )
        for action in actions
        if getattr(action, "rate_usd_per_unit", None) is not None
    )


def _budget_line(
    action: Action, *, country: str, priority_title: str = "", themes: tuple[str, ...] = ()
) -> funding.BudgetLine:
    return funding.BudgetLine(
        action_id=action.pk,
        action_title=action.title,
        priority_id=action.priority_id,
        priority_title=priority_title,
        country=country,
        currency=action.currency,
        planned=action.budget_planned,
        secured=action.budget_secured,
        spent=action.budget_spent,
        themes=themes,
        cancelled=action.status == ActionStatus.CANCELLED,
    )


def _grouped(rows: Iterable[Any], *, extra: str, into: str, build: Any) -> list[Any]:
    """Rows of a query joined to a to-many relation (one row per related item, ``extra``
    the annotation naming it, None for none) folded back into one object per primary key,
    in order, with the related items as a list in ``into``."""
    objects: dict[int, Any] = {}
    for row in rows:
        found = objects.get(row.pk)
        if found is None:
            found = objects[row.pk] = row
            setattr(found, into, [])
        item = build(row)
        if getattr(row, extra) is not None:
            getattr(found, into).append(item)
    return list(objects.values())


def funding_view(
    *, actor: Any, iso3: str | None = None, on: datetime.date | None = None
) -> FundingView:
    """Funding gaps of the current roadmaps (one country's, or every pathfinder's): per action,
    priority, theme, country and in total, in USD; the pledges that cover each priority; and
    the totals reported in each year's published reports.

    A constant number of queries: the roadmaps, their actions with their priority and its
    themes, the active pledges of those priorities, the rate table and the history."""
    day = on or timezone.now().date()
    if iso3:
        pathfinder_get(iso3)
    visible = visible_roadmaps(actor).exclude(status=RoadmapStatus.SUPERSEDED)
    if iso3:
        visible = visible.filter(pathfinder__country__iso3=iso3.upper())
    best: dict[int, Roadmap] = {}
    for roadmap in _ranked(visible.select_related("pathfinder__country")):
        best.setdefault(roadmap.pathfinder_id, roadmap)
    roadmaps = list(best.values())
    by_id = {roadmap.pk: roadmap for roadmap in roadmaps}
    rank = {roadmap.pk: index for index, roadmap in enumerate(roadmaps)}
    actions = _grouped(
        Action.objects.filter(priority__roadmap_id__in=by_id)
        .select_related("priority")
        .annotate(theme_slug=F("priority__themes__slug"))
        .order_by("id", "priority__themes__position", "priority__themes__slug"),
        extra="theme_slug",
        into="theme_slugs",
        build=lambda row: row.theme_slug,
    )
    actions.sort(
        key=lambda action: (
            rank[action.priority.roadmap_id],
            action.priority.position,
            action.priority_id,
            action.position,
            action.pk,
        )
    )
    priorities: dict[int, Priority] = {}
    for action in actions:
        priority = priorities.setdefault(action.priority_id, action.priority)
        priority.roadmap = by_id[priority.roadmap_id]
    pledges: dict[int, list[Any]] = {pid: [] for pid in priorities}
    for link in (
        Priority.pledges.through.objects.filter(
            priority__roadmap_id__in=by_id, pledge__status="active"
        )
        .select_related("pledge", "priority")
        .order_by("-pledge__last_reported_at", "-pledge_id")
    ):
        if link.priority_id not in priorities:
            priorities[link.priority_id] = link.priority
            link.priority.roadmap = by_id[link.priority.roadmap_id]
        pledges.setdefault(link.priority_id, []).append(link.pledge)
    rates = rate_table()
    lines = [
        _budget_line(
            action,
            country=by_id[action.priority.roadmap_id].pathfinder.country.iso3,
            priority_title=action.priority.title,
            themes=tuple(action.theme_slugs),  # type: ignore[attr-defined]
        )
        for action in actions
    ]
    return FundingView(
        summary=funding.funding_summary(lines, rates, day),
        roadmaps=roadmaps,
        priorities=priorities,
        pledges=pledges,
        history=funding_history(iso3=iso3, rates=rates),
    )


def funding_history(
    *, iso3: str | None = None, rates: funding.RateTable | None = None
) -> list[tuple[int, funding.Totals]]:
    """Totals by report year, from the budgets given in published reports (the newest
    published version per country and year). One query (and the rate table unless given)."""
    newer = AnnualReport.objects.filter(
        status=ReportStatus.PUBLISHED,
        pathfinder_id=OuterRef("report__pathfinder_id"),
        year=OuterRef("report__year"),
        version__gt=OuterRef("report__version"),
    )
    updates = (
        ReportActionUpdate.objects.filter(report__status=ReportStatus.PUBLISHED)
        .filter(~Exists(newer))
        .select_related("action__priority", "report__pathfinder__country")
    )
    if iso3:
        updates = updates.filter(report__pathfinder__country__iso3=iso3.upper())
    lines_by_year: dict[int, list[funding.BudgetLine]] = defaultdict(list)
    for update in updates:
        action = update.action
        lines_by_year[update.report.year].append(
            funding.BudgetLine(
                action_id=action.pk,
                action_title=action.title,
                priority_id=action.priority_id,
                priority_title=action.priority.title,
                country=update.report.pathfinder.country.iso3,
                currency=action.currency,
                planned=update.budget_planned,
                secured=update.budget_secured,
                spent=update.budget_spent,
                cancelled=update.status == ActionStatus.CANCELLED,
            )
        )
    return funding.gap_by_year(lines_by_year, rates or rate_table())


# --- summaries for the overview, the API and the country profile ----------------------------


def _url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _share_on_track(actions: list[Action]) -> float | None:
    counted = [action for action in actions if action.status != ActionStatus.CANCELLED]
    if not counted:
        return None
    return sum(action.status in ON_TRACK_ACTIONS for action in counted) / len(counted)


def _timeliness(pathfinder: Pathfinder, report: AnnualReport | None, today: datetime.date) -> str:
    """The reporting light from the latest published report (or the date it joined)."""
    published_on = report.published_at.date() if report and report.published_at else None
    return reporting_timeliness(
        last_published=published_on, joined_on=pathfinder.joined_on, today=today
    )


ROADMAP_SUMMARY_FIELDS = ("id", "title", "status", "period_start", "period_end", "adopted_on")
REPORT_SUMMARY_FIELDS = ("id", "year", "version", "published_at")


def _pathfinders_with_current(actor: Any) -> QuerySet[Pathfinder]:
    """Pathfinders with their country and, read in the same query, the fields of the current
    roadmap the actor may see (:func:`roadmap_current`) and of the latest published report;
    :func:`_current_of` turns them back into objects."""
    current = (
        visible_roadmaps(actor)
        .exclude(status=RoadmapStatus.SUPERSEDED)
        .filter(pathfinder_id=OuterRef("pk"))
        .order_by(ADOPTED_FIRST, "-period_start", "-pk")
    )
    latest = AnnualReport.objects.filter(
        pathfinder_id=OuterRef("pk"), status=ReportStatus.PUBLISHED
    ).order_by("-year", "-version")
    annotations = {
        f"roadmap_{name}": Subquery(current.values(name)[:1])
        for name in (*ROADMAP_SUMMARY_FIELDS, "is_example")
    }
    annotations.update(
        {
            f"report_{name}": Subquery(latest.values(name)[:1])
            for name in (*REPORT_SUMMARY_FIELDS, "is_example")
        }
    )
    return pathfinder_list().annotate(**annotations)


def _current_of(pathfinder: Pathfinder) -> tuple[Roadmap | None, AnnualReport | None]:
    """The current roadmap and the latest published report read by
    :func:`_pathfinders_with_current` (None when there is none)."""
    values = vars(pathfinder)
    roadmap = report = None
    if values["roadmap_id"] is not None:
        roadmap = Roadmap(
            pathfinder=pathfinder,
            is_example=bool(values["roadmap_is_example"]),
            **{name: values[f"roadmap_{name}"] for name in ROADMAP_SUMMARY_FIELDS},
        )
    if values["report_id"] is not None:
        report = AnnualReport(
            pathfinder=pathfinder,
            status=ReportStatus.PUBLISHED,
            is_example=bool(values["report_is_example"]),
            **{name: values[f"report_{name}"] for name in REPORT_SUMMARY_FIELDS},
        )
    return roadmap, report


def _summary_rows(
    actor: Any, *, iso3: str | None = None, with_indicators: bool
) -> list[dict[str, Any]]:
    """The summary of each pathfinder (of one country when ``iso3`` is given), in a constant
    number of queries: the pathfinders with their current roadmap and latest report, the
    roadmaps' actions with their exchange rates and, ``with_indicators``, the linked
    indicators and their observations."""
    today = timezone.now().date()
    pathfinders = _pathfinders_with_current(actor)
    if iso3 is not None:
        pathfinders = pathfinders.filter(country__iso3=(iso3 or "").upper())
    current = {pathfinder.pk: (pathfinder, *_current_of(pathfinder)) for pathfinder in pathfinders}
    roadmap_ids = [roadmap.pk for _pf, roadmap, _report in current.values() if roadmap]
    actions: dict[int, list[Action]] = defaultdict(list)
    if roadmap_ids:
        for action in _with_rates(
            Action.objects.filter(priority__roadmap_id__in=roadmap_ids).annotate(
                roadmap_id=F("priority__roadmap_id")
            ),
            today,
        ):
            actions[action.roadmap_id].append(action)  # type: ignore[attr-defined]
    counts: dict[int, tuple[int, int]] = {}
    if with_indicators and roadmap_ids:
        links: dict[int, list[RoadmapIndicator]] = defaultdict(list)
        for link in RoadmapIndicator.objects.filter(roadmap_id__in=roadmap_ids).select_related(
            "indicator"
        ):
            links[link.roadmap_id].append(link)
        counts = _on_track_counts(
            {
                roadmap.pk: (pathfinder.country, links[roadmap.pk])
                for pathfinder, roadmap, _report in current.values()
                if roadmap
            }
        )
    return [
        _summary_for(
            pathfinder,
            roadmap,
            actions[roadmap.pk] if roadmap else [],
            report,
            today,
            on_track=counts.get(roadmap.pk, (0, 0)) if roadmap else (0, 0),
        )
        for pathfinder, roadmap, report in current.values()
    ]


def _on_track_counts(
    links: dict[int, tuple[Any, list[RoadmapIndicator]]],
) -> dict[int, tuple[int, int]]:
    """(indicators on track, indicators assessed) per roadmap id, from (country, indicator
    links) per roadmap, by the Open SDG method (target achieved, on track or substantial
    progress); one query for all of them."""
    results = progress_service.progress_for_pairs(
        (link.indicator, country) for country, items in links.values() for link in items
    )
    counts = {}
    for roadmap_id, (country, items) in links.items():
        on_track = assessed = 0
        for link in items:
            result = results.get((link.indicator_id, country.pk))
            status = str(result.open_sdg.status) if result is not None else "no_result"
            if status == "no_result":
                continue
            assessed += 1
            on_track += status in ON_TRACK_PROGRESS
        counts[roadmap_id] = (on_track, assessed)
    return counts


def _summary_for(
    pathfinder: Pathfinder,
    roadmap: Roadmap | None,
    actions: list[Action],
    report: AnnualReport | None,
    today: datetime.date,
    *,
    on_track: tuple[int, int],
) -> dict[str, Any]:
    """``actions`` are the roadmap's, read with :func:`_with_rates`."""
    from django.utils.translation import gettext

    iso3 = pathfinder.country.iso3
    lines = [_budget_line(action, country=iso3) for action in actions]
    summary = funding.funding_summary(lines, _rates_of(actions), today)
    light = _timeliness(pathfinder, report, today)
    return {
        "iso3": iso3,
        "country": pathfinder.country,
        "example": pathfinder.is_example,
        "status": pathfinder.status,
        "status_label": str(pathfinder.get_status_display()),
        "joined_on": pathfinder.joined_on,
        "roadmap": None
        if roadmap is None
        else {
            "id": roadmap.pk,
            "title": roadmap.title,
            "status": roadmap.status,
            "status_label": str(roadmap.get_status_display()),
            "period_start": roadmap.period_start,
            "period_end": roadmap.period_end,
            "adopted_on": roadmap.adopted_on,
            "example": roadmap.is_example,
        },
        "actions_total": len(actions),
        "actions_on_track": sum(action.status in ON_TRACK_ACTIONS for action in actions),
        "actions_on_track_share": _share_on_track(actions),
        "funding": {
            "planned_usd": summary.total.planned_usd,
            "secured_usd": summary.total.secured_usd,
            "spent_usd": summary.total.spent_usd,
            "gap_usd": summary.total.gap_usd,
            "missing_rates": summary.missing_rates,
        },
        "latest_report": None
        if report is None
        else {
            "id": report.pk,
            "year": report.year,
            "version": report.version,
            "published_at": report.published_at,
            "example": report.is_example,
            "url": _url("pathfinders:report", pk=report.pk),
        },
        "timeliness": light,
        "timeliness_label": gettext(TIMELINESS_LABELS[light]),
        "indicators_on_track": on_track[0],
        "indicators_assessed": on_track[1],
        "url": _url("pathfinders:detail", iso3=iso3),
    }


def pathfinder_summary(
    *, iso3: str, actor: Any = None, with_indicators: bool = True
) -> dict[str, Any] | None:
    """The pathfinder status of one country; None when not a pathfinder. Two queries, four
    ``with_indicators`` (the indicators on track, which the country profile does not show)."""
    rows = _summary_rows(actor, iso3=iso3 or "", with_indicators=with_indicators)
    return rows[0] if rows else None


def pathfinder_overview(*, actor: Any = None, with_indicators: bool = True) -> list[dict[str, Any]]:
    """One summary per pathfinder country (for the overview page, its map and the API)."""
    return _summary_rows(actor, with_indicators=with_indicators)


def can_edit(actor: Any, iso3: str) -> bool:
    return can_act_for_country(actor, iso3)


# --- for the API ------------------------------------------------------------------------------


@dataclass
class RoadmapFunding:
    """A roadmap's funding in USD: the summary over its (non-cancelled) actions and the
    conversion of every action, cancelled ones included, at the rates of ``summary.on``."""

    summary: funding.FundingSummary
    actions: dict[int, funding.ActionFunding]


def roadmap_funding(roadmap: Roadmap, *, on: datetime.date | None = None) -> RoadmapFunding:
    """Funding of a roadmap loaded by :func:`roadmap_get` or :func:`roadmap_current`."""
    day = on or timezone.now().date()
    rates = rate_table()
    lines = budget_lines([roadmap])
    return RoadmapFunding(
        summary=funding.funding_summary(lines, rates, day),
        actions={line.action_id: funding.action_totals(line, rates, day) for line in lines},
    )


# --- for the pages (added with the pathfinder pages) ------------------------------------------


def _part_of_visible_roadmap(actor: Any, queryset: QuerySet[Any], pk: int, kind: str) -> Any:
    """The row ``pk`` of a model that belongs to a roadmap (``.roadmap``), if the actor may see
    that roadmap; ``NotFound`` naming ``kind`` otherwise (a hidden one looks missing)."""
    found = queryset.select_related("roadmap__pathfinder__country").filter(pk=pk).first()
    if found is None or not access.can_see_roadmap(
        actor, iso3=found.roadmap.pathfinder.country.iso3, status=found.roadmap.status
    ):
        raise NotFound(f"no {kind} {pk}", details={kind: pk})
    return found


def milestone_get(*, actor: Any, milestone_id: int) -> Milestone:
    """A milestone of a roadmap the actor may see (``NotFound`` otherwise)."""
    return _part_of_visible_roadmap(actor, Milestone.objects.all(), milestone_id, "milestone")


def priority_get(*, actor: Any, priority_id: int) -> Priority:
    """A priority of a roadmap the actor may see (``NotFound`` otherwise), with its themes."""
    return _part_of_visible_roadmap(
        actor, Priority.objects.prefetch_related("themes"), priority_id, "priority"
    )


def report_actions(report: AnnualReport) -> list[Action]:
    """The actions a report can give a status update for: those of its roadmap, in order
    (with their priority), or none when the report has no roadmap."""
    if report.roadmap_id is None:
        return []
    return list(
        Action.objects.filter(priority__roadmap_id=report.roadmap_id)
        .select_related("priority")
        .order_by("priority__position", "priority_id", "position", "id")
    )


def report_versions(report: AnnualReport, *, actor: Any) -> list[AnnualReport]:
    """Every version of the report's country and year the actor may see, newest first."""
    return list(
        visible_reports(actor)
        .filter(pathfinder_id=report.pathfinder_id, year=report.year)
        .order_by("-version")
    )


# --- pledges and roadmap priorities (used by the partners app) -----------------------------


def priorities_visible(*, actor: Any, priority_ids: list[int]) -> list[Priority]:
    """The priorities among ``priority_ids`` whose roadmap the actor may see."""
    return list(Priority.objects.filter(pk__in=priority_ids, roadmap__in=visible_roadmaps(actor)))


def priorities_of_pledge(*, pledge_id: int, actor: Any = None) -> list[dict[str, Any]]:
    """The roadmap priorities a pledge supports that the actor may see."""
    priorities = (
        Priority.objects.filter(pledges__pk=pledge_id, roadmap__in=visible_roadmaps(actor))
        .select_related("roadmap__pathfinder__country")
        .order_by("roadmap__pathfinder__country__iso3", "position", "pk")
    )
    return [
        {
            "id": priority.pk,
            "title": priority.title,
            "country": priority.roadmap.pathfinder.country.iso3,
            "roadmap": priority.roadmap_id,
        }
        for priority in priorities
    ]


def exchange_rate_list(*, currency: str | None = None) -> QuerySet[ExchangeRate]:
    """The exchange-rate table (public), optionally of one currency."""
    rates = ExchangeRate.objects.all()
    if currency:
        rates = rates.filter(currency=currency.strip().upper())
    return rates


def visible_action_updates(*, actor: Any, report: AnnualReport) -> list[Any]:
    """The report's action updates whose roadmap the actor may see: a published report never
    shows the actions of a roadmap that is still a draft."""
    iso3 = report.pathfinder.country.iso3
    return [
        update
        for update in report.action_updates.select_related("action__priority__roadmap")
        if access.can_see_roadmap(actor, iso3=iso3, status=update.action.priority.roadmap.status)
    ]


def priority_choices(*, actor: Any) -> list[tuple[str, str]]:
    """(id, "ISO3 — roadmap priority") for every priority of a roadmap the actor may see, for
    the pledge form."""
    priorities = (
        Priority.objects.filter(roadmap__in=visible_roadmaps(actor))
        .select_related("roadmap__pathfinder__country")
        .order_by("roadmap__pathfinder__country__iso3", "roadmap_id", "position", "pk")
    )
    return [
        (
            str(priority.pk),
            f"{priority.roadmap.pathfinder.country.iso3} — {priority.title}",
        )
        for priority in priorities
    ]


# --- the page of one pathfinder country ---------------------------------------------------------


@dataclass
class PathfinderPage:
    """What the page of one pathfinder country shows. ``roadmap`` (the current one) carries
    its ``priority_list`` (each with ``theme_list``, ``action_list``, ``active_pledges``; each
    action with ``partner_list`` and ``funding``), ``milestone_list`` (each with
    ``action_title``) and ``indicator_list``."""

    pathfinder: Pathfinder
    roadmap: Roadmap | None
    other_roadmaps: list[Roadmap]
    reports: list[AnnualReport]
    summary: dict[str, Any]
    funding: funding.FundingSummary


def _theme_of(row: Priority) -> Any:
    from sdg87.framework.models import Theme

    return Theme(
        id=row.theme_id,  # type: ignore[attr-defined]
        slug=row.theme_slug,  # type: ignore[attr-defined]
        name_en=row.theme_name_en,  # type: ignore[attr-defined]
        name_fr=row.theme_name_fr,  # type: ignore[attr-defined]
        name_es=row.theme_name_es,  # type: ignore[attr-defined]
    )


def _partner_of(row: Action) -> Any:
    return Action.partners.field.related_model(
        id=row.partner_id,  # type: ignore[attr-defined]
        name=row.partner_name,  # type: ignore[attr-defined]
    )


def pathfinder_page(*, actor: Any, iso3: str, on: datetime.date | None = None) -> PathfinderPage:
    """The page of one pathfinder country, in at most seven queries whatever the size of its
    roadmap: the roadmaps the actor sees (with the pathfinder), the current roadmap's
    priorities with their themes, its actions with their partners and exchange rates, the
    active pledges of its priorities, its milestones, its indicators, and the reports the
    actor sees. ``NotFound`` when the country is not a pathfinder."""
    from django.utils.translation import gettext

    day = on or timezone.now().date()
    code = (iso3 or "").strip().upper()
    roadmaps = list(
        visible_roadmaps(actor)
        .filter(pathfinder__country__iso3=code)
        .select_related("pathfinder__country", "pathfinder__country__region")
        .order_by("-period_start", "-id")
    )
    pathfinder = roadmaps[0].pathfinder if roadmaps else pathfinder_get(code)
    ranked = _ranked(item for item in roadmaps if item.status != RoadmapStatus.SUPERSEDED)
    roadmap = ranked[0] if ranked else None
    summary = funding.funding_summary([], funding.RateTable([]), day)
    if roadmap is not None:
        summary = _load_roadmap_tree(roadmap, day)
    reports = list(report_list(actor=actor, iso3=code))
    latest = next((item for item in reports if item.status == ReportStatus.PUBLISHED), None)
    light = _timeliness(pathfinder, latest, day)
    return PathfinderPage(
        pathfinder=pathfinder,
        roadmap=roadmap,
        other_roadmaps=[item for item in roadmaps if roadmap is None or item.pk != roadmap.pk],
        reports=reports,
        summary={
            "timeliness": light,
            "timeliness_label": gettext(TIMELINESS_LABELS[light]),
            "latest_report": latest,
        },
        funding=summary,
    )


def _load_roadmap_tree(roadmap: Roadmap, day: datetime.date) -> funding.FundingSummary:
    """Puts the roadmap's priorities, actions, milestones and indicators on it (see
    :class:`PathfinderPage`); returns the funding summary of its actions. Five queries."""
    priorities = _grouped(
        Priority.objects.filter(roadmap=roadmap)
        .annotate(
            theme_id=F("themes__id"),
            theme_slug=F("themes__slug"),
            theme_name_en=F("themes__name_en"),
            theme_name_fr=F("themes__name_fr"),
            theme_name_es=F("themes__name_es"),
        )
        .order_by("position", "id", "themes__position", "themes__slug"),
        extra="theme_id",
        into="theme_list",
        build=_theme_of,
    )
    actions = _grouped(
        _with_rates(
            Action.objects.filter(priority__roadmap=roadmap).annotate(
                partner_id=F("partners__id"), partner_name=F("partners__name")
            ),
            day,
        ).order_by("priority_id", "position", "id", "partners__name", "partners__id"),
        extra="partner_id",
        into="partner_list",
        build=_partner_of,
    )
    by_priority: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_priority[action.priority_id].append(action)
    pledges: dict[int, list[Any]] = defaultdict(list)
    for link in (
        Priority.pledges.through.objects.filter(priority__roadmap=roadmap, pledge__status="active")
        .select_related("pledge")
        .order_by("-pledge__last_reported_at", "-pledge_id")
    ):
        pledges[link.priority_id].append(link.pledge)
    iso3 = roadmap.pathfinder.country.iso3
    lines = []
    for priority in priorities:
        priority.action_list = by_priority.get(priority.pk, [])  # type: ignore[attr-defined]
        priority.active_pledges = pledges.get(priority.pk, [])  # type: ignore[attr-defined]
        themes = tuple(theme.slug for theme in priority.theme_list)  # type: ignore[attr-defined]
        lines += [
            _budget_line(action, country=iso3, priority_title=priority.title, themes=themes)
            for action in priority.action_list  # type: ignore[attr-defined]
        ]
    summary = funding.funding_summary(lines, _rates_of(actions), day)
    money = {item.line.action_id: item for item in summary.actions}
    titles = {}
    for action in actions:
        action.funding = money.get(action.pk)  # type: ignore[attr-defined]
        titles[action.pk] = action.title
    milestones = list(Milestone.objects.filter(roadmap=roadmap))
    for milestone in milestones:
        milestone.action_title = titles.get(milestone.action_id)  # type: ignore[attr-defined]
    roadmap.priority_list = priorities  # type: ignore[attr-defined]
    roadmap.milestone_list = milestones  # type: ignore[attr-defined]
    roadmap.indicator_list = list(  # type: ignore[attr-defined]
        RoadmapIndicator.objects.filter(roadmap=roadmap).select_related("indicator")
    )
    return summary
