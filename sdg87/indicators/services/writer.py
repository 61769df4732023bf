"""Bulk reads and writes of observations through Django's connection, one path per database.

- SQLite: ``executemany`` of one prepared statement (rows streamed from a generator).
- PostgreSQL: ``COPY … FROM STDIN`` through psycopg 3's ``cursor.copy`` for new rows and
  revisions; changed rows are copied into a temporary table, then one ``UPDATE … FROM``.

Callers run these inside their own ``transaction.atomic`` block.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from sdg87.indicators.models import Observation, ObservationRevision

OBSERVATION_TABLE = Observation._meta.db_table
REVISION_TABLE = ObservationRevision._meta.db_table

INSERT_COLUMNS = (
    "indicator_id",
    "area_code",
    "country_id",
    "region_id",
    "year",
    "period",
    "series",
    "unit",
    "unit_multiplier",
    "dimensions",
    "dimensions_key",
    "value",
    "lower_bound",
    "upper_bound",
    "observation_status",
    "source",
    "footnote",
    "attributes",
    "batch_id",
    "created_at",
    "updated_at",
)
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


@contextmanager
def bulk_write(rows: int) -> Iterator[None]:
    """On SQLite, a larger page cache while writing many rows: the observation table's
    B-trees then stay in memory instead of being paged through the default 2 MB cache
    (about 20 % less time for a million rows). The setting is restored afterwards."""
    if connection.vendor != "sqlite" or rows < LARGE_WRITE:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def insert_observations(
    rows: Iterable[tuple[Any, ...]], *, total: int, progress: Progress | None = None
) -> int:
    """Insert tuples in ``INSERT_COLUMNS`` order; returns the number written."""
    return _insert(OBSERVATION_TABLE, INSERT_COLUMNS, rows, total=total, progress=progress)


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
        with connection.cursor() as cursor:
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
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (fixed names)
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while True:
            chunk = list(_take(iterator, CHUNK))
            if not chunk:
                break
            cursor.executemany(sql, chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
    return done


def _take(iterator: Iterator[tuple[Any, ...]], count: int) -> Iterator[tuple[Any, ...]]:
    for _ in range(count):
        try:
            yield next(iterator)
        except StopIteration:
            return


def _update_postgresql(rows: Sequence[tuple[Any, ...]], progress: Progress | None) -> int:
    temporary = "sdg87_observation_changes"
    with connection.cursor() as cursor:
        names = ", ".join(("id", *UPDATE_COLUMNS))
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temporary} ON COMMIT DROP AS "  # noqa: S608 (fixed names)
            f"SELECT {names} FROM {OBSERVATION_TABLE} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {temporary} ({names}) FROM STDIN") as copy:
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
