"""Curators start a harvest from the web (or the API), follow the task on its own page and
queue a failed task again."""

from __future__ import annotations

import json

import pytest

from sdg87.accounts.tests.factories import CuratorFactory, UserFactory
from sdg87.core.models import BackgroundTask, BackgroundTaskStatus
from sdg87.core.tasks import WORKER_STOPPED
from sdg87.library import tasks
from sdg87.library.tests.local_http import serving
from sdg87.library.tests.oai_support import FakeRepository, dc_record


@pytest.fixture
def local_server():
    yield from serving()


@pytest.fixture
def repository(local_server, settings):
    settings.HARVEST_ALLOWED_PRIVATE_ENDPOINTS = [local_server.endpoint]
    local_server.route("/oai", FakeRepository([[dc_record("oai:x:1", title="One")]]))
    return local_server.url("/oai")


@pytest.fixture
def curator(client, db):
    user = CuratorFactory()
    client.force_login(user)
    return user


def stopped_task(url: str) -> BackgroundTask:
    """A harvest whose worker died: failed with the recovery's reason."""
    queued = tasks.harvest_enqueue(url=url, protocol="oai-pmh")
    BackgroundTask.objects.filter(pk=queued.pk).update(
        status=BackgroundTaskStatus.FAILED, error=WORKER_STOPPED
    )
    queued.refresh_from_db()
    return queued


# --- the harvest form -------------------------------------------------------------------------


def test_the_harvest_form_queues_a_harvest_and_opens_its_progress_page(client, curator, repository):
    response = client.post("/en/library/harvest/", {"url": repository, "protocol": "oai-pmh"})
    queued = BackgroundTask.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/library/tasks/{queued.pk}/"
    assert (queued.kind, queued.requested_by) == ("harvest", curator)
    page = client.get(response["Location"]).content.decode()
    assert "Queued" in page
    assert '<meta http-equiv="refresh"' in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/oai", "only http and https URLs"),
        ("http://169.254.169.254/latest", "refused to connect to 169.254.169.254"),
        ("http://127.0.0.1:8000/oai", "private, loopback and link-local addresses"),
    ],
)
def test_the_harvest_form_explains_a_refused_url(client, curator, settings, url, message):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    response = client.post("/en/library/harvest/", {"url": url, "protocol": "rss"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BackgroundTask.objects.exists()


def test_the_harvest_form_is_for_curators(client, db):
    assert client.get("/en/library/harvest/").status_code == 302  # to the sign-in page
    client.force_login(UserFactory())
    assert client.get("/en/library/harvest/").status_code == 403


def test_the_review_queue_and_the_tasks_page_link_to_the_harvest_form(client, curator):
    for address in ("/en/library/review/", "/en/library/tasks/"):
        assert 'href="/en/library/harvest/"' in client.get(address).content.decode()


# --- a stopped task, queued again -------------------------------------------------------------


def test_a_task_stopped_with_its_worker_says_so_and_offers_to_queue_it_again(
    client, curator, repository
):
    stopped = stopped_task(repository)
    page = client.get(f"/en/library/tasks/{stopped.pk}/").content.decode()
    assert "The worker stopped before finishing this task" in page
    assert f'action="/en/library/tasks/{stopped.pk}/retry/"' in page

    response = client.post(f"/en/library/tasks/{stopped.pk}/retry/")

    again = BackgroundTask.objects.exclude(pk=stopped.pk).get()
    assert response["Location"] == f"/en/library/tasks/{again.pk}/"
    assert (again.kind, again.label, again.status) == ("harvest", stopped.label, "queued")


def test_only_curators_queue_a_task_again(client, repository, db):
    stopped = stopped_task(repository)
    client.force_login(UserFactory())
    assert client.post(f"/en/library/tasks/{stopped.pk}/retry/").status_code == 403
    assert client.post(f"/api/v1/tasks/{stopped.pk}/retry").status_code == 403
    assert BackgroundTask.objects.count() == 1


def test_the_api_queues_a_failed_task_again_and_refuses_a_queued_one(client, curator, repository):
    stopped = stopped_task(repository)
    response = client.post(f"/api/v1/tasks/{stopped.pk}/retry")
    assert response.status_code == 201
    again = response.json()
    assert (again["kind"], again["status"]) == ("harvest", "queued")
    assert client.post(f"/api/v1/tasks/{again['id']}/retry").status_code == 409


def test_the_api_starts_a_harvest_and_refuses_a_private_address(
    client, curator, repository, settings
):
    response = client.post(
        "/api/v1/tasks/harvests",
        data=json.dumps({"url": repository, "protocol": "oai-pmh"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "harvest"
    refused = client.post(
        "/api/v1/tasks/harvests",
        data=json.dumps({"url": "http://10.1.2.3/oai", "protocol": "oai-pmh"}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "address_refused"
