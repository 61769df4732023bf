"""Fixtures for the instruments tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings


@pytest.fixture
def ratification_data(db) -> dict[str, Any]:
    """Countries, instruments and the bundled ratifications only: what these tests need,
    without the project's slower full load (``reference_data``)."""
    from sdg87.countries.services import countries_load_bundled
    from sdg87.instruments.services import instruments_load_bundled, ratifications_load_bundled

    data_dir = Path(settings.DATA_DIR)
    reports = [
        *countries_load_bundled(data_dir),
        *instruments_load_bundled(data_dir),
        *ratifications_load_bundled(data_dir),
    ]
    return {"datasets": [report.as_dict() for report in reports]}
