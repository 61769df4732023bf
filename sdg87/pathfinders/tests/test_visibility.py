"""Who sees what through the selectors: unpublished reports and draft roadmaps exist only for
curators and the country's focal points, whatever path is taken to them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sdg87.core.errors import NotFound
from sdg87.pathfinders import selectors
from sdg87.pathfinders.models import ReportActionUpdate, ReportStatus, Roadmap
from sdg87.pathfinders.services import reports as report_services
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db

OUTSIDERS = ["anonymous", "viewer", "partner_editor", "kenyan_focal_point"]
INSIDERS = ["focal_point", "curator"]
UNPUBLISHED = [
    ReportStatus.DRAFT,
    ReportStatus.SUBMITTED,
    ReportStatus.CHANGES_REQUESTED,
    ReportStatus.RESUBMITTED,
    ReportStatus.APPROVED,
]
DAY = datetime.date(2025, 6, 30)


@pytest.fixture
def actor(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def reports(focal_point, curator, kenya):
    """One FRA report in each status: published for 2020, the unpublished ones for later
    years (so each is newer than the published one)."""
    made = {
        ReportStatus.PUBLISHED: factories.report_through(
            ReportStatus.PUBLISHED, year=2020, focal_point=focal_point, curator=curator
        )
    }
    for year, status in enumerate(UNPUBLISHED, start=2021):
        made[status] = factories.report_through(
            status, year=year, focal_point=focal_point, curator=curator
        )
    return made


@pytest.fixture
def draft_roadmap(france):
    roadmap = factories.roadmap("FRA", status=Roadmap.Status.DRAFT, title="Draft plan")
    factories.action(roadmap, planned="5000", secured="0")
    return roadmap


# --- reports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_report_list_gives_outsiders_only_published_reports(actor, reports):
    listed = list(selectors.report_list(actor=actor))

    assert listed == [reports[ReportStatus.PUBLISHED]]


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
@pytest.mark.parametrize("status", UNPUBLISHED)
def test_report_list_filtered_by_an_unpublished_status_is_empty_for_outsiders(
    actor, reports, status
):
    assert list(selectors.report_list(actor=actor, iso3="FRA", status=status)) == []


@pytest.mark.parametrize("actor", INSIDERS, indirect=True)
def test_report_list_gives_the_country_and_curators_every_report(actor, reports):
    listed = set(selectors.report_list(actor=actor, iso3="FRA"))

    assert listed == set(reports.values())


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_report_is_not_found_for_outsiders(actor, reports, status):
    with pytest.raises(NotFound):
        selectors.report_get(actor=actor, report_id=reports[status].pk)


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_published_report_is_seen_by_everyone(actor, reports):
    published = reports[ReportStatus.PUBLISHED]

    assert selectors.report_get(actor=actor, report_id=published.pk) == published


@pytest.mark.parametrize("actor", INSIDERS, indirect=True)
@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_report_is_seen_by_the_country_and_curators(actor, reports, status):
    assert selectors.report_get(actor=actor, report_id=reports[status].pk) == reports[status]


def test_latest_published_report_ignores_newer_unpublished_ones(reports):
    assert selectors.latest_published_report("FRA") == reports[ReportStatus.PUBLISHED]


def test_latest_published_report_ignores_an_approved_correction(focal_point, curator, reports):
    published = reports[ReportStatus.PUBLISHED]
    correction = report_services.report_correct(actor=focal_point, report_id=published.pk)
    report_services.report_transition(actor=focal_point, report_id=correction.pk, action="submit")
    report_services.report_transition(actor=curator, report_id=correction.pk, action="approve")

    assert selectors.latest_published_report("FRA") == published


@pytest.mark.parametrize("actor", ["viewer", "kenyan_focal_point", "focal_point"], indirect=True)
def test_review_queue_is_empty_for_anyone_but_curators(actor, reports):
    assert selectors.review_queue(actor=actor) == []


def test_review_queue_gives_curators_the_submitted_and_resubmitted_reports(curator, reports):
    assert set(selectors.review_queue(actor=curator)) == {
        reports[ReportStatus.SUBMITTED],
        reports[ReportStatus.RESUBMITTED],
    }


def test_reports_to_edit_of_another_countrys_focal_point_is_empty(kenyan_focal_point, reports):
    assert selectors.reports_to_edit(actor=kenyan_focal_point) == []


# --- funding history --------------------------------------------------------------------------


def _report_with_budget(status, year, action, focal_point, curator, secured):
    report = factories.report_through(status, year=year, focal_point=focal_point, curator=curator)
    ReportActionUpdate.objects.create(
        report=report,
        action=action,
        status="on_track",
        budget_planned=Decimal("1000"),
        budget_secured=Decimal(secured),
    )
    return report


def test_funding_history_counts_only_published_reports(focal_point, curator):
    action = factories.action(factories.roadmap("FRA"))
    _report_with_budget(ReportStatus.PUBLISHED, 2022, action, focal_point, curator, "200")
    for year, status in enumerate(UNPUBLISHED, start=2023):
        _report_with_budget(status, year, action, focal_point, curator, "0")

    history = selectors.funding_history(iso3="FRA")

    assert [(year, totals.gap_usd) for year, totals in history] == [(2022, Decimal("800.00"))]


def test_funding_history_keeps_the_published_version_until_its_correction_is_published(
    focal_point, curator
):
    action = factories.action(factories.roadmap("FRA"))
    published = _report_with_budget(
        ReportStatus.PUBLISHED, 2022, action, focal_point, curator, "200"
    )
    correction = report_services.report_correct(actor=focal_point, report_id=published.pk)
    correction.action_updates.update(budget_secured=Decimal("900"))
    report_services.report_transition(actor=focal_point, report_id=correction.pk, action="submit")
    report_services.report_transition(actor=curator, report_id=correction.pk, action="approve")

    before_publication = selectors.funding_history(iso3="FRA")
    report_services.report_transition(actor=curator, report_id=correction.pk, action="publish")
    after_publication = selectors.funding_history(iso3="FRA")

    assert [totals.gap_usd for _year, totals in before_publication] == [Decimal("800.00")]
    assert [totals.gap_usd for _year, totals in after_publication] == [Decimal("100.00")]


# --- overview and summary ---------------------------------------------------------------------


def _overview_row(actor, iso3="FRA"):
    [row] = [
        row
        for row in selectors.pathfinder_overview(actor=actor, with_indicators=False)
        if row["iso3"] == iso3
    ]
    return row


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_overview_shows_outsiders_only_the_published_report(actor, reports):
    row = _overview_row(actor)

    assert row["latest_report"]["id"] == reports[ReportStatus.PUBLISHED].pk


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_summary_shows_outsiders_only_the_published_report(actor, reports):
    summary = selectors.pathfinder_summary(iso3="FRA", actor=actor)

    assert summary is not None
    assert summary["latest_report"]["id"] == reports[ReportStatus.PUBLISHED].pk


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_overview_without_a_published_report_shows_none_to_outsiders(actor, focal_point, curator):
    factories.report_through(ReportStatus.APPROVED, focal_point=focal_point, curator=curator)

    row = _overview_row(actor)

    assert row["latest_report"] is None


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_overview_and_summary_hide_a_draft_roadmap_and_its_budget_from_outsiders(
    actor, draft_roadmap
):
    row = _overview_row(actor)
    summary = selectors.pathfinder_summary(iso3="FRA", actor=actor)

    assert row["roadmap"] is None
    assert row["funding"]["planned_usd"] == 0
    assert summary is not None
    assert summary["roadmap"] is None
    assert summary["actions_total"] == 0


@pytest.mark.parametrize("actor", INSIDERS, indirect=True)
def test_overview_shows_the_country_and_curators_their_draft_roadmap(actor, draft_roadmap):
    row = _overview_row(actor)

    assert row["roadmap"]["id"] == draft_roadmap.pk
    assert row["funding"]["planned_usd"] == Decimal("5000.00")


# --- roadmaps ---------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_draft_roadmap_is_hidden_from_outsiders_in_every_roadmap_selector(actor, draft_roadmap):
    assert selectors.roadmap_current(actor=actor, iso3="FRA") is None
    assert draft_roadmap not in selectors.visible_roadmaps(actor)
    assert selectors.current_roadmaps(actor) == []
    assert selectors.roadmaps_of(actor=actor, iso3="FRA") == []


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_draft_roadmap_and_its_actions_are_not_found_for_outsiders(actor, draft_roadmap):
    action = draft_roadmap.priorities.get().actions.get()

    with pytest.raises(NotFound):
        selectors.roadmap_get(actor=actor, roadmap_id=draft_roadmap.pk)
    with pytest.raises(NotFound):
        selectors.action_get(actor=actor, action_id=action.pk)


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_funding_view_leaves_a_draft_roadmap_out_for_outsiders(actor, draft_roadmap):
    view = selectors.funding_view(actor=actor, iso3="FRA", on=DAY)
    everywhere = selectors.funding_view(actor=actor, on=DAY)

    assert view.roadmaps == []
    assert view.summary.total.planned_usd == 0
    assert everywhere.summary.total.planned_usd == 0


@pytest.mark.parametrize("actor", OUTSIDERS, indirect=True)
def test_outsiders_see_the_adopted_roadmap_rather_than_a_newer_draft(actor, draft_roadmap):
    adopted = factories.roadmap(
        "FRA", status=Roadmap.Status.ADOPTED, period_start=2018, period_end=2021
    )

    assert selectors.roadmap_current(actor=actor, iso3="FRA") == adopted
    assert [item.pk for item in selectors.funding_view(actor=actor, on=DAY).roadmaps] == [
        adopted.pk
    ]


@pytest.mark.parametrize("actor", INSIDERS, indirect=True)
def test_country_and_curators_see_their_draft_roadmap_everywhere(actor, draft_roadmap):
    assert selectors.roadmap_current(actor=actor, iso3="FRA") == draft_roadmap
    assert draft_roadmap in selectors.visible_roadmaps(actor)
    assert selectors.roadmap_get(actor=actor, roadmap_id=draft_roadmap.pk) == draft_roadmap
    view = selectors.funding_view(actor=actor, iso3="FRA", on=DAY)
    assert view.summary.total.planned_usd == Decimal("5000.00")


def test_focal_point_of_another_country_does_not_see_this_countrys_draft_but_their_own(
    kenyan_focal_point, draft_roadmap
):
    kenyan_draft = factories.roadmap("KEN", status=Roadmap.Status.DRAFT)

    assert list(selectors.visible_roadmaps(kenyan_focal_point)) == [kenyan_draft]
