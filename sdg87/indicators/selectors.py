"""Reads of indicators and observations (for the API, the pages, exports and progress)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from sdg87.core.errors import InvalidInput, NotFound
from sdg87.core.i18n import localized
from sdg87.countries.models import Country, Region
from sdg87.indicators.exports import EXPORT_FORMATS, ExportFile, export_observations
from sdg87.indicators.importers.base import normalise_indicator_code
from sdg87.indicators.models import ImportBatch, Indicator, NationalMetadata, Observation

TOTAL = "_T"  # a dimension filter value meaning "not disaggregated by this dimension"


def indicator_list(*, kind: str | None = None) -> QuerySet[Indicator]:
    """Indicators in display order with ``countries_with_data`` and ``latest_year``."""
    indicators = Indicator.objects.select_related("target", "sdg_indicator").annotate(
        countries_with_data=Count("observations__country", distinct=True),
        latest_year=Max("observations__year"),
    )
    if kind:
        indicators = indicators.filter(kind=kind)
    return indicators.order_by("position", "code")


def indicator_get(code: str | Indicator) -> Indicator:
    """One indicator by code ("8.7.1", "8-7-1" or a slug); ``NotFound`` otherwise."""
    if isinstance(code, Indicator):
        return code
    normalised = normalise_indicator_code(code or "")
    try:
        return (
            Indicator.objects.select_related("target", "sdg_indicator")
            .prefetch_related("themes")
            .get(code=normalised)
        )
    except Indicator.DoesNotExist:
        raise NotFound(f"no indicator with code {code!r}", details={"code": code}) from None


def indicator_ref(code: str) -> Indicator:
    """The indicator's id and code only (for reads that need nothing else); ``NotFound``."""
    normalised = normalise_indicator_code(code or "")
    found = Indicator.objects.only("id", "code").filter(code=normalised).first()
    if found is None:
        raise NotFound(f"no indicator with code {code!r}", details={"code": code})
    return found


def country_code_checked(country: str) -> str:
    """The ISO3 code in upper case; ``InvalidInput`` when no such country exists."""
    return _country_code(country) or ""


def indicator_detail(code: str, *, country: str | None = None) -> Indicator:
    """One indicator with ``countries_with_data``, ``latest_year``, ``dimensions``,
    ``series`` and ``metadata_rows`` (national metadata, of one country if given)."""
    indicator = indicator_get(code)
    summary = indicator_list().filter(pk=indicator.pk).first()
    indicator.countries_with_data = summary.countries_with_data if summary else 0  # type: ignore[attr-defined]
    indicator.latest_year = summary.latest_year if summary else None  # type: ignore[attr-defined]
    indicator.dimensions = dimension_values(indicator)  # type: ignore[attr-defined]
    indicator.series = series_values(indicator)  # type: ignore[attr-defined]
    indicator.metadata_rows = list(national_metadata(indicator=indicator, country=country))  # type: ignore[attr-defined]
    return indicator


def _country_code(country: str | Country | None) -> str | None:
    if country is None or isinstance(country, Country):
        return country.iso3 if country is not None else None
    code = country.strip().upper()
    if not Country.objects.filter(iso3=code).exists():
        raise InvalidInput(
            f"unknown country {country!r} (an ISO3 code is expected)",
            details={"field": "country", "value": country},
        )
    return code


def observation_list(
    *,
    indicator: str | Indicator,
    country: str | Country | None = None,
    area: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    dimensions: dict[str, str] | None = None,
    series: str | None = None,
    unit: str | None = None,
    check_country: bool = True,
) -> QuerySet[Observation]:
    """Observations of an indicator, ordered by area, series, unit, disaggregation and year.

    ``check_country=False`` skips the query that makes an unknown ``country`` an error: the
    caller checks it (:func:`country_code_checked`) only when no observation is found.

    ``dimensions`` filters on disaggregations (``{"Sex": "Female"}``; the value ``_T``
    means "not disaggregated by it"); names are matched case-insensitively against the
    indicator's dimensions (an exact match first) and an unknown name is ``InvalidInput``
    listing the known ones; values too are matched case-insensitively.
    """
    indicator = indicator_get(indicator)
    observations = Observation.objects.filter(indicator=indicator).select_related(
        "country", "region", "indicator"
    )
    if isinstance(country, str) and not check_country:
        code: str | None = country.strip().upper()
    else:
        code = _country_code(country)
    if code is not None:
        observations = observations.filter(area_code=code)
    if area:
        observations = observations.filter(area_code=area.strip().upper())
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InvalidInput(
            f"year_from {year_from} is after year_to {year_to}",
            details={"field": "year_from"},
        )
    if year_from is not None:
        observations = observations.filter(year__gte=year_from)
    if year_to is not None:
        observations = observations.filter(year__lte=year_to)
    if series is not None:
        observations = observations.filter(series=series)
    if unit is not None:
        observations = observations.filter(unit=unit)
    if dimensions:
        observations = _filter_dimensions(observations, indicator, dimensions)
    return observations.order_by("area_code", "series", "unit", "dimensions_key", "year", "period")


def _filter_dimensions(
    observations: QuerySet[Observation], indicator: Indicator, dimensions: dict[str, str]
) -> QuerySet[Observation]:
    known = dimension_values(indicator)
    for position, (requested, value) in enumerate(sorted(dimensions.items())):
        if requested in known:
            names = [requested]
        else:  # "sex" matches "Sex" and "SEX" (files name dimensions as they like)
            names = [name for name in known if name.lower() == requested.lower()]
        if not names:
            raise InvalidInput(
                f"unknown dimension {requested!r} for {indicator.code}"
                + (
                    f": the dimensions are {', '.join(sorted(known))}"
                    if known
                    else ": its observations have no disaggregation"
                ),
                details={"field": requested, "dimensions": sorted(known)},
            )
        condition = Q()
        annotations = {}
        for number, name in enumerate(names):
            if value == TOTAL:
                condition &= ~Q(dimensions__has_key=name)
                continue
            alias = f"dimension_{position}_{number}"
            annotations[alias] = Cast(
                KeyTextTransform(name, "dimensions"), output_field=TextField()
            )
            values = {item.lower(): item for item in known[name]}
            condition |= Q(**{alias: values.get(value.lower(), value)})
        observations = observations.annotate(**annotations).filter(condition)
    return observations


def series_for(*, indicator: str | Indicator, country: str | Country) -> QuerySet[Observation]:
    """The observations of one country for one indicator, ordered by year (then series,
    unit and disaggregation)."""
    observations = observation_list(indicator=indicator, country=country)
    return observations.order_by("year", "period", "series", "unit", "dimensions_key")


def dimension_values(indicator: str | Indicator) -> dict[str, list[str]]:
    """``{dimension: sorted values}`` over the indicator's observations."""
    indicator = indicator_get(indicator)
    values: dict[str, set[str]] = defaultdict(set)
    distinct = (
        Observation.objects.filter(indicator=indicator)
        .exclude(dimensions_key="")
        .values_list("dimensions", flat=True)
        .distinct()
    )
    for dimensions in distinct:
        for name, value in (dimensions or {}).items():
            values[name].add(str(value))
    return {name: sorted(values[name]) for name in sorted(values)}


def series_values(indicator: str | Indicator) -> list[dict[str, Any]]:
    """The (series, unit) pairs of an indicator with their number of observations."""
    indicator = indicator_get(indicator)
    return list(
        Observation.objects.filter(indicator=indicator)
        .values("series", "unit")
        .annotate(observations=Count("id"))
        .order_by("series", "unit")
    )


def national_metadata(
    *, indicator: str | Indicator, country: str | Country | None = None
) -> QuerySet[NationalMetadata]:
    indicator = indicator_get(indicator)
    metadata = NationalMetadata.objects.filter(indicator=indicator).select_related("country")
    code = _country_code(country)
    if code is not None:
        metadata = metadata.filter(country__iso3=code)
    return metadata.order_by("country__iso3", "language")


def national_metadata_for(
    *, indicator: str | Indicator, country: str | Country, language: str
) -> NationalMetadata | None:
    """A country's metadata in ``language``, else in the platform's default language, else
    in any language."""
    rows = {row.language: row for row in national_metadata(indicator=indicator, country=country)}
    return rows.get(language) or rows.get("") or next(iter(rows.values()), None)


def import_batch_list() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    """An observation as exports write it."""

    indicator_code: str
    area_code: str
    area_name: str
    year: int
    period: str
    value: float
    unit: str
    unit_multiplier: int
    series: str
    lower_bound: float | None
    upper_bound: float | None
    observation_status: str
    source: str
    footnote: str
    dimensions: dict[str, str]
    attributes: dict[str, str]


def observation_records(
    observations: Iterable[Observation], *, indicator_code: str, language: str = "en"
) -> list[ObservationRecord]:
    records = []
    for observation in observations:
        area = observation.country if observation.country_id else observation.region
        records.append(
            ObservationRecord(
                indicator_code=indicator_code,
                area_code=observation.area_code,
                area_name=localized(area, "name", language) if area is not None else "",
                year=observation.year,
                period=observation.period,
                value=observation.value,
                unit=observation.unit,
                unit_multiplier=observation.unit_multiplier,
                series=observation.series,
                lower_bound=observation.lower_bound,
                upper_bound=observation.upper_bound,
                observation_status=observation.observation_status,
                source=observation.source,
                footnote=observation.footnote,
                dimensions=observation.dimensions or {},
                attributes=observation.attributes or {},
            )
        )
    return records


def observations_export(
    observations: QuerySet[Observation],
    *,
    fmt: str,
    indicator: Indicator,
    country: str | None = None,
    language: str = "en",
) -> ExportFile:
    """The observations as a CSV (tidy template), SDMX-CSV or XLSX file."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(
            f"unknown export format {fmt!r}: one of {', '.join(EXPORT_FORMATS)}",
            details={"field": "format", "value": fmt},
        )
    records = observation_records(
        observations.select_related("country", "region"),
        indicator_code=indicator.code,
        language=language,
    )
    return export_observations(records, fmt=fmt, indicator_code=indicator.code, country=country)


def series_fingerprint(code: str, area: str) -> tuple[Any, ...] | None:
    """What the observations of one indicator in one area (ISO3 or M49) look like now, read
    in one cheap SQL statement (no row is fetched): the indicator's id, the number, id sum,
    batch sum and latest change of its observations there, and the area's names. ``None``
    when no indicator has this code.

    Every write of observations changes it: an import or a re-import adds rows (count, id
    sum) or updates them (each update points the row at its new import batch and moves
    ``updated_at``), a removal drops rows (count). Country and region names are part of it
    because the observation pages show them. Callers compare it with the one a cached page
    was built on (``sdg87.indicators.api``): equal means the page is still what the database
    would give. Read it *before* the rows so that a page is never stored under a fingerprint
    newer than its rows."""
    from django.db import connection

    indicator_table = Indicator._meta.db_table
    observation_table = Observation._meta.db_table
    country_table = Country._meta.db_table
    region_table = Region._meta.db_table
    sql = (
        f"SELECT i.id, i.code, COUNT(o.id), COALESCE(SUM(o.id), 0),"  # noqa: S608 (fixed names)
        f" COALESCE(SUM(o.batch_id), 0), MAX(o.updated_at),"
        f" (SELECT c.name_en || '|' || c.name_fr || '|' || c.name_es FROM {country_table} c"
        f"  WHERE c.iso3 = %s),"
        f" (SELECT r.name_en || '|' || r.name_fr || '|' || r.name_es FROM {region_table} r"
        f"  WHERE r.m49 = %s)"
        f" FROM {indicator_table} i LEFT JOIN {observation_table} o"
        f" ON o.indicator_id = i.id AND o.area_code = %s"
        f" WHERE i.code = %s GROUP BY i.id, i.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [area, area, area, normalise_indicator_code(code or "")])
        row = cursor.fetchone()
    return tuple(str(value) for value in row) if row is not None else None


SERIES_ROW_LANGUAGES = frozenset({"en", "fr", "es"})


def series_rows(
    *, indicator_id: int, area: str, language: str, limit: int, offset: int = 0
) -> list[tuple[Any, ...]]:
    """Every observation of one indicator in one area (ISO3 or M49), in the order of
    :func:`observation_list`, as tuples of the columns the observation API answers (JSON
    columns as stored, text) followed by the country's and the region's names in English and
    in ``language``: one statement, no queryset compiled, for the API's pages of one area
    (``sdg87.indicators.api``; a test keeps it equal to the queryset)."""
    from django.db import connection

    if language not in SERIES_ROW_LANGUAGES:
        raise InvalidInput(f"unknown language {language!r}", details={"field": "lang"})
    columns = ", ".join(
        f"o.{Observation._meta.get_field(name.removesuffix('_id')).column}"
        if name.endswith("_id")
        else f"o.{Observation._meta.get_field(name).column}"
        for name in SERIES_ROW_COLUMNS
    )
    sql = (
        f"SELECT {columns}, c.name_en, c.name_{language}, r.name_en, r.name_{language}"  # noqa: S608
        f" FROM {Observation._meta.db_table} o"
        f" LEFT JOIN {Country._meta.db_table} c ON c.id = o.country_id"
        f" LEFT JOIN {Region._meta.db_table} r ON r.id = o.region_id"
        " WHERE o.indicator_id = %s AND o.area_code = %s"
        " ORDER BY o.area_code, o.series, o.unit, o.dimensions_key, o.year, o.period"
        " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [indicator_id, area, limit, offset])
        return cursor.fetchall()


SERIES_ROW_COLUMNS = (
    "area_code",
    "country_id",
    "year",
    "period",
    "value",
    "unit",
    "unit_multiplier",
    "series",
    "dimensions",
    "lower_bound",
    "upper_bound",
    "observation_status",
    "source",
    "footnote",
    "attributes",
)
