"""Reads for the SDG framework, themes, target synergies and global estimates."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from sdg87.core.errors import NotFound
from sdg87.framework.figures import format_figure
from sdg87.framework.models import GlobalEstimate, Goal, Indicator, Target, TargetSynergy, Theme

TARGET_87 = "8.7"


@dataclass
class EstimateFigure:
    """A global estimate ready to show, with its breakdowns, in the active language."""

    key: str
    parent: str | None
    label: str
    value: Decimal
    unit: str
    display_value: str
    reference_year: int | None
    source: str
    source_year: int
    source_url: str
    note: str
    children: list[EstimateFigure] = field(default_factory=list)


def _figure(estimate: GlobalEstimate, parent_key: str | None) -> EstimateFigure:
    return EstimateFigure(
        key=estimate.key,
        parent=parent_key,
        label=estimate.label,
        value=estimate.value,
        unit=estimate.unit,
        display_value=format_figure(estimate.value, estimate.unit),
        reference_year=estimate.reference_year,
        source=estimate.source,
        source_year=estimate.source_year,
        source_url=estimate.source_url,
        note=estimate.note,
    )


def estimate_list() -> list[EstimateFigure]:
    """Every global estimate in display order (each parent before its breakdowns)."""
    estimates = list(GlobalEstimate.objects.select_related("parent").order_by("position", "key"))
    figures = {
        estimate.key: _figure(estimate, estimate.parent.key if estimate.parent else None)
        for estimate in estimates
    }
    ordered: list[EstimateFigure] = []

    def visit(figure: EstimateFigure) -> None:
        ordered.append(figure)
        for child in figure.children:
            visit(child)

    roots = []
    for estimate in estimates:
        figure = figures[estimate.key]
        if figure.parent is None:
            roots.append(figure)
        else:
            figures[figure.parent].children.append(figure)
    for root in roots:
        visit(root)
    return ordered


def headline_estimates() -> list[EstimateFigure]:
    """The top-level estimates (49.6 million in modern slavery …), each with ``children``."""
    return [figure for figure in estimate_list() if figure.parent is None]


def target_87() -> Target | None:
    """Target 8.7, or None before the framework is loaded."""
    return Target.objects.select_related("goal").filter(code=TARGET_87).first()


def goal_list() -> QuerySet[Goal]:
    return Goal.objects.prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("position"))
    ).order_by("position")


def goal_get(code: str) -> Goal:
    try:
        return goal_list().get(code=(code or "").strip())
    except Goal.DoesNotExist:
        raise NotFound(f"no SDG goal {code!r}", details={"code": code}) from None


def target_get(code: str) -> Target:
    """A target with its goal, indicators, and synergies both ways (``synergies``: targets it
    works with; ``synergy_of``: targets that name it)."""
    targets = Target.objects.select_related("goal").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
        Prefetch(
            "synergies",
            queryset=TargetSynergy.objects.select_related("related").order_by("position"),
        ),
        Prefetch(
            "synergy_of",
            queryset=TargetSynergy.objects.select_related("source").order_by("position"),
        ),
    )
    try:
        return targets.get(code=(code or "").strip().lower())
    except Target.DoesNotExist:
        raise NotFound(f"no SDG target {code!r}", details={"code": code}) from None


def indicator_get(code: str) -> Indicator:
    try:
        return Indicator.objects.select_related("target__goal").get(
            code=(code or "").strip().lower()
        )
    except Indicator.DoesNotExist:
        raise NotFound(f"no SDG indicator {code!r}", details={"code": code}) from None


def indicator_list(*, target: str | None = None) -> QuerySet[Indicator]:
    indicators = Indicator.objects.select_related("target").order_by("position")
    if target:
        indicators = indicators.filter(target__code=target)
    return indicators


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("position", "slug")
