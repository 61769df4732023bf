"""Tasks left "running" by a worker that died (kill -9) are failed when a worker starts, and a
failed task can be queued again."""

from __future__ import annotations

import datetime
import os
import socket
import subprocess
import sys
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from sdg87 import cli
from sdg87.core.errors import Conflict
from sdg87.core.models import AuditEntry, BackgroundTask, BackgroundTaskStatus
from sdg87.core.tasks import (
    WORKER_STOPPED,
    WorkerIdentity,
    background_task_enqueue,
    background_task_requeue,
    run_tracked,
    stale_tasks_fail,
    worker_is_alive,
)


@task()
def echo_task(*, background_task_id: int, word: str) -> dict[str, Any]:
    """A task for these tests: succeeds with the word it was given."""
    return run_tracked(background_task_id, lambda progress: {"word": word})


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def claimed(
    worker_id: str, *, started: datetime.datetime | None = None, word: str = "hello"
) -> BackgroundTask:
    """A queued task as a worker with ``worker_id`` left it: claimed and running."""
    row = background_task_enqueue(echo_task, kind="test", label=word, arguments={"word": word})
    started = started or timezone.now()
    DBTaskResult.objects.filter(pk=row.task_id).update(
        status="RUNNING", started_at=started, worker_ids=[worker_id]
    )
    BackgroundTask.objects.filter(pk=row.pk).update(
        status=BackgroundTaskStatus.RUNNING, started_at=started, updated_at=started
    )
    return row


def status_of(row: BackgroundTask) -> tuple[str, str, str]:
    row.refresh_from_db()
    return row.status, row.error, DBTaskResult.objects.get(pk=row.task_id).status


# --- pure -----------------------------------------------------------------------------------


def test_a_worker_id_is_host_and_pid_and_reads_back():
    identity = WorkerIdentity(host="web-1.example.org", pid=4242)
    assert str(identity) == "web-1.example.org:4242"
    assert WorkerIdentity.parse(str(identity)) == identity
    assert WorkerIdentity.parse("Ab3xRandomIdOfAnOlderWorker") is None
    assert len(str(WorkerIdentity(host="h" * 100, pid=4242))) == 64


def test_a_process_that_exited_is_not_alive():
    assert not worker_is_alive(WorkerIdentity(host=socket.gethostname(), pid=dead_pid()))
    assert worker_is_alive(WorkerIdentity.current())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_pid_reused_by_a_process_started_after_the_task_is_not_the_worker():
    long_ago = timezone.now() - datetime.timedelta(days=3650)
    assert not worker_is_alive(WorkerIdentity.current(), since=long_ago)


# --- recovery -------------------------------------------------------------------------------


def test_a_task_left_running_by_a_dead_worker_fails_when_a_worker_starts(transactional_db):
    row = claimed(f"{socket.gethostname()}:{dead_pid()}")

    assert cli.main(["worker", "--batch"]) == 0

    assert status_of(row) == (BackgroundTaskStatus.FAILED, WORKER_STOPPED, "FAILED")
    row.refresh_from_db()
    assert row.finished_at is not None
    assert "worker stopped before finishing" in DBTaskResult.objects.get(pk=row.task_id).traceback


def test_a_task_whose_worker_still_runs_is_left_running(db):
    row = claimed(str(WorkerIdentity.current()))
    assert stale_tasks_fail() == []
    assert status_of(row) == (BackgroundTaskStatus.RUNNING, "", "RUNNING")


def test_a_task_of_a_worker_elsewhere_fails_only_after_the_timeout(db, settings):
    settings.TASK_STALE_SECONDS = 3600
    recent = claimed("other-host:123", word="recent")
    silent = claimed(
        "other-host:456", started=timezone.now() - datetime.timedelta(hours=2), word="silent"
    )
    assert stale_tasks_fail() == [silent.pk]
    assert status_of(recent)[0] == BackgroundTaskStatus.RUNNING
    assert status_of(silent) == (BackgroundTaskStatus.FAILED, WORKER_STOPPED, "FAILED")


def test_recent_progress_keeps_a_long_task_of_a_worker_elsewhere_running(db, settings):
    settings.TASK_STALE_SECONDS = 3600
    row = claimed("other-host:123", started=timezone.now() - datetime.timedelta(hours=5))
    BackgroundTask.objects.filter(pk=row.pk).update(updated_at=timezone.now())
    assert stale_tasks_fail() == []


# --- queueing again -------------------------------------------------------------------------


def test_a_failed_task_is_queued_again_with_its_arguments(transactional_db):
    row = claimed(f"{socket.gethostname()}:{dead_pid()}", word="again")
    stale_tasks_fail()
    row.refresh_from_db()

    again = background_task_requeue(row)

    assert (again.kind, again.label, again.status) == ("test", "again", "queued")
    assert again.pk != row.pk
    assert DBTaskResult.objects.get(pk=again.task_id).args_kwargs["kwargs"] == {
        "background_task_id": again.pk,
        "word": "again",
    }
    row.refresh_from_db()
    assert row.message == f"queued again as task {again.pk}"
    assert AuditEntry.objects.filter(action="core.background_task.requeue").count() == 1
    cli.main(["worker", "--batch"])
    again.refresh_from_db()
    assert (again.status, again.result) == (BackgroundTaskStatus.SUCCEEDED, {"word": "again"})


def test_only_a_failed_task_is_queued_again(db):
    row = claimed(str(WorkerIdentity.current()))
    with pytest.raises(Conflict, match="only a failed task"):
        background_task_requeue(row)


def test_a_task_whose_queue_entry_was_pruned_cannot_be_queued_again(db):
    row = claimed(f"{socket.gethostname()}:{os.getpid()}")
    BackgroundTask.objects.filter(pk=row.pk).update(status=BackgroundTaskStatus.FAILED)
    DBTaskResult.objects.filter(pk=row.task_id).delete()
    row.refresh_from_db()
    with pytest.raises(Conflict, match="no longer holds"):
        background_task_requeue(row)
