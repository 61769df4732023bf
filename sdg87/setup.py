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
    """The SQLite file, static files and uploads live under ``var/``."""
    targets = [Path(settings.STATIC_ROOT).parent, Path(settings.MEDIA_ROOT).parent]
    sqlite_path = settings.DATABASE_CHOICE.sqlite_path
    if sqlite_path is not None:
        targets.append(sqlite_path.parent)
    for directory in targets:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SetupError(f"cannot create {directory}: {exc.strerror}") from None
        if not os.access(directory, os.W_OK):
            raise SetupError(f"{directory} is not writable: fix its permissions or set DATABASE_URL")


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
