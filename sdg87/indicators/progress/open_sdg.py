"""Method A, Open SDG (Statistics Canada), as implemented in open-sdg/sdg-build
``sdg/ProgressMeasure.py``: one series (:func:`assess_open_sdg`) and the indicator
(:func:`aggregate_open_sdg`, the mean of the series scores)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from sdg87.indicators.progress.series import (
    LIMIT_EXPONENT,
    ZERO_REPLACEMENT,
    BoundsCheck,
    Goal,
    Method,
    Note,
    Point,
    Reason,
    cagr,
    common_reason,
    meets,
    opposite_signs,
    prepare,
)


class OpenSdgStatus(StrEnum):
    TARGET_ACHIEVED = "target_achieved"
    ON_TRACK = "on_track"  # with target, R ≥ 0.95
    ACCELERATION_NEEDED = "acceleration_needed"  # with target, 0.6 ≤ R < 0.95
    SUBSTANTIAL_PROGRESS = "substantial_progress"  # without target, P ≥ 1.5 % C
    MODERATE_PROGRESS = "moderate_progress"  # without target, 0.5 % C ≤ P < 1.5 % C
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    NO_RESULT = "no_result"


@dataclass(frozen=True)
class Thresholds:
    """Method A: R or P at or above ``high`` / ``medium`` / ``low`` (already scaled by C)."""

    high: float
    medium: float
    low: float


@dataclass(frozen=True)
class OpenSdgResult:
    """Method A for one series, with every component of the calculation."""

    status: OpenSdgStatus
    reason: Reason | None = None
    base_year: int | None = None  # t0
    base_value: float | None = None  # y0 as used (0 → 0.001)
    current_year: int | None = None  # t
    current_value: float | None = None  # yt
    target_year: int | None = None  # T
    target_value: float | None = None  # yT as used (0 → 0.001)
    direction: int | None = None  # d
    sign: int | None = None  # s
    natural_limit: float | None = None  # L
    coefficient: float | None = None  # C
    cagr: float | None = None  # CAGR(yt, y0, t, t0)
    required_cagr: float | None = None  # CAGR(yT, y0, T, t0)
    progress_measure: str | None = None  # "R" with a target, "P" without
    progress_value: float | None = None  # R or P
    thresholds: Thresholds | None = None
    score: float | None = None  # in [−5, 5]
    target_achieved: bool = False
    notes: tuple[Note, ...] = ()
    bounds: BoundsCheck | None = None
    method: Method = Method.OPEN_SDG


def limit_coefficient(base_value: float, limit: float) -> float:
    """C (a = 4.44): 1 − (y0/L)^a if y0 ≤ L; 1 − ((2L − y0)/L)^a if L < y0 < 2L; 1 if y0 ≥ 2L.

    As in sdg-build, absolute values are used and y0 ≥ 2L is tested first, so that C = 1 when
    both are 0.
    """
    base_value, limit = abs(base_value), abs(limit)
    if base_value >= 2 * limit:
        return 1.0
    if base_value <= limit:
        return 1 - (base_value / limit) ** LIMIT_EXPONENT
    return 1 - ((2 * limit - base_value) / limit) ** LIMIT_EXPONENT


def _open_sdg_base(series: Sequence[Point], base_year: int) -> Point | None:
    """t0 = the base year if it has data, else the first year after it with data."""
    return next((point for point in series if point.year >= base_year), None)


def _open_sdg_status(value: float, thresholds: Thresholds, with_target: bool) -> OpenSdgStatus:
    if value >= thresholds.high:
        return OpenSdgStatus.ON_TRACK if with_target else OpenSdgStatus.SUBSTANTIAL_PROGRESS
    if value >= thresholds.medium:
        return OpenSdgStatus.ACCELERATION_NEEDED if with_target else OpenSdgStatus.MODERATE_PROGRESS
    if value >= thresholds.low:
        return OpenSdgStatus.LIMITED_PROGRESS
    return OpenSdgStatus.DETERIORATION


def open_sdg_score(
    value: float, thresholds: Thresholds, *, with_target: bool, coefficient: float = 1.0
) -> float:
    """The score in [−5, 5] of a progress value.

    With a target: R ≥ 0.6 → min(7.1429R − 4.2857, 5), else max(4.1667R − 2.5, −5). Without
    (thresholds already scaled by C): P < low → max(125P − 2.5, −5); C = 0 → 5;
    P ≥ high → min(500P/C − 5, 5); P ≥ medium → 250P/C − 1.25; else 500P/C − 2.5.
    """
    if with_target:
        if value >= thresholds.medium:
            return min(7.1429 * value - 4.2857, 5.0)
        return max(4.1667 * value - 2.5, -5.0)
    if value < thresholds.low:
        return max(125 * value - 2.5, -5.0)
    if coefficient == 0:  # y0 at the limit and held there: sdg-build gives 5
        return 5.0
    if value >= thresholds.high:
        return min(500 * value / coefficient - 5, 5.0)
    if value >= thresholds.medium:
        return 250 * value / coefficient - 1.25
    return 500 * value / coefficient - 2.5


def assess_open_sdg(points: Sequence[Point], goal: Goal) -> OpenSdgResult:
    """Method A for one series (sdg-build ``SeriesProgress``)."""
    series = prepare(points)
    direction = goal.direction.d
    notes: list[Note] = []
    target = goal.target_value
    if target == 0:
        target = ZERO_REPLACEMENT
        notes.append(Note.TARGET_ZERO_REPLACED)
    result = OpenSdgResult(
        status=OpenSdgStatus.NO_RESULT,
        direction=direction,
        target_value=target,
        target_year=goal.target_year if goal.has_target else None,
        natural_limit=goal.natural_limit,
        progress_measure="R" if goal.has_target else "P",
    )
    if not series:
        return replace(result, reason=Reason.NO_DATA, notes=tuple(notes))
    current = series[-1]
    result = replace(result, current_year=current.year, current_value=current.value)
    base = _open_sdg_base(series, goal.base_year)
    if base is None:
        return replace(result, reason=Reason.NO_DATA_SINCE_BASE_YEAR, notes=tuple(notes))

    base_value = base.value
    sign = -1 if base_value < 0 else 1
    coefficient = 1.0
    if target is None:
        if goal.natural_limit is not None:
            coefficient = limit_coefficient(base_value, goal.natural_limit)
        thresholds = Thresholds(high=0.015 * coefficient, medium=0.005 * coefficient, low=0.0)
    else:
        thresholds = Thresholds(high=0.95, medium=0.6, low=0.0)
        if goal.natural_limit is not None:
            notes.append(Note.LIMIT_IGNORED_WITH_TARGET)
    target_achieved = target is not None and meets(current.value, target, goal.direction)
    if base_value == 0:
        base_value = ZERO_REPLACEMENT
        notes.append(Note.BASE_VALUE_ZERO_REPLACED)
    result = replace(
        result,
        base_year=base.year,
        base_value=base_value,
        sign=sign,
        coefficient=coefficient if target is None else None,
        thresholds=thresholds,
        target_achieved=target_achieved,
    )

    reason: Reason | None = None
    if opposite_signs(base_value, current.value):
        reason = Reason.SIGN_CHANGE
    elif current.year - base.year < 1:
        reason = Reason.INSUFFICIENT_DATA
    elif target is not None and opposite_signs(base_value, target):
        reason = Reason.TARGET_SIGN_DIFFERS
    elif target is not None and goal.target_year == base.year:
        reason = Reason.TARGET_YEAR_IS_BASE_YEAR
    if reason is not None:
        if target_achieved:
            notes.append(Note.TREND_NOT_ASSESSED)
            return replace(
                result, status=OpenSdgStatus.TARGET_ACHIEVED, score=5.0, notes=tuple(notes)
            )
        return replace(result, reason=reason, notes=tuple(notes))

    observed = cagr(current.value, base_value, current.year, base.year)
    result = replace(result, cagr=observed)
    if target is None:
        progress = sign * direction * observed  # P
        status = _open_sdg_status(progress, thresholds, with_target=False)
        score = open_sdg_score(progress, thresholds, with_target=False, coefficient=coefficient)
        result = replace(result, progress_value=progress, status=status, score=score)
    else:
        required = cagr(target, base_value, goal.target_year, base.year)
        result = replace(result, required_cagr=required)
        if required == 0:  # yT = y0: R = −inf when not achieved (see the module docstring)
            notes.append(Note.TARGET_EQUALS_BASE)
            result = replace(result, status=OpenSdgStatus.DETERIORATION, score=-5.0)
        else:
            ratio = sign * direction * observed / abs(required)  # R
            status = _open_sdg_status(ratio, thresholds, with_target=True)
            score = open_sdg_score(ratio, thresholds, with_target=True)
            result = replace(result, progress_value=ratio, status=status, score=score)
    if target_achieved:
        result = replace(result, status=OpenSdgStatus.TARGET_ACHIEVED, score=5.0)
    return replace(result, notes=tuple(notes))


@dataclass(frozen=True)
class OpenSdgAggregate:
    """Method A for the indicator: the mean of its series' scores."""

    status: OpenSdgStatus
    reason: Reason | None = None
    score: float | None = None
    target_achieved: bool = False
    series_count: int = 0
    series_assessed: int = 0
    method: Method = Method.OPEN_SDG


def status_from_score(score: float, *, with_target: bool) -> OpenSdgStatus:
    """≥ 2.5 on track / substantial; 0–2.5 acceleration needed / moderate; −2.5–0 limited;
    < −2.5 deterioration."""
    if score >= 2.5:
        return OpenSdgStatus.ON_TRACK if with_target else OpenSdgStatus.SUBSTANTIAL_PROGRESS
    if score >= 0:
        return OpenSdgStatus.ACCELERATION_NEEDED if with_target else OpenSdgStatus.MODERATE_PROGRESS
    if score >= -2.5:
        return OpenSdgStatus.LIMITED_PROGRESS
    return OpenSdgStatus.DETERIORATION


def aggregate_open_sdg(results: Sequence[OpenSdgResult], *, with_target: bool) -> OpenSdgAggregate:
    """Indicator score = mean of the series scores; "target achieved" only if every assessed
    series achieved it (sdg-build ``IndicatorProgress.get_indicator_progress``)."""
    scored = [result for result in results if result.score is not None]
    if not scored:
        reason = Reason.NO_DATA if not results else common_reason(results)
        return OpenSdgAggregate(
            status=OpenSdgStatus.NO_RESULT, reason=reason, series_count=len(results)
        )
    score = sum(result.score for result in scored if result.score is not None) / len(scored)
    achieved = all(result.target_achieved for result in scored)
    status = (
        OpenSdgStatus.TARGET_ACHIEVED
        if achieved
        else status_from_score(score, with_target=with_target)
    )
    return OpenSdgAggregate(
        status=status,
        score=score,
        target_achieved=achieved,
        series_count=len(results),
        series_assessed=len(scored),
    )
