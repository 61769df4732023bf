"""``sdg87 load-data`` and ``sdg87 import-resources``: files into the library through
:func:`~sdg87.library.services.ingestion.resources_ingest`."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction

from sdg87.core.errors import InvalidInput
from sdg87.core.models import AuditSource
from sdg87.core.reports import LoadReport
from sdg87.countries.models import Country
from sdg87.library import corpus
from sdg87.library.ingest import Format, read_records
from sdg87.library.models import ResourceStatus
from sdg87.library.services.ingestion import IngestReport, Progress, resources_ingest


@transaction.atomic
def library_load_bundled(data_dir: Path) -> list[LoadReport]:
    """Load the document corpus, one source per collection (``corpus.COLLECTIONS``).

    Skipped when ``settings.LIBRARY_LOAD_CORPUS`` is false (the test settings)."""
    if not settings.LIBRARY_LOAD_CORPUS:
        return []
    reports: list[LoadReport] = []
    known = frozenset(Country.objects.values_list("iso3", flat=True))
    for collection in corpus.COLLECTIONS:
        records = corpus.collection_records(data_dir, collection, known_countries=known)
        if not records:
            continue
        reports.append(
            resources_ingest(
                records=records,
                source=collection.source,
                status=ResourceStatus.PUBLISHED,
                audit_source=AuditSource.CLI,
                report_name=f"library: {collection.source}",
            )
        )
    return reports


def import_source(path: Path) -> str:
    """Imported resources are attributed to ``import:<file name>``: importing the same file
    name again updates its records, and two files may reuse an id without clashing."""
    return f"import:{path.name}"[:255]


def resources_import_file(
    path: Path,
    *,
    file_format: Format = "auto",
    actor: object = None,
    progress: Progress | None = None,
    out: IO[str] | None = None,
) -> IngestReport:
    """Import a JSONL or CSV file of resources, published, as source ``import:<file name>``.

    Every line is validated first: one bad line (with its line number and field in the
    message) imports nothing."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file", details={"file": str(path)}) from None
    except IsADirectoryError:
        raise InvalidInput(
            f"{path}: is a folder, not a file", details={"file": str(path)}
        ) from None
    known = frozenset(Country.objects.values_list("iso3", flat=True))
    records = read_records(content, name=path.name, known_countries=known, file_format=file_format)
    if out is not None:
        out.write(f"{path.name}: {len(records)} records read, importing…\n")
        out.flush()
    return resources_ingest(
        records=records,
        source=import_source(path),
        status=ResourceStatus.PUBLISHED,
        actor=actor,
        audit_source=AuditSource.CLI,
        progress=progress,
    )
