"""``/api/v1/indicators``: indicator definitions, their observations (JSON or a download),
and the curators' import endpoint. ``?lang=en|fr|es`` chooses the language of texts.

Progress (``/{code}/progress``) has its own router in ``api_progress.py``.
"""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import hashlib
import threading
from collections import OrderedDict
from typing import Any, Literal

import orjson
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sdg87.accounts.auth import signed_in
from sdg87.core.api_i18n import (
    LANGUAGE_DESCRIPTION,
    Language,
    TextsOut,
    requested_language,
    texts_of,
)
from sdg87.core.errors import InvalidInput, NotFound
from sdg87.core.i18n import localized
from sdg87.core.models import AuditSource
from sdg87.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PagePagination
from sdg87.indicators import selectors, services
from sdg87.indicators.importers import SourceFile
from sdg87.indicators.models import Indicator, IndicatorKind

router = Router()

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
OBSERVATION_PARAMETERS = frozenset(
    {
        "country",
        "area",
        "year_from",
        "year_to",
        "format",
        "page",
        "page_size",
        "lang",
        "series",
        "unit",
    }
)


# --- schemas ------------------------------------------------------------------------


class IndicatorOut(Schema):
    code: str = Field(..., description='"8.7.1" for SDG indicators; a slug for agreed ones')
    title: str = Field(..., description="Title in the requested language")
    kind: str = Field(..., description="sdg or agreed")
    unit: str = Field(..., description="Default unit (observations carry their own)")
    desired_direction: str = Field(..., description="up or down")
    target_value: float | None = Field(None, description="Numeric target, null when none")
    target_year: int | None = Field(None, description="Deadline (8.7.1: 2025; others 2030)")
    countries_with_data: int = Field(..., description="Countries with at least one observation")
    latest_year: int | None = Field(None, description="Latest year with an observation")
    is_headline: bool
    sdg_target: str | None = Field(None, description="SDG target code, e.g. 8.7")

    @staticmethod
    def resolve_title(obj: Indicator, context: Any) -> str:
        return localized(obj, "title", requested_language(context))

    @staticmethod
    def resolve_sdg_target(obj: Indicator) -> str | None:
        return obj.target.code if obj.target_id else None


class IndicatorThemeOut(Schema):
    slug: str
    name: str


class SeriesOut(Schema):
    series: str = Field(..., description='Series label or code, "" when none')
    unit: str
    observations: int


class NationalMetadataOut(Schema):
    country: str = Field(..., description="ISO3")
    language: str = Field(..., description='Language code; "" = the platform\'s default')
    fields: dict[str, Any] = Field(..., description="The Open SDG metadata fields as published")


class IndicatorDetailOut(IndicatorOut):
    titles: TextsOut
    definition: str
    reading_note: str = Field(..., description="How to read the direction of this indicator")
    source: str
    natural_limit: float | None = None
    sdg_indicator: str | None = Field(None, description="Code in the SDG framework")
    themes: list[IndicatorThemeOut]
    sdmx_series: list[str] = Field(..., description="UN SDG series codes imported into it")
    dimensions: dict[str, list[str]] = Field(
        ..., description="Each disaggregation and its values (filter observations with them)"
    )
    series: list[SeriesOut]
    metadata: list[NationalMetadataOut] = Field(
        ..., description="National metadata (Open SDG meta_*.yml) by country and language"
    )

    @staticmethod
    def resolve_titles(obj: Indicator) -> dict[str, str]:
        return texts_of(obj, "title")

    @staticmethod
    def resolve_definition(obj: Indicator, context: Any) -> str:
        return localized(obj, "definition", requested_language(context))

    @staticmethod
    def resolve_reading_note(obj: Indicator, context: Any) -> str:
        return localized(obj, "reading_note", requested_language(context))

    @staticmethod
    def resolve_sdg_indicator(obj: Indicator) -> str | None:
        return obj.sdg_indicator.code if obj.sdg_indicator_id else None

    @staticmethod
    def resolve_themes(obj: Indicator, context: Any) -> list[dict[str, str]]:
        language = requested_language(context)
        return [
            {"slug": theme.slug, "name": localized(theme, "name", language)}
            for theme in obj.themes.all()
        ]

    @staticmethod
    def resolve_sdmx_series(obj: Indicator) -> list[str]:
        return [str(code) for code in obj.sdmx_series or []]

    @staticmethod
    def resolve_metadata(obj: Any) -> list[dict[str, Any]]:
        return [
            {"country": row.country.iso3, "language": row.language, "fields": row.fields}
            for row in obj.metadata_rows
        ]


class IndicatorFilters(Schema):
    kind: IndicatorKind | None = Field(None, description="sdg or agreed")
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


class IndicatorQuery(Schema):
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$", description="Only this country's national metadata"
    )


class ObservationOut(Schema):
    country: str | None = Field(None, description="ISO3 of a country; null for a region")
    area: str = Field(..., description="ISO3 of a country or UN M49 code of a region")
    area_type: str = Field(..., description="country or region")
    area_name: str
    year: int
    period: str = Field(..., description='As published: "2019" or "2013-14"')
    value: float
    unit: str
    unit_multiplier: int = Field(..., description="Power of ten (3 = thousands)")
    series: str
    dimensions: dict[str, str] = Field(..., description="Disaggregations; {} for a total")
    lower_bound: float | None = None
    upper_bound: float | None = None
    observation_status: str
    source: str
    footnote: str
    attributes: dict[str, str]


class ObservationPageOut(Schema):
    indicator: str
    count: int
    page: int
    page_size: int
    results: list[ObservationOut]


class ObservationQuery(Schema):
    country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="ISO3 code")
    area: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$|^\d{1,3}$", description="ISO3 or M49 code (001 = world)"
    )
    year_from: int | None = Field(None, ge=1800, le=2100)
    year_to: int | None = Field(None, ge=1800, le=2100)
    series: str | None = Field(None, description="Only this series")
    unit: str | None = Field(None, description="Only this unit")
    format: Literal["json", "csv", "sdmx-csv", "xlsx"] = Field(
        "json", description="json (paginated), or a csv, sdmx-csv or xlsx download (all rows)"
    )
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


class ImportErrorOut(Schema):
    file: str
    message: str = Field(..., description="Full message: file, row (line), column and reason")
    reason: str
    row: int | None = None
    line: int | None = None
    column: str | None = None
    sheet: str | None = None
    cell: str | None = None


class FileReportOut(Schema):
    name: str
    format: str
    sha256: str
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    skipped: dict[str, int] = Field(..., description="Rows not imported, by reason")
    skipped_rows: dict[str, list[int]] = Field(..., description="First rows of each reason")
    warnings: list[str]
    metadata: int = Field(..., description="Metadata documents read from the file")


class ImportReportOut(Schema):
    created: int
    updated: int
    unchanged: int
    rejected: int
    dry_run: bool
    errors: list[ImportErrorOut]
    error_count: int
    files: list[FileReportOut]
    metadata: dict[str, int] = Field(..., description="National metadata created/updated/unchanged")
    batch: int | None = Field(None, description="The import batch written (null for a dry run)")
    seconds: float


# --- endpoints -----------------------------------------------------------------------


@router.get("", response=list[IndicatorOut], summary="List the indicators")
@paginate(PagePagination)
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters]) -> Any:
    return selectors.indicator_list(kind=filters.kind)


@router.post(
    "/imports",
    response={200: ImportReportOut},
    auth=signed_in,
    summary="Import observation files (curators)",
)
def import_observations(
    request: HttpRequest,
    files: File[list[UploadedFile]],
    format: Form[Literal["auto", "open-sdg", "sdmx-csv", "csv", "xlsx"]] = "auto",
    indicator: Form[str | None] = None,
    country: Form[str | None] = None,
    source: Form[str | None] = None,
    dry_run: Form[bool] = False,
) -> Any:
    """Multipart upload of one or more files with the options of `sdg87 import-observations`.
    Answers the same report as the command's `--json`; invalid files answer 400 with the
    report in `error.details` (nothing is written)."""
    sources = []
    for upload in files:
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise InvalidInput(
                f"{upload.name}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
                details={"file": upload.name},
            )
        sources.append(SourceFile(name=upload.name or "upload", content=upload.read()))
    report = services.observations_import(
        files=sources,
        format=format,
        indicator=indicator or None,
        country=country or None,
        source=source or None,
        dry_run=dry_run,
        actor=request.auth,
        audit_source=AuditSource.API,
    )
    return report.as_dict()


@router.get("/{code}", response=IndicatorDetailOut, summary="One indicator with its dimensions")
def get_indicator(request: HttpRequest, code: str, query: Query[IndicatorQuery]) -> Any:
    """404 with the error shape when the code is unknown (codes as `8.7.1`)."""
    return selectors.indicator_detail(code, country=query.country)


@router.get(
    "/{code}/observations",
    response={200: ObservationPageOut},
    summary="Observations of an indicator (JSON, or a CSV, SDMX-CSV or XLSX download)",
)
def list_observations(request: HttpRequest, code: str, query: Query[ObservationQuery]) -> Any:
    """Filter with `country`, `area`, `year_from`, `year_to`, `series`, `unit` and any
    dimension of the indicator as `?<dimension>=<value>` (`?Sex=Female`; `_T` = not
    disaggregated by it). An unknown dimension answers 400 listing the known ones. A JSON
    page carries an `ETag`: send it back in `If-None-Match` to get 304 while the data are
    unchanged."""
    json_page = query.format == "json"
    dimensions = {
        name: value for name, value in request.GET.items() if name not in OBSERVATION_PARAMETERS
    }
    cache_key = _series_cache_key(code, query, request) if json_page else None
    fingerprint = None
    if cache_key is not None:
        fingerprint = selectors.series_fingerprint(code, cache_key[1])
        if fingerprint is not None:
            cached = SERIES_CACHE.get(cache_key, fingerprint)
            if cached is None and _whole_area_query(query, dimensions):
                body = _area_page(fingerprint, cache_key[1], query)
                cached = (body, _etag_of(body))
                SERIES_CACHE.put(cache_key, fingerprint, *cached)
            if cached is not None:
                return _json_page_response(request, *cached)
    indicator = selectors.indicator_ref(code) if json_page else selectors.indicator_get(code)
    observations = selectors.observation_list(
        check_country=not json_page,
        indicator=indicator,
        country=query.country,
        area=query.area,
        year_from=query.year_from,
        year_to=query.year_to,
        dimensions=dimensions,
        series=query.series,
        unit=query.unit,
    )
    if query.format != "json":
        export = selectors.observations_export(
            observations,
            fmt=query.format,
            indicator=indicator,
            country=query.country,
            language=query.lang,
        )
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    offset = (query.page - 1) * query.page_size
    results = _observation_rows(observations[offset : offset + query.page_size], query.lang)
    if query.page == 1 and len(results) < query.page_size:
        count = len(results)  # the whole list fits on the first page: no COUNT query
    else:
        count = observations.count()
    body = _page_document(indicator.code, count, results, query)
    etag = _etag_of(body)
    if cache_key is not None and fingerprint is not None:
        SERIES_CACHE.put(cache_key, fingerprint, body, etag)
    return _json_page_response(request, body, etag)


def _page_document(
    indicator: str, count: int, results: list[dict[str, Any]], query: ObservationQuery
) -> bytes:
    """The JSON page; ``InvalidInput`` for an unknown country without rows, ``NotFound`` for
    a page beyond the last."""
    offset = (query.page - 1) * query.page_size
    if not results and query.country:
        selectors.country_code_checked(query.country)  # an unknown country is an error
    if query.page > 1 and offset >= count:
        raise NotFound(
            f"page {query.page} is beyond the last page",
            details={"count": count, "page_size": query.page_size},
        )
    # The rows are plain values serialised once (orjson), not model instances validated one by
    # one: this endpoint is the platform's hot path (benchmarks/load.md). Same document as
    # ObservationPageOut, which tests compare field by field.
    document = {
        "indicator": indicator,
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "results": results,
    }
    return orjson.dumps(document)


def _whole_area_query(query: ObservationQuery, dimensions: dict[str, str]) -> bool:
    """Every observation of the area (no year, series, unit or dimension filter)."""
    return not dimensions and (query.year_from, query.year_to, query.series, query.unit) == (
        None,
        None,
        None,
        None,
    )


def _area_page(fingerprint: tuple[str, ...], area: str, query: ObservationQuery) -> bytes:
    """The JSON page of every observation of one area, read in one statement
    (``selectors.series_rows``); the count is the fingerprint's, read just before."""
    indicator_id, indicator_code, count = int(fingerprint[0]), fingerprint[1], int(fingerprint[2])
    offset = (query.page - 1) * query.page_size
    rows = selectors.series_rows(
        indicator_id=indicator_id,
        area=area,
        language=query.lang,
        limit=query.page_size,
        offset=offset,
    )
    results = _row_dicts(rows)
    if query.page == 1 and len(results) < query.page_size:
        count = len(results)
    return _page_document(indicator_code, count, results, query)


# --- the series cache ----------------------------------------------------------------------
# The JSON page of one indicator in one area (``?country=`` or ``?area=``) is what API clients
# and dashboards poll: each process keeps the last pages it built, with the fingerprint of the
# rows they were built from (``selectors.series_fingerprint``: one cheap aggregate statement
# that every import, correction and removal changes). A request reads the fingerprint first;
# equal to the cached one, the stored bytes are answered without building anything, else the
# page is built as above and stored. Nothing to invalidate by hand and nothing shared between
# processes; a new import is visible on the next request. Every JSON page carries an ETag (a
# hash of its bytes) and ``If-None-Match`` with it answers 304.

SERIES_CACHE_SIZE = 2048  # pages
SERIES_CACHE_BYTES = 32 * 1024 * 1024  # per process; a page above an eighth is not kept
CacheKey = tuple[Any, ...]


class SeriesCache:
    """A least-recently-used map ``key -> (fingerprint, body, etag)`` bounded in pages and in
    bytes."""

    def __init__(self, size: int = SERIES_CACHE_SIZE, max_bytes: int = SERIES_CACHE_BYTES) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[CacheKey, tuple[tuple[str, ...], bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: CacheKey, fingerprint: tuple[str, ...]) -> tuple[bytes, str] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != fingerprint:
                return None
            self._entries.move_to_end(key)
            return entry[1], entry[2]

    def put(self, key: CacheKey, fingerprint: tuple[str, ...], body: bytes, etag: str) -> None:
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.bytes -= len(previous[1])
            if len(body) > self.max_bytes // 8:
                return
            self._entries[key] = (fingerprint, body, etag)
            self.bytes += len(body)
            while len(self._entries) > self.size or self.bytes > self.max_bytes:
                _key, (_fingerprint, dropped, _etag) = self._entries.popitem(last=False)
                self.bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


SERIES_CACHE = SeriesCache()


def _series_cache_key(code: str, query: ObservationQuery, request: HttpRequest) -> CacheKey | None:
    """``(indicator code, area, the query string's parameters)`` for a JSON page of one area;
    ``None`` (not cached) for a page of every area or of two different ones."""
    areas = {value.strip().upper() for value in (query.country, query.area) if value}
    if len(areas) != 1:
        return None
    parameters = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))
    return (code, areas.pop(), parameters)


def _etag_of(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def _json_page_response(request: HttpRequest, body: bytes, etag: str) -> HttpResponse:
    """The page, or 304 when ``If-None-Match`` names its ETag (weak comparison, RFC 9110)."""
    header = request.headers.get("If-None-Match")
    if header:
        wanted = {tag.removeprefix("W/") for tag in parse_etags(header)}
        if "*" in wanted or etag in wanted:
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    return response


OBSERVATION_COLUMNS = selectors.SERIES_ROW_COLUMNS


def _observation_rows(observations: Any, language: str) -> list[dict[str, Any]]:
    names = ("country__name_en", f"country__name_{language}", "region__name_en")
    names += (f"region__name_{language}",)
    return _row_dicts(observations.values_list(*OBSERVATION_COLUMNS, *names))


def _json_value(value: Any) -> Any:
    """A JSON column as read by raw SQL (text) or by the ORM (decoded)."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _row_dicts(values_rows: Any) -> list[dict[str, Any]]:
    """Rows of ``OBSERVATION_COLUMNS`` + the area's names (English, requested language)."""
    rows = []
    for values in values_rows:
        (area, country_id, year, period, value, unit, multiplier, series, dimensions) = values[:9]
        (lower, upper, status, source, footnote, attributes) = values[9:15]
        country_en, country_local, region_en, region_local = values[15:]
        is_country = country_id is not None
        rows.append(
            {
                "country": area if is_country else None,
                "area": area,
                "area_type": "country" if is_country else "region",
                "area_name": (country_local or country_en or "")
                if is_country
                else (region_local or region_en or ""),
                "year": year,
                "period": period,
                "value": value,
                "unit": unit,
                "unit_multiplier": multiplier,
                "series": series,
                "dimensions": _json_value(dimensions) or {},
                "lower_bound": lower,
                "upper_bound": upper,
                "observation_status": status,
                "source": source,
                "footnote": footnote,
                "attributes": _json_value(attributes) or {},
            }
        )
    return rows
