"""Observation importers: one adapter per file format behind :class:`ObservationReader`.

Pure code (no ORM): :func:`read_files` turns files into validated
:class:`~sdg87.indicators.importers.base.ObservationRow` objects and problems that name file,
row, line and column. ``sdg87.indicators.services.observations`` resolves what the database
knows into a :class:`ReadContext`, then writes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from sdg87.indicators.importers import open_sdg, sdmx_csv, tidy
from sdg87.indicators.importers.base import (
    UTF8_BOM,
    AreaLookup,
    ImportProblem,
    MetadataDocument,
    ObservationReader,
    ObservationRow,
    ParsedFile,
    ReadContext,
    SourceFile,
    decode_text,
)
from sdg87.indicators.importers.tabular import delimiter_of
from sdg87.indicators.importers.validation import check_rows

__all__ = [
    "FORMATS",
    "AreaLookup",
    "ImportProblem",
    "MetadataDocument",
    "ObservationReader",
    "ObservationRow",
    "ParsedFile",
    "ReadContext",
    "SourceFile",
    "detect_format",
    "read_files",
]

FORMATS = ("auto", open_sdg.FORMAT, sdmx_csv.FORMAT, tidy.CSV_FORMAT, tidy.XLSX_FORMAT)

READERS: dict[str, ObservationReader] = {
    open_sdg.FORMAT: open_sdg.OpenSdgReader(),
    sdmx_csv.FORMAT: sdmx_csv.SdmxCsvReader(),
    tidy.CSV_FORMAT: tidy.TidyCsvReader(),
    tidy.XLSX_FORMAT: tidy.TidyXlsxReader(),
}
METADATA_READER = open_sdg.OpenSdgMetadataReader()

KNOWN_LAYOUTS = (
    f"Open SDG ({open_sdg.EXPECTED_COLUMNS}; the indicator in the file name "
    "indicator_8-7-1.csv); "
    f"SDMX-CSV ({sdmx_csv.EXPECTED_COLUMNS}); "
    f"the tidy template ({tidy.EXPECTED_COLUMNS})"
)

Progress = Callable[[str, int, int], None]


def _first_row(source: SourceFile) -> list[str] | None:
    content = source.content.removeprefix(UTF8_BOM)
    end = content.find(b"\n")
    first = content if end < 0 else content[:end]
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter_of(text))
        return [sdmx_csv.column_id(cell.strip()) for cell in next(reader, [])]
    except csv.Error:
        return None


def detect_format(source: SourceFile) -> str | ImportProblem:
    """The format of a file, by its extension and header row, or why none fits."""
    suffix = Path(source.name).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or source.content.startswith(b"PK\x03\x04"):
        return tidy.XLSX_FORMAT
    if suffix == ".xls":
        return ImportProblem(source.name, "old Excel .xls files are not read: save as .xlsx or CSV")
    if suffix in (".yml", ".yaml"):
        return open_sdg.FORMAT
    probe = ParsedFile(source.name, "auto", 0)
    if decode_text(source, probe) is None:
        return probe.problems[0]
    header = _first_row(source)
    if header is None:
        return ImportProblem(source.name, "the header row cannot be read as CSV", line=1)
    upper = {name.upper() for name in header}
    if {"TIME_PERIOD", "OBS_VALUE"} <= upper:
        return sdmx_csv.FORMAT
    if {"Year", "Value"} <= set(header):
        return open_sdg.FORMAT
    lowered = {name.lower() for name in header}
    if {"year", "value"} <= lowered and open_sdg.indicator_from_file_name(source.name):
        return open_sdg.FORMAT
    if tidy.looks_tidy(header):
        return tidy.CSV_FORMAT
    if {"year", "value"} <= lowered:
        return open_sdg.FORMAT
    columns = ", ".join(name for name in header if name) or "(none)"
    return ImportProblem(
        source.name,
        f"unknown layout: the header has {columns}; the known formats expect {KNOWN_LAYOUTS}",
        line=1,
    )


def read_file(
    source: SourceFile, context: ReadContext, file_index: int, format: str = "auto"
) -> ParsedFile:
    chosen = source.format or format
    if chosen == "auto":
        detected = detect_format(source)
        if isinstance(detected, ImportProblem):
            parsed = ParsedFile(source.name, "auto", file_index)
            parsed.problem(detected)
            return parsed
        chosen = detected
    if chosen == open_sdg.FORMAT and open_sdg.is_metadata_file(source.name):
        return METADATA_READER.read(source, context, file_index)
    if chosen == open_sdg.FORMAT and Path(source.name).suffix.lower() in (".yml", ".yaml"):
        parsed = ParsedFile(source.name, chosen, file_index)
        parsed.problem(
            ImportProblem(
                source.name,
                "Open SDG metadata files are named meta_8-7-1.yml or meta_fr_8-7-1.yml",
                column="file name",
            )
        )
        return parsed
    return READERS[chosen].read(source, context, file_index)


def read_files(
    sources: Sequence[SourceFile],
    context: ReadContext,
    *,
    format: str = "auto",
    progress: Progress | None = None,
) -> list[ParsedFile]:
    """Read and validate every file; cross-file checks (duplicates, units) included."""
    parsed_files = []
    if progress is not None:
        context = replace(context, progress=progress)
    for index, source in enumerate(sources):
        parsed_files.append(read_file(source, context, index, format))
    if progress is not None:
        progress("checking duplicates and units", len(sources), len(sources))
    check_rows(parsed_files)
    return parsed_files
