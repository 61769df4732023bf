"""Test support for the append-only audit trail."""

from __future__ import annotations

from django.db import connection

from sdg87.core.audit import audit_protection_suspended
from sdg87.core.models import AuditEntry


def empty_audit_trail() -> None:
    """Remove every audit entry, so that a transactional test's flush can empty the
    database: on SQLite the flush is a ``DELETE`` that the append-only trigger refuses
    (PostgreSQL flushes with ``TRUNCATE``, which the triggers do not see)."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with audit_protection_suspended(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's table name)
