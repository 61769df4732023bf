"""A country's progress on an indicator, by both published methods (the pure ``progress`` module).

One logic layer for the CLI (``sdg87 progress``), the API (``/api/v1/indicators/{code}/progress``)
and the pages: :func:`indicator_progress` reads the country's observations, keeps the headline
rows of each (series code, unit) — its totals, or where it has none the breakdown that stands
for the whole population (the rule of :mod:`sdg87.indicators.headline`) — assesses each series
with both methods and aggregates them as each method defines; :func:`progress_from_rows` does
the same on rows already read (the country page reads them once for every indicator);
:func:`progress_document` turns the result into the JSON document both interfaces return, with
the breakdown used for each series (``{}`` for totals).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from django.utils.translation import gettext_lazy as _

from sdg87.core.errors import Conflict, InvalidInput, NotFound
from sdg87.countries.models import Country
from sdg87.countries.selectors import country_get
from sdg87.indicators import progress
from sdg87.indicators.headline import headlines_by_series
from sdg87.indicators.models import Indicator, Observation

ISO3 = re.compile(r"[A-Za-z]{3}")
DASHED_CODE = re.compile(r"\d{1,2}-[0-9a-z]{1,2}-\d{1,2}(?:-[0-9a-z]+)*")

METHOD_NAMES = {
    progress.Method.OPEN_SDG: "Open SDG (Statistics Canada)",
    progress.Method.UNSD: "UNSD Progress Chart",
}
STATUS_LABELS: dict[str, dict[str, Any]] = {
    progress.Method.OPEN_SDG: {
        progress.OpenSdgStatus.TARGET_ACHIEVED: _("Target achieved"),
        progress.OpenSdgStatus.ON_TRACK: _("On track"),
        progress.OpenSdgStatus.ACCELERATION_NEEDED: _("Progress made but acceleration needed"),
        progress.OpenSdgStatus.SUBSTANTIAL_PROGRESS: _("Substantial progress"),
        progress.OpenSdgStatus.MODERATE_PROGRESS: _("Moderate progress"),
        progress.OpenSdgStatus.LIMITED_PROGRESS: _("Limited progress"),
        progress.OpenSdgStatus.DETERIORATION: _("Deterioration"),
        progress.OpenSdgStatus.NO_RESULT: _("Unable to assess"),
    },
    progress.Method.UNSD: {
        progress.UnsdStatus.ACHIEVED: _("Target achieved"),
        progress.UnsdStatus.ON_TRACK: _("Met or on track"),
        progress.UnsdStatus.ACCELERATION_NEEDED: _("Fair progress, but acceleration needed"),
        progress.UnsdStatus.STAGNATION_OR_REGRESSION: _("Stagnation or regression"),
        progress.UnsdStatus.NO_RESULT: _("Unable to assess"),
    },
}


def status_label(method: progress.Method, status: str) -> str:
    return str(STATUS_LABELS[method][status])


def label_key(method: progress.Method, status: str) -> str:
    """A stable key for the human label, e.g. ``progress.open_sdg.on_track``."""
    return f"progress.{method}.{status}"


@dataclass(frozen=True)
class SeriesProgress:
    """One series of the country (a series code and a unit, its headline rows only) and its
    assessment."""

    series: str
    unit: str
    observations: int
    first_year: int
    last_year: int
    assessment: progress.SeriesAssessment
    breakdown: dict[str, str] = field(default_factory=dict)
    """The dimensions of the rows assessed: ``{}`` for totals, e.g. ``{"AGE": "Y5T17"}`` when
    the source has no total and that breakdown stands for it."""


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    country: Country
    goal: progress.Goal
    series: list[SeriesProgress] = field(default_factory=list)
    open_sdg: progress.OpenSdgAggregate = field(
        default_factory=lambda: progress.OpenSdgAggregate(status=progress.OpenSdgStatus.NO_RESULT)
    )
    unsd: progress.UnsdAggregate = field(
        default_factory=lambda: progress.UnsdAggregate(status=progress.UnsdStatus.NO_RESULT)
    )

    @property
    def headline(self) -> SeriesProgress | None:
        """The series whose components the method summaries show: the longest, then the most
        recent, then a percentage before a count."""
        if not self.series:
            return None
        return min(
            self.series,
            key=lambda item: (
                -item.observations,
                -item.last_year,
                not progress.is_percent_unit(item.unit),
                item.series,
                item.unit,
            ),
        )


# --- reads ----------------------------------------------------------------------------------


def indicator_for_progress(code: str) -> Indicator:
    """The indicator with this code ("8.7.1"; "8-7-1" is read as "8.7.1")."""
    text = (code or "").strip()
    candidates = [text]
    if DASHED_CODE.fullmatch(text):
        candidates.append(text.replace("-", "."))
    indicator = Indicator.objects.filter(code__in=candidates).order_by("code").first()
    if indicator is None:
        raise NotFound(f"no indicator with code {code!r}", details={"indicator": code})
    return indicator


def country_for_progress(iso3: str) -> Country:
    text = (iso3 or "").strip()
    if not ISO3.fullmatch(text):
        raise InvalidInput(
            f"country must be an ISO 3166-1 alpha-3 code such as KEN, not {iso3!r}",
            details={"field": "country", "value": iso3},
        )
    return country_get(text)


OBSERVATION_FIELDS = (
    "series",
    "unit",
    "year",
    "period",
    "value",
    "lower_bound",
    "upper_bound",
    "dimensions_key",
)
"""What :func:`progress_from_rows` reads of each observation (``QuerySet.values``)."""


def country_rows(indicator: Indicator, country: Country) -> list[dict[str, Any]]:
    """The country's observations of the indicator, every disaggregation, by year."""
    return list(
        Observation.objects.filter(indicator=indicator, country=country)
        .order_by("series", "unit", "year", "period")
        .values(*OBSERVATION_FIELDS)
    )


def progress_for_pairs(
    pairs: Iterable[tuple[Indicator, Country]],
) -> dict[tuple[int, int], IndicatorProgress]:
    """:func:`indicator_progress` for many (indicator, country) pairs with one query, keyed by
    (indicator id, country id); a pair whose series has two values for one year is left out."""
    wanted = {(indicator.pk, country.pk): (indicator, country) for indicator, country in pairs}
    if not wanted:
        return {}
    rows: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    observations = (
        Observation.objects.filter(
            indicator_id__in={key[0] for key in wanted},
            country_id__in={key[1] for key in wanted},
        )
        .order_by("series", "unit", "year", "period")
        .values("indicator_id", "country_id", *OBSERVATION_FIELDS)
    )
    for row in observations:
        key = (row["indicator_id"], row["country_id"])
        if key in wanted:
            rows[key].append(row)
    results = {}
    for key, (indicator, country) in wanted.items():
        try:
            results[key] = progress_from_rows(indicator, country, rows.get(key, []))
        except Conflict:
            continue
    return results


def _headline_series(
    rows: Iterable[Mapping[str, Any]],
) -> dict[tuple[str, str], tuple[list[progress.Point], dict[str, str]]]:
    """The headline points of each (series code, unit) and the breakdown they come from."""
    ordered = sorted(rows, key=lambda row: (row["series"], row["unit"], row["year"], row["period"]))
    return {
        key: (
            [
                progress.Point(
                    year=row["year"],
                    value=row["value"],
                    lower=row["lower_bound"],
                    upper=row["upper_bound"],
                )
                for row in headline.rows
            ],
            headline.breakdown,
        )
        for key, headline in headlines_by_series(
            ordered, key=lambda row: (row["series"], row["unit"])
        ).items()
    }


def goal_of(indicator: Indicator, unit: str = "") -> progress.Goal:
    """The indicator's direction, target (value and year) and natural limit."""
    return progress.Goal(
        direction=progress.Direction(indicator.desired_direction),
        target_value=indicator.target_value,
        target_year=indicator.target_year or progress.DEFAULT_TARGET_YEAR,
        natural_limit=indicator.natural_limit,
        percent_unit=progress.is_percent_unit(unit or indicator.unit),
    )


def indicator_progress(*, indicator_code: str, country_iso3: str) -> IndicatorProgress:
    """Both methods for every series of the country, and their indicator-level aggregates.

    Raises ``InvalidInput`` for a malformed country code, ``NotFound`` for an unknown indicator
    or country, ``Conflict`` when a series has two values for one year.
    """
    indicator = indicator_for_progress(indicator_code)
    country = country_for_progress(country_iso3)
    return progress_from_rows(indicator, country, country_rows(indicator, country))


def progress_from_rows(
    indicator: Indicator, country: Country, rows: Iterable[Mapping[str, Any]]
) -> IndicatorProgress:
    """:func:`indicator_progress` on the country's observations already read (mappings with
    :data:`OBSERVATION_FIELDS`, every disaggregation): no query. ``Conflict`` when a series
    has two values for one year."""
    goal = goal_of(indicator)
    series: list[SeriesProgress] = []
    for (code, unit), (points, breakdown) in _headline_series(rows).items():
        try:
            assessment = progress.assess_series(points, goal_of(indicator, unit))
        except progress.DuplicateYearsError as exc:
            raise Conflict(
                f"{indicator.code} {country.iso3} series {code or '(none)'} "
                f"unit {unit or '(none)'}: {exc}",
                details={"series": code, "unit": unit, "years": list(exc.years)},
                code="duplicate_years",
            ) from None
        series.append(
            SeriesProgress(
                series=code,
                unit=unit,
                observations=len(points),
                first_year=min(point.year for point in points),
                last_year=max(point.year for point in points),
                assessment=assessment,
                breakdown=breakdown,
            )
        )
    return IndicatorProgress(
        indicator=indicator,
        country=country,
        goal=goal,
        series=series,
        open_sdg=progress.aggregate_open_sdg(
            [item.assessment.open_sdg for item in series], with_target=goal.has_target
        ),
        unsd=progress.aggregate_unsd([item.assessment.unsd for item in series]),
    )


# --- the JSON document ----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Enums as their values, tuples as lists, recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _result_fields(result: progress.OpenSdgResult | progress.UnsdResult) -> dict[str, Any]:
    document = _plain(asdict(result))
    document["label"] = status_label(result.method, result.status)
    document["label_key"] = label_key(result.method, result.status)
    return document


def _headline_ref(item: SeriesProgress | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"series": item.series, "unit": item.unit, "breakdown": dict(item.breakdown)}


def _series_ref(item: SeriesProgress) -> dict[str, Any]:
    return {
        "series": item.series,
        "unit": item.unit,
        "breakdown": dict(item.breakdown),
        "observations": item.observations,
        "first_year": item.first_year,
        "last_year": item.last_year,
    }


COMPONENT_KEYS = {
    progress.Method.OPEN_SDG: (
        "base_year",
        "base_value",
        "current_year",
        "current_value",
        "target_year",
        "target_value",
        "direction",
        "sign",
        "natural_limit",
        "coefficient",
        "cagr",
        "required_cagr",
        "progress_measure",
        "progress_value",
        "thresholds",
        "notes",
    ),
    progress.Method.UNSD: (
        "base_year",
        "base_value",
        "current_year",
        "current_value",
        "target_year",
        "target_value",
        "direction",
        "cagr",
        "expected_value",
        "progress_ratio",
        "thresholds",
        "notes",
    ),
}


def _method_document(
    method: progress.Method,
    aggregate: progress.OpenSdgAggregate | progress.UnsdAggregate,
    results: list[tuple[SeriesProgress, progress.OpenSdgResult | progress.UnsdResult]],
    headline: SeriesProgress | None,
) -> dict[str, Any]:
    """The method's indicator-level status and score, the components of its headline series, and
    every series' own result."""
    checks = [result.bounds for _, result in results if result.bounds is not None]
    document: dict[str, Any] = {
        "method": method.value,
        "name": METHOD_NAMES[method],
        "status": aggregate.status.value,
        "label": status_label(method, aggregate.status),
        "label_key": label_key(method, aggregate.status),
        "reason": aggregate.reason.value if aggregate.reason else None,
        "score": aggregate.score,
        "target_achieved": (
            aggregate.target_achieved
            if isinstance(aggregate, progress.OpenSdgAggregate)
            else aggregate.achieved
        ),
        "series_count": aggregate.series_count,
        "series_assessed": aggregate.series_assessed,
        "robust": all(check.robust for check in checks) if checks else None,
        "headline_series": _headline_ref(headline),
    }
    headline_result = next((result for item, result in results if item is headline), None)
    components = _result_fields(headline_result) if headline_result else {}
    for key in COMPONENT_KEYS[method]:
        document[key] = components.get(key, [] if key == "notes" else None)
    document["series"] = [_series_ref(item) | _result_fields(result) for item, result in results]
    return document


def progress_document(result: IndicatorProgress) -> dict[str, Any]:
    """The document of ``sdg87 progress --json`` and ``GET /api/v1/indicators/{code}/progress``."""
    headline = result.headline
    outlook = (
        headline.assessment.outlook
        if headline
        else progress.Outlook(reason=progress.Reason.NO_DATA)
    )
    outlook_document = _plain(asdict(outlook))
    return {
        "indicator": result.indicator.code,
        "indicator_title": result.indicator.title,
        "country": result.country.iso3,
        "country_name": result.country.name,
        "goal": {
            "direction": result.goal.direction.value,
            "target_value": result.goal.target_value,
            "target_year": result.goal.target_year if result.goal.has_target else None,
            "natural_limit": result.goal.natural_limit,
            "base_year": result.goal.base_year,
        },
        "observations": sum(item.observations for item in result.series),
        "headline_series": _headline_ref(headline),
        "methods": {
            progress.Method.OPEN_SDG.value: _method_document(
                progress.Method.OPEN_SDG,
                result.open_sdg,
                [(item, item.assessment.open_sdg) for item in result.series],
                headline,
            ),
            progress.Method.UNSD.value: _method_document(
                progress.Method.UNSD,
                result.unsd,
                [(item, item.assessment.unsd) for item in result.series],
                headline,
            ),
        },
        "years_to_target": outlook.years_to_target,
        "years_to_target_linear": outlook.years_to_target_linear,
        "required_annual_rate": outlook.required_annual_rate,
        "required_annual_change": outlook.required_annual_change,
        "outlook": outlook_document,
        "series": [
            _series_ref(item) | {"outlook": _plain(asdict(item.assessment.outlook))}
            for item in result.series
        ],
    }
