"""Reads behind the indicator pages, one module per page: the grouped list
(:mod:`.indicator_list`), one indicator's page (:mod:`.indicator_page`), a country's data section
(:mod:`.country_data`), the progress badges (:mod:`.progress_badges`) and how values and
disaggregations read (:mod:`.labels`).

Each read runs a fixed number of queries whatever the amount of data (the country section two,
however many indicators the country has) and returns plain dataclasses or dictionaries ready for
a template or for ``json_script``. Every headline value (latest value, map, progress, the chart's
first selection) is chosen by one rule, :mod:`sdg87.indicators.headline`.
"""

from sdg87.indicators.page_selectors.country_data import CountryData, CountryIndicator, country_data
from sdg87.indicators.page_selectors.indicator_list import (
    IndicatorGroup,
    IndicatorSummary,
    indicator_groups,
)
from sdg87.indicators.page_selectors.indicator_page import (
    Area,
    Dimension,
    IndicatorPage,
    MapYear,
    MetadataField,
    SeriesTable,
    area_series,
    canonical_code,
    indicator_areas,
    indicator_for_page,
    indicator_page,
    map_by_year,
    national_metadata,
)
from sdg87.indicators.page_selectors.labels import format_value
from sdg87.indicators.page_selectors.progress_badges import (
    ProgressBadge,
    ProgressSummary,
    country_progress,
    progress_summary,
)

__all__ = [
    "Area",
    "CountryData",
    "CountryIndicator",
    "Dimension",
    "IndicatorGroup",
    "IndicatorPage",
    "IndicatorSummary",
    "MapYear",
    "MetadataField",
    "ProgressBadge",
    "ProgressSummary",
    "SeriesTable",
    "area_series",
    "canonical_code",
    "country_data",
    "country_progress",
    "format_value",
    "indicator_areas",
    "indicator_for_page",
    "indicator_groups",
    "indicator_page",
    "map_by_year",
    "national_metadata",
    "progress_summary",
]
