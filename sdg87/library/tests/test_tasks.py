"""Background tasks: queued in the database, run by `sdg87 worker`, followed by curators."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from sdg87 import cli
from sdg87.accounts.tests.factories import CuratorFactory, UserFactory
from sdg87.core.errors import InvalidInput, PermissionDenied
from sdg87.core.models import BackgroundTask, BackgroundTaskStatus
from sdg87.core.tasks import (
    ProgressReporter,
    background_worker_hooks,
    import_file_enqueue,
    start_background_worker,
    stop_background_worker,
)
from sdg87.library import tasks
from sdg87.library.models import Resource
from sdg87.library.tests.local_http import serving
from sdg87.library.tests.oai_support import FakeRepository, dc_record, make_resource


@pytest.fixture
def local_server():
    yield from serving()


@pytest.fixture
def repository(local_server, settings):
    settings.HARVEST_ALLOWED_PRIVATE_ENDPOINTS = [local_server.endpoint]
    pages = [[dc_record("oai:x:1", title="One")], [dc_record("oai:x:2", title="Two")]]
    local_server.route("/oai", FakeRepository(pages))
    return local_server.url("/oai")


def run_worker() -> int:
    return cli.main(["worker", "--batch"])


# The worker closes connections that are not in autocommit mode (as after each request), so
# the tests that run it ask for ``transactional_db`` (real transactions; the root conftest
# empties the append-only audit trail afterwards) rather than ``db``.


def count_lines(path: str, *, progress, skip: int = 0) -> dict:
    """A file importer for the generic import task (registered by the test)."""
    lines = Path(path).read_text().splitlines()[skip:]
    progress(len(lines), len(lines), "counted")
    return {"lines": len(lines)}


# --- queueing and running -----------------------------------------------------------------


def test_a_queued_harvest_waits_in_the_database(repository, db):
    queued = tasks.harvest_enqueue(url=repository, protocol="oai-pmh")
    assert queued.status == BackgroundTaskStatus.QUEUED
    assert queued.kind == "harvest"
    assert DBTaskResult.objects.get(id=queued.task_id).status == "READY"
    assert Resource.objects.count() == 0


def test_the_worker_runs_a_harvest_and_records_its_progress_and_summary(
    repository, transactional_db
):
    queued = tasks.harvest_enqueue(url=repository, protocol="oai-pmh")
    assert run_worker() == 0
    done = BackgroundTask.objects.get(pk=queued.pk)
    assert done.status == BackgroundTaskStatus.SUCCEEDED
    assert (done.current, done.total, done.percent) == (2, 2, 100)
    assert done.result["created"] == 2
    assert done.started_at is not None
    assert done.finished_at is not None
    assert DBTaskResult.objects.get(id=queued.task_id).status == "SUCCESSFUL"
    assert Resource.objects.count() == 2


def test_a_failing_harvest_is_marked_failed_with_one_line(local_server, settings, transactional_db):
    settings.HARVEST_ALLOWED_PRIVATE_ENDPOINTS = [local_server.endpoint]
    local_server.route("/oai", lambda request: request.respond("<not-oai>\n</not-oai>"))
    queued = tasks.harvest_enqueue(url=local_server.url("/oai"), protocol="oai-pmh")
    assert run_worker() == 0
    failed = BackgroundTask.objects.get(pk=queued.pk)
    assert failed.status == BackgroundTaskStatus.FAILED
    assert failed.error
    assert "\n" not in failed.error
    assert DBTaskResult.objects.get(id=queued.task_id).status == "FAILED"


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/oai", "http://10.0.0.7/feed", "http://localhost:8000/oai"]
)
def test_a_private_address_is_refused_when_queued(url, settings, db):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(InvalidInput, match="refused to connect") as refused:
        tasks.harvest_enqueue(url=url, protocol="oai-pmh")
    assert refused.value.details["field"] == "url"
    assert BackgroundTask.objects.count() == 0


def test_a_malformed_harvest_url_is_refused_when_queued(db):
    with pytest.raises(InvalidInput):
        tasks.harvest_enqueue(url="file:///etc/passwd", protocol="rss")
    assert BackgroundTask.objects.count() == 0


def test_reindexing_runs_in_the_background(transactional_db):
    for _ in range(3):
        make_resource()
    queued = tasks.reindex_enqueue()
    run_worker()
    done = BackgroundTask.objects.get(pk=queued.pk)
    assert done.status == BackgroundTaskStatus.SUCCEEDED
    assert done.result == {"indexed": 3}
    assert (done.current, done.total) == (3, 3)


def test_the_generic_import_task_runs_a_registered_importer(settings, tmp_path, transactional_db):
    settings.TASK_FILE_IMPORTERS = {"lines": f"{__name__}.count_lines"}
    path = tmp_path / "data.txt"
    path.write_text("header\na\nb\n")
    queued = import_file_enqueue(importer="lines", path=str(path), options={"skip": 1})
    assert queued.label == "lines: data.txt"
    run_worker()
    done = BackgroundTask.objects.get(pk=queued.pk)
    assert (done.status, done.result) == (BackgroundTaskStatus.SUCCEEDED, {"lines": 2})


def test_an_unknown_importer_is_refused_when_queued(settings, db):
    settings.TASK_FILE_IMPORTERS = {}
    with pytest.raises(InvalidInput, match="unknown importer"):
        import_file_enqueue(importer="nope", path="/tmp/x")  # noqa: S108


def test_only_curators_may_queue_from_the_web(repository, db):
    with pytest.raises(PermissionDenied):
        tasks.harvest_enqueue(url=repository, protocol="oai-pmh", actor=UserFactory())
    queued = tasks.harvest_enqueue(url=repository, protocol="oai-pmh", actor=CuratorFactory())
    assert queued.requested_by is not None


def test_progress_is_written_at_most_twice_a_second(db):
    row = BackgroundTask.objects.create(kind="test", label="x")
    report = ProgressReporter(row.pk)
    report(1, 10, "first")
    report(2, 10, "second")  # within the interval: skipped
    row.refresh_from_db()
    assert (row.current, row.message) == (1, "first")
    report(10, 10, "done")  # the end is always written
    row.refresh_from_db()
    assert (row.current, row.message) == (10, "done")


# --- the command line ------------------------------------------------------------------------


def test_cli_harvest_background_queues_and_prints_the_task(repository, capsys, db):
    code = cli.main(["harvest", repository, "--protocol", "oai-pmh", "--background", "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["status"] == "queued"
    assert BackgroundTask.objects.get(pk=document["task"]).kind == "harvest"
    assert Resource.objects.count() == 0


def test_the_background_worker_process_starts_and_stops(tmp_path, monkeypatch):
    # A database of its own that is not set up: the worker says so and exits 1.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    process = start_background_worker()
    try:
        assert process.wait(timeout=60) == 1
    finally:
        stop_background_worker(process)
    assert process.args[:4] == [sys.executable, "-m", "sdg87.cli", "worker"]


def test_the_server_hooks_start_a_worker_and_stop_it_on_exit(monkeypatch):
    started = []  # a stand-in process: the real worker needs a migrated database file
    monkeypatch.setattr(
        "sdg87.core.tasks.start_background_worker",
        lambda interval: (
            started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]))
            or started[-1]
        ),
    )
    hooks = background_worker_hooks()
    hooks["on_starting"](None)
    assert started[0].poll() is None
    hooks["on_exit"](None)
    assert started[0].poll() is not None


def test_stop_background_worker_ends_a_running_worker():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stop_background_worker(sleeper, timeout=5)
    assert sleeper.poll() is not None


# --- curators follow the tasks ---------------------------------------------------------------


def test_the_api_lists_tasks_to_curators_only(client, repository, db):
    queued = tasks.harvest_enqueue(url=repository, protocol="oai-pmh")
    assert client.get("/api/v1/tasks").status_code == 401
    client.force_login(UserFactory())
    assert client.get("/api/v1/tasks").status_code == 403
    client.force_login(CuratorFactory())
    response = client.get("/api/v1/tasks")
    assert response.status_code == 200
    document = response.json()
    assert document["count"] == 1
    item = document["results"][0]
    assert (item["id"], item["kind"], item["status"]) == (queued.pk, "harvest", "queued")
    assert client.get(f"/api/v1/tasks/{queued.pk}").json()["label"] == queued.label
    assert client.get("/api/v1/tasks/999999").status_code == 404


def test_the_tasks_page_shows_status_and_progress_to_curators(client, repository, transactional_db):
    queued = tasks.harvest_enqueue(url=repository, protocol="oai-pmh")
    run_worker()
    client.force_login(UserFactory())
    assert client.get("/en/library/tasks/").status_code == 403
    client.force_login(CuratorFactory())
    response = client.get("/en/library/tasks/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="task-{queued.pk}"' in page
    assert "Succeeded" in page
    assert '<progress max="2" value="2"' in page
