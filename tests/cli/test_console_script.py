"""The ``sdg87`` console script through real subprocesses: exit codes and what an operator reads.

Contract (docs/cli.md): exit 0 on success, 2 on invalid input, 1 on any other failure, and a
failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
from pathlib import Path

import pytest

from sdg87.cli import COMMANDS


def assert_one_clear_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {stderr!r}"
    assert lines[0].startswith("sdg87: error: ")
    return lines[0]


def row_counts(sqlite_file: Path) -> dict[str, int]:
    with sqlite3.connect(sqlite_file) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def test_help_exits_0_and_lists_every_command(run_sdg87):
    result = run_sdg87("--help")

    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^ {4}([a-z][a-z-]*)\b", result.stdout, flags=re.MULTILINE))
    assert listed >= set(COMMANDS)


def test_unknown_database_scheme_is_one_line_and_exit_1(run_sdg87):
    result = run_sdg87("load-data", DATABASE_URL="mysql://user@localhost/sdg87")

    assert result.returncode == 1
    line = assert_one_clear_line(result.stderr)
    assert "DATABASE_URL" in line
    assert "mysql" in line


def test_setup_where_the_database_directory_cannot_be_created_is_one_line_and_exit_1(
    run_sdg87, tmp_path
):
    # Permissions do not stop root, so the directory is made impossible: its parent is a file.
    regular_file = tmp_path / "file.txt"
    regular_file.write_text("not a directory\n")
    database = regular_file / "db.sqlite3"

    result = run_sdg87("setup", DATABASE_URL=f"sqlite:///{database}")

    assert result.returncode == 1
    line = assert_one_clear_line(result.stderr)
    assert str(regular_file) in line
    assert regular_file.read_text() == "not a directory\n"


def test_setup_where_a_parent_of_the_database_directory_is_a_file_is_one_line_and_exit_1(
    run_sdg87, tmp_path
):
    regular_file = tmp_path / "file.txt"
    regular_file.write_text("")

    result = run_sdg87("setup", DATABASE_URL=f"sqlite:///{regular_file / 'deeper' / 'db.sqlite3'}")

    assert result.returncode == 1
    assert "not a directory" in assert_one_clear_line(result.stderr)


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="directory permissions do not stop root (the file-as-directory test covers root)",
)
def test_setup_in_a_read_only_directory_is_one_line_and_exit_1(run_sdg87, tmp_path):
    read_only = tmp_path / "read-only"
    read_only.mkdir(mode=0o555)
    try:
        result = run_sdg87("setup", DATABASE_URL=f"sqlite:///{read_only / 'db.sqlite3'}")
    finally:
        read_only.chmod(0o755)

    assert result.returncode == 1
    assert "not writable" in assert_one_clear_line(result.stderr)


@pytest.fixture
def busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        yield listener.getsockname()[1]


def test_serve_on_a_port_in_use_is_one_line_and_exit_1(run_sdg87, busy_port):
    result = run_sdg87("serve", "--host", "127.0.0.1", "--port", str(busy_port), timeout=60)

    assert result.returncode == 1
    assert f"port {busy_port}" in assert_one_clear_line(result.stderr)


def test_serve_reads_the_port_from_the_environment(run_sdg87, busy_port):
    result = run_sdg87("serve", timeout=60, HOST="127.0.0.1", PORT=str(busy_port))

    assert result.returncode == 1
    assert f"port {busy_port}" in assert_one_clear_line(result.stderr)


def test_serve_with_a_port_that_is_not_a_number_is_one_line_and_exit_1(run_sdg87):
    result = run_sdg87("serve", timeout=60, PORT="eighty")

    assert result.returncode == 1
    assert "PORT" in assert_one_clear_line(result.stderr)


def test_load_data_twice_is_idempotent(run_sdg87, tmp_path):
    migrate = run_sdg87("manage", "migrate", "--no-input", "-v", "0")
    assert migrate.returncode == 0, migrate.stderr

    first = run_sdg87("load-data", "--json")
    assert first.returncode == 0, first.stderr
    first_report = json.loads(first.stdout)
    counts_after_first = row_counts(tmp_path / "sdg87.sqlite3")

    second = run_sdg87("load-data", "--json")
    assert second.returncode == 0, second.stderr
    second_report = json.loads(second.stdout)

    assert first_report["created"] > 0, "the bundled data created nothing"
    assert second_report["created"] == 0
    assert second_report["updated"] == 0
    assert second_report["unchanged"] == first_report["created"] + first_report["unchanged"]
    assert row_counts(tmp_path / "sdg87.sqlite3") == counts_after_first


def test_load_data_on_a_database_that_is_not_set_up_says_to_run_setup(run_sdg87, tmp_path):
    result = run_sdg87("load-data")

    assert result.returncode == 1
    assert "sdg87 setup" in assert_one_clear_line(result.stderr)


def test_backup_then_restore_gives_back_identical_data(run_sdg87, tmp_path):
    database = tmp_path / "sdg87.sqlite3"
    assert run_sdg87("manage", "migrate", "--no-input", "-v", "0").returncode == 0
    loaded = run_sdg87("load-data", LIBRARY_LOAD_CORPUS="false")
    assert loaded.returncode == 0, loaded.stderr
    before = row_counts(database)
    backup_file = tmp_path / "backup.sqlite3"

    made = run_sdg87("backup", str(backup_file), "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["engine"] == "sqlite"
    removed = run_sdg87("remove-examples")
    assert removed.returncode == 0, removed.stderr
    assert row_counts(database) != before

    restored = run_sdg87("restore", str(backup_file))
    assert restored.returncode == 0, restored.stderr
    assert row_counts(database) == before


def test_restore_of_a_file_that_is_not_a_backup_is_exit_2_and_changes_nothing(run_sdg87, tmp_path):
    assert run_sdg87("manage", "migrate", "--no-input", "-v", "0").returncode == 0
    database = tmp_path / "sdg87.sqlite3"
    before = row_counts(database)
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n")

    result = run_sdg87("restore", str(junk))

    assert result.returncode == 2
    assert "not an sdg87 backup" in assert_one_clear_line(result.stderr)
    assert row_counts(database) == before
