"""``sdg87 load-data``: the bundled indicator data, loaded through the importers.

- ``sdg_national/<ISO3>/``: every Open SDG data and metadata file, ``--country`` = the folder
  name; ``reference/national_files.csv`` says which files are left out (Ukraine's nationalised
  16.2 and 5.3 indicators measure other things), which are national proxies (their series
  label says so), and which contradictory source rows are left out;
- ``sdg_national_sdmx/<iso3>_*.csv``: SDMX-CSV national files (Kyrgyzstan, Rwanda), the
  country from the file name;
- ``gsi/``, ``ilab/``, ``global/``: the agreed indicators, converted at load time to the tidy
  template (in memory) and imported like any other file.

Each dataset is one import (one batch and one audit entry when something changed); a second
run finds everything unchanged and writes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sdg87.core.bundled_files import read_csv
from sdg87.core.models import AuditSource
from sdg87.core.reports import LoadReport
from sdg87.countries.models import Country
from sdg87.indicators.importers import SourceFile
from sdg87.indicators.importers.open_sdg import DATA_FILE, META_FILE
from sdg87.indicators.services.observations import ImportReport, observations_import

NATIONAL_DIR = Path("sdg_national")
MANIFEST_FILE = Path("reference") / "national_files.csv"
MANIFEST_COLUMNS = ("country", "file", "action", "indicator", "series", "exclude_rows", "note")
SDMX_DIR = Path("sdg_national_sdmx")
# SDMX files are named <iso3>_<publisher>_…csv; the publisher's name for the source column:
SDMX_PUBLISHERS = {
    "KGZ": "National Statistical Committee of the Kyrgyz Republic (SDG SDMX)",
    "RWA": "National Institute of Statistics of Rwanda (SDG SDMX)",
}
GSI_FILE = Path("gsi") / "gsi_2023_prevalence_clean.csv"
ILAB_FILE = Path("ilab") / "ilab_child_labour_statistics_2016-2021.csv"
UNODC_FILE = Path("global") / "owid_unodc_detected_victims_of_human_trafficking.csv"
OWID_DIR = Path("global") / "owid"
OWID_ILO_FILE = OWID_DIR / "Child_Labor_World_ILO_ILO_2017.csv"
OWID_BASU_FILE = OWID_DIR / "Child_Labor_World_1950_1995_Basu_1999.csv"
OWID_INCIDENCE_FILE = (
    OWID_DIR
    / "Incidence_of_child_labor_England_Italy_US_World_Cunningham_and_Viazzo_1996_and_o.csv"
)

TIDY_COLUMNS = (
    "indicator",
    "area",
    "year",
    "value",
    "unit",
    "series",
    "source",
    "footnote",
    "dim:age",
)
GSI_SOURCE = "Walk Free, Global Slavery Index 2023"
GSI_NOTE = "Global Slavery Index 2023 (published 2023): national estimates for 2021"
ILAB_SOURCE = (
    "US Department of Labor (ILAB), Findings on the Worst Forms of Child Labor, reporting year "
)
UNODC_SOURCE = "UNODC, via Our World in Data (detected victims of human trafficking)"
ILAB_VALUE_COLUMNS = ("working_children_share", "working_children_number")
MISSING = {"", "unavailable", "n/a", "na", "unknown", "not applicable", "mtc", "-"}


@dataclass(frozen=True)
class ManifestEntry:
    action: str
    indicator: str
    series: str
    exclude_rows: frozenset[int]
    note: str


def _manifest(data_dir: Path) -> dict[tuple[str, str], ManifestEntry]:
    entries = {}
    for row in read_csv(data_dir / MANIFEST_FILE, data_dir=data_dir, columns=MANIFEST_COLUMNS):
        action = row.choice("action", ("import", "skip"))
        excluded = frozenset(
            int(part)
            for part in row.text("exclude_rows", required=False).split(";")
            if part.strip().isdigit()
        )
        entries[(row.text("country").upper(), row.text("file"))] = ManifestEntry(
            action=action,
            indicator=row.text("indicator", required=False),
            series=row.text("series", required=False),
            exclude_rows=excluded,
            note=row.text("note", required=False),
        )
    return entries


def _to_load_report(name: str, report: ImportReport, extra_rejected: int = 0) -> LoadReport:
    return LoadReport(
        name=name,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=report.rejected + extra_rejected,
    )


def _import(name: str, files: list[SourceFile], **options: object) -> ImportReport:
    return observations_import(
        files=files,
        audit_source=AuditSource.SYSTEM,
        record_unchanged=False,
        **options,  # type: ignore[arg-type]
    )


def _national_sources(
    folder: Path, data_dir: Path, manifest: dict[tuple[str, str], ManifestEntry]
) -> tuple[list[SourceFile], int]:
    iso3 = folder.name.upper()
    sources: list[SourceFile] = []
    left_out = 0
    skipped_codes: set[str] = set()
    mapped: dict[str, ManifestEntry] = {}
    for path in sorted(folder.glob("indicator_*.csv")):
        match = DATA_FILE.fullmatch(path.name)
        entry = manifest.get((iso3, path.name))
        if match is None:
            continue
        if entry is not None and entry.action == "skip":
            skipped_codes.add(match["code"].lower())
            left_out += max(path.read_bytes().count(b"\n") - 1, 0)
            continue
        if entry is not None and entry.indicator:
            mapped[match["code"].lower()] = entry
        sources.append(
            SourceFile(
                name=str(path.relative_to(data_dir)),
                content=path.read_bytes(),
                path=path,
                indicator=(entry.indicator or None) if entry else None,
                series=(entry.series or None) if entry else None,
                exclude_rows=entry.exclude_rows if entry else frozenset(),
                exclude_reason=f"left out by the loader: {entry.note}" if entry else "",
            )
        )
    for path in sorted(folder.glob("meta_*")):
        match = META_FILE.fullmatch(path.name)
        if match is None or match["code"].lower() in skipped_codes:
            continue
        entry = mapped.get(match["code"].lower())
        sources.append(
            SourceFile(
                name=str(path.relative_to(data_dir)),
                content=path.read_bytes(),
                path=path,
                # a file moved to another indicator keeps its metadata as a series' metadata
                indicator=entry.indicator if entry else None,
                series=(entry.series or match["code"]) if entry else None,
            )
        )
    return sources, left_out


def _tidy_source(name: str, rows: Iterable[dict[str, object]]) -> SourceFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, TIDY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return SourceFile(name=name, content=buffer.getvalue().encode("utf-8"), format="csv")


THOUSANDS = re.compile(r"\d{1,3}(?:,\s?\d{3})+")


def _clean_number(text: str) -> str | None:
    """A number cell of the ILAB table; None for missing values and multi-territory entries
    ("0.095 | 0.132": one value per territory, which the table does not name)."""
    value = (text or "").strip()
    if value.lower() in MISSING or "|" in value:
        return None
    if THOUSANDS.fullmatch(value):  # "193, 917" (Guatemala 2016)
        value = re.sub(r"[,\s]", "", value)
    return value


def _gsi_source(data_dir: Path, known: set[str]) -> tuple[SourceFile, int]:
    rows = []
    left_out = 0
    for row in read_csv(
        data_dir / GSI_FILE,
        data_dir=data_dir,
        columns=("iso3_derived", "prevalence_per_1000", "estimated_number_in_modern_slavery"),
    ):
        iso3 = row.text("iso3_derived")
        if iso3 not in known:
            left_out += 2  # e.g. Kosovo (XKX): no ISO 3166-1 code in the country list
            continue
        for indicator, column, unit in (
            ("gsi-prevalence", "prevalence_per_1000", "per 1,000 population"),
            ("gsi-number", "estimated_number_in_modern_slavery", "number"),
        ):
            rows.append(
                {
                    "indicator": indicator,
                    "area": iso3,
                    "year": 2021,
                    "value": row.text(column, required=False),
                    "unit": unit,
                    "source": GSI_SOURCE,
                    "footnote": GSI_NOTE,
                }
            )
    return _tidy_source(str(GSI_FILE), rows), left_out


def _percent(fraction: str) -> str:
    return repr(round(float(fraction) * 100, 10))


def _ilab_source(data_dir: Path, known: set[str]) -> tuple[SourceFile, int]:
    rows = []
    left_out = 0
    for row in read_csv(
        data_dir / ILAB_FILE,
        data_dir=data_dir,
        columns=(
            "iso3_derived",
            "reporting_year",
            "working_age_range",
            "working_children_share",
            "working_children_number",
        ),
    ):
        iso3 = row.text("iso3_derived")
        raw = [row.values.get(name, "") for name in ILAB_VALUE_COLUMNS]
        share, number = (_clean_number(text) for text in raw)
        left_out += sum(
            "|" in text and any(part.strip() for part in text.split("|")) for text in raw
        )
        if share is None and number is None:
            continue
        if iso3 not in known:
            left_out += (share is not None) + (number is not None)
            continue
        age = row.text("working_age_range", required=False)
        year = row.text("reporting_year")
        footnote = "ILAB reporting year; the survey year is not given in the table"
        if age and age not in ("5-14", "N/A"):
            footnote = f"Children aged {age} (not 5–14). " + footnote
        other_age = age if age and age not in ("5-14", "N/A") else ""
        source = ILAB_SOURCE + year
        if share is not None:
            rows.append(
                {
                    "indicator": "ilab-working-children-share",
                    "area": iso3,
                    "year": year,
                    "value": _percent(share),
                    "unit": "percent",
                    "source": source,
                    "footnote": footnote,
                    "dim:age": other_age,
                }
            )
        if number is not None:
            rows.append(
                {
                    "indicator": "ilab-working-children-number",
                    "area": iso3,
                    "year": year,
                    "value": number,
                    "unit": "number",
                    "source": source,
                    "footnote": footnote,
                    "dim:age": other_age,
                }
            )
    return _tidy_source(str(ILAB_FILE), rows), left_out


def _unodc_source(data_dir: Path, known: set[str]) -> tuple[SourceFile, int]:
    rows = []
    left_out = 0
    value_column = " Detected victims of human trafficking"
    for row in read_csv(
        data_dir / UNODC_FILE, data_dir=data_dir, columns=("Entity", "Code", "Year")
    ):
        code = row.text("Code", required=False)
        if code not in known:
            left_out += 1
            continue
        value = row.values.get(value_column, row.values.get(value_column.strip(), ""))
        rows.append(
            {
                "indicator": "unodc-detected-victims",
                "area": code,
                "year": row.text("Year"),
                "value": value.strip(),
                "unit": "number",
                "source": UNODC_SOURCE,
            }
        )
    return _tidy_source(str(UNODC_FILE), rows), left_out


def _owid_world_source(data_dir: Path) -> SourceFile:
    """The OWID world child-labour series as 8.7.1 observations of the world (M49 001)."""
    rows: list[dict[str, object]] = []
    ilo_source = "ILO, Marking progress against child labour (2013), via Our World in Data"
    descriptions = {
        "Child Labor (All, World, ILO-IPEC)": (
            "percent",
            "Share of children aged 5–17 in economic activity for at least one hour in the "
            "reference week (OWID)",
        ),
        "Child Labor (Boys, World, 2000-2012) (ILO)": (
            "percent",
            "Percentage of boys aged 5–17 active in the labour force (OWID)",
        ),
        "Child Labor (Girls, World, 2000-2012) (ILO)": (
            "percent",
            "Percentage of girls aged 5–17 active in the labour force (OWID)",
        ),
        "Children (5-14 years) in employment (ILO)": (
            "number",
            "Number of children aged 5–14 in employment (OWID)",
        ),
        "Child labor (incidence) (ILO)": (
            "percent",
            "Percentage of children in employment, by age group (OWID)",
        ),
    }
    for row in read_csv(data_dir / OWID_ILO_FILE, data_dir=data_dir, columns=("Entity", "Year")):
        entity = row.text("Entity")
        for column, (unit, description) in descriptions.items():
            value = row.values.get(column, "").strip()
            if not value:
                continue
            rows.append(
                {
                    "indicator": "8.7.1",
                    "area": "001",
                    "year": row.text("Year"),
                    "value": value,
                    "unit": unit,
                    "series": column,
                    "source": ilo_source,
                    "footnote": description,
                    "dim:age": "" if entity == "World" else entity,
                }
            )
    basu_column = "Child Labor (World, ILO-EPEAP, 1950-1995)"
    for row in read_csv(data_dir / OWID_BASU_FILE, data_dir=data_dir, columns=("Year",)):
        rows.append(
            {
                "indicator": "8.7.1",
                "area": "001",
                "year": row.text("Year"),
                "value": row.values.get(basu_column, "").strip(),
                "unit": "percent",
                "series": basu_column,
                "source": "Basu (1999), labour force participation of children aged 10–14, "
                "via Our World in Data",
                "footnote": "Labour force participation rate of children aged 10–14 (ILO-EPEAP)",
            }
        )
    incidence_column = (
        "Child Labor (% children recorded as working) (Cunningham and Viazzo (1996) and others)"
    )
    for row in read_csv(
        data_dir / OWID_INCIDENCE_FILE, data_dir=data_dir, columns=("Entity", "Year")
    ):
        # The world ILO-EPEAP rows repeat Basu (1999); England, Italy and the US are
        # historical series (1851–1961) outside today's country list.
        if row.text("Entity") != "World, ILO-IPEC":
            continue
        rows.append(
            {
                "indicator": "8.7.1",
                "area": "001",
                "year": row.text("Year"),
                "value": row.values.get(incidence_column, "").strip(),
                "unit": "percent",
                "series": "Child labour incidence, % of children 5–17 (ILO-IPEC)",
                "source": "Cunningham and Viazzo (1996) and others, via Our World in Data",
                "footnote": "Percentage of children recorded as working (OWID)",
            }
        )
    return _tidy_source(str(OWID_DIR / "*.csv"), rows)


def observations_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Load every bundled observation file; one report per dataset."""
    manifest = _manifest(data_dir)
    known = set(Country.objects.values_list("iso3", flat=True))
    reports: list[LoadReport] = []
    national = data_dir / NATIONAL_DIR
    for folder in sorted(path for path in national.iterdir() if path.is_dir()):
        sources, left_out = _national_sources(folder, data_dir, manifest)
        if not sources:
            continue
        report = _import(
            folder.name,
            sources,
            country=folder.name.upper(),
            source=f"National SDG platform of {folder.name.upper()} (Open SDG)",
        )
        reports.append(_to_load_report(f"national data {folder.name.upper()}", report, left_out))
    for path in sorted((data_dir / SDMX_DIR).glob("*.csv")):
        iso3 = path.name.split("_", 1)[0].upper()
        relative = path.relative_to(data_dir)
        report = _import(
            str(relative),
            [SourceFile(name=str(relative), content=path.read_bytes(), path=path)],
            country=iso3 if iso3 in known else None,
            source=SDMX_PUBLISHERS.get(iso3, f"National statistical office of {iso3} (SDMX)"),
            format="sdmx-csv",
        )
        reports.append(_to_load_report(f"SDMX {iso3}", report))
    for name, (source_file, left_out) in (
        ("Global Slavery Index 2023", _gsi_source(data_dir, known)),
        ("ILAB working children", _ilab_source(data_dir, known)),
        ("UNODC detected victims (OWID)", _unodc_source(data_dir, known)),
    ):
        report = _import(name, [source_file])
        reports.append(_to_load_report(name, report, left_out))
    report = _import("OWID world child labour", [_owid_world_source(data_dir)])
    reports.append(_to_load_report("OWID world child labour", report))
    return reports
