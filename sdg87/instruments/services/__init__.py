"""Writes for the international instruments and their ratifications."""

from sdg87.instruments.services.instruments import (
    INSTRUMENTS_FILE,
    instruments_load_bundled,
)
from sdg87.instruments.services.ratifications import (
    RatificationImportSummary,
    RatificationLoadReport,
    ratifications_import,
    ratifications_load_bundled,
)

__all__ = [
    "INSTRUMENTS_FILE",
    "RatificationImportSummary",
    "RatificationLoadReport",
    "instruments_load_bundled",
    "ratifications_import",
    "ratifications_load_bundled",
]
