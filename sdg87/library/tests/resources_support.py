"""Test support for the library's ingestion, review and contribution tests: the reference rows
they need (countries, themes, targets), resource records and users."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from sdg87.accounts.tests.factories import (
    CuratorFactory,
    OrganisationFactory,
    PartnerEditorFactory,
    UserFactory,
)
from sdg87.countries.services import countries_load_bundled
from sdg87.framework.services import framework_load_bundled
from sdg87.library.ingest import ResourceRecord
from sdg87.library.models import ResourceStatus
from sdg87.library.services import resources_ingest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def library_reference(db: Any) -> None:
    """Countries and the SDG framework (themes, targets): what resources are tagged with."""
    data_dir = Path(settings.DATA_DIR)
    countries_load_bundled(data_dir)
    framework_load_bundled(data_dir)


def record(record_id: str = "r1", **fields: Any) -> ResourceRecord:
    values: dict[str, Any] = {
        "title": f"Report {record_id}",
        "text": "Child labour in cocoa farming remains widespread in West Africa. " * 5,
        "language": "en",
    }
    values.update(fields)
    return ResourceRecord(id=record_id, **values)


def ingest(*records: ResourceRecord, source: str = "test", **options: Any) -> Any:
    return resources_ingest(records=list(records), source=source, **options)


def resource_with_status(status: str, **options: Any) -> Any:
    """One resource of source "test" in ``status`` (created directly in that status)."""
    from sdg87.library.models import Resource

    record_id = options.pop("record_id", f"s-{status}")
    report = ingest(record(record_id, **options.pop("fields", {})), status=status, **options)
    return Resource.objects.get(pk=report.resource_ids[record_id])


__all__ = [
    "FIXTURES",
    "CuratorFactory",
    "OrganisationFactory",
    "PartnerEditorFactory",
    "ResourceStatus",
    "UserFactory",
    "ingest",
    "library_reference",
    "record",
    "resource_with_status",
]
