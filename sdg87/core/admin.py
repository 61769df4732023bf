"""Admin building blocks shared by every app, and the read-only audit trail.

Who may see or change what in the admin comes from model permissions; the role
rules behind them live in ``sdg87.accounts.permissions`` (through the accounts
permission backend), so nothing here decides by role.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from sdg87.core.audit import audit_record, snapshot
from sdg87.core.models import AuditEntry, AuditSource


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes one audit row for each add, change and delete made in the admin.

    The admin wraps each of these in a transaction, so the row is saved with the
    change. ``audit_fields`` names the snapshotted fields (default: every concrete
    field except secrets).
    """

    audit_fields: Sequence[str] | None = None

    def audit_snapshot(self, obj: models.Model) -> dict[str, Any]:
        return snapshot(obj, self.audit_fields)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            form.audit_before = self.audit_snapshot(stored)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        before = getattr(form, "audit_before", None)
        after = self.audit_snapshot(form.instance)
        if change and before == after:
            return
        audit_record(
            actor=request.user,
            action="update" if change else "create",
            instance=form.instance,
            before=before,
            after=after,
            source=AuditSource.WEB,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = self.audit_snapshot(obj)
        object_type, object_id, object_repr = obj._meta.label_lower, obj.pk, str(obj)
        super().delete_model(request, obj)
        audit_record(
            actor=request.user,
            action="delete",
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            before=before,
            source=AuditSource.WEB,
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, administrators included."""

    list_display = (
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "source",
    )
    list_filter = ("source", "action", "object_type")
    search_fields = ("actor_label", "object_type", "object_id", "object_repr", "comment")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
