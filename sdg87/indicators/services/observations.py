"""``observations_import``: validate files of observations completely, then write them all in
one transaction, or nothing.

Every interface (``sdg87 import-observations``, the curators' upload page and API,
``sdg87 load-data``) calls this one service. Idempotent: an observation is identified by
(indicator, area, period, series, unit, disaggregation); importing the same file again
leaves every row ``unchanged``, a changed value is ``updated`` and its previous fields are kept
in :class:`ObservationRevision`. One :class:`ImportBatch` and one audit entry per import.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sdg87.accounts.permissions import require_curator
from sdg87.core.audit import audit_record
from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.countries.models import Country, Region
from sdg87.indicators import importers
from sdg87.indicators.importers import (
    AreaLookup,
    MetadataDocument,
    ObservationRow,
    ReadContext,
    SourceFile,
    open_sdg,
)
from sdg87.indicators.models import ImportBatch, Indicator, NationalMetadata
from sdg87.indicators.services import writer

FORMATS = importers.FORMATS
MAX_ERRORS_REPORTED = 200
Progress = Callable[[str, int, int], None]
FileInput = str | Path | SourceFile

COMPARED_FIELDS = (
    "year",
    "value",
    "unit_multiplier",
    "lower_bound",
    "upper_bound",
    "observation_status",
    "source",
    "footnote",
    "attributes",
)


@dataclass
class FileReport:
    name: str
    format: str
    sha256: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_rows: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    metadata: int = 0


@dataclass
class ImportReport:
    """The validation report shared by the CLI (``--json``), the API and the upload page."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    dry_run: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    files: list[FileReport] = field(default_factory=list)
    metadata: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    batch: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ObservationImportError(InvalidInput):
    """The files cannot be imported; ``report`` says where and why (nothing was written)."""

    def __init__(self, report: ImportReport) -> None:
        first = report.errors[0]["message"] if report.errors else "the files cannot be imported"
        more = report.error_count - 1
        suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(first + suffix, details=report.as_dict())
        self.report = report


# --- reading -----------------------------------------------------------------------


def _source(item: FileInput) -> SourceFile:
    if isinstance(item, SourceFile):
        return item
    path = Path(item)
    label = str(item)
    if not path.exists():
        raise InvalidInput(f"{label}: file not found", details={"file": label})
    if path.is_dir():
        raise InvalidInput(f"{label}: is a directory, not a file", details={"file": label})
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            f"{label}: cannot be read ({error.strerror})", details={"file": label}
        ) from None
    return SourceFile(name=label, content=content, path=path)


def _with_sibling_metadata(
    sources: list[SourceFile], format: str, country: str | None
) -> list[SourceFile]:
    """Open SDG data files of a known country bring the metadata files beside them
    (``meta_8-7-1.yml``, ``meta_fr_8-7-1.yml``) unless those are in the import already."""
    if format not in ("auto", open_sdg.FORMAT):
        return sources
    present = {source.path.resolve() for source in sources if source.path is not None}
    extra: list[SourceFile] = []
    for source in sources:
        if source.path is None or source.format not in (None, "auto", open_sdg.FORMAT):
            continue
        if not (source.country or country):
            continue
        match = open_sdg.DATA_FILE.fullmatch(source.path.name)
        if match is None:
            continue
        for meta in open_sdg.sibling_metadata(source.path, match["code"]):
            if meta.resolve() in present:
                continue
            present.add(meta.resolve())
            name = str(Path(source.name).with_name(meta.name))
            extra.append(
                SourceFile(name=name, content=meta.read_bytes(), path=meta, country=source.country)
            )
    return sources + extra


def read_context(
    *, indicator: str | None, country: str | None, source: str | None
) -> tuple[ReadContext, dict[str, int], dict[str, int], dict[str, int]]:
    """What the importers need to know from the database, and the ids to write with."""
    indicator_ids: dict[str, int] = {}
    series_indicators: dict[str, str] = {}
    for pk, code, series_codes in Indicator.objects.values_list("id", "code", "sdmx_series"):
        indicator_ids[code] = pk
        for series in series_codes or []:
            series_indicators[str(series)] = code
    country_ids: dict[str, int] = {}
    codes: dict[str, str] = {}
    numeric: dict[str, str] = {}
    iso2: dict[str, str] = {}
    for pk, iso3, two, number in Country.objects.values_list("id", "iso3", "iso2", "numeric"):
        country_ids[iso3] = pk
        codes[iso3] = codes[two] = codes[number] = iso3
        numeric[iso3] = number
        iso2[iso3] = two
    region_ids = dict(Region.objects.values_list("m49", "id"))
    areas = AreaLookup(codes, numeric, iso2, frozenset(region_ids))
    context = ReadContext(
        indicators=frozenset(indicator_ids),
        series_indicators=series_indicators,
        areas=areas,
        indicator=None,
        country=None,
        source=(source or "").strip(),
    )
    if indicator:
        code = context.indicator_code(indicator)
        if code is None:
            raise InvalidInput(
                f"--indicator: unknown indicator code {indicator!r}",
                details={"field": "indicator", "value": indicator},
            )
        context = replace(context, indicator=code)
    if country:
        iso3 = areas.country(country)
        if iso3 is None or (len(country.strip()) != 3 and not country.strip().isdigit()):
            raise InvalidInput(
                f"--country: unknown country {country!r} (an ISO3 code is expected)",
                details={"field": "country", "value": country},
            )
        context = replace(context, country=iso3)
    return context, indicator_ids, country_ids, region_ids


# --- the service ---------------------------------------------------------------------


def _without_cyclic_gc(function: Callable[..., ImportReport]) -> Callable[..., ImportReport]:
    """Pause the cyclic garbage collector during an import: a large file makes millions of
    small objects that live until the import ends, and each full collection walks them all."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> ImportReport:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if collecting:
                gc.enable()

    return wrapper


@_without_cyclic_gc
def observations_import(
    *,
    files: Sequence[FileInput],
    format: str = "auto",
    indicator: str | None = None,
    country: str | None = None,
    source: str | None = None,
    dry_run: bool = False,
    actor: Any = None,
    progress: Progress | None = None,
    audit_source: str = AuditSource.CLI,
    record_unchanged: bool = True,
) -> ImportReport:
    """Import observation files (Open SDG CSV and metadata, SDMX-CSV, tidy CSV/XLSX).

    Raises :class:`ObservationImportError` (an ``InvalidInput``, exit code 2 / HTTP 400) with
    the full report when any file has a problem; nothing is written then. ``actor``: the
    signed-in user of the web and API interfaces (must be a curator); ``None`` for the
    command line and the bundled-data loader. ``record_unchanged=False`` (the loader) writes
    no batch and no audit entry when nothing changed, so a reload leaves the database as is.
    """
    started = time.perf_counter()
    if actor is not None:
        require_curator(actor)
    if format not in FORMATS:
        raise InvalidInput(
            f"--format: {format!r} is not one of {', '.join(FORMATS)}",
            details={"field": "format", "value": format},
        )
    if not files:
        raise InvalidInput("no file to import", details={"field": "files"})
    sources = _with_sibling_metadata([_source(item) for item in files], format, country)
    context, indicator_ids, country_ids, region_ids = read_context(
        indicator=indicator, country=country, source=source
    )
    parsed_files = importers.read_files(sources, context, format=format, progress=progress)
    report = ImportReport(dry_run=dry_run)
    for source_file, parsed in zip(sources, parsed_files, strict=True):
        report.files.append(
            FileReport(
                name=parsed.name,
                format=parsed.format,
                sha256=hashlib.sha256(source_file.content).hexdigest(),
                rows=parsed.data_rows,
                skipped=dict(parsed.skipped),
                skipped_rows=dict(parsed.skipped_examples.items()),
                warnings=list(parsed.warnings),
                metadata=len(parsed.metadata),
            )
        )
    problems = [problem for parsed in parsed_files for problem in parsed.problems]
    report.error_count = sum(parsed.problem_count for parsed in parsed_files)
    for file_report, parsed in zip(report.files, parsed_files, strict=True):
        file_report.rejected = parsed.rejected
    report.rejected = sum(parsed.rejected for parsed in parsed_files)
    if report.error_count:
        report.errors = [problem.as_dict() for problem in problems[:MAX_ERRORS_REPORTED]]
        report.seconds = round(time.perf_counter() - started, 3)
        raise ObservationImportError(report)

    rows = [row for parsed in parsed_files for row in parsed.rows]
    documents = [document for parsed in parsed_files for document in parsed.metadata]
    if progress is not None:
        progress("comparing with the stored observations", 0, len(rows))
    plan = _plan(rows, indicator_ids)
    for file_index, file_report in enumerate(report.files):
        counts = plan.per_file.get(file_index, {})
        file_report.created = counts.get("created", 0)
        file_report.updated = counts.get("updated", 0)
        file_report.unchanged = counts.get("unchanged", 0)
    report.created = len(plan.created)
    report.updated = len(plan.updated)
    report.unchanged = plan.unchanged
    metadata_plan = _plan_metadata(documents, indicator_ids, country_ids)
    report.metadata = {
        "created": len(metadata_plan.created),
        "updated": len(metadata_plan.updated),
        "unchanged": metadata_plan.unchanged,
    }
    changed = report.created or report.updated or metadata_plan.created or metadata_plan.updated
    if dry_run or (not record_unchanged and not changed):
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    with transaction.atomic(), writer.bulk_write(len(plan.created) + len(plan.updated)):
        batch = ImportBatch.objects.create(
            file_name=_batch_name(report.files),
            file_sha256=report.files[0].sha256 if len(report.files) == 1 else "",
            format=_batch_format(report.files),
            source=context.source,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=report.rejected,
            files=[
                {
                    "name": item.name,
                    "sha256": item.sha256,
                    "format": item.format,
                    "created": item.created,
                    "updated": item.updated,
                    "unchanged": item.unchanged,
                    "rejected": item.rejected,
                }
                for item in report.files
            ],
        )
        report.batch = batch.pk
        now = timezone.now()
        stamp = writer.now_for_database(now)
        total = len(plan.created)

        def on_insert(done: int) -> None:
            if progress is not None:
                progress("writing new observations", done, total)

        on_insert(0)
        parents = _Parents()
        try:  # in a savepoint (its own): the parents can be checked after a failure
            writer.insert_observations(
                _new_observations(
                    plan.created, indicator_ids, country_ids, region_ids, batch.pk, parents
                ),
                total=total,
                progress=on_insert,
            )
        except IntegrityError:
            # The reference triggers refused a row: name the parent deleted meanwhile.
            _check_parents(parents, indicator_ids, country_ids, region_ids, report)
            raise
        _check_parents(parents, indicator_ids, country_ids, region_ids, report)
        if plan.updated:
            if progress is not None:
                progress("updating changed observations", 0, len(plan.updated))
            writer.update_observations(
                [
                    _update_tuple(row, pk, stored, batch.pk, stamp)
                    for row, pk, _previous, stored in plan.updated
                ]
            )
            writer.insert_revisions(
                (
                    (pk, writer.json_text(previous), batch.pk, stamp)
                    for _row, pk, previous, _stored in plan.updated
                ),
                total=len(plan.updated),
            )
        _write_metadata(metadata_plan, batch)
        audit_record(
            actor=actor,
            action="import",
            instance=batch,
            after={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "metadata": report.metadata,
                "source": context.source,
                "files": [
                    {"name": item.name, "sha256": item.sha256, "format": item.format}
                    for item in report.files
                ],
            },
            source=audit_source,
            comment="observations import",
        )
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _batch_name(files: Sequence[FileReport]) -> str:
    name = Path(files[0].name).name
    if len(files) > 1:
        name += f" and {len(files) - 1} more file{'s' if len(files) > 2 else ''}"
    return name[:255]


def _batch_format(files: Sequence[FileReport]) -> str:
    formats = sorted({item.format for item in files})
    return ",".join(formats)[:32]


# --- comparing with what is stored -------------------------------------------------------


@dataclass
class Plan:
    created: list[ObservationRow] = field(default_factory=list)
    # (row, id, the changed fields' previous values, {"stored_source": …})
    updated: list[tuple[ObservationRow, int, dict[str, Any], dict[str, Any]]] = field(
        default_factory=list
    )
    unchanged: int = 0
    per_file: dict[int, dict[str, int]] = field(default_factory=dict)


def _plan(rows: Sequence[ObservationRow], indicator_ids: dict[str, int]) -> Plan:
    """Sort rows into created, updated (with the previous values) and unchanged, fetching
    the stored observations of the areas concerned in bulk, one indicator at a time (so that
    only one indicator's stored rows are held in memory at once)."""
    plan = Plan()
    per_file: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_indicator: dict[str, list[ObservationRow]] = defaultdict(list)
    for row in rows:
        by_indicator[row.indicator].append(row)
    for code, indicator_rows in by_indicator.items():
        area_codes = sorted({row.area for row in indicator_rows})
        stored: dict[tuple[str, str, str, str, str], tuple[Any, ...]] = {
            (record[1], record[2], record[3], record[4], record[5]): record
            for record in writer.existing_observations(indicator_ids[code], area_codes)
        }
        if not stored:
            plan.created.extend(indicator_rows)
            for row in indicator_rows:
                per_file[row.file_index]["created"] += 1
            continue
        for row in indicator_rows:
            record = stored.get((row.area, row.period, row.series, row.unit, row.dimensions_key))
            if record is None:
                plan.created.append(row)
                per_file[row.file_index]["created"] += 1
                continue
            previous = _differences(row, record)
            if previous:
                plan.updated.append((row, record[0], previous, {"stored_source": record[12]}))
                per_file[row.file_index]["updated"] += 1
            else:
                plan.unchanged += 1
                per_file[row.file_index]["unchanged"] += 1
        del stored
    plan.per_file = per_file
    return plan


def _differences(row: ObservationRow, record: tuple[Any, ...]) -> dict[str, Any]:
    """The stored values of the fields the row changes (empty when it changes nothing).

    ``record`` is a row of ``writer.EXISTING_COLUMNS``: year, value, unit_multiplier,
    lower_bound, upper_bound, observation_status, source, footnote, attributes from index 6.
    """
    stored_attributes = record[14]
    if (
        row.year == record[6]
        and row.value == record[7]
        and row.unit_multiplier == record[8]
        and row.lower_bound == record[9]
        and row.upper_bound == record[10]
        and row.observation_status == record[11]
        and (not row.source or row.source == record[12])
        and row.footnote == record[13]
        and (
            (not row.attributes and stored_attributes in ("{}", b"{}", {}, None))
            or dict(row.attributes) == (writer.json_value(stored_attributes) or {})
        )
    ):
        return {}
    stored = dict(zip(writer.EXISTING_COLUMNS[6:], record[6:], strict=True))
    stored["attributes"] = writer.json_value(stored["attributes"]) or {}
    previous: dict[str, Any] = {}
    for name in COMPARED_FIELDS:
        new = getattr(row, name)
        old = stored[name]
        if name == "attributes":
            if dict(new) != old:
                previous[name] = old
        elif name == "source" and not new:
            continue  # a file that names no source keeps the stored one
        elif old != new:
            previous[name] = old
    return previous


@dataclass
class _Parents:
    """The distinct indicator, country and region ids of the rows written."""

    indicators: set[int] = field(default_factory=set)
    countries: set[int] = field(default_factory=set)
    regions: set[int] = field(default_factory=set)


def _new_observations(
    rows: Sequence[ObservationRow],
    indicator_ids: dict[str, int],
    country_ids: dict[str, int],
    region_ids: dict[str, int],
    batch_id: int,
    parents: _Parents,
) -> Iterator[writer.NewObservation]:
    """``(static, year, period, value, lower_bound, upper_bound)`` per row; one ``static``
    tuple (``writer.STATIC_COLUMNS``) per distinct combination of the columns that repeat
    down a file, so the writer encodes each once. Notes the ids of the parents in
    ``parents``. The time stamps are the database's (``db_default``)."""
    statics: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    json_cache: dict[int, str] = {}
    empty = "{}"

    def json_of(value: dict[str, str]) -> str:
        if not value:
            return empty
        found = json_cache.get(id(value))
        if found is None:
            found = json_cache[id(value)] = writer.json_text(value)
        return found

    for row in rows:
        # ``dimensions_key`` is the canonical text of ``dimensions``; ``attributes`` dicts are
        # shared between the rows that have the same (never mutated): their identity stands
        # for their content here.
        key = (
            row.indicator,
            row.area,
            row.is_region,
            row.series,
            row.unit,
            row.unit_multiplier,
            row.dimensions_key,
            row.observation_status,
            row.source,
            row.footnote,
            id(row.attributes),
        )
        static = statics.get(key)
        if static is None:
            indicator_id = indicator_ids[row.indicator]
            country_id = None if row.is_region else country_ids[row.area]
            region_id = region_ids[row.area] if row.is_region else None
            parents.indicators.add(indicator_id)
            if country_id is not None:
                parents.countries.add(country_id)
            if region_id is not None:
                parents.regions.add(region_id)
            static = statics[key] = (
                indicator_id,
                row.area,
                country_id,
                region_id,
                row.series,
                row.unit,
                row.unit_multiplier,
                json_of(row.dimensions),
                row.dimensions_key,
                row.observation_status,
                row.source,
                row.footnote,
                json_of(row.attributes),
                batch_id,
            )
        yield static, row.year, row.period, row.value, row.lower_bound, row.upper_bound


def _check_parents(
    parents: _Parents,
    indicator_ids: dict[str, int],
    country_ids: dict[str, int],
    region_ids: dict[str, int],
    report: ImportReport,
) -> None:
    """Inside the transaction: every indicator, country and region written still exists
    (and, on PostgreSQL, stays until the commit). The import stops otherwise."""
    missing = writer.lock_parents(parents.indicators, parents.countries, parents.regions)
    if not missing:
        return
    names = {
        "indicator": {pk: code for code, pk in indicator_ids.items()},
        "country": {pk: code for code, pk in country_ids.items()},
        "region": {pk: code for code, pk in region_ids.items()},
    }
    kind, ids = next(iter(missing.items()))
    gone = ", ".join(str(names[kind].get(pk, pk)) for pk in ids[:5])
    message = (
        f"the {kind} {gone} was deleted while the files were being imported: "
        "nothing was written; import them again"
    )
    failed = replace(
        report, batch=None, errors=[{"file": "", "message": message, "reason": message}]
    )
    failed.error_count = 1
    raise ObservationImportError(failed)


def _update_tuple(
    row: ObservationRow, pk: int, previous: dict[str, Any], batch_id: int, stamp: Any
) -> tuple[Any, ...]:
    return (
        pk,
        row.year,
        row.value,
        row.unit_multiplier,
        row.lower_bound,
        row.upper_bound,
        row.observation_status,
        row.source or previous.get("stored_source", ""),
        row.footnote,
        writer.json_text(row.attributes) if row.attributes else "{}",
        batch_id,
        stamp,
    )


# --- national metadata -------------------------------------------------------------------


@dataclass
class MetadataPlan:
    created: list[tuple[int, int, str, dict[str, Any]]] = field(default_factory=list)
    updated: list[tuple[NationalMetadata, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0


def _plan_metadata(
    documents: Sequence[MetadataDocument],
    indicator_ids: dict[str, int],
    country_ids: dict[str, int],
) -> MetadataPlan:
    """One NationalMetadata row per (indicator, country, language); a national variant's
    metadata (``meta_16-2-2-a.yml``) goes under ``series_metadata`` of its indicator."""
    plan = MetadataPlan()
    grouped: dict[tuple[str, str, str], list[MetadataDocument]] = defaultdict(list)
    seen_files: set[str] = set()
    for document in documents:
        if document.file in seen_files or document.country is None:
            continue
        seen_files.add(document.file)
        grouped[(document.indicator, document.country, document.language)].append(document)
    if not grouped:
        return plan
    existing = {
        (row.indicator_id, row.country_id, row.language): row
        for row in NationalMetadata.objects.filter(
            indicator_id__in={indicator_ids[key[0]] for key in grouped},
            country_id__in={country_ids[key[1]] for key in grouped},
        )
    }
    for (code, iso3, language), group in grouped.items():
        key = (indicator_ids[code], country_ids[iso3], language)
        current = existing.get(key)
        fields: dict[str, Any] = dict(current.fields) if current is not None else {}
        variants = dict(fields.get("series_metadata") or {})
        for document in group:
            if document.series:
                variants[document.series] = document.fields
            else:
                fields = dict(document.fields)
        if variants:
            fields["series_metadata"] = variants
        if current is None:
            plan.created.append((*key, fields))
        elif current.fields != fields:
            plan.updated.append((current, fields))
        else:
            plan.unchanged += 1
    return plan


def _write_metadata(plan: MetadataPlan, batch: ImportBatch) -> None:
    NationalMetadata.objects.bulk_create(
        [
            NationalMetadata(
                indicator_id=indicator_id,
                country_id=country_id,
                language=language,
                fields=fields,
                batch=batch,
            )
            for indicator_id, country_id, language, fields in plan.created
        ]
    )
    for row, fields in plan.updated:
        row.fields = fields
        row.batch = batch
    NationalMetadata.objects.bulk_update(
        [row for row, _fields in plan.updated], ["fields", "batch"]
    )
