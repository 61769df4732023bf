"""Run the installed ``sdg87`` console script in a subprocess, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SDG87 = Path(sys.executable).with_name("sdg87")

RunSdg87 = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A SQLite file of this test's own, so nothing touches ``var/``."""
    return f"sqlite:///{tmp_path / 'sdg87.sqlite3'}"


@pytest.fixture
def run_sdg87(database_url: str, tmp_path: Path) -> RunSdg87:
    if not SDG87.exists():
        pytest.fail(f"{SDG87} is missing: install the project with `make test` (pip install -e .)")

    def run(*args: str, timeout: float = 120, **environment: str) -> subprocess.CompletedProcess:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "HOST", "PORT", "DATABASE_URL"}
        }
        env.update({"DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"})
        env.update(environment)
        return subprocess.run(
            [str(SDG87), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    return run
