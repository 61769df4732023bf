"""``sdg87 setup``: everything ``make run`` does before serving."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command

from sdg87 import loading
from sdg87.accounts.services import admin_create_initial
from sdg87.core.errors import DomainError
from sdg87.countries.selectors import country_count


class SetupError(DomainError):
    code = "setup_failed"


def check_writable_var() -> None:
    """The SQLite file, static files and uploads must have a writable home, checked before anything
    is written. The database comes first: when its place is wrong, nothing else is touched."""
    sqlite_path = settings.DATABASE_CHOICE.sqlite_path
    if sqlite_path is not None:
        hint = "set DATABASE_URL to a writable place"
        _ensure_writable_directory(sqlite_path.parent, "the database directory", hint)
        if sqlite_path.is_dir():
            raise SetupError(f"the database file {sqlite_path} is a directory: {hint}")
        if sqlite_path.exists() and not os.access(sqlite_path, os.W_OK):
            raise SetupError(f"the database file {sqlite_path} is not writable: {hint}")
    hint = "fix its permissions"
    for directory in sorted({Path(settings.STATIC_ROOT).parent, Path(settings.MEDIA_ROOT).parent}):
        _ensure_writable_directory(directory, "the directory for static files and uploads", hint)


def _ensure_writable_directory(directory: Path, what: str, hint: str) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise SetupError(
            f"cannot use {what} {directory}: it is a file, not a directory; {hint}"
        ) from None
    except NotADirectoryError:
        raise SetupError(
            f"cannot create {what} {directory}: part of that path is a file, "
            f"not a directory; {hint}"
        ) from None
    except OSError as exc:
        raise SetupError(f"cannot create {what} {directory}: {exc.strerror}; {hint}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise SetupError(f"{what} {directory} is not writable: {hint}")


def check_database_ready() -> None:
    """Refuse to work on a database whose tables are missing or out of date."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise SetupError(
            f"the database is not set up ({len(pending)} migrations not applied): "
            "run `sdg87 setup` first"
        )


def platform_setup(*, load_data: bool = True, out: IO[str]) -> dict[str, Any]:
    check_writable_var()
    out.write("Applying database migrations…\n")
    call_command("migrate", interactive=False, verbosity=0)
    out.write("Collecting static files…\n")
    call_command("collectstatic", interactive=False, verbosity=0)
    report: dict[str, Any] = {"data_loaded": False, "admin": None}
    if load_data and country_count() == 0:
        out.write("The database is empty: loading the bundled data…\n")
        report["data"] = loading.load_bundled_data(out=out)
        report["data_loaded"] = True
    admin = admin_create_initial()
    if admin is not None:
        username, password = admin
        report["admin"] = {"username": username}
        out.write(
            "\n  An administrator account was created:\n"
            f"    username: {username}\n    password: {password}\n"
            "  Keep this password: it is shown only once (reset it with "
            "`sdg87 manage changepassword`).\n\n"
        )
    return report
