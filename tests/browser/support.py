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


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SERIOUS = ("serious", "critical")


def axe_violations(page, impacts: tuple[str, ...] = SERIOUS) -> list[str]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the page, of the given impacts
    (serious and critical by default; pass ``impacts=()`` for every impact). axe-core is served
    by the platform itself from ``var/vendor`` (installed from npm by ``make vendor``)."""
    page.add_script_tag(url="/static/axe-core/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{item['impact']} {item['id']}: {item['help']} "
        f"{[node['target'] for node in item['nodes']][:5]}"
        for item in result["violations"]
        if not impacts or item["impact"] in impacts
    ]


def sign_in(page, username: str, password: str | None = None) -> None:
    """Sign in through the form, as a person would (the test password by default)."""
    from playwright.sync_api import expect

    from sdg87.accounts.tests.factories import TEST_PASSWORD

    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
