"""SQLite connections run in WAL mode with foreign keys and a busy timeout."""

from pathlib import Path

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from config.database import database_settings
from config.env import ConfigurationError, database_choice


def _pragma(wrapper: DatabaseWrapper, name: str):
    with wrapper.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.django_db  # lifts pytest-django's block on opening connections
def test_sqlite_file_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path):
    choice = database_choice(f"sqlite:///{tmp_path / 'probe.sqlite3'}")
    settings_dict = database_settings(choice)
    settings_dict.update(
        {
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        }
    )
    wrapper = DatabaseWrapper(settings_dict, alias="probe")
    try:
        assert _pragma(wrapper, "journal_mode") == "wal"
        assert _pragma(wrapper, "foreign_keys") == 1
        assert _pragma(wrapper, "busy_timeout") == 20000
    finally:
        wrapper.close()


def test_relative_sqlite_url_is_relative_to_the_repository():
    choice = database_choice("sqlite:///var/sdg87.sqlite3")
    assert choice.sqlite_path is not None
    assert choice.sqlite_path.parts[-2:] == ("var", "sdg87.sqlite3")
    assert (choice.sqlite_path.parent.parent / "pyproject.toml").exists()


def test_absolute_sqlite_url_is_kept():
    assert str(database_choice("sqlite:////srv/x/db.sqlite3").sqlite_path) == "/srv/x/db.sqlite3"


def test_postgres_url_selects_postgresql():
    settings_dict = database_settings(database_choice("postgres://u:p@localhost:5432/sdg87"))
    assert settings_dict["ENGINE"] == "django.db.backends.postgresql"
    assert settings_dict["NAME"] == "sdg87"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "oracle://x", "nonsense"])
def test_unsupported_database_url_is_refused(url):
    with pytest.raises(ConfigurationError):
        database_choice(url)
