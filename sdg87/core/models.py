"""Models of the shared kernel: the append-only audit trail."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _as_json(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditSource(models.TextChoices):
    """Which interface the change came through."""

    WEB = "web", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    SYSTEM = "system", _("System")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be updated")


class AuditEntry(models.Model):
    """One change to the platform's data, kept for good.

    Append-only twice over: this class refuses ``save()`` on an existing row and
    ``delete()``, and database triggers (migration ``0002``) refuse ``UPDATE`` and
    ``DELETE`` on SQLite and PostgreSQL. The one update the triggers allow is
    ``actor_id`` becoming NULL when the actor's account is deleted; ``actor_label``
    keeps the name.
    """

    Source = AuditSource

    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    comment = models.TextField(_("comment"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=AuditSource.values), name="audit_source_valid"
            ),
            models.CheckConstraint(condition=~models.Q(action=""), name="audit_action_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(object_type=""), name="audit_object_type_not_empty"
            ),
        ]

    def __str__(self) -> str:
        who = self.actor_label or "system"
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} UTC {who} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def before_json(self) -> str:
        return _as_json(self.before)

    @property
    def after_json(self) -> str:
        return _as_json(self.after)


class BackgroundTaskStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class BackgroundTask(models.Model):
    """Long work run by the background worker (``sdg87 worker``), as curators follow it.

    The queue itself is django-tasks' database backend (``task_id`` is its result id); this
    row adds what people need to see: what the task works on, its progress (``current`` of
    ``total`` with a message), its summary when it succeeds and one error line when it fails.
    """

    Status = BackgroundTaskStatus

    task_id = models.CharField(_("queue id"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, help_text='"harvest", "reindex", "import"')
    label = models.CharField(_("subject"), max_length=500, help_text="What the task works on")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BackgroundTaskStatus.choices,
        default=BackgroundTaskStatus.QUEUED,
    )
    current = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=BackgroundTaskStatus.values),
                name="background_task_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.label}"[:200]

    @property
    def percent(self) -> int | None:
        """Progress in whole per cent, when the total is known."""
        if not self.total:
            return 100 if self.status == BackgroundTaskStatus.SUCCEEDED else None
        return min(100, round(100 * self.current / self.total))
