"""The one module that reads the process environment.

Every setting that can differ between machines is read here, validated, and
handed to ``config.settings`` as a plain value. Errors are raised as
:class:`ConfigurationError` with a one-line message, so that the console
script can print it without a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

DEFAULT_DATABASE_URL = "sqlite:///var/sdg87.sqlite3"
SUPPORTED_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")
DEFAULT_SETTINGS_MODULE = "config.settings.base"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_REPLICA_PIN_SECONDS = 5


class ConfigurationError(Exception):
    """A setting from the environment is missing or invalid."""


def get(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def get_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def get_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number") from None


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class DatabaseChoice:
    url: str
    vendor: str  # "sqlite" or "postgresql"
    sqlite_path: Path | None


def database_choice(url: str | None = None) -> DatabaseChoice:
    """Parse ``DATABASE_URL``; relative SQLite paths are relative to the repository."""
    raw = url if url is not None else (os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    scheme = urlsplit(raw).scheme.lower()
    if scheme not in SUPPORTED_SCHEMES:
        shown = scheme or "(none)"
        raise ConfigurationError(
            f"DATABASE_URL scheme {shown!r} is not supported: use sqlite:///PATH or "
            "postgres://USER:PASSWORD@HOST:PORT/NAME"
        )
    if scheme == "sqlite":
        path_part = raw[len("sqlite://") :]
        if path_part.startswith("/"):
            path_part = path_part[1:]
        if path_part in ("", ":memory:"):
            return DatabaseChoice(url=raw, vendor="sqlite", sqlite_path=None)
        path = Path(path_part)
        if not path.is_absolute():
            path = BASE_DIR / path
        return DatabaseChoice(url=raw, vendor="sqlite", sqlite_path=path)
    return DatabaseChoice(url=raw, vendor="postgresql", sqlite_path=None)


def database_replica_choice() -> DatabaseChoice | None:
    """``DATABASE_REPLICA_URL``: a PostgreSQL streaming replica of ``DATABASE_URL``, or ``None``."""
    raw = get("DATABASE_REPLICA_URL").strip()
    if not raw:
        return None
    if urlsplit(raw).scheme.lower() not in ("postgres", "postgresql", "pgsql"):
        raise ConfigurationError(
            "DATABASE_REPLICA_URL must be a PostgreSQL URL "
            "(postgres://USER:PASSWORD@HOST:PORT/NAME) of a streaming replica"
        )
    return DatabaseChoice(url=raw, vendor="postgresql", sqlite_path=None)


def replica_pin_seconds() -> int:
    """``REPLICA_PIN_SECONDS``: how long a client that wrote reads from the primary (default 5)."""
    seconds = get_int("REPLICA_PIN_SECONDS", DEFAULT_REPLICA_PIN_SECONDS)
    if seconds < 0:
        raise ConfigurationError(f"REPLICA_PIN_SECONDS={seconds} must not be negative")
    return seconds


def use_default_settings_module() -> None:
    """Point Django at ``config.settings.base`` unless DJANGO_SETTINGS_MODULE says otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)


def server_host() -> str:
    """``HOST``: the address ``sdg87 serve`` listens on (default 127.0.0.1)."""
    return get("HOST").strip() or DEFAULT_HOST


def server_port() -> int:
    """``PORT``: the TCP port ``sdg87 serve`` listens on (default 8000)."""
    port = get_int("PORT", DEFAULT_PORT)
    if not 0 < port < 65536:
        raise ConfigurationError(f"PORT={port} is not a TCP port (1-65535)")
    return port
