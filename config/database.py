"""The ``DATABASES['default']`` entry for a parsed ``DATABASE_URL``."""

from __future__ import annotations

from typing import Any

from config.env import DatabaseChoice

# Applied on every new SQLite connection: write-ahead logging (readers never block the
# writer), foreign keys enforced, a busy timeout instead of immediate "database is locked".
SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
    "PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL;"
)


def database_settings(choice: DatabaseChoice, *, conn_max_age: int = 60) -> dict[str, Any]:
    if choice.vendor == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(choice.sqlite_path) if choice.sqlite_path else ":memory:",
            "OPTIONS": {
                # IMMEDIATE transactions take the write lock at BEGIN, so two writers wait
                # for each other (busy timeout) instead of failing on a lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": SQLITE_INIT_COMMAND,
            },
        }
    import dj_database_url

    return dict(dj_database_url.parse(choice.url, conn_max_age=conn_max_age))
