"""Bulk reads and writes of observations through Django's connection, one path per database.

- SQLite: ``executemany`` of one prepared statement (rows streamed from a generator); new
  observations staged narrow in temporary tables (200 rows per multi-row ``INSERT … VALUES``
  statement), then widened by SQLite in ``INSERT … SELECT``.
- PostgreSQL: ``COPY … FROM STDIN`` through psycopg 3's ``cursor.copy`` for new rows and
  revisions; changed rows are copied into a temporary table, then one ``UPDATE … FROM``.
  New observations go as COPY text written here in large blocks: the columns that repeat
  down a file (indicator, area, series, unit, disaggregation, status, source, batch …) are
  encoded once per distinct combination, only year, period, value and bounds per row.

The observation table has no FOREIGN KEY constraints: triggers check its references, on
PostgreSQL once per statement (a ``COPY`` of a million rows costs one pass over their distinct
parents instead of a check per row and key; see ``sdg87/indicators/integrity.py``).
:func:`lock_parents` checks once per distinct id, inside the import's transaction, that the
indicators, countries and regions exist (PostgreSQL: and locks them ``FOR KEY SHARE``), so
that a parent deleted meanwhile gives a clear error. Errors of a ``COPY`` are Django's
(``IntegrityError`` …), as for any other statement.

Callers run these inside their own ``transaction.atomic`` block.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sdg87.countries.models import Country, Region
from sdg87.indicators import integrity
from sdg87.indicators.models import Indicator, Observation, ObservationRevision

OBSERVATION_TABLE = Observation._meta.db_table
REVISION_TABLE = ObservationRevision._meta.db_table

# A new observation is (static, year, period, value, lower_bound, upper_bound): ``static``, a
# tuple of STATIC_COLUMNS, is shared by the rows that have the same values there.
STATIC_COLUMNS = (
    "indicator_id",
    "area_code",
    "country_id",
    "region_id",
    "series",
    "unit",
    "unit_multiplier",
    "dimensions",
    "dimensions_key",
    "observation_status",
    "source",
    "footnote",
    "attributes",
    "batch_id",
)  # not created_at and updated_at: the database sets them (db_default=Now())
VARYING_COLUMNS = ("year", "period", "value", "lower_bound", "upper_bound")
INSERT_COLUMNS = STATIC_COLUMNS + VARYING_COLUMNS
NewObservation = tuple[tuple[Any, ...], int, str, float, float | None, float | None]
UPDATE_COLUMNS = (
    "year",
    "value",
    "unit_multiplier",
    "lower_bound",
    "upper_bound",
    "observation_status",
    "source",
    "footnote",
    "attributes",
    "batch_id",
    "updated_at",
)
REVISION_COLUMNS = ("observation_id", "previous", "replaced_by_batch_id", "replaced_at")
EXISTING_COLUMNS = (
    "id",
    "area_code",
    "period",
    "series",
    "unit",
    "dimensions_key",
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
CHUNK = 50_000
Progress = Callable[[int], None]


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def json_value(stored: Any) -> Any:
    """A JSON column as read by a raw cursor: text on SQLite, already decoded on PostgreSQL."""
    if stored is None:
        return None
    if isinstance(stored, str | bytes):
        return json.loads(stored) if stored not in ("{}", b"{}") else {}
    return stored


def now_for_database(moment: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def existing_observations(
    indicator_id: int, area_codes: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``EXISTING_COLUMNS`` for one indicator and these areas."""
    columns = ", ".join(EXISTING_COLUMNS)
    with connection.cursor() as cursor:
        for start in range(0, len(area_codes), 500):
            chunk = list(area_codes[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {columns} FROM {OBSERVATION_TABLE} "  # noqa: S608 (fixed names)
                f"WHERE indicator_id = %s AND area_code IN ({marks})",
                [indicator_id, *chunk],
            )
            while True:
                batch = cursor.fetchmany(10_000)
                if not batch:
                    break
                yield from batch


LARGE_WRITE = 50_000
SQLITE_BULK_CACHE_KIB = 256 * 1024
SQLITE_BULK_CACHE_MAX_KIB = 1024 * 1024
SQLITE_KIB_PER_ROW = 0.375  # a new observation's share of table and index pages


@contextmanager
def bulk_write(rows: int) -> Iterator[None]:
    """On SQLite, a larger page cache while writing many rows: the observation table's
    B-trees then stay in memory instead of being paged through the default 2 MB cache
    (about 20 % less time for a million rows). At least 256 MB, more for writes whose pages
    would not fit (up to 1 GB; pages are only allocated when used). The setting is restored
    afterwards."""
    if connection.vendor != "sqlite" or rows < LARGE_WRITE:
        yield
        return
    wanted = int(rows * SQLITE_KIB_PER_ROW)
    size = max(SQLITE_BULK_CACHE_KIB, min(SQLITE_BULK_CACHE_MAX_KIB, wanted))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{size}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def insert_observations(
    rows: Iterable[NewObservation], *, total: int, progress: Progress | None = None
) -> int:
    """Insert ``(static, year, period, value, lower_bound, upper_bound)`` rows (``static`` in
    ``STATIC_COLUMNS`` order, shared between rows); returns the number written."""
    if total == 0:
        return 0
    # A savepoint of its own: after a failure the caller's transaction goes on, with nothing
    # of this write left (on SQLite: the dropped reference trigger back).
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _copy_observations(rows, progress)
        return _insert_sqlite_observations(rows, progress)


# SQLite: rows per INSERT statement. One multi-row ``VALUES (…), (…)`` statement per 200
# rows costs 40 % less CPU than one statement per row (fewer statement steps and resets);
# more rows per statement gain nothing more.
SQLITE_ROWS_PER_STATEMENT = 200
STAGED_STATIC = "sdg87_new_static"
STAGED_ROWS = "sdg87_new_rows"


def _insert_sqlite_observations(rows: Iterable[NewObservation], progress: Progress | None) -> int:
    """Two steps, so that the wide rows are put together by SQLite itself:

    1. each distinct ``static`` tuple goes once into a temporary table, and each row, as
       ``(static number, year, period, value, lower_bound, upper_bound)``, into another: Python
       binds 6 values per row instead of 20 (binding is most of the cost of an ``INSERT`` from
       Python);
    2. ``INSERT … SELECT`` joins the two into the observation table, in file order, in blocks
       of ``CHUNK`` rows (for the progress reports), without the per-row reference trigger:
       the distinct parents of the staged rows are checked in one query instead
       (``integrity.insert_trigger_suspended``).
    """
    numbers: dict[int, int] = {}
    statics: list[tuple[Any, ...]] = []

    def narrow(part: Sequence[NewObservation]) -> list[Any]:
        params: list[Any] = []
        for static, year, period, value, lower, upper in part:
            number = numbers.get(id(static))
            if number is None:
                number = numbers[id(static)] = len(statics) + 1
                statics.append((number, *static))
            params += (number, year, period, value, lower, upper)
        return params

    static_names = ", ".join(STATIC_COLUMNS)
    varying_names = ", ".join(VARYING_COLUMNS)
    done = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGED_STATIC}")
        cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGED_ROWS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGED_STATIC} (number INTEGER PRIMARY KEY, {static_names})"
        )
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGED_ROWS} (number, {varying_names})")
        # Progress: the first half while staging, the second while widening.
        staged = _execute_in_rows(
            cursor,
            f"INSERT INTO temp.{STAGED_ROWS} (number, {varying_names}) VALUES",
            1 + len(VARYING_COLUMNS),
            rows,
            narrow,
            on_chunk=None if progress is None else (lambda count: progress(count // 2)),
        )
        _execute_in_rows(
            cursor,
            f"INSERT INTO temp.{STAGED_STATIC} (number, {static_names}) VALUES",
            1 + len(STATIC_COLUMNS),
            statics,
            _flat,
        )
        picked = ", ".join(
            [f"s.{name}" for name in STATIC_COLUMNS] + [f"r.{name}" for name in VARYING_COLUMNS]
        )
        # The time stamps as one value per statement: cheaper than SQLite evaluating the
        # columns' default (strftime) twice per row.
        insert = (
            f"INSERT INTO {OBSERVATION_TABLE} "  # noqa: S608 (fixed names)
            f"({', '.join(INSERT_COLUMNS)}, created_at, updated_at) "
            f"SELECT {picked}, %s, %s FROM temp.{STAGED_ROWS} AS r "
            f"JOIN temp.{STAGED_STATIC} AS s ON s.number = r.number "
            f"WHERE r.rowid BETWEEN %s AND %s ORDER BY r.rowid"
        )
        stamp = now_for_database(timezone.now())
        with integrity.insert_trigger_suspended(connection, f"temp.{STAGED_STATIC}"):
            for first in range(1, staged + 1, CHUNK):
                cursor.execute(insert, [stamp, stamp, first, first + CHUNK - 1])
                done = min(staged, first + CHUNK - 1)
                if progress is not None:
                    progress(staged // 2 + done // 2 if done < staged else done)
        cursor.execute(f"DROP TABLE temp.{STAGED_STATIC}")
        cursor.execute(f"DROP TABLE temp.{STAGED_ROWS}")
    return done


def _flat(rows: Sequence[Sequence[Any]]) -> list[Any]:
    return [value for row in rows for value in row]


def _execute_in_rows(
    cursor: Any,
    head: str,
    width: int,
    rows: Iterable[Any],
    flatten: Callable[[Sequence[Any]], list[Any]],
    on_chunk: Progress | None = None,
) -> int:
    """``head`` (an ``INSERT … VALUES``) for all ``rows``, up to SQLITE_ROWS_PER_STATEMENT rows
    per statement (``flatten`` turns rows into their parameters), ``on_chunk`` told the count
    after each ``CHUNK`` rows; returns the row count."""
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(SQLITE_ROWS_PER_STATEMENT, limit // width))
    one = "(" + ", ".join(["%s"] * width) + ")"
    full_sql = f"{head} {', '.join([one] * per_statement)}"
    iterator = iter(rows)
    count = 0
    while True:
        chunk = list(islice(iterator, CHUNK))
        if not chunk:
            break
        whole = len(chunk) - len(chunk) % per_statement
        if whole:
            cursor.executemany(
                full_sql,
                [
                    flatten(chunk[start : start + per_statement])
                    for start in range(0, whole, per_statement)
                ],
            )
        if whole < len(chunk):
            rest = len(chunk) - whole
            cursor.execute(f"{head} {', '.join([one] * rest)}", flatten(chunk[whole:]))
        count += len(chunk)
        if on_chunk is not None:
            on_chunk(count)
    return count


def lock_parents(
    indicator_ids: Iterable[int], country_ids: Iterable[int], region_ids: Iterable[int]
) -> dict[str, list[int]]:
    """Check that these indicators, countries and regions exist (on PostgreSQL: and lock
    them ``FOR KEY SHARE`` until the transaction ends, so that no other transaction can
    delete them meanwhile), once per id. Returns the ids that do not exist, by kind (empty when
    all do)."""
    missing: dict[str, list[int]] = {}
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        for kind, model, ids in (
            ("indicator", Indicator, indicator_ids),
            ("country", Country, country_ids),
            ("region", Region, region_ids),
        ):
            wanted = sorted(set(ids))  # one order for every import: no lock-order deadlock
            found: set[int] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT id FROM {model._meta.db_table} "  # noqa: S608 (fixed names)
                    f"WHERE id IN ({marks}) ORDER BY id{lock}",
                    chunk,
                )
                found.update(pk for (pk,) in cursor.fetchall())
            absent = [pk for pk in wanted if pk not in found]
            if absent:
                missing[kind] = absent
    return missing


def insert_revisions(rows: Iterable[tuple[Any, ...]], *, total: int) -> int:
    return _insert(REVISION_TABLE, REVISION_COLUMNS, rows, total=total)


def update_observations(
    rows: Sequence[tuple[Any, ...]], *, progress: Progress | None = None
) -> int:
    """Update by id: each tuple is ``(id, *UPDATE_COLUMNS values)``."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _update_postgresql(rows, progress)
    assignments = ", ".join(f"{column} = %s" for column in UPDATE_COLUMNS)
    sql = f"UPDATE {OBSERVATION_TABLE} SET {assignments} WHERE id = %s"  # noqa: S608
    done = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.executemany(sql, [(*row[1:], row[0]) for row in chunk])
            done += len(chunk)
            if progress is not None:
                progress(done)
    return done


def _insert(
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    total: int,
    progress: Progress | None = None,
) -> int:
    if total == 0:
        return 0
    names = ", ".join(columns)
    done = 0
    if connection.vendor == "postgresql":
        with connection.wrap_database_errors, connection.cursor() as cursor:
            copy_sql = f"COPY {table} ({names}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    done += 1
                    if progress is not None and done % CHUNK == 0:
                        progress(done)
        if progress is not None:
            progress(done)
        return done
    with connection.cursor() as cursor:
        return _execute_in_rows(
            cursor,
            f"INSERT INTO {table} ({names}) VALUES",
            len(columns),
            rows,
            _flat,
            on_chunk=progress,
        )


NULL_TEXT = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """One value as a field of PostgreSQL's COPY text format."""
    if value is None:
        return NULL_TEXT
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):
        return float.__repr__(value)
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _copy_observations(rows: Iterable[NewObservation], progress: Progress | None) -> int:
    """COPY text, written in blocks of ``CHUNK`` rows; the static part of a row is encoded
    once per distinct static tuple."""
    names = ", ".join(INSERT_COLUMNS)
    prefixes: dict[int, str] = {}
    periods: dict[str, str] = {}
    done = 0
    block: list[str] = []
    copy_sql = f"COPY {OBSERVATION_TABLE} ({names}) FROM STDIN"
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(copy_sql) as copy,
    ):
        for static, year, period, value, lower, upper in rows:
            prefix = prefixes.get(id(static))
            if prefix is None:
                prefix = prefixes[id(static)] = "".join(copy_text(item) + "\t" for item in static)
            period_text = periods.get(period)
            if period_text is None:
                period_text = periods[period] = copy_text(period)
            value_text = repr(value) if value.__class__ is float else copy_text(value)
            lower_text = NULL_TEXT if lower is None else copy_text(lower)
            upper_text = NULL_TEXT if upper is None else copy_text(upper)
            block.append(
                f"{prefix}{year}\t{period_text}\t{value_text}\t{lower_text}\t{upper_text}\n"
            )
            if len(block) == CHUNK:
                copy.write("".join(block))
                done += len(block)
                block = []
                if progress is not None:
                    progress(done)
        if block:
            copy.write("".join(block))
            done += len(block)
    if progress is not None:
        progress(done)
    return done


def _update_postgresql(rows: Sequence[tuple[Any, ...]], progress: Progress | None) -> int:
    temporary = "sdg87_observation_changes"
    with connection.cursor() as cursor:
        names = ", ".join(("id", *UPDATE_COLUMNS))
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temporary} ON COMMIT DROP AS "  # noqa: S608 (fixed names)
            f"SELECT {names} FROM {OBSERVATION_TABLE} WITH NO DATA"
        )
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {temporary} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{column} = changes.{column}" for column in UPDATE_COLUMNS)
        cursor.execute(
            f"UPDATE {OBSERVATION_TABLE} AS observation SET {assignments} "  # noqa: S608
            f"FROM {temporary} AS changes WHERE observation.id = changes.id"
        )
        cursor.execute(f"DROP TABLE {temporary}")
    if progress is not None:
        progress(len(rows))
    return len(rows)
