"""One indicator's page: the areas with data, the chosen area's series with its
disaggregation selectors, the map by year, national metadata and the progress badges."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.core.errors import NotFound
from sdg87.core.i18n import UI_LANGUAGES, current_language
from sdg87.countries.models import Country
from sdg87.indicators.headline import headlines_by_series
from sdg87.indicators.importers.base import normalise_indicator_code
from sdg87.indicators.models import Indicator, NationalMetadata, Observation
from sdg87.indicators.page_selectors.labels import (
    SERIES_KEY,
    TOTAL,
    UNIT_KEY,
    breakdown_label,
    dimension_label,
    dimension_value_label,
    format_value,
    natural_key,
)
from sdg87.indicators.page_selectors.progress_badges import ProgressSummary, country_progress

WORLD = "001"


@dataclass(frozen=True)
class Area:
    """A country (ISO3 code) or an M49 region with data for the indicator."""

    code: str
    name: str
    is_country: bool
    data_points: int


@dataclass
class Dimension:
    key: str
    label: str
    values: list[tuple[str, str]]
    """(value, label) pairs in natural order."""
    has_total: bool
    selected: str
    """The value shown first ("" = the total, where the source has one)."""


@dataclass
class SeriesTable:
    """The observations of one indicator for one area, shaped for the chart and its table."""

    rows: list[dict[str, Any]]
    dimensions: list[Dimension]
    units: list[str]
    has_bounds: bool
    has_notes: bool
    sources: list[str] = field(default_factory=list)  # distinct sources of the rows


@dataclass
class MapYear:
    years: list[int]
    year: int | None
    series: str
    unit: str
    rows: list[dict[str, Any]]
    """``{"iso3", "name", "value", "label", "period", "breakdown"}`` sorted by country name;
    ``breakdown`` says which breakdown stands for the total where the source has none ("" for a
    total)."""

    @property
    def from_breakdown(self) -> list[dict[str, Any]]:
        """The rows whose value is a breakdown standing for a missing total."""
        return [row for row in self.rows if row["breakdown"]]

    def payload(self, missing_label: str) -> dict[str, Any]:
        return {
            "mode": "numeric",
            "unit": self.unit,
            "missing_label": missing_label,
            "values": {
                row["iso3"]: {
                    "value": row["value"],
                    "label": (
                        f"{row['label']} ({row['breakdown']})" if row["breakdown"] else row["label"]
                    ),
                    "name": row["name"],
                }
                for row in self.rows
            },
        }


@dataclass
class MetadataField:
    key: str
    label: str
    value: str
    is_link: bool = False


@dataclass
class IndicatorPage:
    indicator: Indicator
    areas: list[Area]
    area: Area | None
    series: SeriesTable
    map: MapYear
    metadata: list[MetadataField]
    metadata_language: str
    progress: ProgressSummary | None = None

    @property
    def countries(self) -> list[Area]:
        return [area for area in self.areas if area.is_country]

    @property
    def regions(self) -> list[Area]:
        return [area for area in self.areas if not area.is_country]

    @property
    def deadline_year(self) -> int | None:
        target = self.indicator.target
        return self.indicator.target_year or (target.deadline_year if target else None)

    def chart_payload(self) -> dict[str, Any]:
        return {
            "rows": [
                {
                    "period": row["period"],
                    "year": row["year"],
                    "value": row["value"],
                    "label": row["label"],
                    "keys": row["keys"],
                    "lower": row["lower_bound"],
                    "upper": row["upper_bound"],
                }
                for row in self.series.rows
            ],
            "dimensions": [
                {
                    "key": dimension.key,
                    "label": dimension.label,
                    "values": dict(dimension.values),
                }
                for dimension in self.series.dimensions
            ],
            "area": self.area.name if self.area else "",
            "unit": self.series.units[0] if len(self.series.units) == 1 else "",
            "labels": {
                "total": _("Total"),
                "no_data": _("No data for this selection."),
                "value": _("Value"),
                "year": _("Year"),
                "shown": _("{shown} of {total} values shown for this selection."),
            },
        }


def canonical_code(code: str) -> str:
    """The code as stored: "8-7-1" → "8.7.1", slugs in lower case."""
    return normalise_indicator_code(code or "")


def indicator_for_page(code: str) -> Indicator:
    """The indicator with its target and goal; "8-7-1" is read as "8.7.1"."""
    try:
        return Indicator.objects.select_related("target__goal").get(code=canonical_code(code))
    except Indicator.DoesNotExist:
        raise NotFound(f"no indicator {code!r}", details={"code": code}) from None


def indicator_areas(indicator: Indicator) -> list[Area]:
    """Countries (by name in the page language) then regions with data, in one query."""
    language = current_language()
    rows = (
        Observation.objects.filter(indicator=indicator)
        .values(
            "area_code",
            "country_id",
            *[f"country__name_{code}" for code in UI_LANGUAGES],
            *[f"region__name_{code}" for code in UI_LANGUAGES],
        )
        .annotate(data_points=Count("id"))
        .order_by()
    )
    areas = []
    for row in rows:
        prefix = "country" if row["country_id"] else "region"
        name = row[f"{prefix}__name_{language}"] or row[f"{prefix}__name_en"] or row["area_code"]
        areas.append(
            Area(
                code=row["area_code"],
                name=name,
                is_country=bool(row["country_id"]),
                data_points=row["data_points"],
            )
        )
    return sorted(areas, key=lambda area: (not area.is_country, natural_key(area.name)))


def _default_area(areas: list[Area]) -> Area | None:
    """The world where it has data; otherwise the country with the most data points."""
    for area in areas:
        if area.code == WORLD:
            return area
    countries = [area for area in areas if area.is_country] or areas
    return max(countries, key=lambda area: area.data_points, default=None)


def area_series(indicator: Indicator, area: Area | None) -> SeriesTable:
    """The area's observations with their disaggregation selectors."""
    if area is None:
        return SeriesTable(rows=[], dimensions=[], units=[], has_bounds=False, has_notes=False)
    observations = (
        Observation.objects.filter(indicator=indicator, area_code=area.code)
        .order_by("year", "period", "series", "unit", "dimensions_key")
        .values(
            "year",
            "period",
            "series",
            "unit",
            "dimensions",
            "dimensions_key",
            "value",
            "lower_bound",
            "upper_bound",
            "observation_status",
            "footnote",
            "source",
        )
    )
    rows: list[dict[str, Any]] = []
    for observation in observations:
        dimensions = {
            str(key): str(value)
            for key, value in (observation["dimensions"] or {}).items()
            if value not in (None, "")
        }
        keys = {**dimensions, SERIES_KEY: observation["series"], UNIT_KEY: observation["unit"]}
        rows.append(
            {
                **observation,
                "dimensions": dimensions,
                "keys": keys,
                "label": format_value(observation["value"]),
                "lower_label": format_value(observation["lower_bound"]),
                "upper_label": format_value(observation["upper_bound"]),
            }
        )
    dimensions = _dimensions(rows)
    for row in rows:
        row["cells"] = [
            dimension_value_label(dimension.key, row["keys"].get(dimension.key, TOTAL))
            if row["keys"].get(dimension.key, TOTAL) != TOTAL
            else _("Total")
            for dimension in dimensions
        ]
    return SeriesTable(
        rows=rows,
        dimensions=dimensions,
        units=sorted({row["unit"] for row in rows if row["unit"]}),
        has_bounds=any(row["lower_bound"] is not None for row in rows),
        has_notes=any(row["footnote"] or row["observation_status"] for row in rows),
        sources=sorted({row["source"] for row in rows if row["source"]}),
    )


def _dimensions(rows: list[dict[str, Any]]) -> list[Dimension]:
    """A selector per dimension that varies, series and unit included (when more than one)."""
    values: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for key, value in row["keys"].items():
            values[key].add(value)
    present: list[str] = []
    for key, found in values.items():
        with_total = any(key not in row["keys"] for row in rows)
        if key in (SERIES_KEY, UNIT_KEY):
            if len(found - {TOTAL}) > 1:
                present.append(key)
        elif len(found) > 1 or with_total:
            present.append(key)
    default = _default_selection(rows)
    dimensions = []
    rank = {SERIES_KEY: 0, UNIT_KEY: 2}
    for key in sorted(present, key=lambda k: (rank.get(k, 1), natural_key(k))):
        has_total = any(row["keys"].get(key, TOTAL) == TOTAL for row in rows)
        ordered = sorted(values[key] - {TOTAL}, key=natural_key)
        dimensions.append(
            Dimension(
                key=key,
                label=dimension_label(key),
                values=[(value, dimension_value_label(key, value)) for value in ordered],
                has_total=has_total,
                selected=default.get(key, TOTAL),
            )
        )
    return dimensions


def _default_selection(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The combination shown first: the headline (:mod:`sdg87.indicators.headline`: the
    totals, else the breakdown standing for them) of the richest series, else the richest
    combination, so that the first chart is never empty."""
    if not rows:
        return {}
    headlines = headlines_by_series(rows, key=lambda row: (row["series"], row["unit"]))
    if headlines:
        series, unit = max(headlines, key=lambda pair: (len(headlines[pair].rows), pair))
        return {
            **headlines[(series, unit)].rows[0]["dimensions"],
            SERIES_KEY: series,
            UNIT_KEY: unit,
        }
    combinations = Counter(tuple(sorted(row["keys"].items())) for row in rows)
    best = max(combinations, key=lambda combination: (combinations[combination], combination))
    return dict(best)


def map_by_year(indicator: Indicator, year: int | None = None) -> MapYear:
    """Country headline values (:mod:`sdg87.indicators.headline`: the totals, else the
    breakdown standing for them, named in each row's ``breakdown``) of the series and unit
    reported by the most countries, for ``year`` or, by default, the latest year with at least
    half the best year's countries. Two queries: the observations, the countries' names."""
    language = current_language()
    observations = (
        Observation.objects.filter(indicator=indicator, country__isnull=False)
        .order_by("area_code", "series", "unit", "year", "period")
        .values(
            "area_code",
            "series",
            "unit",
            "year",
            "period",
            "value",
            "dimensions_key",
        )
    )
    headlines = headlines_by_series(
        observations, key=lambda row: (row["series"], row["unit"], row["area_code"])
    )
    countries: dict[tuple[str, str], set[str]] = defaultdict(set)
    per_year: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for (series_code, unit_code, area_code), headline in headlines.items():
        countries[(series_code, unit_code)].add(area_code)
        for observed_year in {row["year"] for row in headline.rows}:
            per_year[(series_code, unit_code)][observed_year] += 1
    if not countries:
        return MapYear(years=[], year=None, series="", unit="", rows=[])
    series, unit = max(
        countries,
        key=lambda pair: (len(countries[pair]), per_year[pair].total(), pair),
    )
    by_year = per_year[(series, unit)]
    years = sorted(by_year)
    if year not in by_year:
        best = max(by_year.values())
        year = max(y for y, count in by_year.items() if count * 2 >= best)
    shown = {
        area_code: headline
        for (series_code, unit_code, area_code), headline in headlines.items()
        if (series_code, unit_code) == (series, unit)
    }
    names = {
        country["iso3"]: country[f"name_{language}"] or country["name_en"]
        for country in Country.objects.filter(iso3__in=shown).values(
            "iso3", "name_en", f"name_{language}"
        )
    }
    latest: dict[str, dict[str, Any]] = {}
    for area_code, headline in shown.items():
        for observation in headline.rows:  # by period: the last of the year is kept
            if observation["year"] != year:
                continue
            latest[area_code] = {
                "iso3": area_code,
                "name": names.get(area_code, area_code),
                "value": observation["value"],
                "label": format_value(observation["value"]),
                "period": observation["period"],
                "breakdown": breakdown_label(headline.breakdown),
            }
    rows = sorted(latest.values(), key=lambda row: natural_key(row["name"]))
    return MapYear(years=years, year=year, series=series, unit=unit, rows=rows)


# Open SDG metadata fields worth showing, in order, with their labels. Other fields are layout
# settings or translation keys of the Open SDG site and are left out.
METADATA_FIELDS = {
    "SDG_INDICATOR": gettext_lazy("Indicator"),
    "STAT_CONC_DEF": gettext_lazy("Definitions and concepts"),
    "DATA_COMP": gettext_lazy("Computation method"),
    "computation_definition": gettext_lazy("Computation method"),
    "computation_units": gettext_lazy("Unit of measure"),
    "UNIT_MEASURE": gettext_lazy("Unit of measure"),
    "national_geographical_coverage": gettext_lazy("Geographical coverage"),
    "COVERAGE": gettext_lazy("Coverage"),
    "SOURCE_TYPE": gettext_lazy("Data sources"),
    "source_organisation_1": gettext_lazy("Source organisation"),
    "source_title_1": gettext_lazy("Source"),
    "source_url_1": gettext_lazy("Source link"),
    "source_periodicity_1": gettext_lazy("Periodicity"),
    "source_organisation_2": gettext_lazy("Second source organisation"),
    "source_title_2": gettext_lazy("Second source"),
    "source_url_2": gettext_lazy("Second source link"),
    "un_custodian_agency": gettext_lazy("UN custodian agency"),
    "un_designated_tier": gettext_lazy("UN tier"),
    "REC_USE_LIM": gettext_lazy("Limitations"),
    "other_info": gettext_lazy("Other information"),
    "page_content": gettext_lazy("About the data"),
    "goal_meta_link": gettext_lazy("Global metadata"),
    "national_metadata_link": gettext_lazy("National metadata"),
}
TRANSLATION_KEY = re.compile(r"[\w-]+\.[\w.-]+")
LINK = re.compile(r"https?://\S+")


def national_metadata(indicator: Indicator, area: Area | None) -> tuple[list[MetadataField], str]:
    """The area's national metadata in the page language, else in the national platform's
    default language (``""``, from ``meta_8-7-1.yml``), else in English, else in any language
    (the order of ``selectors.national_metadata_for``): readable fields only, as plain text;
    and the language they are in (``""`` when unknown or when there are none)."""
    if area is None or not area.is_country:
        return [], ""
    language = current_language()
    records = {
        record.language: record.fields
        for record in NationalMetadata.objects.filter(
            indicator=indicator, country__iso3=area.code
        ).order_by("language")
    }
    chosen = next((code for code in (language, "", "en", *records) if code in records), None)
    if chosen is None:
        return [], ""
    fields = records[chosen] or {}
    shown = []
    for key, label in METADATA_FIELDS.items():
        raw = fields.get(key)
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            continue
        text = " ".join(strip_tags(str(raw)).split())
        if not text or TRANSLATION_KEY.fullmatch(text):
            continue
        shown.append(
            MetadataField(key=key, label=str(label), value=text, is_link=bool(LINK.fullmatch(text)))
        )
    return shown, chosen


def indicator_page(code: str, *, area_code: str = "", year: int | None = None) -> IndicatorPage:
    indicator = indicator_for_page(code)
    areas = indicator_areas(indicator)
    wanted = (area_code or "").strip().upper()
    area = next((a for a in areas if a.code == wanted), None) or _default_area(areas)
    metadata, metadata_language = national_metadata(indicator, area)
    return IndicatorPage(
        indicator=indicator,
        areas=areas,
        area=area,
        series=area_series(indicator, area),
        map=map_by_year(indicator, year),
        metadata=metadata,
        metadata_language=metadata_language,
        progress=country_progress(indicator, area.code) if area and area.is_country else None,
    )
