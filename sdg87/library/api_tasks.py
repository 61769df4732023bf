"""``/api/v1/tasks``: background tasks (harvests, imports, re-indexing) with their progress.

Curators and administrators only.
"""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sdg87.accounts.auth import signed_in
from sdg87.core.models import AuditSource, BackgroundTaskStatus
from sdg87.core.pagination import PagePagination
from sdg87.library import tasks

router = Router(auth=signed_in)


class TaskFilters(Schema):
    status: BackgroundTaskStatus | None = Field(None, description="keep tasks in this status")


class HarvestIn(Schema):
    url: str = Field(description="An OAI-PMH base URL or an RSS/Atom feed")
    protocol: Literal["oai-pmh", "rss"]


class TaskOut(Schema):
    id: int
    kind: str = Field(description='"harvest", "reindex", "import"')
    label: str = Field(description="what the task works on, e.g. the harvested URL")
    status: str = Field(description="queued, running, succeeded or failed")
    current: int = Field(description="units of work done (records, resources)")
    total: int | None = Field(description="units of work in all, when known")
    percent: int | None = Field(description="progress in per cent, when the total is known")
    message: str = Field(description="the latest progress message")
    result: dict[str, Any] | None = Field(description="the summary, once succeeded")
    error: str = Field(description="why it failed, on one line")
    requested_by: str | None = Field(description="username; null for the command line")
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_requested_by(task: Any) -> str | None:
        return task.requested_by.get_username() if task.requested_by else None


@router.get("", response=list[TaskOut], summary="Background tasks, newest first (curators)")
@paginate(PagePagination)
def task_list(request: HttpRequest, filters: Query[TaskFilters]) -> Any:
    return tasks.background_task_list(actor=request.auth, status=filters.status)


@router.post("/harvests", response={201: TaskOut}, summary="Start a harvest (curators)")
def harvest_start(request: HttpRequest, body: HarvestIn) -> Any:
    """Queue a harvest of an OAI-PMH repository or an RSS/Atom feed; follow it at
    `GET /api/v1/tasks/{id}`. 400 for a malformed URL or one the SSRF guard refuses (a
    private, loopback or link-local address)."""
    queued = tasks.harvest_enqueue(url=body.url, protocol=body.protocol, actor=request.auth)
    return Status(201, queued)


@router.get("/{task_id}", response=TaskOut, summary="One background task (curators)")
def task_detail(request: HttpRequest, task_id: int) -> Any:
    return tasks.background_task_get(actor=request.auth, task_id=task_id)


@router.post(
    "/{task_id}/retry",
    response={201: TaskOut},
    summary="Queue a failed task again (curators)",
)
def task_retry(request: HttpRequest, task_id: int) -> Any:
    """A failed task — e.g. one whose worker stopped before finishing — queued again with the
    same arguments; answers the new task. 409 when the task has not failed."""
    again = tasks.background_task_retry(actor=request.auth, task_id=task_id, source=AuditSource.API)
    return Status(201, again)
