"""Crash safety, proven: ``kill -9`` during observation imports and OAI-PMH harvests.

    python scripts/crash_test.py --engine sqlite --points 20
    python scripts/crash_test.py --engine postgresql --points 20     # re-runs itself under
                                                                      # scripts/with-postgres.sh
    python scripts/crash_test.py --engine both --points 5 --rows 20000 --out /tmp/crash.md  # CI

For each engine (SQLite in WAL mode, PostgreSQL):

**Import.** A fresh database (``sdg87 setup --no-data`` and ``sdg87 load-data`` with
``LIBRARY_LOAD_CORPUS=false PATHFINDER_EXAMPLES=false``) receives a *seed* import (every tenth
row of the test file, with other values), which is the state "before". A tidy CSV of ``--rows``
observations for 8.7.1, 5.3.1 and 16.2.2 (the shape of ``scripts/bench_import.py``) then
creates 90 % of its rows and updates 10 % (with revisions), as a reference database shows when
it imports the file once without interruption (the state "after", and the measured duration
D). At each of ``--points`` points, ``sdg87 import-observations FILE --format csv`` runs on a
working database and is sent SIGKILL, either after a random delay in [0, D] or when its
progress (read from a pseudo-terminal: the CLI draws its progress bar only on a terminal)
reaches a phase: reading, duplicate checks, comparing, writing (start, half, end), updating,
or a random moment between "updating" and the commit. Then:

- the observations (count and a hash of the ordered (indicator, area, period, series, unit,
  dimensions_key, value, year, status) tuples), the import batches and the revisions are
  exactly "before" or exactly "after" — nothing in between; a killed run left no ImportBatch;
- a concurrent reader polling the counts during the run never saw anything else;
- no observation refers to an indicator, country, region or batch that does not exist;
- SQLite: ``PRAGMA integrity_check`` = ok, ``PRAGMA foreign_key_check`` empty, the FTS5
  indexes pass ``integrity-check``; PostgreSQL: amcheck's ``bt_index_check(index, true)`` on
  every B-tree index of the public schema and ``verify_heapam`` on every table (with TOAST)
  report nothing.

A point whose import committed before the kill is reported as such; the working database is
then reset to "before" for the next point. After the last point the import runs to the end on
the working database and must give exactly the reference's observations.

**Harvest.** A local OAI-PMH repository (a ``http.server`` thread of this script: 2,000 Dublin
Core records over 20 ``ListRecords`` pages with resumption tokens, a small delay per page) is
harvested by ``sdg87 harvest http://127.0.0.1:PORT/oai --protocol oai-pmh`` (with
``DJANGO_SETTINGS_MODULE=tests.crash.settings``, which allows the loopback address). The
harvester commits one page per transaction, so a killed harvest keeps whole pages: after each
kill the visible records must be exactly the first k pages (k × 100 records), each record
identical to the reference harvest's (title, status, language, year, type, countries, themes,
search-index entry, duplicate fingerprint), and the ``Harvest`` row must say k × 100 records
seen with the resumption token of page k. Kills are cumulative (each run resumes the previous
one; a finished harvest is reset to the empty library); the final run must end with exactly
the reference's records. Integrity checks as above.

The report (command, date, machine, engine versions, each point's kill time, phase and
verdict, totals) goes to ``--out`` (default ``benchmarks/crash.md``; the sections of engines
not run this time are kept). Exit code 1 on any violation.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import platform
import random
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench_import  # noqa: E402  (the import benchmark's data shapes)

DEFAULT_OUT = ROOT / "benchmarks" / "crash.md"
SDG87 = Path(sys.executable).parent / "sdg87"
if not SDG87.exists():
    SDG87 = ROOT / ".venv" / "bin" / "sdg87"

SERIES_INDICATOR = {"SL_TLF": "8.7.1", "SP_DYN": "5.3.1", "VC_HTF": "16.2.2"}
HARVEST_RECORDS = 2000
HARVEST_PAGE = 100
OAI_ID = "oai:crash.test:{:05d}"


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- the test data --------------------------------------------------------------------------------


def country_iso3() -> list[str]:
    with (ROOT / "data" / "reference" / "countries.csv").open(encoding="utf-8") as handle:
        return [row["iso3"] for row in csv.DictReader(handle)]


def tidy_rows(rows: int, seed: int) -> Iterator[tuple[Any, ...]]:
    """``rows`` tidy-template rows in the shape of ``bench_import.SHAPES`` (countries × years ×
    series × sex × age × urbanisation); a total (``_T``) is an empty dimension cell."""
    generator = random.Random(seed)
    written = 0
    for year in bench_import.YEARS:
        for iso3 in country_iso3():
            for series, unit, sexes, ages, places in bench_import.SHAPES:
                indicator = SERIES_INDICATOR[series[:6]]
                for sex in sexes:
                    for age in ages:
                        for place in places:
                            if written == rows:
                                return
                            value = (
                                round(generator.uniform(0, 40), 1)
                                if unit == "PT"
                                else generator.randint(0, 5000)
                            )
                            written += 1
                            yield (
                                indicator,
                                iso3,
                                year,
                                value,
                                unit,
                                series,
                                "" if sex == "_T" else sex,
                                "" if age == "_T" else age,
                                "" if place == "_T" else place,
                                "A",
                            )
    raise SystemExit(f"--rows {rows} is more than the generator's shapes hold")


TIDY_HEADER = (
    "indicator",
    "country",
    "year",
    "value",
    "unit",
    "series",
    "dim:sex",
    "dim:age",
    "dim:urbanisation",
    "observation_status",
)


def write_files(directory: Path, rows: int, seed: int) -> tuple[Path, Path]:
    """The test file and the seed file (every tenth row, value + 1: updated by the test)."""
    main_path, seed_path = directory / "observations.csv", directory / "seed.csv"
    with (
        main_path.open("w", encoding="utf-8", newline="") as main_handle,
        seed_path.open("w", encoding="utf-8", newline="") as seed_handle,
    ):
        main_writer = csv.writer(main_handle, lineterminator="\n")
        seed_writer = csv.writer(seed_handle, lineterminator="\n")
        main_writer.writerow(TIDY_HEADER)
        seed_writer.writerow(TIDY_HEADER)
        for number, row in enumerate(tidy_rows(rows, seed)):
            main_writer.writerow(row)
            if number % 10 == 0:
                seed_writer.writerow((*row[:3], row[3] + 1, *row[4:]))
    return main_path, seed_path


# --- databases ------------------------------------------------------------------------------------


def _regexp(pattern: str | None, value: Any) -> bool | None:
    if pattern is None or value is None:
        return None
    return bool(re.search(pattern, str(value)))


# Observations that refer to an indicator, country, region or import batch that does not exist
# (the observation table's references are checked by triggers, not FOREIGN KEY constraints).
ORPHANS_SQL = (
    "SELECT COUNT(*) FROM indicators_observation AS o WHERE "
    "NOT EXISTS (SELECT 1 FROM indicators_indicator AS p WHERE p.id = o.indicator_id) "
    "OR (o.country_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM countries_country AS p WHERE p.id = o.country_id)) "
    "OR (o.region_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM countries_region AS p WHERE p.id = o.region_id)) "
    "OR (o.batch_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM indicators_importbatch AS p WHERE p.id = o.batch_id))"
)


INSERT_TRIGGER = "sdg87_observation_insert"  # sdg87/indicators/integrity.py


def orphans(connection: Any) -> list[str]:
    (count,) = connection.execute(ORPHANS_SQL).fetchone()
    return [f"{count} observations refer to rows that do not exist"] if count else []


class SqliteEngine:
    name = "sqlite"
    param = "?"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, db: str) -> Path:
        return self.directory / f"{db}.sqlite3"

    def url(self, db: str) -> str:
        return f"sqlite:///{self.path(db)}"

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"

    def create(self, db: str) -> None:
        self.drop(db)

    def drop(self, db: str) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path(db)}{suffix}").unlink(missing_ok=True)

    def clone(self, source: str, target: str) -> None:
        self.drop(target)
        with (
            contextlib.closing(sqlite3.connect(self.path(source))) as src,
            contextlib.closing(sqlite3.connect(self.path(target))) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")

    @contextlib.contextmanager
    def connect(self, db: str) -> Iterator[Any]:
        connection = sqlite3.connect(self.path(db), timeout=60, isolation_level=None)
        # Django's REGEXP, which CHECK constraints use (integrity_check evaluates them)
        connection.create_function("REGEXP", 2, _regexp, deterministic=True)
        try:
            yield connection
        finally:
            connection.close()

    def query(self, db: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.connect(db) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()

    def wait_idle(self, db: str) -> float:
        return 0.0  # a killed process holds no lock: POSIX locks die with it

    def integrity(self, db: str) -> list[str]:
        problems = []
        with self.connect(db) as connection:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems += [f"integrity_check: {line}" for line in result[:10]]
            keys = connection.execute("PRAGMA foreign_key_check").fetchall()
            if keys:
                problems.append(f"foreign_key_check: {len(keys)} rows, e.g. {keys[:3]}")
            problems += orphans(connection)
            triggers = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                (INSERT_TRIGGER,),
            ).fetchall()
            if not triggers:
                problems.append(f"the trigger {INSERT_TRIGGER} is missing")
            for table in ("library_search", "library_search_title"):
                try:
                    connection.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
                except sqlite3.DatabaseError as error:
                    problems.append(f"{table} FTS5 integrity-check: {error}")
        return problems

    def integrity_label(self) -> str:
        return "integrity_check, foreign_key_check, observation references, FTS5 integrity-check"

    def search_tables(self) -> list[tuple[str, str]]:
        return [("library_search", "rowid")]


class PostgresEngine:
    name = "postgresql"
    param = "%s"

    def __init__(self, url: str, prefix: str) -> None:
        self.base = urlsplit(url)
        self.admin_db = self.base.path.lstrip("/")
        self.prefix = prefix

    def real(self, db: str) -> str:
        return f"{self.prefix}_{db}"

    def url(self, db: str) -> str:
        return self.base._replace(path=f"/{self.real(db)}").geturl()

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(self.base.geturl(), autocommit=True)

    def version(self) -> str:
        with contextlib.closing(self._admin()) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            settings = connection.execute(
                "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings "
                "WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')"
            ).fetchone()
        return f"PostgreSQL {row[0]} ({settings[0]})"

    def create(self, db: str) -> None:
        self.drop(db)
        with contextlib.closing(self._admin()) as connection:
            connection.execute(f'CREATE DATABASE "{self.real(db)}"')

    def drop(self, db: str) -> None:
        with contextlib.closing(self._admin()) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.real(db)}" WITH (FORCE)')

    def clone(self, source: str, target: str) -> None:
        self.drop(target)
        self.wait_idle(source)
        with contextlib.closing(self._admin()) as connection:
            connection.execute(
                f'CREATE DATABASE "{self.real(target)}" TEMPLATE "{self.real(source)}"'
            )

    @contextlib.contextmanager
    def connect(self, db: str) -> Iterator[Any]:
        import psycopg

        connection = psycopg.connect(self.url(db), autocommit=True)
        try:
            yield connection
        finally:
            connection.close()

    def query(self, db: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.connect(db) as connection:
            return connection.execute(sql, params).fetchall()

    def wait_idle(self, db: str) -> float:
        """Wait until the server has ended the killed client's session (and rolled back)."""
        started = time.monotonic()
        with contextlib.closing(self._admin()) as connection:
            while True:
                row = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND pid <> pg_backend_pid()",
                    (self.real(db),),
                ).fetchone()
                if row[0] == 0:
                    return time.monotonic() - started
                if time.monotonic() - started > 60:
                    raise RuntimeError(f"{db}: sessions still open 60 s after the kill")
                time.sleep(0.05)

    def integrity(self, db: str) -> list[str]:
        problems = []
        with self.connect(db) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            problems += orphans(connection)
            triggers = connection.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname = %s", (INSERT_TRIGGER,)
            ).fetchall()
            if not triggers:
                problems.append(f"the trigger {INSERT_TRIGGER} is missing")
            indexes = connection.execute(
                "SELECT c.oid::regclass::text FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_am a ON a.oid = c.relam "
                "WHERE n.nspname = 'public' AND a.amname = 'btree' AND i.indisvalid"
            ).fetchall()
            for (index,) in indexes:
                try:
                    connection.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
                except Exception as error:
                    problems.append(f"bt_index_check({index}): {error}")
            tables = connection.execute(
                "SELECT c.oid::regclass::text FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')"
            ).fetchall()
            for (table,) in tables:
                rows = connection.execute(
                    "SELECT blkno, offnum, msg FROM verify_heapam(%s::regclass, "
                    "check_toast => true) LIMIT 5",
                    (table,),
                ).fetchall()
                problems += [f"verify_heapam({table}): {row}" for row in rows]
        self.checked = (len(indexes), len(tables))
        return problems

    def integrity_label(self) -> str:
        indexes, tables = getattr(self, "checked", (0, 0))
        return (
            f"amcheck bt_index_check(heapallindexed) on {indexes} B-tree indexes, "
            f"verify_heapam on {tables} tables, observation references"
        )

    def search_tables(self) -> list[tuple[str, str]]:
        # The documents and the side tables written with them: all or none.
        return [
            ("library_search_document", "resource_id"),
            ("library_search_match", "resource_id"),
            ("library_search_titles", "resource_id"),
        ]


Engine = SqliteEngine | PostgresEngine


# --- what is visible ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportState:
    observations: int
    digest: str
    batches: int
    revisions: int

    def short(self) -> str:
        return (
            f"{self.observations:,} obs / {self.batches} batches / {self.revisions:,} rev / "
            f"{self.digest[:10]}"
        )


def import_state(engine: Engine, db: str) -> ImportState:
    rows = engine.query(
        db,
        "SELECT i.code, o.area_code, o.period, o.series, o.unit, o.dimensions_key, o.value, "
        "o.year, o.observation_status FROM indicators_observation o "
        "JOIN indicators_indicator i ON i.id = o.indicator_id",
    )
    rows.sort()
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
        digest.update(b"\n")
    counts = engine.query(
        db,
        "SELECT (SELECT count(*) FROM indicators_importbatch), "
        "(SELECT count(*) FROM indicators_observationrevision)",
    )[0]
    return ImportState(len(rows), digest.hexdigest(), counts[0], counts[1])


COUNTS_SQL = (
    "SELECT (SELECT count(*) FROM indicators_observation), "
    "(SELECT count(*) FROM indicators_importbatch), "
    "(SELECT count(*) FROM indicators_observationrevision)"
)


class Monitor:
    """A concurrent reader: polls the counts (one statement, one snapshot) while a run lasts."""

    def __init__(self, engine: Engine, db: str) -> None:
        self.engine, self.db = engine, db
        self.seen: dict[tuple[int, int, int], int] = {}
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        try:
            with self.engine.connect(self.db) as connection:
                while not self.stop.is_set():
                    try:
                        row = tuple(connection.execute(COUNTS_SQL).fetchone())
                    except Exception as error:
                        self.errors.append(str(error))
                        time.sleep(0.1)
                        continue
                    self.seen[row] = self.seen.get(row, 0) + 1
                    self.stop.wait(0.05)
        except Exception as error:
            self.errors.append(str(error))

    def __enter__(self) -> Monitor:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        self.thread.join()


def harvest_records(engine: Engine, db: str, source: str) -> list[tuple[Any, ...]]:
    """Every resource of ``source`` with what makes it a whole record."""
    indexed = "".join(
        f"(SELECT count(*) FROM {table} s WHERE s.{key} = r.id), "
        for table, key in engine.search_tables()
    )
    return engine.query(
        db,
        "SELECT r.source_record_id, r.title, r.status, r.language, r.year, r.type, "
        "(SELECT count(*) FROM library_resource_countries c WHERE c.resource_id = r.id), "
        "(SELECT count(*) FROM library_resource_themes t WHERE t.resource_id = r.id), "
        f"{indexed}"
        "(SELECT count(*) FROM library_resourcefingerprint p WHERE p.resource_id = r.id) "
        "FROM library_resource r WHERE r.source = %s ORDER BY r.source_record_id",
        (source,),
    )


def harvest_row(engine: Engine, db: str, url: str) -> tuple[Any, ...] | None:
    rows = engine.query(
        db,
        "SELECT records_seen, resumption_token, last_datestamp, "
        "CASE WHEN last_harvested_at IS NULL THEN 0 ELSE 1 END "
        "FROM library_harvest WHERE url = %s",
        (url,),
    )
    return rows[0] if rows else None


# --- running and killing a command ----------------------------------------------------------------


IMPORT_PROGRESS = re.compile(r"\]\s+\d+%\s+(?P<phase>.*?) \((?P<done>\d+)/(?P<total>\d+)\)\s*$")
HARVEST_PROGRESS = re.compile(r"^harvest: (?P<done>\d+)(?:/(?P<total>\d+))? page (?P<page>\d+):")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Event:
    seconds: float
    phase: str
    done: int
    total: int

    def label(self) -> str:
        return f"{self.phase} {self.done:,}/{self.total:,}"


@dataclass
class Outcome:
    returncode: int | None
    killed_at: float | None
    duration: float
    last_event: Event | None
    events: list[Event]
    trigger_fired: bool
    tail: str


class Command:
    """A subprocess whose stderr (a pseudo-terminal for the import, a pipe for the harvest)
    is read line by line; ``trigger(event)`` returning true sends SIGKILL at once."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        *,
        kind: str,
        trigger: Callable[[Event], bool] | None = None,
    ) -> None:
        self.kind = kind
        self.trigger = trigger
        self.events: list[Event] = []
        self.tail: list[str] = []
        self.lock = threading.Lock()
        self.killed_at: float | None = None
        self.trigger_fired = False
        self.stdout = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the object)
        if kind == "import":
            master, slave = os.openpty()
            stderr: Any = slave
        else:
            master, slave = os.pipe()
            stderr = slave
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self.stdout, stderr=stderr
        )
        os.close(slave)
        self.master = master
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            parts = re.split(rb"[\r\n]", buffer)
            buffer = parts.pop()
            for part in parts:
                self._line(part.decode("utf-8", "replace"))
        if buffer:
            self._line(buffer.decode("utf-8", "replace"))
        os.close(self.master)

    def _line(self, raw: str) -> None:
        line = ANSI.sub("", raw).strip()
        if not line:
            return
        now = time.monotonic() - self.started
        event = None
        if self.kind == "import":
            match = IMPORT_PROGRESS.search(line)
            if match:
                phase = match["phase"].split(" ", 1)[0]
                event = Event(now, phase, int(match["done"]), int(match["total"]))
        else:
            match = HARVEST_PROGRESS.match(line)
            if match:
                event = Event(now, "page", int(match["page"]), int(match["total"] or 0))
        if event is None:
            self.tail = [*self.tail, line][-5:]
            return
        with self.lock:
            self.events.append(event)
            if self.trigger is not None and not self.trigger_fired and self.trigger(event):
                self.trigger_fired = True
                self._kill()

    def _kill(self) -> None:
        if self.killed_at is None and self.process.poll() is None:
            self.killed_at = time.monotonic() - self.started
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)

    def kill_after(self, delay: float) -> None:
        deadline = self.started + delay
        while self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(min(0.005, max(0.0, deadline - time.monotonic())))
        with self.lock:
            self._kill()

    def finish(self, timeout: float) -> Outcome:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with self.lock:
                self._kill()
            self.process.wait()
            self.tail.append(f"(killed: still running after {timeout:.0f} s)")
        duration = time.monotonic() - self.started
        self.reader.join(timeout=10)
        with self.lock:
            last = None
            if self.killed_at is not None:
                before = [event for event in self.events if event.seconds <= self.killed_at]
                last = before[-1] if before else None
            elif self.events:
                last = self.events[-1]
            self.stdout.seek(0)
            out = self.stdout.read().decode("utf-8", "replace").strip().splitlines()[-2:]
            return Outcome(
                self.process.returncode,
                self.killed_at,
                duration,
                last,
                list(self.events),
                self.trigger_fired,
                " / ".join(self.tail[-3:] + out),
            )


def run_to_end(argv: list[str], env: dict[str, str], kind: str, timeout: float) -> Outcome:
    outcome = Command(argv, env, kind=kind).finish(timeout)
    if outcome.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed (exit {outcome.returncode}): {outcome.tail}")
    return outcome


def sdg87_env(engine: Engine, db: str, *, crash_settings: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=engine.url(db),
        LIBRARY_LOAD_CORPUS="false",
        PATHFINDER_EXAMPLES="false",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if crash_settings:  # loopback harvests; collectstatic into a temporary directory
        env["DJANGO_SETTINGS_MODULE"] = "tests.crash.settings"
    return env


def prepare_template(engine: Engine, db: str) -> float:
    started = time.monotonic()
    engine.create(db)
    env = sdg87_env(engine, db, crash_settings=True)
    for argv in ([str(SDG87), "setup", "--no-data"], [str(SDG87), "load-data"]):
        completed = subprocess.run(
            argv, env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[1:])} failed: {completed.stderr.strip()[-500:]}")
    return time.monotonic() - started


# --- the OAI-PMH test repository ------------------------------------------------------------------


def oai_title(number: int) -> str:
    topics = ("forced labour", "child labour", "human trafficking", "modern slavery")
    return f"Crash test report {number}: {topics[number % 4]} in supply chains"


def oai_record(number: int) -> str:
    countries = ("Kenya", "Peru", "India", "Kyrgyzstan", "Brazil")
    elements = [
        ("title", oai_title(number)),
        ("description", f"Findings of study {number} on {oai_title(number).split(': ')[1]}."),
        ("language", "en"),
        ("type", "report"),
        ("date", str(2010 + number % 15)),
        ("coverage", countries[number % 5]),
        ("subject", "child labour" if number % 2 else "forced labour"),
        ("identifier", f"https://repository.example.org/records/{number}"),
        ("publisher", "Crash Test Institute"),
    ]
    fields = "".join(f"<dc:{name}>{value}</dc:{name}>" for name, value in elements)
    return (
        f"<record><header><identifier>{OAI_ID.format(number)}</identifier>"
        "<datestamp>2024-05-01T00:00:00Z</datestamp></header><metadata>"
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/">{fields}</oai_dc:dc></metadata></record>'
    )


def oai_document(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        f"<responseDate>{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}</responseDate>"
        f'<request verb="ListRecords">http://127.0.0.1/oai</request>{body}</OAI-PMH>'
    ).encode()


class OaiRepository:
    """2,000 records over 20 pages; ``delay`` seconds before each ListRecords answer."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.pages = HARVEST_RECORDS // HARVEST_PAGE
        repository = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = {
                    key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()
                }
                body = repository.answer(query)
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/oai"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, query: dict[str, str]) -> bytes:
        verb = query.get("verb")
        if verb == "Identify":
            return oai_document(
                "<Identify><repositoryName>Crash test</repositoryName>"
                f"<baseURL>{self.url}</baseURL><protocolVersion>2.0</protocolVersion>"
                "<adminEmail>crash@example.org</adminEmail>"
                "<earliestDatestamp>2024-01-01T00:00:00Z</earliestDatestamp>"
                "<deletedRecord>no</deletedRecord>"
                "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>"
            )
        if verb != "ListRecords":
            return oai_document('<error code="badVerb">unsupported</error>')
        token = query.get("resumptionToken", "")
        if token:
            if not re.fullmatch(r"p\d+", token) or not 0 < int(token[1:]) < self.pages:
                return oai_document('<error code="badResumptionToken">unknown</error>')
            page = int(token[1:])
        else:
            if query.get("from", "") > "2024-05-01T00:00:00Z":
                return oai_document('<error code="noRecordsMatch">none</error>')
            page = 0
        time.sleep(self.delay)
        first = page * HARVEST_PAGE + 1
        records = "".join(oai_record(number) for number in range(first, first + HARVEST_PAGE))
        following = f"p{page + 1}" if page + 1 < self.pages else ""
        resumption = (
            f'<resumptionToken completeListSize="{HARVEST_RECORDS}" '
            f'cursor="{page * HARVEST_PAGE}">{following}</resumptionToken>'
        )
        return oai_document(f"<ListRecords>{records}{resumption}</ListRecords>")


# --- the import test ------------------------------------------------------------------------------


@dataclass
class Point:
    number: int
    plan: str
    killed_at: float | None
    phase: str
    verdict: str
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reader: int = 0  # how many times the concurrent reader polled during the run

    @property
    def ok(self) -> bool:
        return not self.problems


PHASES = ("reading", "checking", "comparing", "writing", "updating")


def reached(phase: str, share: float) -> Callable[[Event], bool]:
    """True from the first progress event at or past ``share`` of ``phase`` (a later phase
    counts: a small file may report a phase only once)."""

    def trigger(event: Event) -> bool:
        if event.phase not in PHASES:
            return False
        rank, wanted = PHASES.index(event.phase), PHASES.index(phase)
        return rank > wanted or (rank == wanted and event.done >= share * event.total)

    return trigger


IMPORT_TRIGGERS: list[tuple[str, Callable[[Event], bool]]] = [
    ("writing half", reached("writing", 0.5)),
    ("comparing", reached("comparing", 0)),
    ("commit window", lambda e: False),  # handled apart: a delay after "updating"
    ("updating", reached("updating", 0)),
    ("writing start", reached("writing", 0)),
    ("writing end", reached("writing", 1)),
    ("checking", reached("checking", 0)),
    ("reading half", reached("reading", 0.5)),
]


def import_schedule(points: int, generator: random.Random) -> list[str]:
    triggered = min(len(IMPORT_TRIGGERS), round(points * 0.4))
    plans = [name for name, _ in IMPORT_TRIGGERS[:triggered]] + ["random"] * (points - triggered)
    generator.shuffle(plans)
    return plans


def test_import(engine: Engine, template: str, rows: int, points: int, seed: int) -> dict:
    generator = random.Random(seed)
    result: dict[str, Any] = {"points": []}
    with tempfile.TemporaryDirectory(prefix="sdg87-crash-") as tmp:
        started = time.monotonic()
        main_file, seed_file = write_files(Path(tmp), rows, seed)
        result["generate_seconds"] = time.monotonic() - started
        argv = [str(SDG87), "import-observations", str(main_file), "--format", "csv"]

        engine.clone(template, "before")
        run_to_end(
            [str(SDG87), "import-observations", str(seed_file), "--format", "csv"],
            sdg87_env(engine, "before"),
            "import",
            600,
        )
        before = import_state(engine, "before")
        engine.clone("before", "reference")
        log(f"{engine.name}: reference import of {rows:,} rows")
        reference = run_to_end(argv, sdg87_env(engine, "reference"), "import", 1800)
        after = import_state(engine, "reference")
        duration = reference.duration
        result.update(before=before, after=after, duration=duration)
        result["phases"] = first_seen(reference.events)
        updating = next((e.seconds for e in reference.events if e.phase == "updating"), None)
        expected = {
            "before": (before.observations, before.batches, before.revisions),
            "after": (after.observations, after.batches, after.revisions),
        }
        seeded = -(-rows // 10)
        if (
            after.observations - before.observations != rows - seeded
            or after.revisions - before.revisions != seeded
            or after.batches != before.batches + 1
        ):
            raise RuntimeError(f"the reference import did not give the expected state: {after}")
        result["reference_integrity"] = engine.integrity("reference")

        engine.clone("before", "work")
        dirty = False
        for number, plan in enumerate(import_schedule(points, generator), start=1):
            if dirty:
                engine.clone("before", "work")
                dirty = False
            point_started = time.monotonic()
            trigger = dict(IMPORT_TRIGGERS).get(plan) if plan not in ("random",) else None
            delay = None
            if plan == "random":
                delay = generator.uniform(0, duration)
            elif plan == "commit window":
                window = duration - (updating or duration)
                offset = generator.uniform(0, max(window, 0.0))
                seen_update: dict[str, float] = {}

                def trigger(event: Event, _seen: dict = seen_update) -> bool:
                    if event.phase == "updating":
                        _seen["at"] = event.seconds
                    return False

                plan = f"commit window (+{offset:.2f} s after updating)"
            with Monitor(engine, "work") as monitor:
                command = Command(argv, sdg87_env(engine, "work"), kind="import", trigger=trigger)
                if delay is not None:
                    command.kill_after(delay)
                elif plan.startswith("commit window"):
                    while command.process.poll() is None and "at" not in seen_update:
                        time.sleep(0.002)
                    if "at" in seen_update:
                        command.kill_after(seen_update["at"] + offset)
                outcome = command.finish(timeout=duration * 10 + 60)
            engine.wait_idle("work")
            state = import_state(engine, "work")
            problems = engine.integrity("work")
            if state == before:
                verdict = "before (rolled back)"
            elif state == after:
                verdict = "after (committed)"
                dirty = True
            else:
                verdict = "PARTIAL"
                problems.append(f"visible state is neither before nor after: {state.short()}")
            if outcome.killed_at is None:
                if outcome.returncode != 0:
                    problems.append(f"exit {outcome.returncode} without a kill: {outcome.tail}")
                verdict += ", finished before the kill"
            elif outcome.returncode != -signal.SIGKILL:
                problems.append(f"exit {outcome.returncode} after the kill: {outcome.tail}")
            odd = [
                seen for seen in monitor.seen if seen not in (expected["before"], expected["after"])
            ]
            if odd:
                problems.append(f"a concurrent reader saw (obs, batches, revisions) = {odd[:3]}")
            if monitor.errors:
                problems.append(f"the concurrent reader failed: {monitor.errors[0]}")
            label = plan if delay is None else f"random {delay:.2f} s"
            phase = phase_label(outcome)
            point = Point(number, label, outcome.killed_at, phase, verdict, problems)
            point.seconds = time.monotonic() - point_started
            point.reader = sum(monitor.seen.values())
            result["points"].append(point)
            log(
                f"{engine.name} import point {number}: {label}, killed at "
                f"{fmt_seconds(outcome.killed_at)} in {phase}: {verdict}"
                + (f" — VIOLATION: {problems}" if problems else "")
            )

        log(f"{engine.name}: the import to the end on the killed database")
        final = run_to_end(argv, sdg87_env(engine, "work"), "import", 1800)
        state = import_state(engine, "work")
        final_problems = engine.integrity("work")
        if dirty:
            # the last point committed: this run found every row unchanged (one more batch)
            wanted = (after.observations, after.digest, after.batches + 1, after.revisions)
        else:
            wanted = (after.observations, after.digest, after.batches, after.revisions)
        got = (state.observations, state.digest, state.batches, state.revisions)
        if got != wanted:
            final_problems.append(f"re-run state {state.short()} differs from {wanted}")
        result.update(
            final=state, final_seconds=final.duration, final_problems=final_problems, rerun_on=dirty
        )
        for db in ("before", "reference", "work"):
            engine.drop(db)
    result["integrity_label"] = engine.integrity_label()
    return result


def first_seen(events: list[Event]) -> dict[str, float]:
    seen: dict[str, float] = {}
    for event in events:
        seen.setdefault(event.phase, event.seconds)
    return seen


def phase_label(outcome: Outcome) -> str:
    if outcome.killed_at is None:
        return "—"
    if outcome.last_event is None:
        return "start-up (no progress yet)"
    return outcome.last_event.label()


def fmt_seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


# --- the harvest test -----------------------------------------------------------------------------


def test_harvest(engine: Engine, template: str, points: int, seed: int, delay: float) -> dict:
    generator = random.Random(seed + 1)
    repository = OaiRepository(delay)
    url, source = repository.url, f"oai:{repository.url}"
    argv = [str(SDG87), "harvest", url, "--protocol", "oai-pmh"]
    result: dict[str, Any] = {"points": [], "url": url, "delay": delay}
    pages = repository.pages

    engine.clone(template, "h_reference")
    log(f"{engine.name}: reference harvest of {HARVEST_RECORDS} records")
    reference = run_to_end(
        argv, sdg87_env(engine, "h_reference", crash_settings=True), "harvest", 900
    )
    expected = {row[0]: row for row in harvest_records(engine, "h_reference", source)}
    order = [OAI_ID.format(number) for number in range(1, HARVEST_RECORDS + 1)]
    state = harvest_row(engine, "h_reference", url)
    if len(expected) != HARVEST_RECORDS or not state or state[0] != HARVEST_RECORDS:
        raise RuntimeError(f"the reference harvest did not give 2,000 records: {state}")
    result["reference_integrity"] = engine.integrity("h_reference")
    page_times = [event.seconds for event in reference.events if event.phase == "page"]
    first_page = page_times[0]
    per_page = (page_times[-1] - page_times[0]) / max(len(page_times) - 1, 1)
    tail = reference.duration - page_times[-1]
    result.update(
        duration=reference.duration, first_page=first_page, per_page=per_page, pages=pages
    )

    engine.clone(template, "h_work")
    committed = 0
    finished_runs = 0
    for number in range(1, points + 1):
        if committed == pages:
            engine.clone(template, "h_work")
            committed = 0
        point_started = time.monotonic()
        remaining = pages - committed
        trigger = None
        kill_delay: float | None = None
        if generator.random() < 0.25 and remaining > 1:
            after_pages = generator.randint(1, remaining - 1)
            label = f"right after page commit {after_pages} of this run"

            def trigger(event: Event, _wanted: int = after_pages) -> bool:
                return event.phase == "page" and event.done >= _wanted
        else:
            estimate = first_page + (remaining - 1) * per_page + tail
            kill_delay = generator.uniform(0, estimate)
            label = f"random {kill_delay:.2f} s (of ~{estimate:.1f} s)"
        command = Command(
            argv, sdg87_env(engine, "h_work", crash_settings=True), kind="harvest", trigger=trigger
        )
        if kill_delay is not None:
            command.kill_after(kill_delay)
        outcome = command.finish(timeout=reference.duration * 10 + 60)
        engine.wait_idle("h_work")
        problems = engine.integrity("h_work")
        records = harvest_records(engine, "h_work", source)
        ids = [row[0] for row in records]
        visible = len(ids)
        if len(set(ids)) != visible:
            problems.append("duplicate records")
        whole_pages, extra = divmod(visible, HARVEST_PAGE)
        if extra:
            problems.append(f"{visible} records visible: not whole pages of {HARVEST_PAGE}")
        if ids != order[:visible]:
            problems.append("the visible records are not the first pages")
        broken = [row for row in records if expected.get(row[0]) != row]
        if broken:
            problems.append(f"{len(broken)} records differ from the reference, e.g. {broken[0]}")
        row = harvest_row(engine, "h_work", url)
        if whole_pages == 0:
            if row is not None and row[0] != 0:
                problems.append(f"no record visible, but the harvest row says {row}")
        elif row is None:
            problems.append("records visible but no harvest row")
        else:
            if row[0] != visible:
                problems.append(f"harvest row: {row[0]} records seen, {visible} visible")
            if whole_pages < pages:
                token = json.loads(row[1]).get("token") if row[1] else ""
                if token != f"p{whole_pages}" or row[3]:
                    problems.append(f"harvest row not at page {whole_pages}: {row}")
            elif row[1] or not row[3] or not row[2]:
                problems.append(f"harvest finished but its row is {row}")
        run_pages = whole_pages - committed
        if outcome.killed_at is None:
            verdict = f"finished ({run_pages} pages this run)"
            if outcome.returncode != 0:
                problems.append(f"exit {outcome.returncode} without a kill: {outcome.tail}")
            if whole_pages != pages:
                problems.append(f"finished with {whole_pages} pages only")
            finished_runs += 1
        else:
            verdict = f"{whole_pages}/{pages} pages kept (+{run_pages} this run)"
            if whole_pages == pages:
                verdict += ", the harvest had finished before the kill"
                finished_runs += 1
            if outcome.returncode != -signal.SIGKILL:
                problems.append(f"exit {outcome.returncode} after the kill: {outcome.tail}")
        if run_pages < 0:
            problems.append("pages committed earlier disappeared")
        committed = whole_pages
        phase = (
            "—"
            if outcome.killed_at is None
            else (
                f"after page {outcome.last_event.done} of this run"
                if outcome.last_event
                else "before the first page commit"
            )
        )
        point = Point(number, label, outcome.killed_at, phase, verdict, problems)
        point.seconds = time.monotonic() - point_started
        result["points"].append(point)
        log(
            f"{engine.name} harvest point {number}: {label}, killed at "
            f"{fmt_seconds(outcome.killed_at)} ({phase}): {verdict}"
            + (f" — VIOLATION: {problems}" if problems else "")
        )

    log(f"{engine.name}: the harvest to the end on the killed database")
    final = run_to_end(argv, sdg87_env(engine, "h_work", crash_settings=True), "harvest", 900)
    records = harvest_records(engine, "h_work", source)
    final_problems = engine.integrity("h_work")
    if records != list(expected.values()):
        final_problems.append(
            f"re-run ends with {len(records)} records, not the reference's {len(expected)}"
        )
    row = harvest_row(engine, "h_work", url)
    if not row or row[0] != HARVEST_RECORDS or row[1] or not row[3]:
        final_problems.append(f"harvest row after the re-run: {row}")
    result.update(
        final_records=len(records),
        final_seconds=final.duration,
        final_problems=final_problems,
        finished_runs=finished_runs,
        final_pages_left=pages - committed if committed < pages else 0,
    )
    repository.server.shutdown()
    for db in ("h_reference", "h_work"):
        engine.drop(db)
    result["integrity_label"] = engine.integrity_label()
    return result


# --- the report -----------------------------------------------------------------------------------


def count_violations(section: dict) -> int:
    total = 0
    for part in ("import", "harvest"):
        data = section.get(part)
        if not data:
            continue
        total += sum(1 for point in data["points"] if not point.ok)
        total += bool(data.get("final_problems")) + bool(data.get("reference_integrity"))
    return total + bool(section.get("error"))


def engine_section(section: dict, args: argparse.Namespace) -> str:
    name = section["engine"]
    lines = [f"<!-- engine:{name} -->", f"## {name}", ""]
    if "error" in section:
        lines += [f"**Failed to run:** {section['error']}", "", f"<!-- /engine:{name} -->"]
        return "\n".join(lines)
    violations = count_violations(section)
    lines += [
        f"Run {section['date']} UTC: `{section['command']}`",
        "",
        f"- machine: {section['machine']}",
        f"- database: {section['version']}",
        f"- seed {args.seed}; fresh database (`sdg87 setup --no-data` + `sdg87 load-data`, "
        f"no corpus, no examples) in {section['template_seconds']:.1f} s; "
        f"whole run {section['seconds']:.0f} s",
        f"- **verdict: {'PASS' if not violations else f'FAIL ({violations} violations)'}**",
        "",
    ]
    data = section.get("import")
    if data:
        before, after = data["before"], data["after"]
        phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in data["phases"].items())
        points = data["points"]
        rolled = sum(point.verdict.startswith("before") for point in points)
        committed = sum(point.verdict.startswith("after") for point in points)
        lines += [
            f"### Observation import ({args.rows:,} rows, {len(points)} kills)",
            "",
            f"- before: {before.short()} (the seed import: every tenth row, other values)",
            f"- after (reference, one uninterrupted import): {after.short()} — "
            f"{after.observations - before.observations:,} created, "
            f"{after.revisions - before.revisions:,} updated",
            f"- uninterrupted import: **{data['duration']:.2f} s** (process start to exit); "
            f"phases first seen at: {phases}",
            f"- integrity checks after every point: {data['integrity_label']}",
            "",
            "| # | kill plan | killed at | last progress seen | visible state | reader polls "
            "| verdict |",
            "|---:|---|---:|---|---|---:|---|",
        ]
        for point in points:
            verdict = "ok" if point.ok else "**VIOLATION**: " + "; ".join(point.problems)
            lines.append(
                f"| {point.number} | {point.plan} | {fmt_seconds(point.killed_at)} | "
                f"{point.phase} | {point.verdict} | {point.reader} | {verdict} |"
            )
        final_problems = data["final_problems"]
        lines += [
            "",
            f"Totals: {len(points)} kills, {rolled} rolled back, {committed} committed before "
            f"the kill, {sum(not p.ok for p in points)} violations; no point showed a partial "
            "import" * (not any(p.verdict == "PARTIAL" for p in points)) + ".",
            "",
            f"Re-run to the end on the killed database ({data['final_seconds']:.2f} s): "
            f"{data['final'].short()} — "
            + (
                "identical to the reference"
                if not final_problems
                else "**VIOLATION**: " + "; ".join(final_problems)
            )
            + (
                " (the last point had committed: the re-run found every row unchanged)"
                if data["rerun_on"]
                else ""
            )
            + ".",
            "",
        ]
    data = section.get("harvest")
    if data:
        points = data["points"]
        lines += [
            f"### OAI-PMH harvest ({HARVEST_RECORDS:,} records, {data['pages']} pages, "
            f"{len(points)} kills)",
            "",
            f"- local repository {data['url']}, {data['delay']:.2f} s delay per page; "
            f"uninterrupted harvest **{data['duration']:.2f} s** (first page committed at "
            f"{data['first_page']:.2f} s, then {data['per_page']:.2f} s per page)",
            "- the harvester commits each page with the Harvest row (resumption token, records "
            "seen) in one transaction: a killed run keeps its whole committed pages and the "
            "next run resumes after them",
            f"- integrity checks after every point: {data['integrity_label']}",
            "",
            "| # | kill plan | killed at | progress seen | visible after the kill | verdict |",
            "|---:|---|---:|---|---|---|",
        ]
        for point in points:
            verdict = "ok" if point.ok else "**VIOLATION**: " + "; ".join(point.problems)
            lines.append(
                f"| {point.number} | {point.plan} | {fmt_seconds(point.killed_at)} | "
                f"{point.phase} | {point.verdict} | {verdict} |"
            )
        final_problems = data["final_problems"]
        lines += [
            "",
            f"Totals: {len(points)} points, {sum(p.killed_at is not None for p in points)} "
            f"killed, {data['finished_runs']} runs finished the harvest before the kill (the "
            f"library is then reset to empty), {sum(not p.ok for p in points)} violations.",
            "",
            f"Re-run to the end on the killed database ({data['final_seconds']:.2f} s, "
            + (
                f"resuming with {data['final_pages_left']} of {data['pages']} pages left"
                if data["final_pages_left"]
                else "an incremental run: the last point had finished the harvest"
            )
            + f"): {data['final_records']:,} records — "
            + (
                "identical to the reference harvest (same ids, titles and facts, no duplicates, "
                "every record indexed, harvest finished)"
                if not final_problems
                else "**VIOLATION**: " + "; ".join(final_problems)
            )
            + ".",
            "",
        ]
    lines.append(f"<!-- /engine:{name} -->")
    return "\n".join(lines)


HEADER = """# Crash safety: kill -9 during imports and harvests

Generated by `scripts/crash_test.py` (see its docstring for what is checked). Each point starts
`sdg87 import-observations FILE --format csv` or `sdg87 harvest URL --protocol oai-pmh` and sends
it SIGKILL at a random moment or at a phase of its progress, then checks what another connection
sees and the database's integrity. *Killed at* is measured from the process start (Python and
Django start-up included).
"""


def write_report(path: Path, sections: list[tuple[str, str]]) -> str:
    kept: dict[str, str] = {}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"<!-- engine:(\w+) -->.*?<!-- /engine:\1 -->", text, flags=re.DOTALL
        ):
            kept[match[1]] = match[0]
    for name, section in sections:
        kept[name] = section
    ordered = [kept[name] for name in ("sqlite", "postgresql") if name in kept]
    text = HEADER + "\n" + "\n\n".join(ordered) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


# --- main -----------------------------------------------------------------------------------------


def machine() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} CPU, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average {load}"
    )


def run_engine(name: str, args: argparse.Namespace, command: str) -> dict:
    started = time.monotonic()
    section: dict[str, Any] = {
        "engine": name,
        "command": command,
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "machine": machine(),
    }
    with tempfile.TemporaryDirectory(prefix="sdg87-crash-db-") as directory:
        if name == "sqlite":
            engine: Engine = SqliteEngine(Path(directory))
        else:
            engine = PostgresEngine(os.environ["DATABASE_URL"], prefix="crash")
        try:
            section["version"] = engine.version()
            log(f"{name}: preparing a fresh database (setup --no-data, load-data)")
            section["template_seconds"] = prepare_template(engine, "template")
            if args.part in ("import", "both"):
                section["import"] = test_import(
                    engine, "template", args.rows, args.points, args.seed
                )
            if args.part in ("harvest", "both"):
                section["harvest"] = test_harvest(
                    engine, "template", args.points, args.seed, args.page_delay
                )
        except Exception as error:
            log(f"{name}: failed: {error!r}")
            section["error"] = f"{type(error).__name__}: {error}"
        finally:
            with contextlib.suppress(Exception):
                engine.drop("template")
    section["seconds"] = time.monotonic() - started
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=20, help="kills per test (default 20)")
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the import file")
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--part", choices=("import", "harvest", "both"), default="both")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=87)
    parser.add_argument(
        "--page-delay", type=float, default=0.05, help="seconds before each OAI-PMH page"
    )
    args = parser.parse_args(argv)
    raw = argv if argv is not None else sys.argv[1:]
    command = "python scripts/crash_test.py " + " ".join(shlex.quote(item) for item in raw)
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    url = os.environ.get("DATABASE_URL", "")
    if "postgresql" in engines and not url.startswith(("postgres://", "postgresql://")):
        log("no PostgreSQL DATABASE_URL: re-running under scripts/with-postgres.sh")
        return subprocess.call(
            ["bash", str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, __file__, *raw],
            cwd=ROOT,
        )
    args.out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    sections = [run_engine(name, args, command) for name in engines]
    text = write_report(args.out, [(s["engine"], engine_section(s, args)) for s in sections])
    print(text)
    violations = sum(count_violations(section) for section in sections)
    log(f"report written to {args.out}: {violations} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
