"""The bundled document corpus (``data/corpus/*.jsonl``, data/SOURCES.md) as resource records.
Pure: reads files, builds ``ResourceRecord`` values; ``services.corpus`` ingests them.

One source per collection, so each keeps its own ids:

- ``ilab-summaries``: ILAB country summaries 2016–2021 (type research);
- ``ilab-findings``: ILAB full country reports 2019–2021 (type research; the references
  section kept in ``extra``);
- ``factbook-tip``: CIA World Factbook trafficking-in-persons profiles (type research);
- ``legal-instruments``: conventions and protocols (type law/policy), English part only —
  the source follows the English text with its Dutch translation, which is cut off.

Countries come from ``iso3``, the publisher becomes the organisation, and themes and Target 8.7
given by the collection's subject are facts (ILAB reports are about the worst forms of child
labour, Factbook profiles about trafficking, each instrument about its own subject).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdg87.core.errors import InvalidInput
from sdg87.library.ingest import ResourceRecord
from sdg87.library.language import split_languages

CORPUS_DIR = Path("corpus")


@dataclass(frozen=True)
class Collection:
    source: str
    pattern: str  # glob in data/corpus
    type: str
    themes: tuple[str, ...]
    targets: tuple[str, ...]
    extra_fields: tuple[str, ...]


COLLECTIONS = (
    Collection(
        "ilab-summaries",
        "ilab_country_summaries_*.jsonl",
        "research",
        ("child-labour", "worst-forms-of-child-labour"),
        ("8.7",),
        ("country", "doc_type", "advancement_level"),
    ),
    Collection(
        "ilab-findings",
        "ilab_findings_fulltext_*.jsonl",
        "research",
        ("child-labour", "worst-forms-of-child-labour"),
        ("8.7",),
        ("country", "doc_type", "references", "source_repository", "source_path", "source_commit"),
    ),
    Collection(
        "factbook-tip",
        "factbook_trafficking_in_persons_*.jsonl",
        "research",
        ("human-trafficking",),
        ("8.7",),
        (
            "country",
            "doc_type",
            "tier",
            "tier_rating_text",
            "snapshot_date",
            "gec_code",
            "source_repository",
            "source_path",
            "source_commit",
        ),
    ),
    Collection(
        "legal-instruments",
        "legal_instruments_*.jsonl",
        "law_policy",
        (),
        (),
        (
            "short_name",
            "title_as_in_source_en",
            "title_nl",
            "doc_type",
            "note",
            "source_repository",
            "source_path",
            "source_commit",
        ),
    ),
)

# Themes and targets of each legal instrument, by its short name in the corpus.
INSTRUMENT_SUBJECTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ILO C029": (("forced-labour",), ("8.7",)),
    "ILO C105": (("forced-labour",), ("8.7",)),
    "ILO C138": (("child-labour",), ("8.7",)),
    "ILO C182": (("child-labour", "worst-forms-of-child-labour"), ("8.7",)),
    "ILO C033": (("child-labour",), ("8.7",)),
    "ILO C058": (("child-labour",), ("8.7",)),
    "UN CRC": ((), ("16.2",)),
    "UN OP-CRC-AC": (("child-soldiers",), ("8.7",)),
    "UN OP-CRC-SC": (("commercial-sexual-exploitation",), ("16.2",)),
    "UN Palermo TIP Protocol": (("human-trafficking",), ("8.7", "16.2")),
    "UN Smuggling of Migrants Protocol": ((), ("10.7",)),
    "Slavery Convention 1926": (("modern-slavery",), ("8.7",)),
    "Supplementary Convention 1956": (("modern-slavery", "forced-marriage"), ("8.7",)),
    "UN Marriage Consent Convention 1962": (("forced-marriage",), ("5.3",)),
}
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def collection_files(data_dir: Path, collection: Collection) -> list[Path]:
    return sorted((data_dir / CORPUS_DIR).glob(collection.pattern))


def collection_records(
    data_dir: Path, collection: Collection, *, known_countries: frozenset[str]
) -> list[ResourceRecord]:
    records = []
    for path in collection_files(data_dir, collection):
        for line, row in _rows(path, data_dir):
            records.append(
                corpus_record(
                    row, collection=collection, line=line, known_countries=known_countries
                )
            )
    return records


def _rows(path: Path, data_dir: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    label = str(path.relative_to(data_dir)) if path.is_relative_to(data_dir) else str(path)
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as problem:
                raise InvalidInput(
                    f"{label}: line {number}: not valid JSON ({problem.msg})",
                    details={"file": label, "line": number},
                ) from None
            yield number, row


def corpus_record(
    row: Mapping[str, Any],
    *,
    collection: Collection,
    known_countries: frozenset[str],
    line: int | None = None,
) -> ResourceRecord:
    """One corpus line as a record; an ``iso3`` without a Country row (Kosovo's XKX) is kept
    in ``extra`` rather than refused."""
    text = str(row.get("text") or "")
    themes, targets = collection.themes, collection.targets
    organisation = str(row.get("publisher") or "")
    if collection.source == "legal-instruments":
        text = english_part(text)
        short_name = str(row.get("short_name") or "")
        themes, targets = INSTRUMENT_SUBJECTS.get(short_name, ((), ()))
        organisation = (
            "International Labour Organization"
            if short_name.startswith("ILO")
            else (
                "League of Nations / United Nations" if "1926" in short_name else "United Nations"
            )
        )
    title = " ".join(str(row["title"]).split())
    iso3 = str(row.get("iso3") or "").strip().upper()
    place = str(row.get("country") or "")
    if _SOURCE_PATH.search(place):
        # The Factbook's world entry names its source file ("world/xx.json") as its country
        # and its ISO3 code: the title says "World", and there is no country to tag.
        title = title.replace(place, _place_name(place, str(row.get("gec_code") or "")))
        iso3 = ""
    extra = {name: row[name] for name in collection.extra_fields if row.get(name) not in (None, "")}
    if iso3 and iso3 not in known_countries:
        extra["iso3"] = iso3
        iso3 = ""
    return ResourceRecord(
        id=str(row["id"]),
        title=title,
        text=text.strip(),
        language=str(row.get("language") or ""),
        year=int(row["year"]) if row.get("year") else None,
        type=collection.type,
        countries=(iso3,) if iso3 else (),
        url=str(row.get("url") or ""),
        organisation=organisation[:255],
        licence=str(row.get("licence") or ""),
        themes=themes,
        targets=targets,
        extra=extra,
        line=line,
    )


_SOURCE_PATH = re.compile(r"/|\.json$", re.IGNORECASE)
WORLD_GEC = "xx"  # the Factbook's code for the World entry


def _place_name(path: str, gec_code: str) -> str:
    """A readable name for a place the source names by its file path."""
    if gec_code.strip().lower() == WORLD_GEC:
        return "World"
    stem = path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").strip().title() or "World"


def english_part(text: str) -> str:
    """The English text of a legal instrument whose source appends the Dutch translation
    (and starts with the Dutch title): the single English run, markdown links unwrapped."""
    text = _MARKDOWN_LINK.sub(lambda match: match.group(1), text)
    blocks = [block for block in re.split(r"\n\s*\n", text) if block.strip()]
    if not blocks:
        return ""
    start, end = split_languages(blocks, keep="en", other="nl")
    return "\n\n".join(block.strip() for block in blocks[start:end])
