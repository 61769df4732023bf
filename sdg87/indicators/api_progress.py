"""``GET /api/v1/indicators/{code}/progress?country=ISO3``: progress by both published methods.

The document is the one ``sdg87 progress --json`` prints (``progress_service.progress_document``);
the schemas below describe it field by field. Mounted under ``/indicators`` in ``config/api.py``.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from sdg87.indicators import progress_service

router = Router()


class ProgressQuery(Schema):
    country: str = Field(
        ..., pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code, e.g. KGZ"
    )


class ProgressSeriesRefOut(Schema):
    series: str = Field(..., description='Series code (e.g. SL_TLF_CHLDEC), "" when none')
    unit: str = Field(..., description='Unit as published, "" when none')
    breakdown: dict[str, str] = Field(
        ...,
        description=(
            'Dimensions of the rows assessed: {} for totals; e.g. {"AGE": "Y5T17"} when the '
            "source has no total and that breakdown stands for the whole population"
        ),
    )


class ProgressGoalOut(Schema):
    direction: str = Field(..., description="Desired direction: up or down (d = +1 or −1)")
    target_value: float | None = Field(None, description="yT; null: the no-target variants")
    target_year: int | None = Field(None, description="T")
    natural_limit: float | None = Field(None, description="L (Method A without target)")
    base_year: int = Field(..., description="The base year both methods start from (2015)")


class OpenSdgThresholdsOut(Schema):
    high: float = Field(..., description="0.95 (R) or 1.5 % × C (P)")
    medium: float = Field(..., description="0.6 (R) or 0.5 % × C (P)")
    low: float = Field(..., description="0")


class UnsdThresholdsOut(Schema):
    on_track: float = Field(..., description="Score 3 from here: Q 0.95, or CAGR ±2 %")
    acceleration_needed: float = Field(..., description="Score 2 from here: Q 0.10, or ±0.5 %")
    comparison: str = Field(..., description='">=" (Q; CAGR when up) or "<=" (CAGR when down)')


class ProgressBoundsEndOut(Schema):
    status: str
    base_value: float
    current_value: float


class ProgressBoundsCheckOut(Schema):
    robust: bool = Field(..., description="The same status at both ends and at the estimate")
    pessimistic: ProgressBoundsEndOut = Field(
        ..., description="Base at its favourable bound, latest at its unfavourable bound"
    )
    optimistic: ProgressBoundsEndOut = Field(
        ..., description="Base at its unfavourable bound, latest at its favourable bound"
    )


class ProgressSeriesResultBase(Schema):
    method: str = Field(..., description="open_sdg or unsd")
    series: str
    unit: str
    breakdown: dict[str, str] = Field(
        ...,
        description=(
            'Dimensions of the rows assessed: {} for totals; e.g. {"AGE": "Y5T17"} when the '
            "source has no total and that breakdown stands for the whole population"
        ),
    )
    observations: int
    first_year: int
    last_year: int
    status: str = Field(..., description="Machine-readable status")
    label: str = Field(..., description="The status for people, in the request's language")
    label_key: str = Field(..., description="Stable key of the label, e.g. progress.unsd.on_track")
    reason: str | None = Field(None, description="Why there is no result (status no_result)")
    base_year: int | None = Field(None, description="t0 (Method A) or b (Method B)")
    base_value: float | None = Field(None, description="y0 / v_b as used")
    current_year: int | None = Field(None, description="t, the latest year")
    current_value: float | None = Field(None, description="yt / v_t")
    target_year: int | None = Field(None, description="T")
    target_value: float | None = Field(None, description="yT / v_T as used")
    direction: int | None = Field(None, description="d")
    cagr: float | None = Field(None, description="Observed compound annual growth rate")
    notes: list[str] = Field(default_factory=list, description="Adjustments made on the way")
    bounds: ProgressBoundsCheckOut | None = Field(
        None, description="The classification at both ends of the bounds, where published"
    )


class OpenSdgSeriesOut(ProgressSeriesResultBase):
    sign: int | None = Field(None, description="s")
    natural_limit: float | None = Field(None, description="L")
    coefficient: float | None = Field(None, description="C, the threshold scaling (no target)")
    required_cagr: float | None = Field(None, description="CAGR(yT, y0, T, t0)")
    progress_measure: str | None = Field(None, description="R (with target) or P (without)")
    progress_value: float | None = Field(None, description="The value of R or P")
    thresholds: OpenSdgThresholdsOut | None = None
    score: float | None = Field(None, description="In [−5, 5]")
    target_achieved: bool


class UnsdSeriesOut(ProgressSeriesResultBase):
    expected_value: float | None = Field(None, description="v_e = v_t (1 + CAGR_a)^(T − t)")
    progress_ratio: float | None = Field(None, description="Q = (v_e − v_b)/(v_T − v_b)")
    thresholds: UnsdThresholdsOut | None = None
    score: int | None = Field(None, description="3, 2 or 1")
    achieved: bool


class ProgressMethodBase(Schema):
    method: str
    name: str
    status: str = Field(..., description="The indicator-level status")
    label: str
    label_key: str
    reason: str | None = None
    score: float | None = Field(None, description="Mean of the series scores")
    target_achieved: bool = Field(..., description="Every assessed series achieved the target")
    series_count: int
    series_assessed: int
    robust: bool | None = Field(
        None, description="Every series with bounds keeps its status at both ends; null: none"
    )
    headline_series: ProgressSeriesRefOut | None = Field(
        None, description="The series whose components are shown at this level"
    )
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    direction: int | None = None
    cagr: float | None = None
    notes: list[str] = Field(default_factory=list)


class OpenSdgMethodOut(ProgressMethodBase):
    """Method A, Open SDG (Statistics Canada), as implemented in sdg-build."""

    sign: int | None = None
    natural_limit: float | None = None
    coefficient: float | None = None
    required_cagr: float | None = None
    progress_measure: str | None = None
    progress_value: float | None = None
    thresholds: OpenSdgThresholdsOut | None = None
    series: list[OpenSdgSeriesOut]


class UnsdMethodOut(ProgressMethodBase):
    """Method B, UNSD Progress Chart."""

    expected_value: float | None = None
    progress_ratio: float | None = None
    thresholds: UnsdThresholdsOut | None = None
    series: list[UnsdSeriesOut]


class ProgressMethodsOut(Schema):
    open_sdg: OpenSdgMethodOut
    unsd: UnsdMethodOut


class ProgressOutlookOut(Schema):
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    annual_rate: float | None = Field(None, description="CAGR from the base to the latest year")
    annual_change: float | None = Field(None, description="Absolute change per year")
    target_met: bool | None = None
    years_to_target: float | None = Field(
        None, description="At the current CAGR (a target of 0 taken as 0.001); 0 when met"
    )
    years_to_target_linear: float | None = Field(
        None, description="At the current absolute change per year; 0 when met"
    )
    required_annual_rate: float | None = Field(None, description="(yT/yt)^(1/(T − t)) − 1")
    required_annual_change: float | None = Field(None, description="(yT − yt)/(T − t)")
    reason: str | None = None


class ProgressSeriesOutlookOut(Schema):
    series: str
    unit: str
    breakdown: dict[str, str] = Field(
        ...,
        description=(
            'Dimensions of the rows assessed: {} for totals; e.g. {"AGE": "Y5T17"} when the '
            "source has no total and that breakdown stands for the whole population"
        ),
    )
    observations: int
    first_year: int
    last_year: int
    outlook: ProgressOutlookOut


class IndicatorProgressOut(Schema):
    indicator: str = Field(..., description="Indicator code, e.g. 8.7.1")
    indicator_title: str
    country: str = Field(..., description="ISO3")
    country_name: str
    goal: ProgressGoalOut
    observations: int = Field(
        ..., description="Observations assessed (totals, or the breakdown standing for them)"
    )
    headline_series: ProgressSeriesRefOut | None = None
    methods: ProgressMethodsOut
    years_to_target: float | None = Field(None, description="Headline series, CAGR form")
    years_to_target_linear: float | None = Field(None, description="Headline series, linear")
    required_annual_rate: float | None = Field(None, description="Headline series, CAGR form")
    required_annual_change: float | None = Field(None, description="Headline series, per year")
    outlook: ProgressOutlookOut
    series: list[ProgressSeriesOutlookOut]


@router.get(
    "/{code}/progress",
    response=IndicatorProgressOut,
    summary="A country's progress on an indicator, by the Open SDG and UNSD methods",
    description=(
        "Each method's status, score and components for the country's headline values (its "
        "totals, or where a series has none the breakdown that stands for the whole population, "
        "named in `breakdown`; one result per series code and unit, and the indicator-level "
        "aggregate), the years to target at the current rate and the rate now required. "
        "Unknown indicator or country: 404; a missing or malformed `country`: 422."
    ),
)
def indicator_progress(
    request: HttpRequest,
    query: Query[ProgressQuery],
    code: str = Path(..., description="Indicator code, e.g. 8.7.1"),
) -> dict[str, Any]:
    result = progress_service.indicator_progress(indicator_code=code, country_iso3=query.country)
    return progress_service.progress_document(result)
