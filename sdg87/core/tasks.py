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

A worker that dies mid-task (``kill -9``, a crash, a reboot) cannot say so. Each worker runs
under the id ``host:pid`` (:func:`worker_run`), which the queue records on the tasks it
claims; when a worker starts, and before each task it runs, :func:`stale_tasks_fail` marks
failed ("worker stopped before finishing") the running tasks whose worker process is gone
(same host), or that have shown no progress for ``TASK_STALE_SECONDS`` (default 3600) when
their worker cannot be checked. A curator may then queue it again
(:func:`background_task_requeue`).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task, task_backends
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

from sdg87.core.audit import audit_record, json_safe
from sdg87.core.errors import Conflict, DomainError, InvalidInput
from sdg87.core.models import AuditSource, BackgroundTask, BackgroundTaskStatus

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
    _recover_quietly()
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


# --- tasks left running by a worker that is gone ------------------------------------------

WORKER_STOPPED = "worker stopped before finishing"
DEFAULT_STALE_SECONDS = 3600
WORKER_ID_LENGTH = 64  # django-tasks-db's limit
# How much earlier than a task's start its worker process may seem to have started (the boot
# time in /proc/stat is rounded to the second).
START_TIME_SLACK = 5.0


class WorkerStopped(Exception):
    """Recorded as the queue's exception when a task's worker died before finishing it."""


@dataclass(frozen=True)
class WorkerIdentity:
    """A worker process as the queue knows it: ``host:pid`` (the worker id of the queue)."""

    host: str
    pid: int

    @classmethod
    def current(cls) -> WorkerIdentity:
        return cls(host=socket.gethostname(), pid=os.getpid())

    @classmethod
    def parse(cls, text: str) -> WorkerIdentity | None:
        """``"web-1:4242"`` → ``WorkerIdentity("web-1", 4242)``; ``None`` for other ids."""
        host, _colon, pid = str(text or "").rpartition(":")
        if not host or not pid.isdigit() or int(pid) <= 0:
            return None
        return cls(host=host, pid=int(pid))

    def __str__(self) -> str:
        pid = str(self.pid)
        return f"{self.host[: WORKER_ID_LENGTH - len(pid) - 1]}:{pid}"

    def is_local(self) -> bool:
        return str(self) == str(WorkerIdentity(host=socket.gethostname(), pid=self.pid))


def worker_is_alive(identity: WorkerIdentity, *, since: datetime.datetime | None = None) -> bool:
    """Whether the worker process still runs (only answerable on its own host).

    A process with that pid which started after ``since`` (the task's start) is another
    process that reused the pid: the worker is gone.
    """
    try:
        os.kill(identity.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, run by another user
    except OSError:
        return True  # cannot tell: assume alive
    started = _process_started_at(identity.pid)
    if since is not None and started is not None:
        return started <= since.timestamp() + START_TIME_SLACK
    return True


def _process_started_at(pid: int) -> float | None:
    """When process ``pid`` started, in seconds since the epoch (Linux ``/proc``; else None)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        ticks = float(stat.rsplit(")", 1)[1].split()[19])
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _stale_seconds() -> float:
    return float(getattr(settings, "TASK_STALE_SECONDS", DEFAULT_STALE_SECONDS))


def _queue_results() -> Any:
    """The database queue's results (django-tasks-db), or ``None`` with another backend."""
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def _worker_gone(
    worker_ids: list[str],
    *,
    started_at: datetime.datetime | None,
    last_sign_of_life: datetime.datetime | None,
    now: datetime.datetime,
    stale_after: float,
) -> bool:
    identity = WorkerIdentity.parse(worker_ids[-1]) if worker_ids else None
    if identity is not None and identity.is_local():
        return not worker_is_alive(identity, since=started_at)
    if last_sign_of_life is None:
        return False
    return (now - last_sign_of_life).total_seconds() > stale_after


def stale_tasks_fail(*, stale_after: float | None = None) -> list[int]:
    """Mark failed the tasks left running by a worker that is gone; the ids of the
    :class:`BackgroundTask` rows marked.

    A task's worker is gone when it ran on this host and its process no longer exists, or —
    when that cannot be checked (another host, an older worker id) — when the task has shown
    no sign of life (progress, or its start) for ``stale_after`` seconds
    (``settings.TASK_STALE_SECONDS``, default 3600).
    """
    limit = _stale_seconds() if stale_after is None else float(stale_after)
    now = timezone.now()
    tracked = {
        row.task_id: row
        for row in BackgroundTask.objects.filter(
            status__in=(BackgroundTaskStatus.QUEUED, BackgroundTaskStatus.RUNNING)
        ).only("pk", "task_id", "status", "updated_at", "started_at")
    }
    results = _queue_results()
    queue_running = (
        {}
        if results is None
        else {
            str(result.pk): result
            for result in results.filter(status="RUNNING").only("pk", "worker_ids", "started_at")
        }
    )
    stopped_queue_ids = []
    for queue_id, result in queue_running.items():
        row = tracked.get(queue_id)
        sign_of_life = max(
            (moment for moment in (result.started_at, row and row.updated_at) if moment),
            default=None,
        )
        if _worker_gone(
            list(result.worker_ids or []),
            started_at=result.started_at,
            last_sign_of_life=sign_of_life,
            now=now,
            stale_after=limit,
        ):
            stopped_queue_ids.append(queue_id)
    stopped_rows = [
        row.pk for queue_id, row in tracked.items() if queue_id in stopped_queue_ids
    ] + [
        row.pk
        for queue_id, row in tracked.items()
        if queue_id not in queue_running
        and row.status == BackgroundTaskStatus.RUNNING
        and (now - row.updated_at).total_seconds() > limit
    ]
    if results is not None and stopped_queue_ids:
        results.filter(pk__in=stopped_queue_ids, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
            traceback=f"{WORKER_STOPPED}\n",
        )
    if stopped_rows:
        BackgroundTask.objects.filter(
            pk__in=stopped_rows,
            status__in=(BackgroundTaskStatus.QUEUED, BackgroundTaskStatus.RUNNING),
        ).update(
            status=BackgroundTaskStatus.FAILED,
            error=WORKER_STOPPED,
            finished_at=now,
            updated_at=now,
        )
        logger.warning("background tasks %s: %s", sorted(stopped_rows), WORKER_STOPPED)
    return sorted(stopped_rows)


def _recover_quietly() -> None:
    """:func:`stale_tasks_fail` before a task runs; a problem there never stops the task."""
    try:
        stale_tasks_fail()
    except Exception:
        logger.exception("could not check for tasks left running by a stopped worker")


def background_task_requeue(
    row: BackgroundTask, *, actor: Any = None, source: str = AuditSource.SYSTEM
) -> BackgroundTask:
    """Queue a failed task again, with the arguments it was queued with; the new row.

    ``Conflict`` when the task has not failed, or when the queue no longer holds its
    arguments (its result was pruned). The caller checks who may do it.
    """
    if row.status != BackgroundTaskStatus.FAILED:
        raise Conflict(
            f"only a failed task can be queued again (task {row.pk} is {row.status})",
            code="task_not_failed",
            details={"status": row.status},
        )
    try:
        queued = task_backends["default"].get_result(row.task_id)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        raise Conflict(
            f"the queue no longer holds the arguments of task {row.pk}: start it again",
            code="task_arguments_gone",
        ) from None
    arguments = {
        name: value for name, value in queued.kwargs.items() if name != "background_task_id"
    }
    again = background_task_enqueue(
        queued.task, kind=row.kind, label=row.label, actor=actor, arguments=arguments
    )
    BackgroundTask.objects.filter(pk=row.pk).update(
        message=f"queued again as task {again.pk}"[:MESSAGE_LENGTH], updated_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="core.background_task.requeue",
        instance=row,
        after={"task": again.pk},
        source=source,
    )
    return again


# --- the worker process ----------------------------------------------------------


def worker_run(*, interval: float = 1.0, batch: bool = False, verbose: bool = False) -> list[int]:
    """Run the worker in this process (``sdg87 worker``) under the id ``host:pid``, first
    failing the tasks left running by workers that are gone; returns (when the worker stops,
    e.g. in ``batch`` mode) the ids of the tasks it failed so."""
    from django.core.management import call_command

    recovered = stale_tasks_fail()
    call_command(
        "db_worker",
        queue_name="*",
        interval=interval,
        batch=batch,
        reload=False,
        startup_delay=not batch,
        worker_id=str(WorkerIdentity.current()),
        verbosity=1 if verbose else 0,
    )
    return recovered


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
