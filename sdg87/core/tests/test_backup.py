"""Backup and restore round trips on the database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from sdg87.core import backup
from sdg87.core.errors import InvalidInput
from sdg87.countries.models import Country

pytestmark = pytest.mark.django_db(transaction=True)


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table, by table."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


@pytest.fixture
def some_rows():
    Country.objects.create(iso3="QAA", iso2="QA", numeric="901", name_en="Backupland")
    Country.objects.create(iso3="QAB", iso2="QB", numeric="902", name_en="Restoria")


def test_restore_gives_back_exactly_what_was_backed_up(some_rows, tmp_path):
    expected = fingerprint()
    result = backup.backup(tmp_path / "platform.backup")
    Country.objects.filter(iso3="QAA").delete()
    Country.objects.create(iso3="QAC", iso2="QC", numeric="903", name_en="Changed")

    backup.restore(result.file)

    assert fingerprint() == expected
    assert result.engine == connection.vendor


def test_a_file_that_is_not_a_backup_is_refused_before_anything_changes(some_rows, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"hello, this is not a database")
    expected = fingerprint()

    with pytest.raises(InvalidInput, match="not an sdg87 backup"):
        backup.restore(junk)

    assert fingerprint() == expected


def test_a_backup_of_the_other_engine_is_refused(some_rows, tmp_path):
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(backup.PGDUMP_MAGIC + b"\x01\x0e\x00" * 10)
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()

    with pytest.raises(InvalidInput, match="cannot be restored into"):
        backup.restore(other)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        backup.restore(tmp_path / "nowhere.backup")


def test_a_backup_into_a_missing_directory_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="no such directory"):
        backup.backup(tmp_path / "missing" / "file.backup")


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_damaged_sqlite_backup_is_refused(some_rows, tmp_path):
    result = backup.backup(tmp_path / "platform.backup")
    data = bytearray(Path(result.file).read_bytes())
    page = 4096
    data[page * 2 : page * 3] = b"\xff" * page
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(bytes(data))
    expected = fingerprint()

    with pytest.raises(InvalidInput):
        backup.restore(damaged)

    assert fingerprint() == expected


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_backup_from_a_newer_version_is_refused(some_rows, tmp_path):
    result = backup.backup(tmp_path / "platform.backup")
    with sqlite3.connect(result.file) as newer:
        newer.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('countries', '9999_from_the_future', '2030-01-01')"
        )

    with pytest.raises(InvalidInput, match="newer version"):
        backup.restore(result.file)
