"""Writes for countries and UN M49 regions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from sdg87.core.bundled_files import (
    CsvRow,
    parents_first,
    read_csv,
    require_unique,
    upsert,
)
from sdg87.core.reports import LoadReport
from sdg87.countries.models import Country, Region

REGIONS_FILE = Path("reference") / "m49_regions.csv"
COUNTRIES_FILE = Path("reference") / "countries.csv"

REGION_COLUMNS = ("m49", "level", "parent_m49", "name_en", "name_fr", "name_es")
COUNTRY_COLUMNS = (
    "iso2",
    "iso3",
    "numeric",
    "name_en",
    "name_fr",
    "name_es",
    "official_name_en",
    "region_m49",
    "subregion_m49",
    "intermediate_region_m49",
    "un_member",
)
M49_PATTERN = r"\d{3}"

# Which level each of a country's region columns must point at.
COUNTRY_REGION_LEVELS = {
    "region_m49": Region.Level.REGION,
    "subregion_m49": Region.Level.SUBREGION,
    "intermediate_region_m49": Region.Level.INTERMEDIATE,
}


def _parse_regions(rows: list[CsvRow]) -> list[dict[str, Any]]:
    parsed = []
    for row in rows:
        parsed.append(
            {
                "m49": row.matching("m49", M49_PATTERN, "a 3-digit M49 code"),
                "level": row.choice("level", Region.Level.values),
                "parent": row.matching(
                    "parent_m49", M49_PATTERN, "a 3-digit M49 code", required=False
                ),
                "name_en": row.text("name_en", max_length=120),
                "name_fr": row.text("name_fr", max_length=120),
                "name_es": row.text("name_es", max_length=120),
            }
        )
    require_unique(rows, [record["m49"] for record in parsed], "m49")
    levels = {record["m49"]: record["level"] for record in parsed}
    for row, record in zip(rows, parsed, strict=True):
        is_world = record["level"] == Region.Level.WORLD
        if is_world and record["parent"]:
            raise row.error("parent_m49", "the world has no parent region")
        if not is_world and record["parent"] not in levels:
            raise row.error("parent_m49", f"{record['parent']!r} is not a region of this file")
    return parsed


def _parse_countries(rows: list[CsvRow], region_levels: dict[str, str]) -> list[dict[str, Any]]:
    parsed = []
    for row in rows:
        record: dict[str, Any] = {
            "iso2": row.matching("iso2", r"[A-Z]{2}", "2 capital letters (ISO 3166-1 alpha-2)"),
            "iso3": row.matching("iso3", r"[A-Z]{3}", "3 capital letters (ISO 3166-1 alpha-3)"),
            "numeric": row.matching("numeric", r"\d{3}", "3 digits (ISO 3166-1 numeric)"),
            "name_en": row.text("name_en", max_length=160),
            "name_fr": row.text("name_fr", max_length=160),
            "name_es": row.text("name_es", max_length=160),
            "official_name_en": row.text("official_name_en", required=False, max_length=255),
            "un_member": row.boolean("un_member"),
        }
        for column, level in COUNTRY_REGION_LEVELS.items():
            code = row.matching(column, M49_PATTERN, "a 3-digit M49 code", required=False)
            if code and region_levels.get(code) != level:
                raise row.error(column, f"{code!r} is not a {level} of the M49 regions file")
            record[column] = code
        if record["intermediate_region_m49"] and not record["subregion_m49"]:
            raise row.error(
                "subregion_m49", "a country in an intermediate region needs its sub-region"
            )
        if record["subregion_m49"] and not record["region_m49"]:
            raise row.error("region_m49", "a country in a sub-region needs its region")
        parsed.append(record)
    for field in ("iso2", "iso3", "numeric"):
        require_unique(rows, [record[field] for record in parsed], field)
    return parsed


@transaction.atomic
def countries_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Load ``reference/m49_regions.csv`` then ``reference/countries.csv`` from ``data_dir``.

    Both files are validated completely before anything is written; a bad row raises
    ``InvalidInput`` naming the file, row and field.
    """
    region_rows = read_csv(data_dir / REGIONS_FILE, data_dir=data_dir, columns=REGION_COLUMNS)
    regions = _parse_regions(region_rows)
    country_rows = read_csv(data_dir / COUNTRIES_FILE, data_dir=data_dir, columns=COUNTRY_COLUMNS)
    countries = _parse_countries(country_rows, {r["m49"]: r["level"] for r in regions})

    region_report = LoadReport(name="regions")
    region_ids: dict[str, int] = {}
    for generation in parents_first(regions, key="m49", parent="parent"):
        records = [
            {
                "m49": r["m49"],
                "level": r["level"],
                "parent_id": region_ids[r["parent"]] if r["parent"] else None,
                "name_en": r["name_en"],
                "name_fr": r["name_fr"],
                "name_es": r["name_es"],
            }
            for r in generation
        ]
        saved = upsert(Region, key="m49", records=records, report=region_report)
        region_ids.update({code: region.pk for code, region in saved.items()})

    country_report = LoadReport(name="countries")
    records = []
    for c in countries:
        records.append(
            {
                "iso3": c["iso3"],
                "iso2": c["iso2"],
                "numeric": c["numeric"],
                "name_en": c["name_en"],
                "name_fr": c["name_fr"],
                "name_es": c["name_es"],
                "official_name_en": c["official_name_en"],
                "un_member": c["un_member"],
                "region_id": region_ids.get(c["region_m49"]),
                "subregion_id": region_ids.get(c["subregion_m49"]),
                "intermediate_region_id": region_ids.get(c["intermediate_region_m49"]),
            }
        )
    upsert(Country, key="iso3", records=records, report=country_report)
    return [region_report, country_report]
