"""Writes for ratifications: the bundled sources (``sdg87 load-data``) and imports
(``sdg87 import-ratifications``), through the same checks and the same idempotent write."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from sdg87.core.api_i18n import texts_of
from sdg87.core.audit import AuditChange, audit_record, audit_record_many
from sdg87.core.errors import InvalidInput
from sdg87.core.reports import LoadReport
from sdg87.countries.models import Country
from sdg87.instruments.bundled_sources import BUNDLED_SOURCES, NON_MEMBER_STATES
from sdg87.instruments.importers import PARTY, RatificationRecord
from sdg87.instruments.importers.country_names import ISO2_ALIASES, NAME_ALIASES, name_key
from sdg87.instruments.importers.treaty_table import read_treaty_table
from sdg87.instruments.models import Instrument, Ratification, RatificationBatch
from sdg87.instruments.standing import party_status


@dataclass
class RatificationLoadReport(LoadReport):
    """A ``LoadReport`` that also counts the rows that record nothing, by reason."""

    skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped += count
        self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + count


@dataclass
class RatificationImportSummary:
    """What ``sdg87 import-ratifications`` did (or would do, with ``--dry-run``)."""

    file: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    batch: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# Fields compared on reload: a row whose fields all match is "unchanged".
RATIFICATION_DATA_FIELDS = (
    "kind",
    "status",
    "date",
    "date_precision",
    "denounced_on",
    "denounced_precision",
    "source_detail",
    "source_as_of",
)
RatificationKey = tuple[int, int, str, bool]  # country, instrument, source, is a signature


@dataclass(frozen=True)
class _Lookups:
    """Countries and instruments, read once per load or import."""

    countries_by_iso3: dict[str, Country]
    iso3_by_iso2: dict[str, str]
    iso3_by_name: dict[str, str]
    instruments: dict[str, Instrument]

    @classmethod
    def read(cls) -> _Lookups:
        countries = list(Country.objects.all())
        by_name: dict[str, str] = {name_key(n): iso3 for n, iso3 in NAME_ALIASES.items()}
        for country in countries:
            for name in (*(texts_of(country).values()), country.official_name_en):
                if name:
                    by_name.setdefault(name_key(name), country.iso3)
        iso2 = {country.iso2: country.iso3 for country in countries}
        for old, new in ISO2_ALIASES.items():
            if new in iso2:
                iso2.setdefault(old, iso2[new])
        return cls(
            countries_by_iso3={country.iso3: country for country in countries},
            iso3_by_iso2=iso2,
            iso3_by_name=by_name,
            instruments={instrument.code: instrument for instrument in Instrument.objects.all()},
        )

    def country(self, record: RatificationRecord) -> Country:
        value = record.country.strip()
        if record.country_scheme == "iso3":
            iso3: str | None = value.upper()
        elif record.country_scheme == "iso2":
            iso3 = self.iso3_by_iso2.get(value.upper())
        else:
            iso3 = self.iso3_by_name.get(name_key(value))
        country = self.countries_by_iso3.get(iso3 or "")
        if country is None:
            what = "country name" if record.country_scheme == "name" else "country code"
            raise record.row.error(record.country_field, f"unknown {what} {value!r}")
        return country

    def instrument(self, record: RatificationRecord) -> Instrument:
        instrument = self.instruments.get(record.instrument.strip().upper())
        if instrument is None:
            known = ", ".join(sorted(self.instruments))
            raise record.row.error(
                record.instrument_field,
                f"unknown instrument {record.instrument!r} (known: {known})",
            )
        return instrument


def _check_date(
    record: RatificationRecord,
    field_name: str,
    on: date,
    precision: str,
    instrument: Instrument,
    today: date,
) -> None:
    shown = str(on.year) if precision == "year" else on.isoformat()
    if on.year > today.year or (precision == "day" and on > today):
        raise record.row.error(field_name, f"{shown} is in the future")
    adopted = instrument.adoption_date
    before = on.year < instrument.adoption_year or (
        precision == "day" and adopted is not None and on < adopted
    )
    if before:
        raise record.row.error(
            field_name,
            f"{shown} is before {instrument.code} was adopted "
            f"({adopted.isoformat() if adopted else instrument.adoption_year})",
        )


def _resolve(
    record: RatificationRecord,
    lookups: _Lookups,
    *,
    as_of: date,
    today: date,
    states_only: bool,
) -> dict[str, Any] | str:
    """The model fields of ``record``, or the reason it is skipped; raises ``InvalidInput``."""
    country = lookups.country(record)
    instrument = lookups.instrument(record)
    if states_only and not country.un_member and country.iso3 not in NON_MEMBER_STATES:
        return "territory: the source repeats its administering state's status"
    if record.date is not None:
        _check_date(
            record, record.date_field, record.date, record.date_precision, instrument, today
        )
        if record.date.year > as_of.year or (
            record.date_precision == "day" and record.date > as_of
        ):
            raise record.row.error(
                record.date_field, f"after {as_of}, the date the file's statuses hold at (--as-of)"
            )
    if record.denounced_on is not None:
        _check_date(
            record,
            record.denounced_field,
            record.denounced_on,
            record.denounced_precision,
            instrument,
            today,
        )
        both_days = record.date_precision == record.denounced_precision == "day"
        if record.date is not None and (
            record.denounced_on < record.date
            if both_days
            else record.denounced_on.year < record.date.year
        ):
            raise record.row.error(record.denounced_field, "the denunciation precedes the consent")
    status = record.status
    if status == PARTY:
        status = party_status(
            organisation=instrument.organisation,
            kind=record.kind,
            on=record.date,
            precision=record.date_precision,
            as_of=as_of,
        )
    return {
        "country": country,
        "instrument": instrument,
        "kind": record.kind,
        "status": status,
        "date": record.date,
        "date_precision": record.date_precision,
        "denounced_on": record.denounced_on,
        "denounced_precision": record.denounced_precision,
        "source": record.source,
        "source_detail": record.source_detail,
        "source_as_of": as_of,
    }


def _key(values: dict[str, Any]) -> RatificationKey:
    return (
        values["country"].pk,
        values["instrument"].pk,
        values["source"],
        values["kind"] == Ratification.Kind.SIGNATURE,
    )


def _label(values: dict[str, Any]) -> str:
    return (
        f"{values['instrument'].code} {values['country'].iso3} {values['kind']} "
        f"({values['source']})"
    )


@dataclass
class _Plan:
    create: list[dict[str, Any]] = field(default_factory=list)
    update: list[tuple[Ratification, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0


def _plan(rows: list[tuple[RatificationRecord, dict[str, Any]]]) -> _Plan:
    """Compare with the stored rows; refuse two rows of one file with the same key."""
    seen: dict[RatificationKey, RatificationRecord] = {}
    for record, values in rows:
        key = _key(values)
        if key in seen:
            raise record.row.error(
                record.country_field,
                f"repeats row {seen[key].row.row} (same country, instrument, source and "
                f"{'signature' if key[3] else 'consent'})",
            )
        seen[key] = record
    stored: dict[RatificationKey, Ratification] = {}
    sources = {values["source"] for _record, values in rows}
    for existing in Ratification.objects.filter(source__in=sources):
        stored[
            (existing.country_id, existing.instrument_id, existing.source, existing.is_signature)
        ] = existing
    plan = _Plan()
    for _record, values in rows:
        current = stored.get(_key(values))
        if current is None:
            plan.create.append(values)
            continue
        before = {
            name: getattr(current, name)
            for name in RATIFICATION_DATA_FIELDS
            if getattr(current, name) != values[name]
        }
        if before:
            plan.update.append((current, before, values))
        else:
            plan.unchanged += 1
    return plan


def _apply(
    plan: _Plan,
    *,
    origin: str,
    file_name: str,
    file_sha256: str,
    skipped: int,
    comment: str,
) -> RatificationBatch | None:
    """Write the plan under a new batch (none when nothing changes) with its audit rows."""
    if not plan.create and not plan.update:
        return None
    batch = RatificationBatch.objects.create(
        origin=origin,
        file_name=file_name[:255],
        file_sha256=file_sha256,
        sources=", ".join(
            sorted({v["source"] for v in plan.create} | {v["source"] for _c, _b, v in plan.update})
        )[:255],
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        skipped=skipped,
    )
    Ratification.objects.bulk_create(
        [Ratification(**values, first_batch=batch, last_batch=batch) for values in plan.create],
        batch_size=500,
    )
    now = timezone.now()
    for current, _before, values in plan.update:
        for name in RATIFICATION_DATA_FIELDS:
            setattr(current, name, values[name])
        current.last_batch = batch
        current.updated_at = now
    Ratification.objects.bulk_update(
        [current for current, _before, _values in plan.update],
        [*RATIFICATION_DATA_FIELDS, "last_batch", "updated_at"],
        batch_size=500,
    )
    # Created rows: one summary entry for the batch (thousands of rows on a first load; each
    # row names its batch in ``first_batch``). Changed rows: one entry each, with the values
    # they had before.
    audit_record(
        actor=None,
        action="create",
        instance=batch,
        after={
            "file": batch.file_name,
            "sha256": batch.file_sha256,
            "sources": batch.sources,
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "skipped": batch.skipped,
        },
        comment=comment,
    )
    object_type = Ratification._meta.label_lower
    audit_record_many(
        action="update",
        object_type=object_type,
        changes=[
            AuditChange(str(current.pk), _label(values), before, {n: values[n] for n in before})
            for current, before, values in plan.update
        ],
        comment=comment,
    )
    return batch


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@transaction.atomic
def ratifications_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Load every bundled ratification file (``bundled_sources.BUNDLED_SOURCES``).

    Every file is read and checked before anything is written; a bad row raises
    ``InvalidInput`` naming file, row and field. Reloading unchanged files writes nothing.
    """
    lookups = _Lookups.read()
    today = timezone.localdate()
    prepared = []
    for bundled in BUNDLED_SOURCES:
        path = data_dir / bundled.path
        result = bundled.reader(
            path, data_dir=data_dir, instrument=bundled.instrument, source=bundled.source
        )
        report = RatificationLoadReport(name=f"ratifications: {bundled.path}")
        for reason, count in sorted(result.skipped.items()):
            report.skip(reason, count)
        rows = []
        for record in result.records:
            values = _resolve(
                record, lookups, as_of=bundled.as_of, today=today, states_only=bundled.states_only
            )
            if isinstance(values, str):
                report.skip(values)
            else:
                rows.append((record, values))
        prepared.append((bundled, path, report, _plan(rows)))
    for bundled, path, report, plan in prepared:
        _apply(
            plan,
            origin=RatificationBatch.Origin.BUNDLED,
            file_name=str(bundled.path),
            file_sha256=_sha256(path),
            skipped=report.skipped,
            comment=f"bundled data (sdg87 load-data): {bundled.path}",
        )
        report.created, report.updated, report.unchanged = (
            len(plan.create),
            len(plan.update),
            plan.unchanged,
        )
    return [report for _bundled, _path, report, _plan_ in prepared]


@transaction.atomic
def ratifications_import(
    *,
    path: Path,
    source: str | None = None,
    instrument: str | None = None,
    as_of: date | None = None,
    dry_run: bool = False,
) -> RatificationImportSummary:
    """Import a NORMLEX / UN Treaty Collection style CSV (``docs/ratifications.md``).

    All or nothing: the first bad row raises ``InvalidInput`` (file, row, field) and nothing is
    written. Re-importing the same file changes nothing. ``as_of`` (default today) is the date
    the file's statuses hold at, used to tell ILO ratifications not yet in force.
    """
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise InvalidInput(f"--as-of {as_of} is in the future", details={"field": "as_of"})
    source = (source or "").strip() or None
    result = read_treaty_table(path, data_dir=Path.cwd(), instrument=instrument, source=source)
    lookups = _Lookups.read()
    summary = RatificationImportSummary(file=str(path), dry_run=dry_run)
    for reason, count in sorted(result.skipped.items()):
        summary.skipped += count
        summary.skipped_reasons[reason] = count
    rows = []
    for record in result.records:
        values = _resolve(record, lookups, as_of=as_of, today=today, states_only=False)
        assert not isinstance(values, str)  # states_only=False never skips
        rows.append((record, values))
    plan = _plan(rows)
    summary.created, summary.updated, summary.unchanged = (
        len(plan.create),
        len(plan.update),
        plan.unchanged,
    )
    summary.sources = sorted({values["source"] for _record, values in rows})
    if not dry_run:
        batch = _apply(
            plan,
            origin=RatificationBatch.Origin.IMPORT,
            file_name=path.name,
            file_sha256=_sha256(path),
            skipped=summary.skipped,
            comment=f"sdg87 import-ratifications {path.name}",
        )
        summary.batch = batch.pk if batch is not None else None
    return summary
