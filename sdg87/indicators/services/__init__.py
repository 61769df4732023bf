"""Writes of the indicators app: definitions, observation imports, the bundled data."""

from sdg87.indicators.services.bundled import observations_load_bundled
from sdg87.indicators.services.definitions import indicator_update, indicators_load_bundled
from sdg87.indicators.services.observations import (
    FileReport,
    ImportReport,
    ObservationImportError,
    observations_import,
)

__all__ = [
    "FileReport",
    "ImportReport",
    "ObservationImportError",
    "indicator_update",
    "indicators_load_bundled",
    "observations_import",
    "observations_load_bundled",
]
