"""``sdg87 load-data``: load the bundled data in ``data/`` through each app's loader.

All-or-nothing: the whole load is one transaction. Idempotent: a second run
reports everything as unchanged and leaves identical row counts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction

from sdg87.core.reports import LoadReport
from sdg87.countries.services import countries_load_bundled
from sdg87.framework.services import framework_load_bundled
from sdg87.indicators.services import indicators_load_bundled, observations_load_bundled
from sdg87.instruments.services import instruments_load_bundled, ratifications_load_bundled
from sdg87.library.services import library_load_bundled
from sdg87.partners.services import organisation_aliases_load_bundled
from sdg87.pathfinders.services.examples import examples_load_bundled

Loader = Callable[[Path], list[LoadReport]]

# In dependency order: countries before anything that names a country.
LOADERS: list[tuple[str, Loader]] = [
    ("countries and regions", countries_load_bundled),
    ("SDG framework, themes and global estimates", framework_load_bundled),
    ("international instruments", instruments_load_bundled),
    ("names of major partner organisations", organisation_aliases_load_bundled),
    ("ratifications of the international instruments", ratifications_load_bundled),
    ("indicator definitions", indicators_load_bundled),
    ("indicator data (national, SDMX, GSI, ILAB, global)", observations_load_bundled),
    ("knowledge library documents (ILAB, Factbook, legal instruments)", library_load_bundled),
    ("example pathfinder roadmaps and reports (examples, not real data)", examples_load_bundled),
]


def refresh_statistics() -> None:
    """Fresh planner statistics after a bulk load, so that the first queries on the loaded
    tables are planned on their real sizes (SQLite keeps none until ``ANALYZE``; PostgreSQL's
    autovacuum would get there later). SQLite samples each index (``analysis_limit``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")


def load_bundled_data(
    *, out: IO[str] | None = None, data_dir: Path | None = None
) -> dict[str, Any]:
    directory = data_dir or Path(settings.DATA_DIR)
    reports: list[LoadReport] = []
    with transaction.atomic():
        for step, (label, loader) in enumerate(LOADERS, start=1):
            if out is not None:
                out.write(f"[{step}/{len(LOADERS)}] loading {label}…\n")
                out.flush()
            step_reports = loader(directory)
            reports.extend(step_reports)
            if out is not None:
                for report in step_reports:
                    out.write(
                        f"      {report.name}: {report.created} created, {report.updated} updated, "
                        f"{report.unchanged} unchanged\n"
                    )
    refresh_statistics()
    return {
        "created": sum(r.created for r in reports),
        "updated": sum(r.updated for r in reports),
        "unchanged": sum(r.unchanged for r in reports),
        "rejected": sum(r.rejected for r in reports),
        "datasets": [r.as_dict() for r in reports],
    }
