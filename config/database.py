"""The ``DATABASES`` entries: ``default`` from ``DATABASE_URL``, ``replica`` from
``DATABASE_REPLICA_URL`` (a PostgreSQL streaming replica, see ``sdg87.core.db_routing``)."""

from __future__ import annotations

from typing import Any

from config.env import ConfigurationError, DatabaseChoice

REPLICA_ALIAS = "replica"

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
            # Persistent connections (one per server thread) spare each request opening the
            # file and running the PRAGMAs below (about 3.5 ms of CPU; benchmarks/load.md).
            "CONN_MAX_AGE": conn_max_age if choice.sqlite_path else 0,
            "CONN_HEALTH_CHECKS": True,
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


def replica_database_settings(
    default: dict[str, Any], choice: DatabaseChoice, *, conn_max_age: int = 60
) -> dict[str, Any]:
    """The ``replica`` entry: a read-only copy of ``default`` (same engine options).

    In tests it is a mirror of ``default`` (no second test database is created, and both
    aliases reach the same one), so the suite runs unchanged with a replica configured.
    """
    if default["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigurationError(
            "DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL: a replica streams from a "
            "PostgreSQL primary"
        )
    replica = database_settings(choice, conn_max_age=conn_max_age)
    replica["OPTIONS"] = {**default.get("OPTIONS", {}), **replica.get("OPTIONS", {})}
    for key in ("CONN_HEALTH_CHECKS", "DISABLE_SERVER_SIDE_CURSORS"):
        if key in default:
            replica.setdefault(key, default[key])
    replica["TEST"] = {"MIRROR": "default"}
    return replica
