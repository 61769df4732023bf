"""The indicator list: every indicator with its coverage, grouped by target."""

from __future__ import annotations

from dataclasses import dataclass, field

from sdg87.framework.models import Target, TargetSynergy
from sdg87.indicators import selectors
from sdg87.indicators.models import Indicator

TARGET_87 = "8.7"


@dataclass
class IndicatorSummary:
    indicator: Indicator
    countries_with_data: int
    latest_year: int | None


@dataclass
class IndicatorGroup:
    """Indicators of one SDG target (``target`` None: indicators attached to no target)."""

    target: Target | None
    is_synergy: bool
    indicators: list[IndicatorSummary] = field(default_factory=list)


def indicator_groups() -> list[IndicatorGroup]:
    """Every indicator with its data coverage, grouped by target: Target 8.7 first, then the
    indicators attached to no SDG target (the agreed indicators), then the synergy targets of
    8.7 in the published order, then any other target."""
    indicators = selectors.indicator_list().select_related("target__goal")
    synergy_order = {
        related_id: position
        for position, related_id in enumerate(
            TargetSynergy.objects.filter(source__code=TARGET_87)
            .order_by("position")
            .values_list("related_id", flat=True)
        )
    }
    groups: dict[int | None, IndicatorGroup] = {}
    for indicator in indicators:
        key = indicator.target_id
        if key not in groups:
            groups[key] = IndicatorGroup(target=indicator.target, is_synergy=key in synergy_order)
        groups[key].indicators.append(
            IndicatorSummary(
                indicator=indicator,
                countries_with_data=indicator.countries_with_data,  # type: ignore[attr-defined]
                latest_year=indicator.latest_year,  # type: ignore[attr-defined]
            )
        )

    def order(group: IndicatorGroup) -> tuple[int, int, int]:
        target = group.target
        if target is None:
            return (1, 0, 0)
        if target.code == TARGET_87:
            return (0, 0, 0)
        if target.pk in synergy_order:
            return (2, synergy_order[target.pk], 0)
        return (3, target.goal.position, target.position)

    return sorted(groups.values(), key=order)
