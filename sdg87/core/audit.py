"""Write the audit trail: one row per change, in the caller's transaction.

Every service that changes data calls :func:`audit_record` inside its
``transaction.atomic`` block, so the row and the change are saved or lost together.
:func:`snapshot` turns a model instance into the JSON-safe ``before``/``after`` dicts.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from sdg87.core.models import AuditEntry, AuditSource

# Never copied into the audit trail, even when a caller snapshots every field.
SECRET_FIELD_NAMES = frozenset({"password", "token_hash"})

OBJECT_REPR_LENGTH = 200


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    source: str = AuditSource.SYSTEM,
    comment: str = "",
) -> AuditEntry:
    """Append one audit row.

    ``actor`` is a user, ``None`` or an anonymous user (both recorded without an actor).
    Name the object with ``instance`` or with ``object_type`` ("app_label.model") and
    ``object_id``.
    """
    if not action:
        raise ValueError("an audit entry needs an action")
    if source not in AuditSource.values:
        raise ValueError(f"unknown audit source {source!r}")
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        if object_id is None and instance.pk is not None:
            object_id = instance.pk
        if object_repr is None:
            object_repr = str(instance)
    if not object_type:
        raise ValueError("an audit entry needs an instance or an object_type")
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if signed_in else None,
        actor_label=actor.get_username() if signed_in else "",
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:OBJECT_REPR_LENGTH],
        before=json_safe(dict(before)) if before is not None else None,
        after=json_safe(dict(after)) if after is not None else None,
        source=source,
        comment=comment,
    )


def audit_update(
    *,
    actor: Any,
    instance: models.Model,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    source: str = AuditSource.SYSTEM,
    comment: str = "",
) -> AuditEntry | None:
    """Append an ``update`` row when ``after`` differs from ``before``; ``None`` when nothing
    changed (an edit that changes nothing leaves no trace)."""
    if dict(after) == dict(before):
        return None
    return audit_record(
        actor=actor,
        action="update",
        instance=instance,
        before=before,
        after=after,
        source=source,
        comment=comment,
    )


@dataclass(frozen=True)
class AuditChange:
    """One object's change, for :func:`audit_record_many`."""

    object_id: str
    object_repr: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


def audit_record_many(
    *,
    action: str,
    object_type: str,
    changes: Iterable[AuditChange],
    source: str = AuditSource.SYSTEM,
    comment: str = "",
) -> int:
    """Append one row per change in a single bulk insert (loaders and importers), by the
    system (no actor). Returns the number of rows written."""
    if not action or not object_type:
        raise ValueError("an audit entry needs an action and an object_type")
    if source not in AuditSource.values:
        raise ValueError(f"unknown audit source {source!r}")
    now = timezone.now()
    rows = [
        AuditEntry(
            occurred_at=now,
            action=action,
            object_type=object_type,
            object_id=change.object_id,
            object_repr=change.object_repr[:OBJECT_REPR_LENGTH],
            before=json_safe(dict(change.before)) if change.before is not None else None,
            after=json_safe(dict(change.after)) if change.after is not None else None,
            source=source,
            comment=comment,
        )
        for change in changes
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's field values as a JSON-safe dict.

    Dates and times become ISO 8601 strings, Decimals strings, foreign keys the
    related id and many-to-many fields (when named) a sorted list of ids. Without
    ``fields``: every concrete field except secrets (``password``, ``token_hash``).
    """
    meta = instance._meta
    if fields is None:
        chosen = [field for field in meta.concrete_fields if field.name not in SECRET_FIELD_NAMES]
    else:
        chosen = [meta.get_field(name) for name in fields]
    values: dict[str, Any] = {}
    for field in chosen:
        if field.many_to_many:
            if instance.pk is None:
                values[field.name] = []
            else:
                related = getattr(instance, field.name).all()
                values[field.name] = sorted(json_safe(item.pk) for item in related)
        elif field.is_relation:
            values[field.name] = json_safe(getattr(instance, field.attname))
        else:
            values[field.name] = json_safe(field.value_from_object(instance))
    return values


def json_safe(value: Any) -> Any:
    """``value`` with every part made representable in JSON."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return json_safe(value.pk)
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_safe(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


@contextmanager
def audit_protection_suspended() -> Iterator[None]:
    """Lift the database triggers for whole-database maintenance only.

    For restoring a backup or flushing a test database: the triggers are disabled
    (PostgreSQL) or dropped and re-created from their stored definition (SQLite)
    within one transaction, so they are back in force when the block ends.
    """
    table = AuditEntry._meta.db_table
    # DDL is transactional on both databases: if the block fails, the rollback
    # restores the triggers too.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            yield
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _name, sql in triggers:
                cursor.execute(sql)
        else:
            yield
