"""The pathfinder pages: what each shows (with data and empty), who sees what, and the
editing forms posting to the services."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.pathfinders.models import Action, AnnualReport, Priority, Roadmap
from sdg87.pathfinders.services import reports as report_services
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def focal_point():
    return factories.FocalPointFactory(countries=[factories.country("FRA")])


@pytest.fixture
def curator():
    return factories.CuratorFactory()


def france_with_roadmap(**fields) -> Roadmap:
    roadmap = factories.roadmap("FRA", **fields)
    factories.action(roadmap, title="Labour inspection campaign", planned="1000", secured="400")
    return roadmap


def text_of(response) -> str:
    """The page's visible text, tags removed and spaces squeezed."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


# --- overview ---------------------------------------------------------------------------------


def test_the_overview_shows_each_pathfinder_with_a_labelled_light_and_its_gap(client):
    france_with_roadmap()

    response = client.get("/en/pathfinders/")

    page = text_of(response)
    assert response.status_code == 200
    assert "France" in page
    assert "First report not yet due" in page or "Report overdue" in page
    assert "600" in page  # 1,000 planned - 400 secured
    assert 'id="pathfinder-map-data"' in response.content.decode()


def test_the_overview_says_when_there_is_no_pathfinder(client):
    response = client.get("/en/pathfinders/")

    assert response.status_code == 200
    assert "No pathfinder country yet" in text_of(response)


def test_the_overview_sorts_by_the_column_asked_for(client):
    france_with_roadmap()
    kenya = factories.roadmap("KEN")
    factories.action(kenya, planned="5000", secured="0")

    by_gap = client.get("/en/pathfinders/?sort=-gap").content.decode()
    by_country = client.get("/en/pathfinders/?sort=country").content.decode()

    assert by_gap.index('data-iso3="KEN"') < by_gap.index('data-iso3="FRA"')
    assert by_country.index('data-iso3="FRA"') < by_country.index('data-iso3="KEN"')
    assert 'aria-sort="descending"' in by_gap


def test_the_overview_needs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    indicator = factories.indicator("8.7.1")
    for iso3 in ("FRA", "KEN", "BRA", "IND"):
        roadmap = factories.roadmap(iso3)
        factories.action(roadmap)
        factories.action(roadmap, title="Second action")
        roadmap.indicator_links.create(indicator=indicator)

    # The pathfinders with their current roadmap and latest report, the roadmaps' actions,
    # their indicators and those indicators' observations: whatever the number of countries.
    with django_assert_max_num_queries(4):
        response = client.get("/en/pathfinders/")

    assert response.status_code == 200


# --- one country ------------------------------------------------------------------------------


def test_the_country_page_shows_the_roadmap_actions_budgets_and_linked_indicators(client):
    roadmap = france_with_roadmap()
    indicator = factories.indicator("8.7.1")
    roadmap.indicator_links.create(
        indicator=indicator, baseline_value=4.0, baseline_year=2020, target_value=0
    )

    response = client.get("/en/pathfinders/FRA/")

    page = text_of(response)
    assert response.status_code == 200
    assert "National action plan FRA" in page
    assert "Labour inspection campaign" in page
    assert "1,000.00 USD" in page
    assert 'href="/en/indicators/8.7.1/?country=FRA#data"' in response.content.decode()
    assert "Edit the roadmap" not in page  # the public cannot edit


def test_the_country_page_of_a_new_pathfinder_has_empty_states(client):
    factories.pathfinder("FRA")

    page = text_of(client.get("/en/pathfinders/FRA/"))

    assert "No roadmap is published for this country yet." in page
    assert "No published report yet." in page


def test_the_country_page_hides_a_draft_roadmap_from_the_public(client):
    factories.roadmap("FRA", status=Roadmap.Status.DRAFT, title="Secret draft plan")

    assert "Secret draft plan" not in text_of(client.get("/en/pathfinders/FRA/"))


def test_an_unknown_country_is_not_found(client):
    assert client.get("/en/pathfinders/ZZZ/").status_code == 404


def test_the_country_page_needs_a_bounded_number_of_queries(
    client, focal_point, django_assert_max_num_queries
):
    roadmap = france_with_roadmap()
    for number in range(5):
        factories.action(roadmap, title=f"Action {number}")
    factories.report_through(AnnualReport.Status.PUBLISHED, focal_point=focal_point)
    client.force_login(focal_point)

    with django_assert_max_num_queries(24):
        response = client.get("/en/pathfinders/FRA/")

    assert response.status_code == 200
    assert "Edit the roadmap" in text_of(response)


# --- roadmap editing --------------------------------------------------------------------------


def test_a_focal_point_builds_a_roadmap_with_a_priority_and_an_action(client, focal_point):
    factories.pathfinder("FRA")
    client.force_login(focal_point)

    created = client.post(
        "/en/pathfinders/FRA/roadmaps/new/",
        {"title": "Plan 2025", "period_start": "2025", "period_end": "2030", "status": "draft"},
    )
    roadmap = Roadmap.objects.get(title="Plan 2025")
    client.post(f"/en/pathfinders/roadmaps/{roadmap.pk}/priorities/new/", {"title": "Prevention"})
    priority = Priority.objects.get(roadmap=roadmap)
    client.post(
        f"/en/pathfinders/priorities/{priority.pk}/actions/new/",
        {
            "title": "Train inspectors",
            "status": "on_track",
            "currency": "EUR",
            "budget_planned": "2500.50",
            "budget_secured": "1000",
            "lock_version": "",
        },
    )

    assert created.status_code == 302
    action = Action.objects.get(priority=priority)
    assert (action.title, action.currency, action.budget_planned) == (
        "Train inspectors",
        "EUR",
        Decimal("2500.50"),
    )
    assert "Train inspectors" in text_of(client.get("/en/pathfinders/FRA/"))


def test_a_negative_budget_is_shown_next_to_its_field_and_nothing_is_written(client, focal_point):
    roadmap = factories.roadmap("FRA")
    priority = Priority.objects.create(roadmap=roadmap, title="Prevention")
    client.force_login(focal_point)

    response = client.post(
        f"/en/pathfinders/priorities/{priority.pk}/actions/new/",
        {
            "title": "Train inspectors",
            "status": "on_track",
            "currency": "USD",
            "budget_planned": "-5",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        '<ul class="errorlist" id="id_budget_planned_error">'
        "<li>a non-negative amount is required</li></ul>"
    ) in page
    assert 'aria-describedby="id_budget_planned_error"' in page
    assert not Action.objects.exists()


def test_a_stale_lock_version_shows_the_conflict_message(client, focal_point):
    roadmap = factories.roadmap("FRA")
    client.force_login(focal_point)
    fields = {"title": "Renamed", "period_start": "2022", "period_end": "2026", "status": "adopted"}
    client.post(f"/en/pathfinders/roadmaps/{roadmap.pk}/edit/", {**fields, "lock_version": "1"})

    response = client.post(
        f"/en/pathfinders/roadmaps/{roadmap.pk}/edit/",
        {**fields, "title": "Renamed again", "lock_version": "1"},
    )

    assert response.status_code == 409
    assert "Someone else changed this since you opened it" in text_of(response)
    roadmap.refresh_from_db()
    assert roadmap.title == "Renamed"


ROADMAP_FIELDS = {"title": "Plan", "period_start": "2022", "period_end": "2026"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def upload_document(client, roadmap, name="plan.pdf", content=PDF, **fields):
    """Post the roadmap form (version 1, adopted unless said) with a document file."""
    return client.post(
        f"/en/pathfinders/roadmaps/{roadmap.pk}/edit/",
        {
            **ROADMAP_FIELDS,
            "status": "adopted",
            "lock_version": "1",
            **fields,
            "document": SimpleUploadedFile(name, content),
        },
    )


def test_a_focal_point_uploads_the_roadmap_document_and_visitors_download_it(client, focal_point):
    roadmap = factories.roadmap("FRA")
    client.force_login(focal_point)

    response = upload_document(client, roadmap, name="../Plan national.pdf")

    assert response.status_code == 302
    roadmap.refresh_from_db()
    assert roadmap.document.name.startswith("pathfinders/roadmaps/")
    assert roadmap.document.name.endswith(".pdf")
    client.logout()
    page = client.get("/en/pathfinders/FRA/").content.decode()
    address = f"/en/pathfinders/roadmaps/{roadmap.pk}/document/"
    assert f'href="{address}"' in page
    download = client.get(address)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_a_document_whose_content_lies_about_its_type_is_refused_and_nothing_changes(
    client, focal_point
):
    roadmap = factories.roadmap("FRA")
    client.force_login(focal_point)

    response = upload_document(client, roadmap, content=b"MZ\x90\x00 a program", title="Renamed")

    assert response.status_code == 400
    assert "this is not a .pdf file" in text_of(response)
    roadmap.refresh_from_db()
    assert roadmap.title != "Renamed"
    assert not roadmap.document


def test_a_draft_roadmap_document_is_not_reachable_by_the_public(client, focal_point):
    roadmap = factories.roadmap("FRA", status=Roadmap.Status.DRAFT)
    client.force_login(focal_point)
    upload_document(client, roadmap, status="draft")
    address = f"/en/pathfinders/roadmaps/{roadmap.pk}/document/"
    assert client.get(address).status_code == 200
    client.logout()
    assert client.get(address).status_code == 404
    client.force_login(factories.FocalPointFactory(countries=[factories.country("KEN")]))
    assert client.get(address).status_code == 404


def test_someone_else_cannot_open_the_roadmap_editor(client):
    roadmap = factories.roadmap("FRA")
    client.force_login(factories.FocalPointFactory(countries=[factories.country("KEN")]))

    assert client.get(f"/en/pathfinders/roadmaps/{roadmap.pk}/edit/").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in_to_create_a_roadmap(client):
    factories.pathfinder("FRA")

    response = client.get("/en/pathfinders/FRA/roadmaps/new/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_focal_point_links_an_indicator_and_adds_a_milestone(client, focal_point):
    roadmap = factories.roadmap("FRA")
    factories.indicator("8.7.1")
    client.force_login(focal_point)

    client.post(
        f"/en/pathfinders/roadmaps/{roadmap.pk}/indicators/",
        {
            "indicator": "8.7.1",
            "baseline_value": "4.5",
            "baseline_year": "2020",
            "target_value": "0",
            "target_year": "2030",
        },
    )
    client.post(
        f"/en/pathfinders/roadmaps/{roadmap.pk}/milestones/new/",
        {"title": "Law adopted", "due_on": "2026-06-30"},
    )

    page = text_of(client.get("/en/pathfinders/FRA/"))
    assert "4.5 (2020)" in page
    assert "Law adopted" in page


# --- reports ----------------------------------------------------------------------------------


def test_the_public_sees_a_published_report_with_its_values_and_history(client):
    factories.indicator("8.7.1")
    report = factories.report_through(
        AnnualReport.Status.PUBLISHED,
        values=[{"indicator": "8.7.1", "year": 2024, "value": 4.5}],
    )

    response = client.get(f"/en/pathfinders/reports/{report.pk}/")

    page = text_of(response)
    assert response.status_code == 200
    assert "Progress made." in page
    assert "4.5" in page
    assert "Published" in page
    assert "Approved" in page
    assert "Submit for review" not in page
    assert "Example — not real data" not in page


def test_the_public_gets_not_found_for_a_draft_report(client):
    report = factories.report_through(AnnualReport.Status.DRAFT)

    assert client.get(f"/en/pathfinders/reports/{report.pk}/").status_code == 404


def test_another_countrys_focal_point_gets_not_found_for_a_submitted_report(client):
    report = factories.report_through(AnnualReport.Status.SUBMITTED)
    client.force_login(factories.FocalPointFactory(countries=[factories.country("KEN")]))

    assert client.get(f"/en/pathfinders/reports/{report.pk}/").status_code == 404


def test_an_example_report_carries_the_example_banner(client, focal_point):
    factories.pathfinder("FRA", example=True)
    report = report_services.report_create(
        actor=focal_point, iso3="FRA", year=2024, is_example=True, progress="Invented."
    )
    client.force_login(focal_point)

    assert "Example — not real data" in text_of(client.get(f"/en/pathfinders/reports/{report.pk}/"))


def test_a_focal_point_creates_a_draft_and_saves_its_values(client, focal_point):
    factories.indicator("8.7.1")
    roadmap = france_with_roadmap()
    action = Action.objects.get(priority__roadmap=roadmap)
    client.force_login(focal_point)

    created = client.post("/en/pathfinders/FRA/reports/new/", {"year": "2024"})
    report = AnnualReport.objects.get(year=2024)
    saved = client.post(
        f"/en/pathfinders/reports/{report.pk}/edit/",
        {
            "lock_version": str(report.lock_version),
            "progress": "Inspections doubled.",
            "values-TOTAL_FORMS": "2",
            "values-INITIAL_FORMS": "0",
            "values-0-indicator": "8.7.1",
            "values-0-year": "2024",
            "values-0-value": "3.25",
            "values-1-indicator": "",
            "updates-TOTAL_FORMS": "1",
            "updates-INITIAL_FORMS": "1",
            "updates-0-action": str(action.pk),
            "updates-0-status": "delayed",
            "updates-0-budget_planned": "1000",
            "updates-0-budget_secured": "500",
            "updates-0-budget_spent": "50",
        },
    )

    assert created.status_code == 302
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.progress == "Inspections doubled."
    assert [(v.indicator.code, v.year, v.value) for v in report.indicator_values.all()] == [
        ("8.7.1", 2024, 3.25)
    ]
    assert report.action_updates.get().status == "delayed"


def test_a_bad_value_is_shown_in_its_row_and_nothing_is_saved(client, focal_point):
    factories.indicator("8.7.1")
    report = factories.report_through(AnnualReport.Status.DRAFT, focal_point=focal_point)
    client.force_login(focal_point)

    response = client.post(
        f"/en/pathfinders/reports/{report.pk}/edit/",
        {
            "lock_version": str(report.lock_version),
            "progress": "Changed",
            "values-TOTAL_FORMS": "1",
            "values-INITIAL_FORMS": "0",
            "values-0-indicator": "8.7.1",
            "values-0-year": "2024",
            "values-0-value": "many",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 400
    assert "&#x27;many&#x27;" in response.content.decode()
    report.refresh_from_db()
    assert report.progress == "Progress made."


def test_request_changes_without_a_comment_is_refused_on_the_page(client, curator):
    report = factories.report_through(AnnualReport.Status.SUBMITTED, curator=curator)
    client.force_login(curator)

    response = client.post(
        f"/en/pathfinders/reports/{report.pk}/transition/",
        {"action": "request_changes", "comment": "", "lock_version": str(report.lock_version)},
    )

    assert response.status_code == 400
    assert "a comment is required" in text_of(response)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.SUBMITTED


def test_the_review_buttons_move_a_report_and_record_who_and_why(client, curator):
    report = factories.report_through(AnnualReport.Status.SUBMITTED, curator=curator)
    client.force_login(curator)

    response = client.post(
        f"/en/pathfinders/reports/{report.pk}/transition/",
        {
            "action": "request_changes",
            "comment": "Add the 2023 data.",
            "lock_version": str(report.lock_version),
        },
        follow=True,
    )

    page = text_of(response)
    assert "Changes requested" in page
    assert "Add the 2023 data." in page
    assert curator.get_username() in page


def test_a_published_report_offers_a_correction_to_its_focal_point(client, focal_point):
    report = factories.report_through(AnnualReport.Status.PUBLISHED, focal_point=focal_point)
    client.force_login(focal_point)

    assert "Start a correction" in text_of(client.get(f"/en/pathfinders/reports/{report.pk}/"))
    response = client.post(f"/en/pathfinders/reports/{report.pk}/correct/")

    correction = AnnualReport.objects.get(version=2)
    assert response["Location"].endswith(f"/pathfinders/reports/{correction.pk}/")


def test_the_review_queue_lists_reports_waiting_for_curators(client, curator):
    report = factories.report_through(AnnualReport.Status.SUBMITTED, curator=curator)
    client.force_login(curator)

    page = text_of(client.get("/en/pathfinders/review/"))

    assert f"France {report.year}, version 1" in page


def test_the_review_queue_and_drafts_have_empty_states(client, focal_point, curator):
    client.force_login(curator)
    assert "No report is waiting for review." in text_of(client.get("/en/pathfinders/review/"))
    client.force_login(focal_point)
    assert "No report to edit" in text_of(client.get("/en/pathfinders/my-reports/"))


def test_my_reports_lists_a_focal_points_drafts(client, focal_point):
    factories.report_through(AnnualReport.Status.DRAFT, focal_point=focal_point)
    client.force_login(focal_point)

    assert "France 2024, version 1" in text_of(client.get("/en/pathfinders/my-reports/"))


# --- funding ----------------------------------------------------------------------------------


def test_the_funding_page_shows_gaps_by_country_priority_and_missing_rates(client):
    roadmap = france_with_roadmap()
    factories.action(roadmap, title="Shelters", currency="XOF", planned="900", secured="0")

    response = client.get("/en/pathfinders/funding/")

    page = text_of(response)
    assert response.status_code == 200
    assert "Global funding gap (USD)" in page
    assert "France" in page
    assert "No exchange rate for XOF" in page


def test_the_funding_page_says_when_no_budget_is_recorded(client):
    page = text_of(client.get("/en/pathfinders/funding/"))

    assert "No budget recorded yet" in page
    assert "No published report gives budgets yet" in page


def test_a_curator_adds_an_exchange_rate(client, curator):
    client.force_login(curator)

    response = client.post(
        "/en/pathfinders/exchange-rates/",
        {"currency": "EUR", "rate_date": "2024-12-31", "usd_per_unit": "1.04"},
        follow=True,
    )

    assert "2024-12-31" in text_of(response)


def test_a_viewer_cannot_add_an_exchange_rate(client):
    client.force_login(factories.UserFactory())

    response = client.post(
        "/en/pathfinders/exchange-rates/",
        {"currency": "EUR", "rate_date": "2024-12-31", "usd_per_unit": "1.04"},
    )

    assert response.status_code == 403


def test_the_roadmap_api_gives_the_document_file_address(client, focal_point):
    roadmap = factories.roadmap("FRA")
    assert client.get("/api/v1/pathfinders/FRA/roadmap").json()["document_file"] is None
    client.force_login(focal_point)
    upload_document(client, roadmap)
    address = client.get("/api/v1/pathfinders/FRA/roadmap").json()["document_file"]
    assert address.endswith(f"/pathfinders/roadmaps/{roadmap.pk}/document/")
    assert client.get(address).status_code == 200


# --- deleting, milestones and unlinking from the pages ----------------------------------------


def test_a_focal_point_deletes_an_action_after_confirming(client, focal_point):
    roadmap = france_with_roadmap()
    action = Action.objects.get(priority__roadmap=roadmap)
    client.force_login(focal_point)
    edit_page = client.get(f"/en/pathfinders/actions/{action.pk}/edit/").content.decode()
    assert f'href="/en/pathfinders/actions/{action.pk}/delete/"' in edit_page

    question = client.get(f"/en/pathfinders/actions/{action.pk}/delete/")
    assert question.status_code == 200
    assert "Labour inspection campaign" in text_of(question)
    assert Action.objects.filter(pk=action.pk).exists()

    response = client.post(f"/en/pathfinders/actions/{action.pk}/delete/")
    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()


def test_a_priority_with_actions_is_not_deleted_and_the_page_says_why(client, focal_point):
    roadmap = france_with_roadmap()
    priority = Priority.objects.get(roadmap=roadmap)
    client.force_login(focal_point)

    response = client.post(f"/en/pathfinders/priorities/{priority.pk}/delete/", follow=True)

    assert "delete or move its actions first" in text_of(response)
    assert Priority.objects.filter(pk=priority.pk).exists()


def test_someone_else_may_not_delete_a_priority(client):
    roadmap = factories.roadmap("FRA")
    priority = Priority.objects.create(roadmap=roadmap, title="Empty priority")
    client.force_login(factories.FocalPointFactory(countries=[factories.country("KEN")]))

    assert client.post(f"/en/pathfinders/priorities/{priority.pk}/delete/").status_code == 403
    client.logout()
    assert client.post(f"/en/pathfinders/priorities/{priority.pk}/delete/").status_code == 302
    assert Priority.objects.filter(pk=priority.pk).exists()


def test_a_focal_point_edits_a_milestone_and_unlinks_an_indicator(client, focal_point):
    from sdg87.pathfinders.models import Milestone, RoadmapIndicator

    roadmap = factories.roadmap("FRA")
    milestone = Milestone.objects.create(roadmap=roadmap, title="Law adopted", due_on="2025-06-30")
    RoadmapIndicator.objects.create(roadmap=roadmap, indicator=factories.indicator("8.7.1"))
    client.force_login(focal_point)
    page = client.get("/en/pathfinders/FRA/").content.decode()
    assert f'href="/en/pathfinders/milestones/{milestone.pk}/edit/"' in page

    response = client.post(
        f"/en/pathfinders/milestones/{milestone.pk}/edit/",
        {"title": "Law adopted by parliament", "due_on": "2025-06-30", "achieved_on": "2025-05-02"},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.achieved_on.isoformat()) == (
        "Law adopted by parliament",
        "2025-05-02",
    )

    response = client.post(
        f"/en/pathfinders/roadmaps/{roadmap.pk}/indicators/remove/", {"indicator": "8.7.1"}
    )
    assert response.status_code == 302
    assert not RoadmapIndicator.objects.filter(roadmap=roadmap).exists()
