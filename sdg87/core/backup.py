"""``sdg87 backup FILE`` and ``sdg87 restore FILE``: the whole database, online.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies a consistent
  snapshot while the platform keeps serving; the file is written next to its destination and
  renamed into place, so a failed backup never leaves half a file. Restore checks the file
  first (a SQLite database, ``PRAGMA integrity_check`` clean, a Django migration table, no
  migration this code does not know) and then copies it over the live database in one step
  of the backup API, which holds the write lock for the whole copy.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
  --single-transaction`` (all or nothing), with the connection settings of ``DATABASE_URL``.
  Restore first checks the archive with ``pg_restore --list``.

A backup of one engine cannot be restored into the other: the file's first bytes say which it
is, and a mismatch is refused with a clear message before anything is written. After a
restore, migrations run, so a backup made by an older version of the platform is brought up
to date.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, connections

from sdg87.core.errors import DomainError, InvalidInput

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupFailed(DomainError):
    code = "backup_failed"
    exit_code = 1


@dataclass(frozen=True)
class BackupResult:
    file: str
    engine: str
    bytes: int
    tables: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "engine": self.engine,
            "bytes": self.bytes,
            "tables": self.tables,
        }


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupFailed(f"backups are not supported on {vendor}")
    return vendor


def backup(path: str | os.PathLike[str]) -> BackupResult:
    target = Path(path).expanduser().resolve()
    if target.is_dir():
        raise InvalidInput(
            f"{target}: is a directory; give a file name", details={"file": str(target)}
        )
    if not target.parent.is_dir():
        raise InvalidInput(f"{target.parent}: no such directory", details={"file": str(target)})
    engine = _engine()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        if engine == "sqlite":
            tables = _sqlite_backup(Path(temporary))
        else:
            tables = None
            _pg_dump(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BackupResult(str(target), engine, target.stat().st_size, tables)


def _sqlite_backup(temporary: Path) -> int:
    connection.ensure_connection()
    source = connection.connection
    destination = sqlite3.connect(temporary)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")
        (tables,) = destination.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()
    finally:
        destination.close()
    return int(tables)


def restore(path: str | os.PathLike[str]) -> BackupResult:
    source = Path(path).expanduser().resolve()
    if not source.is_file():
        raise InvalidInput(f"{source}: no such file", details={"file": str(source)})
    with source.open("rb") as handle:
        head = handle.read(16)
    engine = _engine()
    if head.startswith(SQLITE_MAGIC):
        kind = "sqlite"
    elif head.startswith(PGDUMP_MAGIC):
        kind = "postgresql"
    else:
        raise InvalidInput(
            f"{source}: not an sdg87 backup (neither a SQLite database nor a pg_dump archive)",
            details={"file": str(source)},
        )
    if kind != engine:
        raise InvalidInput(
            f"{source}: a {kind} backup cannot be restored into a {engine} database",
            details={"file": str(source), "backup": kind, "database": engine},
        )
    if engine == "sqlite":
        tables = _sqlite_restore(source)
    else:
        tables = None
        _pg_restore(source)
    _migrate()
    return BackupResult(str(source), engine, source.stat().st_size, tables)


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _sqlite_restore(source: Path) -> int:
    try:
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInput(
            f"{source}: cannot be opened ({exc})", details={"file": str(source)}
        ) from None
    try:
        try:
            (verdict,) = backup_db.execute("PRAGMA integrity_check").fetchone()
            applied = set(backup_db.execute("SELECT app, name FROM django_migrations").fetchall())
            (tables,) = backup_db.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise InvalidInput(
                f"{source}: not a usable sdg87 database ({exc})", details={"file": str(source)}
            ) from None
        if verdict != "ok":
            raise InvalidInput(
                f"{source}: the database is damaged (integrity_check: {verdict})",
                details={"file": str(source)},
            )
        unknown = sorted(applied - _known_migrations())
        if unknown:
            raise InvalidInput(
                f"{source}: made by a newer version of sdg87 (unknown migrations, e.g. "
                f"{unknown[0][0]}.{unknown[0][1]}); upgrade first",
                details={"file": str(source), "unknown_migrations": len(unknown)},
            )
        connection.ensure_connection()
        backup_db.backup(connection.connection)
    finally:
        backup_db.close()
    return int(tables)


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    arguments = []
    if settings.get("HOST"):
        arguments += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", str(settings["USER"])]
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    arguments += ["--dbname", str(settings["NAME"])]
    return arguments, environment


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"{name} is not installed: install the PostgreSQL client (Debian: postgresql-client)"
        )
    return found


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from our settings
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupFailed(f"{what} failed: {lines[-1] if lines else result.returncode}")


def _pg_dump(temporary: Path) -> None:
    arguments, environment = _pg_environment()
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(temporary), *arguments],
        environment,
        "pg_dump",
    )


def _pg_restore(source: Path) -> None:
    listing = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--list", str(source)], capture_output=True, check=False
    )
    if listing.returncode != 0:
        raise InvalidInput(
            f"{source}: not a readable pg_dump archive", details={"file": str(source)}
        )
    arguments, environment = _pg_environment()
    for alias in connections:
        connections[alias].close()
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            str(source),
        ],
        environment,
        "pg_restore",
    )


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
