"""Beyond both methods: does a classification hold at both ends of the published bounds?"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from sdg87.indicators.progress.open_sdg import OpenSdgResult
from sdg87.indicators.progress.series import (
    BoundsCheck,
    BoundsEnd,
    Direction,
    Goal,
    Point,
    prepare,
)
from sdg87.indicators.progress.unsd import UnsdResult


def _bounds_point(point: Point, *, favourable: bool, direction: Direction) -> Point:
    """The point moved to the favourable or unfavourable end of its bounds (its value where a
    bound is missing)."""
    low_is_good = direction is Direction.DOWN
    use_lower = favourable == low_is_good
    end = point.lower if use_lower else point.upper
    return replace(point, value=point.value if end is None else end)


Assessor = Callable[[Sequence[Point], Goal], OpenSdgResult | UnsdResult]


def check_bounds(
    points: Sequence[Point], goal: Goal, central: OpenSdgResult | UnsdResult, assess: Assessor
) -> BoundsCheck | None:
    """Re-run ``assess`` with the base and latest values at the ends of their bounds.

    None when neither the base nor the latest observation carries a bound, or the method found
    no base year.
    """
    series = prepare(points)
    by_year = {point.year: point for point in series}
    base = by_year.get(central.base_year) if central.base_year is not None else None
    latest = by_year.get(central.current_year) if central.current_year is not None else None
    if base is None or latest is None or base is latest:
        return None
    if all(bound is None for point in (base, latest) for bound in (point.lower, point.upper)):
        return None

    def scenario(*, pessimistic: bool) -> BoundsEnd:
        moved_base = _bounds_point(base, favourable=pessimistic, direction=goal.direction)
        moved_latest = _bounds_point(latest, favourable=not pessimistic, direction=goal.direction)
        moved = [
            moved_base
            if point.year == base.year
            else moved_latest
            if point.year == latest.year
            else point
            for point in series
        ]
        outcome = assess(moved, goal)
        return BoundsEnd(
            status=str(outcome.status),
            base_value=moved_base.value,
            current_value=moved_latest.value,
        )

    pessimistic = scenario(pessimistic=True)
    optimistic = scenario(pessimistic=False)
    robust = pessimistic.status == optimistic.status == str(central.status)
    return BoundsCheck(robust=robust, pessimistic=pessimistic, optimistic=optimistic)
