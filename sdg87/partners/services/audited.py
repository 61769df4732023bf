"""The last step every partner service shares: check the new row, save it and write its
audit entry in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models

from sdg87.core.audit import audit_record, snapshot
from sdg87.partners.services import inputs

Record = TypeVar("Record", bound=models.Model)


def create_audited(
    *,
    actor: Any,
    instance: Record,
    fields: Iterable[str] | Callable[[Record], dict[str, Any]],
    source: str,
    action: str = "create",
    comment: str = "",
    exclude: Iterable[str] = (),
) -> Record:
    """Validate ``instance`` (``InvalidInput`` naming the field), save it and record
    ``action`` with its ``fields`` (names, or a function making the snapshot)."""
    inputs.validated(instance, exclude=exclude)
    instance.save()
    after = fields(instance) if callable(fields) else snapshot(instance, tuple(fields))
    audit_record(
        actor=actor, action=action, instance=instance, after=after, source=source, comment=comment
    )
    return instance
