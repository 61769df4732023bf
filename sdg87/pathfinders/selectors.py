"""Reads of pathfinder content, with the visibility rules of :mod:`access` applied.

An object the actor may not see raises ``NotFound`` exactly as a missing one does.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
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
    Pathfinder,
    Priority,
    ReportActionUpdate,
    ReportStatus,
    Roadmap,
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
    summary: funding.FundingSummary
    roadmaps: list[Roadmap]
    priorities: dict[int, Priority]
    pledges: dict[int, list[Any]] = field(default_factory=dict)
    history: list[tuple[int, funding.Totals]] = field(default_factory=list)


def funding_view(
    *, actor: Any, iso3: str | None = None, on: datetime.date | None = None
) -> FundingView:
    """Funding gaps of the current roadmaps (one country's, or every pathfinder's): per action,
    priority, theme, country and in total, in USD; the pledges that cover each priority; and
    the totals reported in each year's published reports."""
    day = on or timezone.now().date()
    if iso3:
        pathfinder_get(iso3)
    roadmaps = current_roadmaps(actor, iso3=iso3)
    rates = rate_table()
    summary = funding.funding_summary(budget_lines(roadmaps), rates, day)
    priorities = {
        priority.pk: priority for roadmap in roadmaps for priority in roadmap.priorities.all()
    }
    pledges = {
        pid: [pledge for pledge in priority.pledges.all() if pledge.status == "active"]
        for pid, priority in priorities.items()
    }
    return FundingView(
        summary=summary,
        roadmaps=roadmaps,
        priorities=priorities,
        pledges=pledges,
        history=funding_history(iso3=iso3, rates=rates),
    )


def funding_history(
    *, iso3: str | None = None, rates: funding.RateTable | None = None
) -> list[tuple[int, funding.Totals]]:
    """Totals by report year, from the budgets given in published reports (the newest
    published version per country and year)."""
    reports = AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)
    if iso3:
        reports = reports.filter(pathfinder__country__iso3=iso3.upper())
    newest: dict[tuple[int, int], int] = {}
    for report_id, pathfinder_id, year, _version in reports.order_by("version").values_list(
        "pk", "pathfinder_id", "year", "version"
    ):
        newest[(pathfinder_id, year)] = report_id
    year_of = {report_id: year for (_pid, year), report_id in newest.items()}
    lines_by_year: dict[int, list[funding.BudgetLine]] = defaultdict(list)
    updates = ReportActionUpdate.objects.filter(report_id__in=year_of).select_related(
        "action__priority", "report__pathfinder__country"
    )
    for update in updates:
        action = update.action
        lines_by_year[year_of[update.report_id]].append(
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


def indicators_on_track_by_roadmap(roadmaps: Iterable[Roadmap]) -> dict[int, tuple[int, int]]:
    """(indicators on track, indicators assessed) per roadmap id, for the roadmaps' linked
    indicators in their country, by the Open SDG method (target achieved, on track or
    substantial progress); one query for all of them."""
    roadmaps = [roadmap for roadmap in roadmaps if roadmap is not None]
    pairs = [
        (link.indicator, roadmap.pathfinder.country)
        for roadmap in roadmaps
        for link in roadmap.indicator_links.all()
    ]
    results = progress_service.progress_for_pairs(pairs)
    counts = {}
    for roadmap in roadmaps:
        on_track = assessed = 0
        for link in roadmap.indicator_links.all():
            result = results.get((link.indicator_id, roadmap.pathfinder.country_id))
            status = str(result.open_sdg.status) if result is not None else "no_result"
            if status == "no_result":
                continue
            assessed += 1
            on_track += status in ON_TRACK_PROGRESS
        counts[roadmap.pk] = (on_track, assessed)
    return counts


def indicators_on_track(roadmap: Roadmap) -> tuple[int, int]:
    """:func:`indicators_on_track_by_roadmap` for one roadmap."""
    return indicators_on_track_by_roadmap([roadmap]).get(roadmap.pk, (0, 0))


def _timeliness(pathfinder: Pathfinder, report: AnnualReport | None, today: datetime.date) -> str:
    """The reporting light from the latest published report (or the date it joined)."""
    published_on = report.published_at.date() if report and report.published_at else None
    return reporting_timeliness(
        last_published=published_on, joined_on=pathfinder.joined_on, today=today
    )


def _summary_for(
    pathfinder: Pathfinder,
    roadmap: Roadmap | None,
    report: AnnualReport | None,
    rates: funding.RateTable,
    today: datetime.date,
    *,
    with_indicators: bool,
    on_track_counts: dict[int, tuple[int, int]] | None = None,
) -> dict[str, Any]:
    from django.utils.translation import gettext

    actions = (
        [action for priority in roadmap.priorities.all() for action in priority.actions.all()]
        if roadmap
        else []
    )
    summary = funding.funding_summary(budget_lines([roadmap] if roadmap else []), rates, today)
    light = _timeliness(pathfinder, report, today)
    if roadmap is None or not with_indicators:
        on_track, assessed = 0, 0
    elif on_track_counts is not None:
        on_track, assessed = on_track_counts.get(roadmap.pk, (0, 0))
    else:
        on_track, assessed = indicators_on_track(roadmap)
    iso3 = pathfinder.country.iso3
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
        "indicators_on_track": on_track,
        "indicators_assessed": assessed,
        "url": _url("pathfinders:detail", iso3=iso3),
    }


def pathfinder_summary(*, iso3: str, actor: Any = None) -> dict[str, Any] | None:
    """The pathfinder status of one country for its profile; None when not a pathfinder."""
    pathfinder = pathfinder_list().filter(country__iso3=(iso3 or "").upper()).first()
    if pathfinder is None:
        return None
    current = current_roadmaps(actor, iso3=pathfinder.country.iso3, light=True)
    return _summary_for(
        pathfinder,
        current[0] if current else None,
        latest_published_report(pathfinder.country.iso3),
        rate_table(),
        timezone.now().date(),
        with_indicators=True,
    )


def pathfinder_overview(*, actor: Any = None, with_indicators: bool = True) -> list[dict[str, Any]]:
    """One summary per pathfinder country (for the overview page, its map and the API)."""
    pathfinders = list(pathfinder_list())
    roadmaps = {roadmap.pathfinder_id: roadmap for roadmap in current_roadmaps(actor, light=True)}
    latest: dict[int, AnnualReport] = {}
    for report in (
        _report_queryset().filter(status=ReportStatus.PUBLISHED).order_by("year", "version")
    ):
        latest[report.pathfinder_id] = report
    rates = rate_table()
    today = timezone.now().date()
    counts = indicators_on_track_by_roadmap(roadmaps.values()) if with_indicators else {}
    return [
        _summary_for(
            pathfinder,
            roadmaps.get(pathfinder.pk),
            latest.get(pathfinder.pk),
            rates,
            today,
            with_indicators=with_indicators,
            on_track_counts=counts,
        )
        for pathfinder in pathfinders
    ]


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


def priority_get(*, actor: Any, priority_id: int) -> Priority:
    """A priority of a roadmap the actor may see (``NotFound`` otherwise), with its themes."""
    priority = (
        Priority.objects.select_related("roadmap__pathfinder__country")
        .prefetch_related("themes")
        .filter(pk=priority_id)
        .first()
    )
    if priority is None or not access.can_see_roadmap(
        actor, iso3=priority.roadmap.pathfinder.country.iso3, status=priority.roadmap.status
    ):
        raise NotFound(f"no priority {priority_id}", details={"priority": priority_id})
    return priority


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


def reporting_status(pathfinder: Pathfinder) -> dict[str, Any]:
    """The reporting timeliness light of one pathfinder and its latest published report (the
    part of :func:`pathfinder_summary` a country page needs, without reloading the roadmap)."""
    from django.utils.translation import gettext

    report = latest_published_report(pathfinder.country.iso3)
    light = _timeliness(pathfinder, report, timezone.now().date())
    return {
        "timeliness": light,
        "timeliness_label": gettext(TIMELINESS_LABELS[light]),
        "latest_report": report,
    }


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
