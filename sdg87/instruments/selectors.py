"""Reads for the international instruments."""

from __future__ import annotations

from django.db.models import QuerySet

from sdg87.core.errors import NotFound
from sdg87.instruments.models import Instrument


def instrument_list(*, kind: str | None = None) -> QuerySet[Instrument]:
    """Instruments in the order the bundled list gives (chronological)."""
    instruments = Instrument.objects.order_by("position", "code")
    if kind:
        instruments = instruments.filter(kind=kind)
    return instruments


def instrument_get(code: str) -> Instrument:
    """One instrument by code (case-insensitive: ``c029`` finds ``C029``)."""
    try:
        return Instrument.objects.get(code=(code or "").strip().upper())
    except Instrument.DoesNotExist:
        raise NotFound(f"no instrument with code {code!r}", details={"code": code}) from None
