"""Builders for the country profile tests: library resources tagged with a country (partners
and pathfinders come from their apps' factories)."""

from __future__ import annotations

import itertools
from typing import Any

from sdg87.countries.models import Country
from sdg87.library.models import Resource, ResourceStatus

_record_ids = itertools.count(1)


def resource(
    country: Country,
    *,
    title: str = "",
    year: int | None = 2020,
    status: str = ResourceStatus.PUBLISHED,
    **fields: Any,
) -> Resource:
    record_id = next(_record_ids)
    created = Resource.objects.create(
        title=title or f"Example study {record_id}",
        language="en",
        year=year,
        status=status,
        source="test",
        source_record_id=f"profile-{record_id}",
        **fields,
    )
    created.countries.add(country)
    return created
