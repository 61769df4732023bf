"""What every importer shares: the file it reads, the rows it yields, the problems it finds,
and the parsing of text cells (numbers, periods, unit multipliers, dimensions).

Pure code: no ORM. The service passes in what the database knows (indicator codes, the
series table, country and region codes) as a :class:`ReadContext`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_PROBLEMS_PER_FILE = 100
MAX_DIMENSIONS_KEY = 512
EARLIEST_YEAR = 1800
LATEST_YEAR = 2100

# Text cells that a spreadsheet would run as a formula. Exports prefix them with "'";
# importers remove that one apostrophe again so that an exported file re-imports unchanged.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

UNIT_MULTIPLIER_WORDS = {
    "": 0,
    "unit": 0,
    "units": 0,
    "ones": 0,
    "tens": 1,
    "hundreds": 2,
    "thousands": 3,
    "tens of thousands": 4,
    "hundreds of thousands": 5,
    "millions": 6,
    "billions": 9,
    "trillions": 12,
}

_PERIOD = re.compile(
    r"(?P<period>(?P<start>\d{4})(?:\s*[-/–]\s*(?P<end>\d{4}|\d{2}))?)"
    r"\s*(?P<note>\[[^\]]*\]|\*+)?"
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file to import: its name (for messages), its bytes, and per-file options that
    win over the import's own (``indicator``, ``country``, a default ``series``)."""

    name: str
    content: bytes
    path: Path | None = None
    indicator: str | None = None
    country: str | None = None
    series: str | None = None
    format: str | None = None
    exclude_rows: frozenset[int] = frozenset()
    exclude_reason: str = ""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Why a file cannot be imported, and where: file, data row, physical line, column
    (and for spreadsheets the sheet and cell)."""

    file: str
    message: str
    row: int | None = None
    line: int | None = None
    column: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f", sheet {self.sheet!r}"
        if self.cell is not None:
            where += f" cell {self.cell}"
        if self.row is not None:
            where += f" row {self.row}"
            if self.line is not None and self.cell is None:
                where += f" (line {self.line})"
        elif self.line is not None:
            where += f" line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file, "message": str(self)}
        for name in ("row", "line", "column", "sheet", "cell"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        data["reason"] = self.message
        return data


@dataclass(slots=True)
class ObservationRow:
    """One validated observation as read from a file.

    ``dimensions`` is shared between rows with the same disaggregation: never mutate it.
    ``area`` is an ISO3 code (country) or a UN M49 code (region, ``is_region``).
    """

    indicator: str
    area: str
    is_region: bool
    period: str
    year: int
    value: float
    series: str
    unit: str
    unit_multiplier: int
    dimensions: dict[str, str]
    dimensions_key: str
    lower_bound: float | None
    upper_bound: float | None
    observation_status: str
    source: str
    footnote: str
    attributes: dict[str, str]
    file_index: int
    row: int
    line: int

    @property
    def identity(self) -> tuple[str, str, str, str, str, str]:
        return (
            self.indicator,
            self.area,
            self.period,
            self.series,
            self.unit,
            self.dimensions_key,
        )


@dataclass(frozen=True, slots=True)
class MetadataDocument:
    """An Open SDG metadata file (``meta_8-7-1.yml``, ``meta_fr_8-7-1.yml``)."""

    file: str
    indicator: str
    series: str  # a national variant ("16.2.2.a") of the indicator, else ""
    country: str | None
    language: str  # "" = the national platform's default language
    fields: dict[str, Any]


@dataclass
class ParsedFile:
    """What one reader made of one file."""

    name: str
    format: str
    file_index: int
    rows: list[ObservationRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    problem_count: int = 0
    problem_rows: set[int] = field(default_factory=set)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_examples: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    metadata: list[MetadataDocument] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    data_rows: int = 0
    # True when the file's series codes fix the unit (SDMX series, the tidy template's
    # series column); in Open SDG files the Units column tells series apart.
    one_unit_per_series: bool = False

    def problem(self, problem: ImportProblem) -> None:
        self.problem_count += 1
        if problem.row is not None:
            self.problem_rows.add(problem.row)
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append(problem)

    def skip(self, reason: str, row: int) -> None:
        self.skipped[reason] += 1
        examples = self.skipped_examples.setdefault(reason, [])
        if len(examples) < 5:
            examples.append(row)

    @property
    def rejected(self) -> int:
        return sum(self.skipped.values()) + len(self.problem_rows)


@dataclass(frozen=True)
class AreaLookup:
    """Country and region codes the platform knows, for resolving area cells."""

    countries: Mapping[str, str]  # ISO3, ISO2 and 3-digit numeric → ISO3
    country_numeric: Mapping[str, str]  # ISO3 → 3-digit numeric
    country_iso2: Mapping[str, str]  # ISO3 → ISO2
    regions: frozenset[str]  # M49 codes of regions ("001" world)

    def country(self, code: str) -> str | None:
        """ISO3 of a country given as ISO3, ISO2 (any case) or numeric code."""
        text = code.strip().upper()
        if text.isdigit() and len(text) <= 3:
            text = text.zfill(3)
        return self.countries.get(text)

    def area(self, code: str) -> tuple[str, bool] | None:
        """``(area_code, is_region)`` of an ISO3 code or a numeric M49 code."""
        text = code.strip().upper()
        if text.isdigit() and len(text) <= 3:
            text = text.zfill(3)
            if text in self.regions:
                return text, True
            iso3 = self.countries.get(text)
            return (iso3, False) if iso3 else None
        if len(text) == 3 and text in self.countries and not text.isdigit():
            iso3 = self.countries[text]
            return (iso3, False) if iso3 == text else None
        return None


@dataclass(frozen=True)
class ReadContext:
    """What the database knows, and the options of the import."""

    indicators: frozenset[str]
    series_indicators: Mapping[str, str]
    areas: AreaLookup
    indicator: str | None = None
    country: str | None = None
    source: str = ""
    # Called as progress(phase, rows read, rows expected) every few thousand rows.
    progress: Callable[[str, int, int], None] | None = field(default=None, compare=False)

    def indicator_code(self, text: str) -> str | None:
        """The known indicator code written as ``text`` ("8.7.1", "8-7-1", a slug)."""
        code = normalise_indicator_code(text)
        return code if code in self.indicators else None


class ObservationReader(Protocol):
    """One adapter per file format."""

    format: str

    def read(self, source: SourceFile, context: ReadContext, file_index: int) -> ParsedFile: ...


# --- text cells ------------------------------------------------------------


def normalise_indicator_code(text: str) -> str:
    """ "8-7-1" → "8.7.1"; "16-2-2-a" → "16.2.2.a"; slugs lower-cased."""
    code = text.strip()
    if re.fullmatch(r"\d{1,2}[-.](?:\d{1,2}|[a-zA-Z])(?:[-.][0-9a-zA-Z]{1,3})+", code):
        return code.replace("-", ".").lower()
    return code.lower()


def clean_text(text: str) -> str:
    """Trimmed, Unicode NFC, with an export's anti-formula apostrophe removed."""
    value = text.strip()
    if not value:
        return value
    if value[0] == "'" and len(value) > 1 and value[1] in FORMULA_TRIGGERS:
        value = value[1:]
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return value


def parse_number(text: str) -> float | None:
    """A finite number written plainly ("12", "-0.5", "1e3"); None for anything else."""
    if "_" in text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_period(text: str) -> tuple[str, int, str] | None:
    """``(period, year, note)``: "2019" → 2019; "2013-14", "2018/19", "2013-2014" → the end
    year (as the UN SDG database dates survey and fiscal periods). A trailing note marker
    ("2019/20 [Note 5]", "2021-2022*") is split off as ``note``."""
    match = _PERIOD.fullmatch(text)
    if match is None:
        if text.endswith(".0") and text[:-2].isdigit():  # 2015.0 (a spreadsheet's year)
            return parse_period(text[:-2])
        return None
    start = int(match["start"])
    end_text = match["end"]
    if end_text is None:
        year = start
    elif len(end_text) == 2:
        year = start // 100 * 100 + int(end_text)
        if year < start:
            year += 100
    else:
        year = int(end_text)
    if year < start or year - start > 10:
        return None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    return match["period"], year, match["note"] or ""


def with_note(footnote: str, note: str) -> str:
    """The footnote with a period's note marker added (once)."""
    if not note or note in footnote:
        return footnote
    return f"{footnote} {note}" if footnote else note


def parse_unit_multiplier(text: str) -> int | None:
    """Power of ten: "", "0", "3", "Units", "Thousands" …; None if not understood."""
    value = text.strip()
    if value.lstrip("-").isdigit():
        number = int(value)
        return number if -15 <= number <= 15 else None
    return UNIT_MULTIPLIER_WORDS.get(value.lower())


def escape_key_part(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("=", "\\=")


def dimensions_key_of(dimensions: Mapping[str, str]) -> str:
    """Canonical ``name=value|…`` of the dimensions, sorted by name; "" for a total."""
    return "|".join(
        f"{escape_key_part(name)}={escape_key_part(dimensions[name])}"
        for name in sorted(dimensions)
    )


class DimensionsCache:
    """Shares one dict and one key among rows with the same disaggregation."""

    def __init__(self) -> None:
        self._cache: dict[tuple[tuple[str, str], ...], tuple[dict[str, str], str]] = {}

    def get(self, pairs: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], str] | None:
        """``(dimensions, key)``; None when the key is longer than the database allows."""
        found = self._cache.get(pairs)
        if found is None:
            dimensions = dict(sorted(pairs))
            key = dimensions_key_of(dimensions)
            if len(key) > MAX_DIMENSIONS_KEY:
                return None
            found = (dimensions, key)
            self._cache[pairs] = found
        return found


EMPTY_DIMENSIONS: dict[str, str] = {}


def decode_text(source: SourceFile, parsed: ParsedFile) -> str | None:
    """The file's text (UTF-8, an optional BOM removed), or None after recording why not."""
    content = source.content
    if not content.strip():
        parsed.problem(
            ImportProblem(
                source.name,
                "the file is empty (0 bytes)"
                if not content
                else "the file is empty (only blank space)",
            )
        )
        return None
    if content.startswith(UTF16_BOMS):
        parsed.problem(
            ImportProblem(
                source.name,
                "the file is UTF-16 encoded: save it as UTF-8 (a UTF-8 byte-order mark is fine)",
                line=1,
            )
        )
        return None
    if content.startswith(UTF8_BOM):
        content = content[len(UTF8_BOM) :]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        byte = content[error.start : error.start + 1].hex()
        parsed.problem(
            ImportProblem(
                source.name,
                f"the file is not UTF-8 (byte 0x{byte} cannot be decoded): save it as UTF-8 "
                "(a UTF-8 byte-order mark is fine)",
                line=line,
            )
        )
        return None
