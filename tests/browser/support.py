"""Helpers for the browser journeys: where Chromium is, how it starts, where screenshots go."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_executable() -> str:
    # Read directly: these tests run outside Django's configuration (config.env is for the app).
    candidate = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(candidate).exists():
        pytest.fail(
            f"Chromium not found at {candidate}: install it with `apt-get install chromium` "
            "(Playwright's own browser download is not used)",
            pytrace=False,
        )
    return candidate


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as ``var/screenshots/<name>.png`` and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe_name = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9_.-]+", "-", name)).strip("-")
    path = SCREENSHOTS / f"{safe_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
