"""Reading the bundled reference files and writing them idempotently.

Shared by every loader of bundled reference files (countries, framework, instruments).
Two halves:

* ``read_csv`` / ``CsvRow``: typed field access that raises ``InvalidInput`` naming the file,
  the row, the line and the field, so a bad file is refused before anything is written.
* ``upsert``: create, update or leave each record by its natural key, counting the outcome
  in a ``LoadReport`` (bulk queries, so a full reload stays fast).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.db import models

from sdg87.core.audit import AuditChange, audit_record_many
from sdg87.core.errors import InvalidInput
from sdg87.core.reports import LoadReport

ModelT = TypeVar("ModelT", bound=models.Model)

AUDIT_COMMENT = "bundled reference data (sdg87 load-data)"

TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no"}


def file_label(path: Path, data_dir: Path) -> str:
    """The file's name as shown in error messages: relative to the data folder if possible."""
    try:
        return str(path.relative_to(data_dir))
    except ValueError:
        return str(path)


def invalid_field(
    file: str, field: str, message: str, *, row: int | None = None, line: int | None = None
) -> InvalidInput:
    where = file
    if row is not None:
        where += f" row {row}" + (f" (line {line})" if line is not None else "")
    details: dict[str, Any] = {"file": file, "field": field}
    if row is not None:
        details["row"] = row
    if line is not None:
        details["line"] = line
    return InvalidInput(f"{where}, field {field!r}: {message}", details=details)


@dataclass(frozen=True)
class CsvRow:
    file: str
    row: int  # 1 = first data row after the header
    line: int  # physical line where the row ends
    values: dict[str, str]

    def error(self, field: str, message: str) -> InvalidInput:
        return invalid_field(self.file, field, message, row=self.row, line=self.line)

    def text(self, field: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = unicodedata.normalize("NFC", (self.values.get(field) or "").strip())
        if required and not value:
            raise self.error(field, "a value is required")
        if max_length is not None and len(value) > max_length:
            raise self.error(field, f"longer than {max_length} characters")
        return value

    def matching(self, field: str, pattern: str, expected: str, *, required: bool = True) -> str:
        value = self.text(field, required=required)
        if value and not re.fullmatch(pattern, value):
            raise self.error(field, f"{value!r} is not {expected}")
        return value

    def choice(self, field: str, choices: Iterable[str]) -> str:
        allowed = list(choices)
        value = self.text(field)
        if value not in allowed:
            raise self.error(field, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def integer(
        self, field: str, *, required: bool = True, minimum: int = 0, maximum: int = 9999
    ) -> int | None:
        value = self.text(field, required=required)
        if not value:
            return None
        if not re.fullmatch(r"-?\d+", value):
            raise self.error(field, f"{value!r} is not a whole number")
        number = int(value)
        if not minimum <= number <= maximum:
            raise self.error(field, f"{number} is outside {minimum}–{maximum}")
        return number

    def decimal(self, field: str) -> Decimal:
        value = self.text(field)
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.error(field, f"{value!r} is not a number") from None
        if not number.is_finite() or number < 0:
            raise self.error(field, f"{value!r} is not a non-negative number")
        return number

    def boolean(self, field: str) -> bool:
        value = self.text(field).lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise self.error(field, f"{value!r} is not true or false")

    def iso_date(self, field: str) -> date | None:
        value = self.text(field, required=False)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def read_csv(path: Path, *, data_dir: Path, columns: Sequence[str]) -> list[CsvRow]:
    """Every data row of a UTF-8 CSV file that must have at least ``columns``."""
    label = file_label(path, data_dir)
    if not path.is_file():
        raise InvalidInput(f"{label}: file not found", details={"file": label})
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [column for column in columns if column not in header]
        if missing:
            raise invalid_field(label, missing[0], "column missing from the header", row=0, line=1)
        reader.fieldnames = header
        rows = []
        for number, values in enumerate(reader, start=1):
            if None in values:
                raise invalid_field(
                    label,
                    header[-1],
                    "the row has more cells than the header",
                    row=number,
                    line=reader.line_num,
                )
            cells = {name: value or "" for name, value in values.items()}
            rows.append(CsvRow(label, number, reader.line_num, cells))
    return rows


def require_unique(rows: Sequence[CsvRow], values: Sequence[str], field: str) -> None:
    """Refuse a file where ``field`` repeats (``values[i]`` belongs to ``rows[i]``)."""
    seen: dict[str, int] = {}
    for row, value in zip(rows, values, strict=True):
        if value in seen:
            raise row.error(field, f"{value!r} repeats row {seen[value]}")
        seen[value] = row.row


def parents_first(
    records: Sequence[dict[str, Any]], *, key: str, parent: str
) -> list[list[dict[str, Any]]]:
    """``records`` in batches where each record's parent (``record[parent]``, a key or "")
    is in an earlier batch, so a batch can be written once its parents have ids."""
    placed: set[str] = set()
    remaining = list(records)
    batches = []
    while remaining:
        ready = [r for r in remaining if not r[parent] or r[parent] in placed]
        if not ready:
            keys = ", ".join(sorted(str(r[key]) for r in remaining))
            raise InvalidInput(f"these records have unknown or circular parents: {keys}")
        batches.append(ready)
        placed.update(r[key] for r in ready)
        remaining = [r for r in remaining if r[key] not in placed]
    return batches


def upsert(
    model: type[ModelT],
    *,
    key: str,
    records: Sequence[dict[str, Any]],
    report: LoadReport,
) -> dict[str, ModelT]:
    """Make the table hold ``records`` (dicts of field → value, ``<fk>_id`` for relations).

    Rows are matched on ``key``; a row counts as created, updated (some field differs) or
    unchanged. Rows that are not in ``records`` are left alone. Every created or updated
    row gets an audit entry (by the system) with its before and after values. Returns
    key → instance for every record.
    """
    keys = [record[key] for record in records]
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": keys})}
    to_create: list[ModelT] = []
    to_update: list[ModelT] = []
    changed_fields: set[str] = set()
    created_keys: set[Any] = set()
    updated: dict[Any, tuple[ModelT, dict[str, Any]]] = {}
    record_by_key = {record[key]: record for record in records}
    for record in records:
        current = existing.get(record[key])
        if current is None:
            to_create.append(model(**record))
            created_keys.add(record[key])
            report.count("created")
            continue
        differing = [name for name, value in record.items() if getattr(current, name) != value]
        if differing:
            updated[record[key]] = (current, {name: getattr(current, name) for name in differing})
            for name in differing:
                setattr(current, name, record[name])
            changed_fields.update(differing)
            to_update.append(current)
            report.count("updated")
        else:
            report.count("unchanged")
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    if to_create:
        result = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": keys})}
    else:
        result = {getattr(obj, key): obj for obj in existing.values()}
    object_type = model._meta.label_lower
    audit_record_many(
        action="create",
        object_type=object_type,
        changes=[
            AuditChange(str(result[obj_key].pk), str(result[obj_key]), None, record)
            for obj_key, record in ((r[key], r) for r in records)
            if obj_key in created_keys
        ],
        comment=AUDIT_COMMENT,
    )
    audit_record_many(
        action="update",
        object_type=object_type,
        changes=[
            AuditChange(str(obj.pk), str(obj), before, {n: record_by_key[k][n] for n in before})
            for k, (obj, before) in updated.items()
        ],
        comment=AUDIT_COMMENT,
    )
    return result
