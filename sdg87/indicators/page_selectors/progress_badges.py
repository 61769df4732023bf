"""Progress badges: both published methods' status for a country, with what they mean."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.core.errors import DomainError
from sdg87.countries.models import Country
from sdg87.indicators import progress_service
from sdg87.indicators.models import Indicator
from sdg87.indicators.page_selectors.labels import breakdown_label, format_value

PROGRESS_TONES = {
    "target_achieved": "good",
    "achieved": "good",
    "on_track": "good",
    "substantial_progress": "good",
    "acceleration_needed": "fair",
    "moderate_progress": "fair",
    "limited_progress": "poor",
    "deterioration": "poor",
    "stagnation_or_regression": "poor",
    "no_result": "none",
}
METHOD_EXPLANATIONS = {
    "open_sdg": gettext_lazy(
        "Compares the country's growth rate since 2015 with the rate needed to reach the target "
        "by its deadline (or, without a numeric target, with fixed thresholds). Method of "
        "Statistics Canada, used by Open SDG national platforms."
    ),
    "unsd": gettext_lazy(
        "Projects the current growth rate to the target year and compares the expected value "
        "with the target (or, without a numeric target, the growth rate with fixed thresholds). "
        "Method of the UN Statistics Division's SDG Progress Chart."
    ),
}
REASON_LABELS = {
    "no_data": gettext_lazy("there are no total values to assess"),
    "insufficient_data": gettext_lazy("at least two years of data are needed"),
    "no_data_since_base_year": gettext_lazy("there are no data since 2015"),
    "sign_change": gettext_lazy("the values change sign"),
    "target_sign_differs": gettext_lazy("the target and the values have opposite signs"),
    "zero_base_value": gettext_lazy("the base value is 0, so there is no growth rate"),
    "target_year_is_base_year": gettext_lazy("the target year is the base year"),
    "no_assessable_series": gettext_lazy("no series could be assessed"),
}


@dataclass
class ProgressBadge:
    method: str
    name: str
    status: str
    label: str
    tone: str
    explanation: str
    reason: str
    components: list[tuple[str, str]]


@dataclass
class ProgressSummary:
    badges: list[ProgressBadge]
    headline_series: str
    years_to_target: str
    required_annual_rate: str
    problem: str = ""
    headline_breakdown: str = ""
    """The breakdown assessed when the source has no total ("Age: 5–17 (AGE=Y5T17)"); "" for
    totals."""


def _percent(value: float | None) -> str:
    return "" if value is None else f"{format_value(value * 100)} %"


def _components(method: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [
        (_("Base year and value"), method.get("base_year"), method.get("base_value")),
        (_("Latest year and value"), method.get("current_year"), method.get("current_value")),
        (_("Target year and value"), method.get("target_year"), method.get("target_value")),
    ]
    components = [
        (label, f"{year}: {format_value(value)}") for label, year, value in rows if year is not None
    ]
    if method.get("cagr") is not None:
        components.append((_("Annual growth rate (CAGR)"), _percent(method["cagr"])))
    if method.get("required_cagr") is not None:
        components.append((_("Growth rate needed"), _percent(method["required_cagr"])))
    if method.get("progress_value") is not None:
        components.append(
            (str(method.get("progress_measure") or "R"), format_value(method["progress_value"]))
        )
    if method.get("expected_value") is not None:
        components.append(
            (_("Expected value at the target year"), format_value(method["expected_value"]))
        )
    if method.get("progress_ratio") is not None:
        components.append(("Q", format_value(method["progress_ratio"])))
    if method.get("score") is not None:
        components.append((_("Score"), format_value(method["score"])))
    return components


def progress_summary(document: dict[str, Any]) -> ProgressSummary:
    """Badges for the two methods of a progress document (``progress_service``)."""
    badges = []
    for key, method in document["methods"].items():
        reason = method.get("reason") or ""
        badges.append(
            ProgressBadge(
                method=key,
                name=method["name"],
                status=method["status"],
                label=method["label"],
                tone=PROGRESS_TONES.get(method["status"], "none"),
                explanation=str(METHOD_EXPLANATIONS.get(key, "")),
                reason=str(REASON_LABELS.get(reason, reason.replace("_", " "))),
                components=_components(method),
            )
        )
    headline = document.get("headline_series") or {}
    years = document.get("years_to_target")
    return ProgressSummary(
        badges=badges,
        headline_series=" · ".join(
            part for part in (headline.get("series"), headline.get("unit")) if part
        ),
        years_to_target="" if years is None else format_value(years),
        required_annual_rate=_percent(document.get("required_annual_rate")),
        headline_breakdown=breakdown_label(headline.get("breakdown") or {}),
    )


def _problem(exc: DomainError) -> ProgressSummary:
    return ProgressSummary(
        badges=[],
        headline_series="",
        years_to_target="",
        required_annual_rate="",
        problem=exc.message,
    )


def country_progress(indicator: Indicator, iso3: str) -> ProgressSummary:
    """Both methods' assessment of the country's headline values, by ``progress_service``
    (three queries); a problem (e.g. two values for one year) is reported, not raised."""
    try:
        result = progress_service.indicator_progress(
            indicator_code=indicator.code, country_iso3=iso3
        )
    except DomainError as exc:
        return _problem(exc)
    return progress_summary(progress_service.progress_document(result))


def country_progress_from_rows(
    indicator: Indicator, country: Country, rows: Iterable[Mapping[str, Any]]
) -> ProgressSummary:
    """:func:`country_progress` on observations already read (no query)."""
    try:
        result = progress_service.progress_from_rows(indicator, country, rows)
    except DomainError as exc:
        return _problem(exc)
    return progress_summary(progress_service.progress_document(result))
