"""The pathfinder API's writes: who may write (401/403/404), optimistic locking (409), input
refusals (400 naming the field), the whole report workflow over HTTP, funding gaps that add
up, and the exchange-rate table."""

import datetime
from decimal import Decimal

import pytest

from sdg87.accounts.tests.factories import api_token
from sdg87.pathfinders.models import Action, AnnualReport, ExchangeRate, Priority, Roadmap
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1/pathfinders"


def bearer(user):
    _token, plaintext = api_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def post(client, url, data, user):
    return client.post(url, data, content_type="application/json", **bearer(user))


def patch(client, url, data, user):
    return client.patch(url, data, content_type="application/json", **bearer(user))


# --- who may write ----------------------------------------------------------------------------


def test_a_signed_out_write_is_a_401(client):
    roadmap = factories.roadmap("FRA")

    created = client.post(
        f"{API}/FRA/roadmaps",
        {"title": "Plan", "period_start": 2024, "period_end": 2026},
        content_type="application/json",
    )
    changed = client.patch(
        f"{API}/roadmaps/{roadmap.pk}", {"lock_version": 1}, content_type="application/json"
    )

    assert (created.status_code, changed.status_code) == (401, 401)
    assert created.json()["error"]["code"] == "not_authenticated"


def test_a_partner_editor_may_not_write_roadmaps(client):
    roadmap = factories.roadmap("FRA")
    editor = factories.PartnerEditorFactory()

    created = post(
        client,
        f"{API}/FRA/roadmaps",
        {"title": "P", "period_start": 2024, "period_end": 2026},
        editor,
    )
    changed = patch(
        client, f"{API}/roadmaps/{roadmap.pk}", {"lock_version": 1, "title": "X"}, editor
    )

    assert (created.status_code, changed.status_code) == (403, 403)
    assert Roadmap.objects.get().title == roadmap.title


def test_a_focal_point_of_another_country_may_not_write_a_foreign_published_roadmap(client):
    roadmap = factories.roadmap("FRA")
    kenyan = factories.FocalPointFactory(countries=[factories.country("KEN")])

    response = patch(
        client, f"{API}/roadmaps/{roadmap.pk}", {"lock_version": 1, "title": "X"}, kenyan
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_focal_point_of_another_country_gets_404_writing_a_foreign_draft_report(client):
    report = factories.report_through(AnnualReport.Status.DRAFT)
    kenyan = factories.FocalPointFactory(countries=[factories.country("KEN")])

    response = patch(client, f"{API}/reports/{report.pk}", {"lock_version": 1}, kenyan)

    assert response.status_code == 404


# --- roadmaps ---------------------------------------------------------------------------------


def test_the_focal_point_builds_a_roadmap_with_priority_action_indicator_and_milestone(client):
    factories.pathfinder("FRA")
    factories.indicator("8.7.1")
    focal_point = factories.FocalPointFactory()

    roadmap = post(
        client,
        f"{API}/FRA/roadmaps",
        {"title": "Plan", "period_start": 2024, "period_end": 2026},
        focal_point,
    )
    assert (roadmap.status_code, roadmap.json()["status"]) == (201, "draft")
    roadmap_id = roadmap.json()["id"]
    priority = post(
        client, f"{API}/roadmaps/{roadmap_id}/priorities", {"title": "Prevent"}, focal_point
    )
    assert priority.status_code == 201
    action = post(
        client,
        f"{API}/priorities/{priority.json()['id']}/actions",
        {"title": "Inspect", "currency": "usd", "budget_planned": "1500.5", "budget_secured": 500},
        focal_point,
    )
    assert action.status_code == 201
    assert action.json()["budget"]["gap"] == "1000.50"
    linked = client.put(
        f"{API}/roadmaps/{roadmap_id}/indicators/8.7.1",
        {"baseline_value": 9.5, "baseline_year": 2020, "target_value": 0, "target_year": 2030},
        content_type="application/json",
        **bearer(focal_point),
    )
    assert (linked.status_code, linked.json()["target_year"]) == (200, 2030)
    milestone = post(
        client,
        f"{API}/roadmaps/{roadmap_id}/milestones",
        {"title": "Law adopted", "due_on": "2025-06-30", "action": action.json()["id"]},
        focal_point,
    )
    assert milestone.status_code == 201

    body = client.get(f"{API}/roadmaps/{roadmap_id}", **bearer(focal_point)).json()
    assert body["funding"]["gap_usd"] == "1000.50"
    assert body["indicators"][0]["baseline_value"] == 9.5
    assert body["milestones"][0]["title"] == "Law adopted"


def test_a_stale_lock_version_is_a_409_edit_conflict(client):
    roadmap = factories.roadmap("FRA")
    focal_point = factories.FocalPointFactory()
    url = f"{API}/roadmaps/{roadmap.pk}"

    first = patch(client, url, {"lock_version": 1, "title": "Mine"}, focal_point)
    second = patch(client, url, {"lock_version": 1, "title": "Theirs"}, focal_point)

    assert (first.status_code, first.json()["lock_version"]) == (200, 2)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "edit_conflict"
    assert Roadmap.objects.get().title == "Mine"


def test_a_stale_action_lock_version_is_a_409(client):
    action = factories.action(factories.roadmap("FRA"))
    focal_point = factories.FocalPointFactory()
    url = f"{API}/actions/{action.pk}"

    assert (
        patch(client, url, {"lock_version": 1, "status": "delayed"}, focal_point).status_code == 200
    )
    response = patch(client, url, {"lock_version": 1, "status": "done"}, focal_point)

    assert response.status_code == 409
    assert Action.objects.get().status == "delayed"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"budget_planned": "-5"}, "budget_planned"), ({"currency": "XYZ"}, "currency")],
)
def test_a_bad_budget_or_currency_is_a_400_naming_the_field(client, change, field):
    action = factories.action(factories.roadmap("FRA"))
    focal_point = factories.FocalPointFactory()

    response = patch(
        client, f"{API}/actions/{action.pk}", {"lock_version": 1, **change}, focal_point
    )
    created = post(
        client,
        f"{API}/priorities/{action.priority_id}/actions",
        {"title": "New", **change},
        focal_point,
    )

    for refused in (response, created):
        assert refused.status_code == 400
        assert field in refused.json()["error"]["details"]
    assert Action.objects.count() == 1


@pytest.mark.parametrize(
    "partners",
    [
        [-589024492881333125120],  # found by schemathesis: beyond 64 bits, a 500 before
        [2**63],
        [0, -1],
        [123456789],
    ],
)
def test_partner_ids_that_name_no_organisation_are_a_400_naming_the_field(client, partners):
    action = factories.action(factories.roadmap("FRA"))
    focal_point = factories.FocalPointFactory()

    created = post(
        client,
        f"{API}/priorities/{action.priority_id}/actions",
        {"title": "New", "partners": partners},
        focal_point,
    )
    changed = patch(
        client, f"{API}/actions/{action.pk}", {"lock_version": 1, "partners": partners}, focal_point
    )

    for refused in (created, changed):
        assert refused.status_code == 400
        assert "partners" in refused.json()["error"]["details"]
    assert Action.objects.count() == 1


def test_a_priority_with_actions_cannot_be_deleted_but_an_empty_one_can(client):
    roadmap = factories.roadmap("FRA")
    action = factories.action(roadmap)
    empty = Priority.objects.create(roadmap=roadmap, title="Empty")
    focal_point = factories.FocalPointFactory()

    refused = client.delete(f"{API}/priorities/{action.priority_id}", **bearer(focal_point))
    deleted = client.delete(f"{API}/priorities/{empty.pk}", **bearer(focal_point))

    assert (refused.status_code, deleted.status_code) == (400, 204)
    assert list(Priority.objects.values_list("pk", flat=True)) == [action.priority_id]


# --- reports ----------------------------------------------------------------------------------


def test_the_whole_workflow_over_the_api_publishes_values_as_observations(client):
    factories.indicator("8.7.1")
    factories.pathfinder("FRA")
    focal_point, curator = factories.FocalPointFactory(), factories.CuratorFactory()

    created = post(client, f"{API}/FRA/reports", {"year": 2024}, focal_point)
    assert (created.status_code, created.json()["status"]) == (201, "draft")
    report_id = created.json()["id"]
    edited = patch(
        client,
        f"{API}/reports/{report_id}",
        {
            "lock_version": created.json()["lock_version"],
            "progress": "Inspections doubled.",
            "indicator_values": [{"indicator": "8.7.1", "year": 2024, "value": 3.25}],
        },
        focal_point,
    )
    assert edited.status_code == 200
    steps = [
        ("submit", "", focal_point, "submitted"),
        ("request_changes", "Add 2023.", curator, "changes_requested"),
        ("resubmit", "", focal_point, "resubmitted"),
        ("approve", "", curator, "approved"),
        ("publish", "", curator, "published"),
    ]
    for action, comment, actor, status in steps:
        response = post(
            client,
            f"{API}/reports/{report_id}/transitions",
            {"action": action, "comment": comment},
            actor,
        )
        assert (response.status_code, response.json()["status"]) == (200, status), action

    public = client.get(f"{API}/reports/{report_id}").json()
    assert [step["comment"] for step in public["transitions"]][1] == "Add 2023."
    observations = client.get("/api/v1/indicators/8.7.1/observations?country=FRA").json()
    (observation,) = observations["results"]
    assert observation["value"] == 3.25
    assert observation["source"] == "Pathfinder annual report FRA 2024, version 1"


def test_an_out_of_order_transition_is_a_409_with_a_clear_message(client):
    report = factories.report_through(AnnualReport.Status.DRAFT)

    response = post(
        client,
        f"{API}/reports/{report.pk}/transitions",
        {"action": "publish"},
        factories.CuratorFactory(),
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert "draft cannot be publish" in error["message"]
    assert error["details"]["allowed"] == ["submit"]
    assert AnnualReport.objects.get().status == "draft"


def test_a_focal_point_may_not_approve_its_own_report(client):
    report = factories.report_through(AnnualReport.Status.SUBMITTED)

    response = post(
        client,
        f"{API}/reports/{report.pk}/transitions",
        {"action": "approve"},
        factories.FocalPointFactory(),
    )

    assert response.status_code == 403
    assert AnnualReport.objects.get().status == "submitted"


def test_a_stale_report_lock_version_is_a_409(client):
    report = factories.report_through(AnnualReport.Status.DRAFT)
    focal_point = factories.FocalPointFactory()
    url = f"{API}/reports/{report.pk}"

    assert (
        patch(
            client, url, {"lock_version": report.lock_version, "challenges": "A"}, focal_point
        ).status_code
        == 200
    )
    response = patch(
        client, url, {"lock_version": report.lock_version, "challenges": "B"}, focal_point
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "edit_conflict"


def test_a_negative_budget_in_an_action_update_is_a_400_naming_the_item(client):
    action = factories.action(factories.roadmap("FRA"))
    report = factories.report_through(AnnualReport.Status.DRAFT)

    response = patch(
        client,
        f"{API}/reports/{report.pk}",
        {
            "lock_version": report.lock_version,
            "action_updates": [{"action": action.pk, "budget_spent": -1}],
        },
        factories.FocalPointFactory(),
    )

    assert response.status_code == 400
    assert "action_updates[1].budget_spent" in response.json()["error"]["details"]


def test_a_correction_of_a_published_report_is_a_new_draft_version(client):
    report = factories.report_through(AnnualReport.Status.PUBLISHED)

    response = post(
        client, f"{API}/reports/{report.pk}/corrections", {}, factories.FocalPointFactory()
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["version"], body["status"], body["supersedes"]) == (2, "draft", report.pk)


def test_evidence_links_are_attached_to_an_editable_report_only(client):
    draft = factories.report_through(AnnualReport.Status.DRAFT)
    published = factories.report_through(AnnualReport.Status.PUBLISHED, year=2023)
    focal_point = factories.FocalPointFactory()
    link = {"title": "Inspection data", "url": "https://example.org/data.csv"}

    added = post(client, f"{API}/reports/{draft.pk}/evidence", link, focal_point)
    locked = post(client, f"{API}/reports/{published.pk}/evidence", link, focal_point)

    assert (added.status_code, added.json()["url"], added.json()["file"]) == (
        201,
        link["url"],
        None,
    )
    assert locked.status_code == 409


def test_the_review_queue_is_for_curators(client):
    submitted = factories.report_through(AnnualReport.Status.SUBMITTED)
    factories.report_through(AnnualReport.Status.DRAFT, year=2023)

    curator = client.get(f"{API}/review-queue", **bearer(factories.CuratorFactory())).json()
    focal = client.get(f"{API}/review-queue", **bearer(factories.FocalPointFactory())).json()

    assert [item["id"] for item in curator["results"]] == [submitted.pk]
    assert focal["count"] == 0
    assert client.get(f"{API}/review-queue").status_code == 401


# --- funding gaps and exchange rates ----------------------------------------------------------


def test_funding_gaps_add_up_from_actions_to_priorities_countries_and_the_world(client):
    ExchangeRate.objects.create(
        currency="EUR", rate_date=datetime.date(2024, 1, 1), usd_per_unit="2"
    )
    france = factories.roadmap("FRA")
    first = Priority.objects.create(roadmap=france, title="First")
    second = Priority.objects.create(roadmap=france, title="Second")
    factories.action(france, priority=first, planned="1000", secured="400")  # gap 600
    factories.action(france, priority=first, planned="100", secured="300")  # over-funded: 0
    factories.action(france, priority=second, planned="50", secured="0", currency="EUR")  # 100
    factories.action(france, priority=second, planned="999", status="cancelled")  # left out
    factories.action(france, priority=second, planned="10", currency="KES")  # no rate
    kenya = factories.roadmap("KEN")
    factories.action(kenya, planned="300", secured="0")  # 300

    body = client.get(f"{API}/funding-gaps").json()

    by_priority = {item["id"]: Decimal(item["gap_usd"]) for item in body["by_priority"]}
    by_country = {item["country"]: Decimal(item["gap_usd"]) for item in body["by_country"]}
    assert by_priority[first.pk] == Decimal(600)
    assert by_priority[second.pk] == Decimal(100)
    assert by_country == {"FRA": Decimal(700), "KEN": Decimal(300)}
    assert (
        Decimal(body["total"]["gap_usd"]) == sum(by_country.values()) == sum(by_priority.values())
    )
    assert body["missing_rates"] == ["KES"]
    assert body["most_in_need"][0]["id"] == first.pk
    only_kenya = client.get(f"{API}/funding-gaps?country=KEN").json()
    assert only_kenya["total"]["gap_usd"] == "300.00"


def test_curators_set_exchange_rates_and_everyone_reads_them(client):
    url = f"{API}/exchange-rates/eur/2024-12-31"
    payload = {"usd_per_unit": "1.04", "source": "ECB"}

    refused = client.put(
        url, payload, content_type="application/json", **bearer(factories.FocalPointFactory())
    )
    saved = client.put(
        url, payload, content_type="application/json", **bearer(factories.CuratorFactory())
    )
    listed = client.get(f"{API}/exchange-rates?currency=EUR").json()

    assert refused.status_code == 403
    assert (saved.status_code, saved.json()["currency"], saved.json()["date"]) == (
        200,
        "EUR",
        "2024-12-31",
    )
    assert [(item["usd_per_unit"], item["source"]) for item in listed["results"]] == [
        ("1.0400000000", "ECB")
    ]


def test_an_exchange_rate_of_zero_is_a_400(client):
    response = client.put(
        f"{API}/exchange-rates/EUR/2024-12-31",
        {"usd_per_unit": 0},
        content_type="application/json",
        **bearer(factories.CuratorFactory()),
    )

    assert response.status_code == 400
    assert "usd_per_unit" in response.json()["error"]["details"]


def test_an_evidence_file_is_uploaded_and_downloaded_only_by_those_who_see_the_report(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = factories.report_through(AnnualReport.Status.DRAFT)
    focal_point = factories.FocalPointFactory()
    upload = SimpleUploadedFile("inspections.csv", b"year,count\n2024,12\n", "text/csv")

    added = client.post(
        f"{API}/reports/{report.pk}/evidence-files",
        {"title": "Inspections", "file": upload},
        **bearer(focal_point),
    )
    assert added.status_code == 201
    download = added.json()["file"]
    private = client.get(download, **bearer(focal_point))
    public = client.get(download)

    assert private.status_code == 200
    assert b"".join(private.streaming_content) == b"year,count\n2024,12\n"
    assert private["Content-Disposition"].startswith("attachment")
    assert public.status_code == 404
