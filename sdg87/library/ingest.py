"""Resource records: the one shape every way in (import, load-data, contribution, harvest)
hands to ``services.resources_ingest``, and the JSONL/CSV readers that build them. Pure: no ORM.

A reader validates every line first and raises ``InvalidInput`` listing each bad line and
field, so a file with one bad record imports nothing.

Fields (sdg87 import-resources, docs/cli.md): ``id`` (required, the source's stable id),
``title`` (required), ``text``, ``abstract``, ``language`` (ISO 639-1; detected when absent),
``year``, ``type``, ``countries`` (ISO3 codes: a JSON list, or ``;``-separated), ``url``,
``organisation``, ``licence``; any other field is kept in ``extra``.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from sdg87.core.errors import InvalidInput

Format = Literal["auto", "jsonl", "csv"]

KNOWN_FIELDS = (
    "id",
    "title",
    "text",
    "abstract",
    "language",
    "year",
    "type",
    "countries",
    "url",
    "organisation",
    "licence",
)
MAX_ERRORS = 100
MIN_YEAR = 1800
MAX_ID_LENGTH = 500
MAX_URL_LENGTH = 2000
MAX_NAME_LENGTH = 255

# Resource types (``library.models.ResourceType`` values) and the words sources use for them.
RESOURCE_TYPES = (
    "research",
    "evaluation",
    "promising_practice",
    "lesson_learned",
    "guidance",
    "law_policy",
    "dataset",
    "news",
)
DEFAULT_TYPE = "research"
TYPE_SYNONYMS = {
    "report": "research",
    "study": "research",
    "article": "research",
    "paper": "research",
    "working paper": "research",
    "research report": "research",
    "research or report": "research",
    "book": "research",
    "country report": "research",
    "country summary": "research",
    "trafficking profile": "research",
    "rapport": "research",
    "etude": "research",
    "informe": "research",
    "estudio": "research",
    "assessment": "evaluation",
    "evaluacion": "evaluation",
    "good practice": "promising_practice",
    "best practice": "promising_practice",
    "practice": "promising_practice",
    "bonne pratique": "promising_practice",
    "buena practica": "promising_practice",
    "lessons learned": "lesson_learned",
    "lesson learnt": "lesson_learned",
    "lessons learnt": "lesson_learned",
    "guide": "guidance",
    "guidelines": "guidance",
    "tool": "guidance",
    "toolkit": "guidance",
    "manual": "guidance",
    "handbook": "guidance",
    "guidance or tool": "guidance",
    "law": "law_policy",
    "policy": "law_policy",
    "legislation": "law_policy",
    "legal instrument": "law_policy",
    "convention": "law_policy",
    "treaty": "law_policy",
    "law or policy": "law_policy",
    "data": "dataset",
    "data set": "dataset",
    "statistics": "dataset",
    "press release": "news",
    "news article": "news",
    "blog": "news",
}

# Language given by name or ISO 639-2/3 code instead of ISO 639-1.
LANGUAGE_ALIASES = {
    "eng": "en",
    "english": "en",
    "anglais": "en",
    "ingles": "en",
    "fra": "fr",
    "fre": "fr",
    "french": "fr",
    "francais": "fr",
    "frances": "fr",
    "spa": "es",
    "spanish": "es",
    "espagnol": "es",
    "espanol": "es",
    "castellano": "es",
    "por": "pt",
    "portuguese": "pt",
    "deu": "de",
    "ger": "de",
    "german": "de",
    "ara": "ar",
    "arabic": "ar",
    "rus": "ru",
    "russian": "ru",
    "zho": "zh",
    "chi": "zh",
    "chinese": "zh",
    "nld": "nl",
    "dut": "nl",
    "ita": "it",
}
_ISO639_1 = re.compile(r"[a-z]{2}")
_ISO3 = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class ResourceRecord:
    """One resource as its source describes it, validated.

    ``countries``, ``themes`` and ``targets`` are facts given by the source (ISO3 codes, theme
    slugs, target codes such as ``8.7``), not suggestions. ``line`` says where the record was
    read (for messages); it is not part of the content.
    """

    id: str
    title: str
    text: str = ""
    abstract: str = ""
    language: str = ""
    year: int | None = None
    type: str = DEFAULT_TYPE
    countries: tuple[str, ...] = ()
    url: str = ""
    organisation: str = ""
    licence: str = ""
    authors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None

    def content_hash(self) -> str:
        """SHA-256 of everything but ``line``: equal hashes mean nothing changed."""
        content = {
            "title": self.title,
            "text": self.text,
            "abstract": self.abstract,
            "language": self.language,
            "year": self.year,
            "type": self.type,
            "countries": sorted(self.countries),
            "url": self.url,
            "organisation": self.organisation,
            "licence": self.licence,
            "authors": list(self.authors),
            "themes": sorted(self.themes),
            "targets": sorted(self.targets),
            "extra": self.extra,
        }
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RecordError:
    line: int | None
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


class RecordInvalid(ValueError):
    """One field of one record is wrong (collected by the readers)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


# --- field parsing ------------------------------------------------------------------------


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: how names and codes are compared."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return _COMBINING.sub("", unicodedata.normalize("NFKD", folded))


def _text(value: Any, name: str, *, max_length: int | None = None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordInvalid(name, f"expected text, got {_json_type(value)}")
    text = unicodedata.normalize("NFC", value).replace("\x00", "").strip()
    if max_length is not None and len(text) > max_length:
        raise RecordInvalid(name, f"longer than {max_length} characters")
    return text


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def parse_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None or isinstance(value, bool) or not isinstance(value, str | int):
        if value is None:
            raise RecordInvalid("id", "required")
        raise RecordInvalid("id", f"expected text or an integer, got {_json_type(value)}")
    text = str(value).strip()
    if not text:
        raise RecordInvalid("id", "required")
    if len(text) > MAX_ID_LENGTH:
        raise RecordInvalid("id", f"longer than {MAX_ID_LENGTH} characters")
    return text


def parse_title(value: Any) -> str:
    title = re.sub(r"\s+", " ", _text(value, "title"))
    if not title:
        raise RecordInvalid("title", "required")
    return title


def parse_year(value: Any, *, today: datetime.date) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RecordInvalid("year", "expected a year such as 2021, got a boolean")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        value = int(value)
    if not isinstance(value, int):
        raise RecordInvalid("year", f"expected a year such as 2021, got {value!r}")
    latest = today.year + 1
    if not MIN_YEAR <= value <= latest:
        raise RecordInvalid("year", f"{value} is out of range ({MIN_YEAR}-{latest})")
    return value


def parse_language(value: Any) -> str:
    """An ISO 639-1 code, or "" (to be detected)."""
    text = _text(value, "language")
    if not text:
        return ""
    key = fold(text).replace("_", "-")
    primary = key.split("-", 1)[0]
    if _ISO639_1.fullmatch(primary):
        return primary
    if key in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[key]
    raise RecordInvalid("language", f"{text!r} is not an ISO 639-1 code such as en, fr or es")


def parse_type(value: Any) -> tuple[str, str]:
    """The resource type and, when the source's word was not recognised, that word."""
    text = _text(value, "type", max_length=MAX_NAME_LENGTH)
    if not text:
        return DEFAULT_TYPE, ""
    key = re.sub(r"[\s_\-/]+", " ", fold(text)).strip()
    if key.replace(" ", "_") in RESOURCE_TYPES:
        return key.replace(" ", "_"), ""
    if key in TYPE_SYNONYMS:
        return TYPE_SYNONYMS[key], ""
    if key.endswith("s") and key[:-1] in TYPE_SYNONYMS:
        return TYPE_SYNONYMS[key[:-1]], ""
    return DEFAULT_TYPE, text


def parse_countries(value: Any, *, known: frozenset[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = [part for part in re.split(r"[;,|]", value) if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise RecordInvalid("countries", f"expected a list of ISO3 codes, got {_json_type(value)}")
    codes: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise RecordInvalid("countries", f"expected ISO3 codes, got {_json_type(item)}")
        code = item.strip().upper()
        if not _ISO3.fullmatch(code):
            raise RecordInvalid("countries", f"{item.strip()!r} is not an ISO3 code")
        if code not in known:
            raise RecordInvalid("countries", f"unknown country code {code}")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def parse_url(value: Any) -> str:
    url = _text(value, "url", max_length=MAX_URL_LENGTH)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        scheme = parts.scheme or "none"
        raise RecordInvalid("url", f"only http and https addresses are allowed, not {scheme}")
    if not parts.hostname or re.search(r"\s", url):
        raise RecordInvalid("url", f"{url!r} is not a valid address")
    return url


def record_from_mapping(
    data: Mapping[str, Any],
    *,
    known_countries: frozenset[str],
    line: int | None = None,
    today: datetime.date | None = None,
) -> ResourceRecord:
    """Build a record from one JSON object or CSV row; raises ``RecordInvalid`` (first error)."""
    errors = list(_record_errors(data, known_countries=known_countries, today=today))
    if errors:
        raise errors[0]
    return _build(data, known_countries=known_countries, line=line, today=today)


def _record_errors(
    data: Mapping[str, Any], *, known_countries: frozenset[str], today: datetime.date | None
) -> Iterator[RecordInvalid]:
    checks = (
        lambda: parse_id(data.get("id")),
        lambda: parse_title(data.get("title")),
        lambda: _text(data.get("text"), "text"),
        lambda: _text(data.get("abstract"), "abstract"),
        lambda: parse_language(data.get("language")),
        lambda: parse_year(data.get("year"), today=today or datetime.date.today()),  # noqa: DTZ011
        lambda: parse_type(data.get("type")),
        lambda: parse_countries(data.get("countries"), known=known_countries),
        lambda: parse_url(data.get("url")),
        lambda: _text(data.get("organisation"), "organisation", max_length=MAX_NAME_LENGTH),
        lambda: _text(data.get("licence"), "licence", max_length=MAX_NAME_LENGTH),
    )
    for check in checks:
        try:
            check()
        except RecordInvalid as problem:
            yield problem


def _build(
    data: Mapping[str, Any],
    *,
    known_countries: frozenset[str],
    line: int | None,
    today: datetime.date | None,
) -> ResourceRecord:
    resource_type, type_as_given = parse_type(data.get("type"))
    extra = {
        key: value
        for key, value in data.items()
        if key not in KNOWN_FIELDS and key and value not in (None, "")
    }
    if type_as_given:
        extra["type_as_given"] = type_as_given
    return ResourceRecord(
        id=parse_id(data.get("id")),
        title=parse_title(data.get("title")),
        text=_text(data.get("text"), "text"),
        abstract=_text(data.get("abstract"), "abstract"),
        language=parse_language(data.get("language")),
        year=parse_year(data.get("year"), today=today or datetime.date.today()),  # noqa: DTZ011
        type=resource_type,
        countries=parse_countries(data.get("countries"), known=known_countries),
        url=parse_url(data.get("url")),
        organisation=_text(data.get("organisation"), "organisation", max_length=MAX_NAME_LENGTH),
        licence=_text(data.get("licence"), "licence", max_length=MAX_NAME_LENGTH),
        extra=extra,
        line=line,
    )


# --- file readers ----------------------------------------------------------------------------


def detect_format(name: str, content: bytes) -> Literal["jsonl", "csv"]:
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json", ".jsonl.txt")):
        return "jsonl"
    if lowered.endswith((".csv", ".tsv")):
        return "csv"
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "jsonl" if start in (b"{", b"[") else "csv"


def read_records(
    content: bytes,
    *,
    name: str,
    known_countries: frozenset[str],
    file_format: Format = "auto",
    today: datetime.date | None = None,
) -> list[ResourceRecord]:
    """Every record of a JSONL or CSV file; ``InvalidInput`` listing each bad line and field
    (``details["errors"]``) if any record is bad."""
    chosen = detect_format(name, content) if file_format == "auto" else file_format
    text = _decode(content, name)
    rows: Iterable[tuple[int, Mapping[str, Any] | RecordError]]
    rows = _jsonl_rows(text) if chosen == "jsonl" else _csv_rows(text)
    records: list[ResourceRecord] = []
    errors: list[RecordError] = []
    first_line_of: dict[str, int | None] = {}
    for line, row in rows:
        if isinstance(row, RecordError):
            errors.append(row)
            continue
        problems = list(_record_errors(row, known_countries=known_countries, today=today))
        if problems:
            errors.extend(RecordError(line, problem.field, problem.message) for problem in problems)
            continue
        record = _build(row, known_countries=known_countries, line=line, today=today)
        if record.id in first_line_of:
            errors.append(
                RecordError(
                    line, "id", f"{record.id!r} is already on line {first_line_of[record.id]}"
                )
            )
            continue
        first_line_of[record.id] = line
        records.append(record)
    if errors:
        raise records_invalid(name, errors)
    if not records:
        raise InvalidInput(f"{name}: no records", details={"file": name, "errors": []})
    return records


def records_invalid(name: str, errors: list[RecordError]) -> InvalidInput:
    first = errors[0]
    where = f"line {first.line}, " if first.line is not None else ""
    more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
    return InvalidInput(
        f"{name}: {where}field {first.field}: {first.message}{more}; nothing was imported",
        details={
            "file": name,
            "errors": [error.as_dict() for error in errors[:MAX_ERRORS]],
            "error_count": len(errors),
        },
    )


def _decode(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = content[: problem.start].count(b"\n") + 1
        raise InvalidInput(
            f"{name}: line {line}: the file is not UTF-8 text; nothing was imported",
            details={
                "file": name,
                "errors": [{"line": line, "field": "", "message": "not UTF-8"}],
            },
        ) from None


def _jsonl_rows(text: str) -> Iterator[tuple[int, Mapping[str, Any] | RecordError]]:
    for number, raw in enumerate(io.StringIO(text), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as problem:
            yield number, RecordError(number, "", f"not valid JSON: {problem.msg}")
            continue
        if not isinstance(value, dict):
            yield (
                number,
                RecordError(number, "", f"expected a JSON object, got {_json_type(value)}"),
            )
            continue
        yield number, value


def _csv_rows(text: str) -> Iterator[tuple[int, Mapping[str, Any] | RecordError]]:
    header_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in header_line:
        if "\t" in header_line:
            delimiter = "\t"
        elif ";" in header_line:
            delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as problem:
        yield 1, RecordError(1, "", f"not valid CSV: {problem}")
        return
    columns = [column.strip().lower() for column in header]
    for required in ("id", "title"):
        if required not in columns:
            yield 1, RecordError(1, required, "the header has no such column")
    if "id" not in columns or "title" not in columns:
        return
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as problem:
            yield start, RecordError(start, "", f"not valid CSV: {problem}")
            return
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            yield (
                start,
                RecordError(
                    start, "", f"{len(cells)} cells but the header has {len(columns)} columns"
                ),
            )
            continue
        row = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
        yield start, row
