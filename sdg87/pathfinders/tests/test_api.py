"""The pathfinder API's reads: the contract endpoints, their shapes and the `example` flag,
and who sees what (drafts and unpublished reports do not exist for the public)."""

import datetime

import pytest

from sdg87.framework.models import Theme
from sdg87.partners.tests.factories import PledgeFactory
from sdg87.pathfinders.models import (
    AnnualReport,
    ExchangeRate,
    Milestone,
    Priority,
    Roadmap,
    RoadmapIndicator,
)
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db

UNPUBLISHED = [
    AnnualReport.Status.DRAFT,
    AnnualReport.Status.SUBMITTED,
    AnnualReport.Status.CHANGES_REQUESTED,
    AnnualReport.Status.RESUBMITTED,
    AnnualReport.Status.APPROVED,
]


def test_list_gives_each_pathfinder_its_roadmap_status_gap_in_usd_and_example_flag(client):
    factories.pathfinder("FRA", example=True)
    factories.action(factories.roadmap("FRA"), planned="1000", secured="400")
    factories.pathfinder("KEN")

    body = client.get("/api/v1/pathfinders").json()

    assert body["count"] == 2
    france, kenya = body["results"]
    assert (france["iso3"], france["example"], france["roadmap_status"]) == ("FRA", True, "adopted")
    assert france["funding_gap_usd"] == "600.00"
    assert france["funding"]["planned_usd"] == "1000.00"
    assert france["roadmap"]["example"] is False
    assert (kenya["iso3"], kenya["example"], kenya["roadmap_status"]) == ("KEN", False, None)
    assert kenya["funding_gap_usd"] == "0.00"


def test_list_is_paginated_up_to_1000(client):
    factories.pathfinder("FRA")
    factories.pathfinder("KEN")

    page = client.get("/api/v1/pathfinders?page=2&page_size=1").json()

    assert (page["count"], [item["iso3"] for item in page["results"]]) == (2, ["KEN"])
    assert client.get("/api/v1/pathfinders?page_size=1001").status_code == 422


def test_list_hides_a_draft_roadmap_from_the_public(client):
    factories.roadmap("FRA", status=Roadmap.Status.DRAFT)

    (france,) = client.get("/api/v1/pathfinders").json()["results"]

    assert (france["roadmap"], france["roadmap_status"]) == (None, None)


def test_list_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for iso3 in ("FRA", "KEN", "UGA", "TZA", "GHA", "NGA"):
        roadmap = factories.roadmap(iso3)
        factories.action(roadmap)
        factories.action(roadmap, currency="EUR")
        factories.report_through(AnnualReport.Status.PUBLISHED, iso3=iso3)
    ExchangeRate.objects.create(
        currency="EUR", rate_date=datetime.date(2024, 1, 1), usd_per_unit="1.1"
    )

    with django_assert_max_num_queries(15):
        body = client.get("/api/v1/pathfinders").json()

    assert body["count"] == 6
    assert all(item["latest_report"]["year"] == 2024 for item in body["results"])


def test_current_roadmap_shows_budgets_in_their_currency_and_in_usd_with_the_rate_date(client):
    factories.indicator("8.7.1")
    theme = Theme.objects.create(slug="child-labour", name_en="Child labour")
    roadmap = factories.roadmap("FRA", is_example=True)
    priority = Priority.objects.create(roadmap=roadmap, title="Prevention")
    priority.themes.add(theme)
    pledge = PledgeFactory()
    pledge.roadmap_priorities.add(priority)
    action = factories.action(
        roadmap, planned="1000", secured="400", spent="0", currency="EUR", lead_agency="Ministry"
    )
    ExchangeRate.objects.create(
        currency="EUR", rate_date=datetime.date(2024, 1, 1), usd_per_unit="1.1"
    )
    RoadmapIndicator.objects.create(
        roadmap=roadmap,
        indicator=factories.indicator("8.7.1"),
        baseline_value=10,
        baseline_year=2020,
        target_value=0,
        target_year=2025,
    )
    Milestone.objects.create(roadmap=roadmap, action=action, title="Law", due_on="2025-06-30")

    body = client.get("/api/v1/pathfinders/fra/roadmap").json()

    assert (body["id"], body["example"], body["country"]) == (roadmap.pk, True, "FRA")
    (first,) = body["priorities"]
    assert first["themes"] == [{"slug": "child-labour", "name": "Child labour"}]
    assert first["pledges"] == [{"id": pledge.pk, "title": pledge.title, "status": "active"}]
    (row,) = first["actions"]
    assert row["lead_agency"] == "Ministry"
    assert row["budget"] == {
        "planned": "1000.00",
        "secured": "400.00",
        "spent": "0.00",
        "gap": "600.00",
    }
    assert row["budget_usd"]["gap_usd"] == "660.00"
    assert row["budget_usd"]["rate_date"] == "2024-01-01"
    assert body["indicators"][0]["indicator"] == "8.7.1"
    assert body["indicators"][0]["baseline_value"] == 10
    assert body["milestones"][0]["action"] == action.pk
    assert body["funding"]["gap_usd"] == "660.00"


def test_an_action_whose_currency_has_no_rate_is_listed_as_missing(client):
    factories.action(factories.roadmap("FRA"), currency="KES")

    body = client.get("/api/v1/pathfinders/FRA/roadmap").json()

    assert body["priorities"][0]["actions"][0]["budget_usd"] is None
    assert body["funding"]["missing_rates"] == ["KES"]


def test_a_draft_roadmap_is_a_404_to_the_public_and_to_other_countries(client):
    draft = factories.roadmap("FRA", status=Roadmap.Status.DRAFT)

    assert client.get(f"/api/v1/pathfinders/roadmaps/{draft.pk}").status_code == 404
    assert client.get("/api/v1/pathfinders/FRA/roadmap").status_code == 404
    assert client.get("/api/v1/pathfinders/FRA/roadmaps").json()["count"] == 0
    client.force_login(factories.FocalPointFactory(countries=[factories.country("KEN")]))
    assert client.get(f"/api/v1/pathfinders/roadmaps/{draft.pk}").status_code == 404


def test_the_countrys_focal_point_sees_its_draft_roadmap(client):
    draft = factories.roadmap("FRA", status=Roadmap.Status.DRAFT)
    client.force_login(factories.FocalPointFactory())

    assert client.get(f"/api/v1/pathfinders/roadmaps/{draft.pk}").json()["status"] == "draft"
    assert [
        item["id"] for item in client.get("/api/v1/pathfinders/FRA/roadmaps").json()["results"]
    ] == [draft.pk]


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_the_public_never_sees_an_unpublished_report(client, status):
    report = factories.report_through(status)

    listed = client.get("/api/v1/pathfinders/FRA/reports").json()
    response = client.get(f"/api/v1/pathfinders/reports/{report.pk}")

    assert listed["count"] == 0
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unpublished_report_answers_exactly_like_a_missing_one(client):
    report = factories.report_through(AnnualReport.Status.SUBMITTED)

    hidden = client.get(f"/api/v1/pathfinders/reports/{report.pk}")
    missing = client.get(f"/api/v1/pathfinders/reports/{report.pk + 1000}")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"] == f"no report {report.pk}"
    assert missing.json()["error"]["message"] == f"no report {report.pk + 1000}"


def test_a_focal_point_of_another_country_gets_404_on_a_foreign_draft(client):
    report = factories.report_through(AnnualReport.Status.DRAFT)
    client.force_login(factories.FocalPointFactory(countries=[factories.country("KEN")]))

    assert client.get(f"/api/v1/pathfinders/reports/{report.pk}").status_code == 404
    assert client.get("/api/v1/pathfinders/FRA/reports").json()["count"] == 0


def test_a_published_report_shows_values_and_its_review_history_to_the_public(client):
    factories.indicator("8.7.1")
    report = factories.report_through(
        AnnualReport.Status.PUBLISHED, values=[{"indicator": "8.7.1", "year": 2024, "value": 4.5}]
    )

    listed = client.get("/api/v1/pathfinders/FRA/reports").json()
    body = client.get(f"/api/v1/pathfinders/reports/{report.pk}").json()

    assert [(item["id"], item["example"]) for item in listed["results"]] == [(report.pk, False)]
    assert body["indicator_values"] == [
        {"indicator": "8.7.1", "year": 2024, "value": 4.5, "note": ""}
    ]
    assert [step["action"] for step in body["transitions"]] == ["submit", "approve", "publish"]
    assert all(step["actor"] and step["at"] for step in body["transitions"])
    assert body["allowed_actions"] == []


def test_the_focal_point_sees_the_reviewers_comment_on_a_returned_report(client):
    report = factories.report_through(AnnualReport.Status.CHANGES_REQUESTED)
    client.force_login(factories.FocalPointFactory())

    body = client.get(f"/api/v1/pathfinders/reports/{report.pk}").json()

    assert body["transitions"][-1]["comment"] == "Please add the 2023 data."
    assert body["allowed_actions"] == ["resubmit"]


def test_pathfinder_summary_and_unknown_country(client):
    factories.pathfinder("FRA", summary="Joined in 2020.")

    assert client.get("/api/v1/pathfinders/FRA").json()["summary"] == "Joined in 2020."
    assert client.get("/api/v1/pathfinders/KEN").status_code == 404
    assert client.get("/api/v1/pathfinders/FR1").status_code == 422


def test_no_other_schema_shares_a_name_with_a_pathfinder_schema(client):
    """ninja names OpenAPI components after the class: two classes of one name silently
    share one component, and one endpoint's documented shape becomes the other's."""
    from ninja import Schema

    import config.api  # noqa: F401  (every router, hence every schema, is loaded)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {c.__name__ for c in subclasses(Schema) if c.__module__.startswith(API_PACKAGE)}
    others = {c.__name__ for c in subclasses(Schema) if c.__module__.startswith("sdg87.")} - ours
    clashes = {
        c.__name__
        for c in subclasses(Schema)
        if c.__module__.startswith("sdg87.")
        and not c.__module__.startswith(API_PACKAGE)
        and c.__name__ in ours
    }
    assert ours
    assert others
    assert clashes == set()


API_PACKAGE = "sdg87.pathfinders.api"
