"""Project-wide test fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture
def reference_data(db):
    """The bundled reference data (countries, framework, instruments), loaded once per test."""
    from sdg87.loading import load_bundled_data

    return load_bundled_data()
