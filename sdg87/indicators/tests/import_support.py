"""Helpers for the importer tests: a ReadContext built from the bundled reference files (no
database), and writers of small files."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

from django.conf import settings

from sdg87.indicators.importers import AreaLookup, ReadContext, SourceFile

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA_DIR = Path(settings.DATA_DIR)


@cache
def _reference() -> tuple[AreaLookup, frozenset[str], dict[str, str]]:
    codes: dict[str, str] = {}
    numeric: dict[str, str] = {}
    iso2: dict[str, str] = {}
    with (DATA_DIR / "reference" / "countries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for key in ("iso3", "iso2", "numeric"):
                codes[row[key]] = row["iso3"]
            numeric[row["iso3"]] = row["numeric"]
            iso2[row["iso3"]] = row["iso2"]
    with (DATA_DIR / "reference" / "m49_regions.csv").open(encoding="utf-8") as handle:
        regions = frozenset(row["m49"] for row in csv.DictReader(handle))
    indicators = set()
    series: dict[str, str] = {}
    with (DATA_DIR / "reference" / "indicators.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            indicators.add(row["code"])
            for code in filter(None, row["sdmx_series"].split(";")):
                series[code] = row["code"]
    return AreaLookup(codes, numeric, iso2, regions), frozenset(indicators), series


def context(**options: str | None) -> ReadContext:
    areas, indicators, series = _reference()
    return ReadContext(
        indicators=indicators,
        series_indicators=series,
        areas=areas,
        indicator=options.get("indicator"),
        country=options.get("country"),
        source=options.get("source") or "",
    )


def source(name: str, text: str | bytes, **options: object) -> SourceFile:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return SourceFile(name=name, content=content, **options)  # type: ignore[arg-type]


def fixture(relative: str, **options: object) -> SourceFile:
    path = FIXTURES / relative
    return SourceFile(name=path.name, content=path.read_bytes(), path=path, **options)  # type: ignore[arg-type]


def csv_text(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load_indicator_reference() -> None:
    """Countries, regions, the SDG framework and the indicator definitions (no observations)."""
    from sdg87.countries.services import countries_load_bundled
    from sdg87.framework.services import framework_load_bundled
    from sdg87.indicators.services import indicators_load_bundled

    countries_load_bundled(DATA_DIR)
    framework_load_bundled(DATA_DIR)
    indicators_load_bundled(DATA_DIR)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def empty_observations() -> None:
    """Remove every observation (and its revisions), so that a transactional test's flush can
    empty the database: on SQLite the flush is a ``DELETE`` per table in no set order, and the
    reference triggers refuse deleting a country, region, indicator or batch that observations
    still point at (PostgreSQL flushes with ``TRUNCATE``, which the triggers do not see)."""
    from django.db import connection

    from sdg87.indicators.models import Observation, ObservationRevision

    with connection.cursor() as cursor:
        for model in (ObservationRevision, Observation):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's table name)
