"""Beyond both methods: years to target at the current rate, and the rate now required."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sdg87.indicators.progress.series import (
    ZERO_REPLACEMENT,
    Goal,
    Point,
    Reason,
    cagr,
    meets,
    opposite_signs,
    prepare,
)
from sdg87.indicators.progress.unsd import unsd_base


@dataclass(frozen=True)
class Outlook:
    """Where the current rate leads, and the rate now needed to reach the target on time.

    The current rate runs from the base year of Method B (2015 or the nearest year) to the latest
    year. ``years_to_target`` is in the CAGR form (a target of 0 taken as 0.001, as Method A does:
    an exponential never reaches 0), ``years_to_target_linear`` at the current absolute change per
    year. Both are None with no target or when the series moves away; 0 when the target is met.
    """

    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    annual_rate: float | None = None  # CAGR from the base to the latest year
    annual_change: float | None = None  # (yt − y0)/(t − t0)
    target_met: bool | None = None
    years_to_target: float | None = None
    years_to_target_linear: float | None = None
    required_annual_rate: float | None = None  # (yT/yt)^(1/(T − t)) − 1
    required_annual_change: float | None = None  # (yT − yt)/(T − t)
    reason: Reason | None = None


def _years_at_rate(current: float, target: float, rate: float | None) -> float | None:
    """n with current·(1 + rate)^n = target, when that lies ahead."""
    if rate is None or rate == 0 or 1 + rate <= 0:
        return None
    if current == 0 or opposite_signs(current, target):
        return None
    years = math.log(target / current) / math.log(1 + rate)
    return years if years > 0 else None


def outlook(points: Sequence[Point], goal: Goal) -> Outlook:
    series = prepare(points)
    if not series:
        return Outlook(reason=Reason.NO_DATA)
    current = series[-1]
    result = Outlook(current_year=current.year, current_value=current.value)
    base = unsd_base(series, goal.base_year)
    if base is not None:
        change = (current.value - base.value) / (current.year - base.year)
        rate = None
        if base.value != 0 and not opposite_signs(base.value, current.value):
            rate = cagr(current.value, base.value, current.year, base.year)
        result = replace(
            result,
            base_year=base.year,
            base_value=base.value,
            annual_rate=rate,
            annual_change=change,
        )
    target = goal.target_value
    if target is None:
        return replace(result, reason=Reason.NO_TARGET)
    result = replace(result, target_year=goal.target_year, target_value=target)
    if meets(current.value, target, goal.direction):
        return replace(
            result,
            target_met=True,
            years_to_target=0.0,
            years_to_target_linear=0.0,
            required_annual_rate=0.0,
            required_annual_change=0.0,
        )
    result = replace(result, target_met=False)
    modelled_target = ZERO_REPLACEMENT if target == 0 else target
    years = _years_at_rate(current.value, modelled_target, result.annual_rate)
    linear = None
    if result.annual_change:
        linear = (target - current.value) / result.annual_change
        linear = linear if linear > 0 else None
    reason = None
    if base is None:
        reason = Reason.INSUFFICIENT_DATA
    elif years is None and linear is None:
        reason = Reason.NO_CHANGE if result.annual_change == 0 else Reason.MOVING_AWAY
    remaining = goal.target_year - current.year
    required_rate = required_change = None
    if remaining <= 0:
        reason = reason or Reason.DEADLINE_PASSED
    else:
        required_change = (target - current.value) / remaining
        if current.value != 0 and not opposite_signs(current.value, modelled_target):
            required_rate = (modelled_target / current.value) ** (1 / remaining) - 1
    return replace(
        result,
        years_to_target=years,
        years_to_target_linear=linear,
        required_annual_rate=required_rate,
        required_annual_change=required_change,
        reason=reason,
    )
