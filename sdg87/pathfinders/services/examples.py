"""The bundled example content (data/examples/pathfinders.json): load and remove.

The bundled data has no real roadmaps, so example pathfinders, roadmaps and reports show how
the workflow works. Everything loaded here is flagged ``is_example`` (exchange rates carry a
source beginning with "Example") and is labelled "example" wherever it appears. The loader is
idempotent and never touches a country that already has a real (non-example) pathfinder.
``examples_remove`` deletes all of it, including the observations that the example reports'
approval wrote. Written by the system (no signed-in actor), audited.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sdg87.core.audit import audit_record
from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.core.reports import LoadReport
from sdg87.indicators.services.removal import observations_delete_by_source
from sdg87.pathfinders.models import (
    Action,
    AnnualReport,
    ExchangeRate,
    Milestone,
    Pathfinder,
    Priority,
    ReportActionUpdate,
    ReportEvidence,
    ReportIndicatorValue,
    ReportStatus,
    ReportTransition,
    Roadmap,
    RoadmapIndicator,
)
from sdg87.pathfinders.services import common
from sdg87.pathfinders.services.reports import (
    NARRATIVE_FIELDS,
    REPORT_SERIES,
    _import_values,
    report_source_label,
)

EXAMPLES_FILE = Path("examples") / "pathfinders.json"
EXAMPLE_RATE_SOURCE = "Example"
# The steps a report went through to reach each status (for its history).
PATHS = {
    ReportStatus.DRAFT: [],
    ReportStatus.SUBMITTED: [("submit", ReportStatus.DRAFT, ReportStatus.SUBMITTED)],
    ReportStatus.APPROVED: [
        ("submit", ReportStatus.DRAFT, ReportStatus.SUBMITTED),
        ("approve", ReportStatus.SUBMITTED, ReportStatus.APPROVED),
    ],
    ReportStatus.PUBLISHED: [
        ("submit", ReportStatus.DRAFT, ReportStatus.SUBMITTED),
        ("approve", ReportStatus.SUBMITTED, ReportStatus.APPROVED),
        ("publish", ReportStatus.APPROVED, ReportStatus.PUBLISHED),
    ],
}


def _document(data_dir: Path) -> dict[str, Any]:
    path = data_dir / EXAMPLES_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})",
            details={"file": str(path), "line": exc.lineno},
        ) from None


@transaction.atomic
def examples_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Load the example pathfinders unless ``settings.PATHFINDER_EXAMPLES`` is false."""
    if not getattr(settings, "PATHFINDER_EXAMPLES", True):
        return []
    document = _document(data_dir)
    if not document:
        return []
    report = LoadReport(name="pathfinders: example content")
    for item in document.get("exchange_rates", []):
        code = common.currency(item["currency"])
        day = common.date(item["rate_date"], field="rate_date")
        _rate, created = ExchangeRate.objects.get_or_create(
            currency=code,
            rate_date=day,
            defaults={
                "usd_per_unit": item["usd_per_unit"],
                "source": str(item.get("source", EXAMPLE_RATE_SOURCE))[:255],
            },
        )
        report.created += created
        report.unchanged += not created
    for item in document.get("pathfinders", []):
        country = common.country(item["country"])
        existing = Pathfinder.objects.filter(country=country).first()
        if existing is not None:
            report.unchanged += 1
            continue
        _load_pathfinder(item, country)
        report.created += 1
    return [report]


def _load_pathfinder(item: dict[str, Any], country: Any) -> None:
    pathfinder = Pathfinder.objects.create(
        country=country,
        joined_on=common.date(item["joined_on"], field="joined_on"),
        status=item.get("status", "active"),
        summary=item.get("summary", ""),
        contact=item.get("contact", ""),
        is_example=True,
    )
    audit_record(
        actor=None,
        action="create",
        instance=pathfinder,
        after={"country": country.iso3, "example": True},
        source=AuditSource.CLI,
    )
    actions: list[Action] = []
    spec = item.get("roadmap")
    roadmap = None
    if spec:
        roadmap = Roadmap.objects.create(
            pathfinder=pathfinder,
            title=spec["title"],
            period_start=spec["period_start"],
            period_end=spec["period_end"],
            adopted_on=common.date(spec.get("adopted_on"), field="adopted_on"),
            status=spec.get("status", "draft"),
            consultation=spec.get("consultation", ""),
            is_example=True,
        )
        for position, priority_spec in enumerate(spec.get("priorities", []), start=1):
            priority = Priority.objects.create(
                roadmap=roadmap,
                position=position,
                title=priority_spec["title"],
                description=priority_spec.get("description", ""),
            )
            priority.themes.set(common.themes(priority_spec.get("themes", [])))
            for action_position, action_spec in enumerate(priority_spec.get("actions", []), 1):
                actions.append(
                    Action.objects.create(
                        priority=priority,
                        position=action_position,
                        title=action_spec["title"],
                        lead_agency=action_spec.get("lead_agency", ""),
                        start_date=common.date(action_spec.get("start_date"), field="start_date"),
                        end_date=common.date(action_spec.get("end_date"), field="end_date"),
                        status=action_spec.get("status", "not_started"),
                        currency=common.currency(action_spec.get("currency", "USD")),
                        budget_planned=common.amount(
                            action_spec.get("budget_planned"), field="budget_planned"
                        ),
                        budget_secured=common.amount(
                            action_spec.get("budget_secured"), field="budget_secured"
                        ),
                        budget_spent=common.amount(
                            action_spec.get("budget_spent"), field="budget_spent"
                        ),
                    )
                )
        for link in spec.get("indicators", []):
            RoadmapIndicator.objects.create(
                roadmap=roadmap,
                indicator=common.indicator(link["indicator"]),
                baseline_value=link.get("baseline_value"),
                baseline_year=link.get("baseline_year"),
                target_value=link.get("target_value"),
                target_year=link.get("target_year"),
            )
        for milestone in spec.get("milestones", []):
            Milestone.objects.create(
                roadmap=roadmap,
                title=milestone["title"],
                due_on=common.date(milestone["due_on"], field="due_on"),
                achieved_on=common.date(milestone.get("achieved_on"), field="achieved_on"),
            )
    for report_spec in item.get("reports", []):
        _load_report(pathfinder, roadmap, actions, report_spec)


def _load_report(
    pathfinder: Pathfinder, roadmap: Roadmap | None, actions: list[Action], spec: dict[str, Any]
) -> None:
    status = spec.get("status", ReportStatus.DRAFT)
    report = AnnualReport.objects.create(
        pathfinder=pathfinder,
        roadmap=roadmap,
        year=spec["year"],
        is_example=True,
        **{name: spec.get(name, "") for name in NARRATIVE_FIELDS},
    )
    ReportIndicatorValue.objects.bulk_create(
        ReportIndicatorValue(
            report=report,
            indicator=common.indicator(value["indicator"]),
            year=value["year"],
            value=float(value["value"]),
            note=value.get("note", ""),
        )
        for value in spec.get("indicator_values", [])
    )
    ReportActionUpdate.objects.bulk_create(
        ReportActionUpdate(
            report=report,
            action=actions[update["action"] - 1],
            status=update["status"],
            note=update.get("note", ""),
            budget_planned=common.amount(update.get("budget_planned"), field="budget_planned"),
            budget_secured=common.amount(update.get("budget_secured"), field="budget_secured"),
            budget_spent=common.amount(update.get("budget_spent"), field="budget_spent"),
        )
        for update in spec.get("action_updates", [])
    )
    for evidence in spec.get("evidence", []):
        ReportEvidence.objects.create(report=report, title=evidence["title"], url=evidence["url"])
    now = timezone.now()
    for action, before, after in PATHS[status]:
        ReportTransition.objects.create(
            report=report,
            action=action,
            from_status=before,
            to_status=after,
            actor_label="example",
            comment="Example content.",
            at=now,
        )
    report.status = status
    if status != ReportStatus.DRAFT:
        report.submitted_at = now
    if status in (ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        report.approved_at = now
        report.observation_batch_id = _import_values(report, None, AuditSource.CLI)
    if status == ReportStatus.PUBLISHED:
        report.published_at = now
    report.save()
    audit_record(
        actor=None,
        action="create",
        instance=report,
        after={"status": status, "example": True},
        source=AuditSource.CLI,
    )


@transaction.atomic
def examples_remove(*, actor: Any = None, source: str = AuditSource.CLI) -> dict[str, int]:
    """Delete every example pathfinder, roadmap, report and rate, and the observations the
    example reports wrote. Returns what was deleted, by kind."""
    reports = list(
        AnnualReport.objects.filter(is_example=True).select_related("pathfinder__country")
    )
    labels = [report_source_label(report) for report in reports]
    observations = observations_delete_by_source(
        actor=actor, series=REPORT_SERIES, sources=labels, audit_source=source
    )
    # Newest versions first: a version protects the one it supersedes.
    for report in sorted(reports, key=lambda item: -item.version):
        report.delete()
    roadmaps = Roadmap.objects.filter(is_example=True)
    roadmap_count = roadmaps.count()
    Milestone.objects.filter(roadmap__in=roadmaps).delete()
    roadmaps.delete()
    pathfinders = Pathfinder.objects.filter(is_example=True)
    pathfinder_codes = sorted(pathfinders.values_list("country__iso3", flat=True))
    pathfinder_count = len(pathfinder_codes)
    pathfinders.delete()
    rates = ExchangeRate.objects.filter(source__startswith=EXAMPLE_RATE_SOURCE)
    rate_count = rates.count()
    rates.delete()
    removed = {
        "pathfinders": pathfinder_count,
        "roadmaps": roadmap_count,
        "reports": len(reports),
        "observations": observations,
        "exchange_rates": rate_count,
    }
    if any(removed.values()):
        audit_record(
            actor=actor,
            action="delete",
            object_type="pathfinders.pathfinder",
            object_repr=f"example content ({', '.join(pathfinder_codes)})",
            before=removed,
            source=source,
        )
    return removed
