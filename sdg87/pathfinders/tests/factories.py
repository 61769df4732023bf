"""Builders for pathfinder tests: a pathfinder (France unless told), an indicator, a roadmap
with one priority and one action, users of each role, and a report taken through the workflow
by the services themselves."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from sdg87.accounts.tests.factories import (
    CuratorFactory,
    FocalPointFactory,
    PartnerEditorFactory,
    UserFactory,
    country,
)
from sdg87.indicators.models import Indicator
from sdg87.pathfinders.models import Action, AnnualReport, Pathfinder, Priority, Roadmap
from sdg87.pathfinders.services import reports as report_services

__all__ = [
    "CuratorFactory",
    "FocalPointFactory",
    "PartnerEditorFactory",
    "UserFactory",
    "action",
    "country",
    "indicator",
    "pathfinder",
    "report_through",
    "roadmap",
]


def indicator(code: str = "8.7.1", **fields: Any) -> Indicator:
    defaults = {
        "kind": Indicator.Kind.SDG,
        "title_en": "Children engaged in child labour",
        "unit": "percent",
        "desired_direction": "down",
        "target_value": 0,
        "target_year": 2025,
    }
    defaults.update(fields)
    found, _created = Indicator.objects.get_or_create(code=code, defaults=defaults)
    return found


def pathfinder(iso3: str = "FRA", *, example: bool = False, **fields: Any) -> Pathfinder:
    found, _created = Pathfinder.objects.get_or_create(
        country=country(iso3),
        defaults={"joined_on": datetime.date(2020, 1, 15), "is_example": example, **fields},
    )
    return found


def roadmap(iso3: str = "FRA", *, status: str = Roadmap.Status.ADOPTED, **fields: Any) -> Roadmap:
    defaults = {"title": f"National action plan {iso3}", "period_start": 2022, "period_end": 2026}
    defaults.update(fields)
    return Roadmap.objects.create(pathfinder=pathfinder(iso3), status=status, **defaults)


def action(
    of: Roadmap,
    *,
    planned: str = "1000",
    secured: str = "400",
    spent: str = "100",
    currency: str = "USD",
    status: str = Action.Status.ON_TRACK,
    priority: Priority | None = None,
    **fields: Any,
) -> Action:
    if priority is None:
        priority = of.priorities.first() or Priority.objects.create(roadmap=of, title="Priority")
    return Action.objects.create(
        priority=priority,
        title=fields.pop("title", "Action"),
        currency=currency,
        budget_planned=Decimal(planned),
        budget_secured=Decimal(secured),
        budget_spent=Decimal(spent),
        status=status,
        **fields,
    )


def report_through(
    status: str,
    *,
    iso3: str = "FRA",
    year: int = 2024,
    focal_point: Any = None,
    curator: Any = None,
    values: list[dict[str, Any]] | None = None,
) -> AnnualReport:
    """A report of ``iso3`` for ``year`` taken to ``status`` through the real services."""
    pathfinder(iso3)
    focal_point = focal_point or FocalPointFactory(countries=[country(iso3)])
    curator = curator or CuratorFactory()
    report = report_services.report_create(
        actor=focal_point, iso3=iso3, year=year, progress="Progress made."
    )
    if values:
        report_services.report_update(
            actor=focal_point, report_id=report.pk, indicator_values=values
        )
    steps = {
        AnnualReport.Status.DRAFT: [],
        AnnualReport.Status.SUBMITTED: [("submit", focal_point)],
        AnnualReport.Status.CHANGES_REQUESTED: [
            ("submit", focal_point),
            ("request_changes", curator),
        ],
        AnnualReport.Status.RESUBMITTED: [
            ("submit", focal_point),
            ("request_changes", curator),
            ("resubmit", focal_point),
        ],
        AnnualReport.Status.APPROVED: [("submit", focal_point), ("approve", curator)],
        AnnualReport.Status.PUBLISHED: [
            ("submit", focal_point),
            ("approve", curator),
            ("publish", curator),
        ],
    }[status]
    for step, actor in steps:
        report = report_services.report_transition(
            actor=actor, report_id=report.pk, action=step, comment="Please add the 2023 data."
        )
    report.refresh_from_db()
    return report
