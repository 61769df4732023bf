"""The library's background tasks (harvest, re-index) and who may see the task list.

Queue them with :func:`harvest_enqueue` / :func:`reindex_enqueue`; ``sdg87 worker`` runs
them. Their progress is on ``/<lang>/library/tasks/`` and ``GET /api/v1/tasks`` (curators).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django_tasks import task

from sdg87.accounts import permissions
from sdg87.core.errors import InvalidInput, NotFound
from sdg87.core.models import AuditSource, BackgroundTask
from sdg87.core.tasks import (
    ProgressCallback,
    background_task_enqueue,
    background_task_requeue,
    run_tracked,
)
from sdg87.library.harvest import harvest_run, harvest_url
from sdg87.library.models import Resource
from sdg87.library.safe_http import AddressRefused, FetchPolicy, check_host_now, parse_url

REINDEX_BATCH = 500


# --- tasks (run by the worker) ------------------------------------------------------------


@task()
def harvest_task(*, background_task_id: int, url: str, protocol: str) -> dict[str, Any]:
    return run_tracked(
        background_task_id,
        lambda progress: harvest_run(url=url, protocol=protocol, progress=progress),
    )


@task()
def reindex_task(*, background_task_id: int, batch_size: int = REINDEX_BATCH) -> dict[str, Any]:
    return run_tracked(
        background_task_id,
        lambda progress: resources_reindex(progress=progress, batch_size=batch_size),
    )


def resources_reindex(
    *, progress: ProgressCallback | None = None, batch_size: int = REINDEX_BATCH
) -> dict[str, Any]:
    """(Re)index every resource, one transaction per batch of ids."""
    from sdg87.library.search import index_resources

    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    for start in range(0, total, batch_size):
        batch = ids[start : start + batch_size]
        with transaction.atomic():
            index_resources(batch)
        done = start + len(batch)
        if progress is not None:
            progress(done, total, f"{done} of {total} resources indexed")
    return {"indexed": total}


# --- queueing (services) --------------------------------------------------------------


def harvest_enqueue(*, url: str, protocol: str, actor: Any = None) -> BackgroundTask:
    """Queue a harvest; the URL and protocol are checked now (``InvalidInput``), and so is
    a host that the SSRF guard refuses outright (a private, loopback or link-local address;
    ``details["field"]`` names the field at fault)."""
    if actor is not None:
        permissions.require_curator(actor)
    endpoint = harvest_url(url, protocol)
    try:
        check_host_now(parse_url(endpoint), FetchPolicy.from_settings())
    except AddressRefused as refused:
        raise InvalidInput(
            refused.message, code="address_refused", details={"field": "url", **refused.details}
        ) from None
    return background_task_enqueue(
        harvest_task,
        kind="harvest",
        label=f"{protocol} {endpoint}",
        actor=actor,
        arguments={"url": endpoint, "protocol": protocol},
    )


def reindex_enqueue(*, actor: Any = None) -> BackgroundTask:
    """Queue the re-indexing of every resource."""
    if actor is not None:
        permissions.require_curator(actor)
    return background_task_enqueue(reindex_task, kind="reindex", label="all resources", actor=actor)


def background_task_retry(
    *, actor: Any, task_id: int, source: str = AuditSource.WEB
) -> BackgroundTask:
    """Queue a failed task again (curators), e.g. one whose worker stopped before finishing;
    the new task. ``Conflict`` when it has not failed."""
    permissions.require_curator(actor)
    return background_task_requeue(
        background_task_get(actor=actor, task_id=task_id), actor=actor, source=source
    )


def may_queue_tasks(actor: Any) -> bool:
    """Whether ``actor`` may start and follow background tasks (curators)."""
    return permissions.is_curator(actor)


# --- reads (selectors) ----------------------------------------------------------------


def background_task_list(*, actor: Any, status: str | None = None) -> QuerySet[BackgroundTask]:
    """Every background task, newest first (curators only)."""
    permissions.require_curator(actor)
    tasks = BackgroundTask.objects.select_related("requested_by").order_by("-created_at", "-id")
    if status:
        tasks = tasks.filter(status=status)
    return tasks


def background_task_get(*, actor: Any, task_id: int) -> BackgroundTask:
    permissions.require_curator(actor)
    found = BackgroundTask.objects.select_related("requested_by").filter(pk=task_id).first()
    if found is None:
        raise NotFound(f"no background task {task_id}", details={"id": task_id})
    return found
