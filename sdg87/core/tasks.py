"""Background tasks: long work (harvests, large imports, re-indexing) off the request path.

The queue is django-tasks with its database backend: a task is a row in the same database,
and ``sdg87 worker`` (django-tasks-db's ``db_worker``) runs it; ``sdg87 serve`` starts one
worker beside the web server (:func:`start_background_worker`). No extra server.

Each task gets a :class:`~sdg87.core.models.BackgroundTask` row when it is queued
(:func:`background_task_enqueue`); the task function runs its work through
:func:`run_tracked`, which keeps that row's status, progress, summary and error up to date,
so curators can follow it (``/<lang>/library/tasks/``, ``GET /api/v1/tasks``).

Progress is written with the caller's database connection. Work that runs in one
transaction (an all-or-nothing import) shows its progress when it commits; work done in
batches (a harvest page, a re-index batch) shows it after each batch.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from sdg87.core.audit import json_safe
from sdg87.core.errors import DomainError, InvalidInput
from sdg87.core.models import BackgroundTask, BackgroundTaskStatus

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = 500
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes


class ProgressCallback(Protocol):
    """What long work calls to say how far it is (``total`` ``None`` when unknown)."""

    def __call__(self, current: int, total: int | None = None, message: str = "") -> None: ...


class ProgressReporter:
    """Writes a task's progress to its :class:`BackgroundTask` row, at most twice a second."""

    def __init__(self, background_task_id: int, *, interval: float = PROGRESS_INTERVAL) -> None:
        self.background_task_id = background_task_id
        self.interval = interval
        self._last_write = 0.0

    def __call__(self, current: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        finished = total is not None and current >= total
        if not finished and now - self._last_write < self.interval:
            return
        self._last_write = now
        BackgroundTask.objects.filter(pk=self.background_task_id).update(
            current=max(0, current),
            total=total,
            message=message[:MESSAGE_LENGTH],
            updated_at=timezone.now(),
        )


def background_task_enqueue(
    task_to_run: Task,
    *,
    kind: str,
    label: str,
    actor: Any = None,
    arguments: Mapping[str, Any] | None = None,
) -> BackgroundTask:
    """Queue ``task_to_run(background_task_id=…, **arguments)`` and the row that tracks it."""
    requested_by = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        row = BackgroundTask.objects.create(kind=kind, label=label[:500], requested_by=requested_by)
        result = task_to_run.enqueue(background_task_id=row.pk, **dict(arguments or {}))
        # An immediate backend (tests) has already run the task and updated the row.
        BackgroundTask.objects.filter(pk=row.pk).update(task_id=str(result.id))
    row.refresh_from_db()
    return row


def run_tracked(
    background_task_id: int | None, work: Callable[[ProgressCallback], Any]
) -> dict[str, Any]:
    """Run ``work(progress)`` for a queued task, recording start, progress, result or error.

    ``work`` returns the summary (a dict, or an object with ``as_dict()``). A failure is
    recorded as one line and raised again, so that the queue records it too.
    """
    progress: ProgressCallback = (
        ProgressReporter(background_task_id) if background_task_id else _no_progress
    )
    rows = BackgroundTask.objects.filter(pk=background_task_id)
    now = timezone.now()
    rows.update(status=BackgroundTaskStatus.RUNNING, started_at=now, updated_at=now)
    try:
        outcome = work(progress)
    except BaseException as exc:
        message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, DomainError):
            logger.exception("background task %s failed", background_task_id)
        now = timezone.now()
        rows.update(
            status=BackgroundTaskStatus.FAILED,
            error=" ".join(str(message).split()),
            finished_at=now,
            updated_at=now,
        )
        raise
    summary = outcome.as_dict() if hasattr(outcome, "as_dict") else dict(outcome or {})
    summary = json_safe(summary)
    now = timezone.now()
    rows.update(
        status=BackgroundTaskStatus.SUCCEEDED,
        result=summary,
        finished_at=now,
        updated_at=now,
        message="",
    )
    return summary


def _no_progress(current: int, total: int | None = None, message: str = "") -> None:
    return None


# --- the generic "import file" task ---------------------------------------------


def file_importer(name: str) -> Callable[..., Any]:
    """The importer named ``name`` in ``settings.TASK_FILE_IMPORTERS``."""
    importers: Mapping[str, str] = getattr(settings, "TASK_FILE_IMPORTERS", {})
    if name not in importers:
        known = ", ".join(sorted(importers)) or "none"
        raise InvalidInput(f"unknown importer {name!r} (known: {known})")
    return import_string(importers[name])


@task()
def import_file_task(
    *, background_task_id: int, importer: str, path: str, options: dict[str, Any]
) -> dict[str, Any]:
    """Run a registered importer on a file: ``importer(path, progress=…, **options)``."""
    function = file_importer(importer)
    return run_tracked(
        background_task_id, lambda progress: function(path, progress=progress, **options)
    )


def import_file_enqueue(
    *,
    importer: str,
    path: str,
    options: Mapping[str, Any] | None = None,
    actor: Any = None,
    label: str | None = None,
) -> BackgroundTask:
    """Queue an import of ``path`` by the importer registered as ``importer``."""
    file_importer(importer)
    return background_task_enqueue(
        import_file_task,
        kind="import",
        label=label or f"{importer}: {os.path.basename(path)}",
        actor=actor,
        arguments={"importer": importer, "path": str(path), "options": dict(options or {})},
    )


# --- the worker process ----------------------------------------------------------


def worker_command(*, batch: bool = False, interval: float = 1.0) -> list[str]:
    """The command line of ``sdg87 worker`` with this interpreter."""
    command = [sys.executable, "-m", "sdg87.cli", "worker", "--interval", f"{interval:g}"]
    return [*command, "--batch"] if batch else command


def start_background_worker(*, interval: float = 1.0) -> subprocess.Popen[bytes]:
    """Start ``sdg87 worker`` as a child process (``sdg87 serve`` calls this).

    The worker inherits the environment (settings, ``DATABASE_URL``). On Linux it is also
    told to stop when its parent dies; :func:`stop_background_worker` stops it cleanly.
    """
    return subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        worker_command(interval=interval),
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def background_worker_hooks(*, interval: float = 1.0) -> dict[str, Callable[[Any], None]]:
    """gunicorn server hooks that run one background worker beside the web server.

    ``on_starting`` runs once in gunicorn's master process (before it forks the web workers)
    and starts ``sdg87 worker``; ``on_exit`` stops it when the server stops. Use them as
    gunicorn settings: ``options.update(background_worker_hooks())``.
    """
    started: list[subprocess.Popen[bytes]] = []

    def on_starting(server: Any) -> None:
        started.append(start_background_worker(interval=interval))

    def on_exit(server: Any) -> None:
        while started:
            stop_background_worker(started.pop())

    return {"on_starting": on_starting, "on_exit": on_exit}


def stop_background_worker(process: subprocess.Popen[bytes], *, timeout: float = 30) -> None:
    """Ask the worker to finish its current task and stop; kill it after ``timeout``."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _die_with_parent() -> None:
    """In the child before exec: receive SIGTERM when the parent process ends (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
