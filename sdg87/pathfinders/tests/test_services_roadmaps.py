"""Roadmap services: who may write, input checks that write nothing, optimistic locking, and
the USD funding view built on top."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sdg87.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.partners.models import Pledge
from sdg87.partners.tests.factories import OrganisationFactory, PledgeFactory, theme
from sdg87.pathfinders import selectors
from sdg87.pathfinders.models import (
    Action,
    ExchangeRate,
    Milestone,
    Priority,
    Roadmap,
    RoadmapIndicator,
)
from sdg87.pathfinders.services import common
from sdg87.pathfinders.services import roadmaps as services
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db

D = Decimal


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Roadmap, Priority, Action, RoadmapIndicator, Milestone, AuditEntry)
    }


@pytest.fixture
def adopted(france):
    return factories.roadmap("FRA", status=Roadmap.Status.ADOPTED)


@pytest.fixture
def draft(france):
    return factories.roadmap("FRA", status=Roadmap.Status.DRAFT, title="Draft plan")


@pytest.fixture
def priority(adopted):
    return Priority.objects.create(roadmap=adopted, title="Prevention")


@pytest.fixture
def action(adopted, priority):
    return factories.action(adopted, priority=priority)


# --- roadmap create ---------------------------------------------------------------------------


def test_focal_point_creates_a_draft_roadmap_of_their_country(focal_point):
    roadmap = services.roadmap_create(
        actor=focal_point, iso3="FRA", title="Plan", period_start=2024, period_end=2028
    )

    assert roadmap.status == Roadmap.Status.DRAFT
    assert roadmap.pathfinder.country.iso3 == "FRA"
    assert roadmap.created_by == focal_point


def test_roadmap_creation_is_audited(focal_point):
    roadmap = services.roadmap_create(
        actor=focal_point, iso3="FRA", title="Plan", period_start=2024, period_end=2028
    )

    entry = AuditEntry.objects.get(object_type="pathfinders.roadmap", object_id=str(roadmap.pk))
    assert (entry.action, entry.actor) == ("create", focal_point)


def test_focal_point_of_another_country_may_not_create_a_roadmap(france, kenyan_focal_point):
    with pytest.raises(PermissionDenied):
        services.roadmap_create(
            actor=kenyan_focal_point, iso3="FRA", title="Plan", period_start=2024, period_end=2028
        )

    assert not Roadmap.objects.exists()


def test_partner_editor_may_not_create_a_roadmap(france, partner_editor):
    with pytest.raises(PermissionDenied):
        services.roadmap_create(
            actor=partner_editor, iso3="FRA", title="Plan", period_start=2024, period_end=2028
        )


def test_viewer_may_not_create_a_roadmap(france, viewer):
    with pytest.raises(PermissionDenied):
        services.roadmap_create(
            actor=viewer, iso3="FRA", title="Plan", period_start=2024, period_end=2028
        )


def test_anonymous_may_not_create_a_roadmap(france, anonymous):
    with pytest.raises(NotAuthenticated):
        services.roadmap_create(
            actor=anonymous, iso3="FRA", title="Plan", period_start=2024, period_end=2028
        )


def test_roadmap_of_a_country_that_is_not_a_pathfinder_is_not_found(curator):
    factories.country("KEN")

    with pytest.raises(NotFound):
        services.roadmap_create(
            actor=curator, iso3="KEN", title="Plan", period_start=2024, period_end=2028
        )


def test_roadmap_ending_before_it_starts_is_refused_and_nothing_written(focal_point):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        services.roadmap_create(
            actor=focal_point, iso3="FRA", title="Plan", period_start=2028, period_end=2024
        )

    assert "period_end" in caught.value.details
    assert counts() == before


def test_roadmap_without_title_is_refused(focal_point):
    with pytest.raises(InvalidInput) as caught:
        services.roadmap_create(
            actor=focal_point, iso3="FRA", title="  ", period_start=2024, period_end=2028
        )

    assert "title" in caught.value.details


def test_roadmap_document_link_must_be_http(focal_point):
    with pytest.raises(InvalidInput) as caught:
        services.roadmap_create(
            actor=focal_point,
            iso3="FRA",
            title="Plan",
            period_start=2024,
            period_end=2028,
            document_url="javascript:alert(1)",
        )

    assert "document_url" in caught.value.details


# --- roadmap update ---------------------------------------------------------------------------


def test_focal_point_updates_their_countrys_roadmap_and_its_version_increases(focal_point, adopted):
    roadmap = services.roadmap_update(
        actor=focal_point, roadmap_id=adopted.pk, lock_version=1, consultation="Unions consulted."
    )

    adopted.refresh_from_db()
    assert adopted.consultation == "Unions consulted."
    assert adopted.lock_version == roadmap.lock_version == 2


def test_curator_updates_any_countrys_roadmap(curator, adopted):
    services.roadmap_update(actor=curator, roadmap_id=adopted.pk, title="Renamed")

    adopted.refresh_from_db()
    assert adopted.title == "Renamed"


def test_focal_point_of_another_country_may_not_update_an_adopted_roadmap(
    kenyan_focal_point, adopted
):
    with pytest.raises(PermissionDenied):
        services.roadmap_update(actor=kenyan_focal_point, roadmap_id=adopted.pk, title="Mine")


def test_foreign_draft_roadmap_is_not_found_for_another_countrys_focal_point(
    kenyan_focal_point, draft
):
    with pytest.raises(NotFound):
        services.roadmap_update(actor=kenyan_focal_point, roadmap_id=draft.pk, title="Mine")


def test_partner_editor_may_not_update_a_roadmap(partner_editor, adopted):
    with pytest.raises(PermissionDenied):
        services.roadmap_update(actor=partner_editor, roadmap_id=adopted.pk, title="Mine")


def test_anonymous_may_not_update_a_roadmap(anonymous, adopted):
    with pytest.raises(NotAuthenticated):
        services.roadmap_update(actor=anonymous, roadmap_id=adopted.pk, title="Mine")


def test_stale_roadmap_edit_is_refused_as_edit_conflict_and_nothing_written(
    focal_point, curator, adopted
):
    services.roadmap_update(actor=curator, roadmap_id=adopted.pk, lock_version=1, title="Theirs")
    before = counts()

    with pytest.raises(Conflict) as caught:
        services.roadmap_update(
            actor=focal_point, roadmap_id=adopted.pk, lock_version=1, title="Mine"
        )

    adopted.refresh_from_db()
    assert caught.value.code == "edit_conflict"
    assert (adopted.title, adopted.lock_version) == ("Theirs", 2)
    assert counts() == before


def test_roadmap_update_moving_the_end_before_the_existing_start_is_refused(focal_point, adopted):
    with pytest.raises(InvalidInput) as caught:
        services.roadmap_update(actor=focal_point, roadmap_id=adopted.pk, period_end=2020)

    adopted.refresh_from_db()
    assert "period_end" in caught.value.details
    assert (adopted.period_end, adopted.lock_version) == (2026, 1)


def test_roadmap_update_of_an_unknown_field_is_refused(focal_point, adopted):
    with pytest.raises(InvalidInput) as caught:
        services.roadmap_update(actor=focal_point, roadmap_id=adopted.pk, pathfinder=1)

    assert "pathfinder" in caught.value.details


# --- priorities -------------------------------------------------------------------------------


def test_priority_with_known_themes_is_created(focal_point, adopted):
    theme("child-labour")

    priority = services.priority_create(
        actor=focal_point, roadmap_id=adopted.pk, title="Education", themes=["child-labour"]
    )

    assert [item.slug for item in priority.themes.all()] == ["child-labour"]


def test_priority_with_an_unknown_theme_is_refused_and_nothing_written(focal_point, adopted):
    theme("child-labour")
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        services.priority_create(
            actor=focal_point,
            roadmap_id=adopted.pk,
            title="Education",
            themes=["child-labour", "no-such-theme"],
        )

    assert "no-such-theme" in caught.value.details["themes"]
    assert counts() == before


def test_priority_on_a_foreign_draft_roadmap_is_not_found(kenyan_focal_point, draft):
    with pytest.raises(NotFound):
        services.priority_create(actor=kenyan_focal_point, roadmap_id=draft.pk, title="Mine")


def test_partner_editor_may_not_add_a_priority(partner_editor, adopted):
    with pytest.raises(PermissionDenied):
        services.priority_create(actor=partner_editor, roadmap_id=adopted.pk, title="Mine")


def test_priority_with_actions_cannot_be_deleted(focal_point, action):
    with pytest.raises(InvalidInput):
        services.priority_delete(actor=focal_point, priority_id=action.priority_id)

    assert Priority.objects.filter(pk=action.priority_id).exists()


# --- actions ----------------------------------------------------------------------------------


def test_focal_point_adds_an_action_with_a_budget_in_a_currency(focal_point, priority):
    action = services.action_create(
        actor=focal_point,
        priority_id=priority.pk,
        title="Labour inspection",
        lead_agency="Ministry of Labour",
        currency="eur",
        budget_planned="1000.50",
        budget_secured="200",
        start_date="2024-01-01",
        end_date="2025-12-31",
        status="on_track",
    )

    action.refresh_from_db()
    assert action.currency == "EUR"
    assert (action.budget_planned, action.budget_secured) == (D("1000.50"), D("200.00"))
    assert action.end_date == datetime.date(2025, 12, 31)


@pytest.mark.parametrize("field", ["budget_planned", "budget_secured", "budget_spent"])
def test_negative_budget_is_refused_naming_the_field_and_nothing_written(
    focal_point, priority, field
):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        services.action_create(
            actor=focal_point, priority_id=priority.pk, title="Inspection", **{field: "-1"}
        )

    assert field in caught.value.details
    assert counts() == before


def test_non_numeric_budget_is_refused(focal_point, priority):
    with pytest.raises(InvalidInput) as caught:
        services.action_create(
            actor=focal_point, priority_id=priority.pk, title="Inspection", budget_planned="lots"
        )

    assert "budget_planned" in caught.value.details


def test_currency_that_is_not_iso_4217_is_refused_and_nothing_written(focal_point, priority):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        services.action_create(
            actor=focal_point, priority_id=priority.pk, title="Inspection", currency="XYZ"
        )

    assert "currency" in caught.value.details
    assert counts() == before


def test_action_ending_before_it_starts_is_refused_and_nothing_written(focal_point, priority):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        services.action_create(
            actor=focal_point,
            priority_id=priority.pk,
            title="Inspection",
            start_date="2025-01-01",
            end_date="2024-12-31",
        )

    assert "end_date" in caught.value.details
    assert counts() == before


def test_action_update_moving_the_end_before_the_existing_start_is_refused(focal_point, priority):
    action = factories.action(
        priority.roadmap, priority=priority, start_date=datetime.date(2025, 1, 1)
    )

    with pytest.raises(InvalidInput) as caught:
        services.action_update(actor=focal_point, action_id=action.pk, end_date="2024-01-01")

    assert "end_date" in caught.value.details


def test_action_status_outside_the_five_statuses_is_refused(focal_point, priority):
    with pytest.raises(InvalidInput) as caught:
        services.action_create(
            actor=focal_point, priority_id=priority.pk, title="Inspection", status="paused"
        )

    assert "status" in caught.value.details


def test_action_partner_must_be_an_approved_organisation(focal_point, priority):
    pending = OrganisationFactory(status="applied")
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        services.action_create(
            actor=focal_point, priority_id=priority.pk, title="Inspection", partners=[pending.pk]
        )

    assert "partners" in caught.value.details
    assert counts() == before


def test_action_partner_that_is_not_an_id_is_refused(focal_point, priority):
    with pytest.raises(InvalidInput) as caught:
        services.action_create(
            actor=focal_point, priority_id=priority.pk, title="Inspection", partners=["ilo"]
        )

    assert "partners" in caught.value.details


def test_action_partners_are_recorded(focal_point, priority):
    partner = OrganisationFactory()

    action = services.action_create(
        actor=focal_point, priority_id=priority.pk, title="Inspection", partners=[partner.pk]
    )

    assert list(action.partners.all()) == [partner]


def test_partner_editor_may_not_add_an_action(partner_editor, priority):
    with pytest.raises(PermissionDenied):
        services.action_create(actor=partner_editor, priority_id=priority.pk, title="Mine")


def test_partner_editor_may_not_change_an_action(partner_editor, action):
    with pytest.raises(PermissionDenied):
        services.action_update(actor=partner_editor, action_id=action.pk, budget_secured="0")


def test_focal_point_of_another_country_may_not_change_an_action(kenyan_focal_point, action):
    with pytest.raises(PermissionDenied):
        services.action_update(actor=kenyan_focal_point, action_id=action.pk, title="Mine")


def test_action_of_a_foreign_draft_roadmap_is_not_found(kenyan_focal_point, draft):
    hidden = factories.action(draft)

    with pytest.raises(NotFound):
        services.action_update(actor=kenyan_focal_point, action_id=hidden.pk, title="Mine")


def test_stale_action_edit_is_refused_as_edit_conflict_and_nothing_written(
    focal_point, curator, action
):
    services.action_update(actor=curator, action_id=action.pk, lock_version=1, title="Theirs")
    before = counts()

    with pytest.raises(Conflict) as caught:
        services.action_update(
            actor=focal_point, action_id=action.pk, lock_version=1, budget_secured="900"
        )

    action.refresh_from_db()
    assert caught.value.code == "edit_conflict"
    assert action.budget_secured == D("400")
    assert counts() == before


def test_simultaneous_save_of_a_copy_read_before_another_save_is_refused(adopted):
    # Two editors read version 1; the first save bumps it to 2 in the database, so the second
    # (still holding version 1 in memory) finds no row to bump and is refused.
    first = Roadmap.objects.get(pk=adopted.pk)
    second = Roadmap.objects.get(pk=adopted.pk)
    common.bump_version(first)

    with pytest.raises(Conflict) as caught:
        common.bump_version(second)

    adopted.refresh_from_db()
    assert caught.value.code == "edit_conflict"
    assert adopted.lock_version == 2


def test_action_edit_with_a_negative_budget_changes_nothing(focal_point, action):
    with pytest.raises(InvalidInput):
        services.action_update(
            actor=focal_point,
            action_id=action.pk,
            lock_version=1,
            title="Renamed",
            budget_spent="-5",
        )

    action.refresh_from_db()
    assert (action.title, action.budget_spent, action.lock_version) == ("Action", D("100"), 1)


def test_action_moves_only_to_a_priority_of_the_same_roadmap(focal_point, action):
    other_roadmap = factories.roadmap("FRA", status=Roadmap.Status.ADOPTED, title="Other")
    elsewhere = Priority.objects.create(roadmap=other_roadmap, title="Elsewhere")

    with pytest.raises(InvalidInput) as caught:
        services.action_update(actor=focal_point, action_id=action.pk, priority=elsewhere.pk)

    assert "priority" in caught.value.details


def test_action_reported_on_cannot_be_deleted(focal_point, action):
    report = factories.report_through("draft", focal_point=focal_point)
    report.action_updates.create(action=action, status="on_track")

    with pytest.raises(InvalidInput):
        services.action_delete(actor=focal_point, action_id=action.pk)

    assert Action.objects.filter(pk=action.pk).exists()


# --- linked indicators and milestones ---------------------------------------------------------


def test_linked_indicator_records_baseline_and_target(focal_point, adopted):
    factories.indicator("8.7.1")

    link = services.roadmap_indicator_set(
        actor=focal_point,
        roadmap_id=adopted.pk,
        indicator="8.7.1",
        baseline_value=12.5,
        baseline_year=2020,
        target_value=5,
        target_year=2026,
    )

    assert (link.baseline_value, link.target_value, link.target_year) == (12.5, 5.0, 2026)


def test_linking_the_same_indicator_again_updates_it_in_place(focal_point, adopted):
    factories.indicator("8.7.1")
    services.roadmap_indicator_set(
        actor=focal_point, roadmap_id=adopted.pk, indicator="8.7.1", target_value=5
    )

    services.roadmap_indicator_set(
        actor=focal_point, roadmap_id=adopted.pk, indicator="8.7.1", target_value=3
    )

    assert list(RoadmapIndicator.objects.values_list("target_value", flat=True)) == [3.0]


def test_unknown_indicator_is_refused_and_nothing_written(focal_point, adopted):
    before = counts()

    with pytest.raises(InvalidInput) as caught:
        services.roadmap_indicator_set(actor=focal_point, roadmap_id=adopted.pk, indicator="99.9")

    assert "indicator" in caught.value.details
    assert counts() == before


def test_indicator_target_year_before_baseline_year_is_refused(focal_point, adopted):
    factories.indicator("8.7.1")

    with pytest.raises(InvalidInput) as caught:
        services.roadmap_indicator_set(
            actor=focal_point,
            roadmap_id=adopted.pk,
            indicator="8.7.1",
            baseline_year=2024,
            target_year=2020,
        )

    assert "target_year" in caught.value.details


def test_indicator_target_that_is_not_a_number_is_refused(focal_point, adopted):
    factories.indicator("8.7.1")

    with pytest.raises(InvalidInput) as caught:
        services.roadmap_indicator_set(
            actor=focal_point, roadmap_id=adopted.pk, indicator="8.7.1", target_value="nan"
        )

    assert "target_value" in caught.value.details


def test_milestone_tied_to_an_action_of_another_roadmap_is_refused(focal_point, adopted):
    other_roadmap = factories.roadmap("FRA", status=Roadmap.Status.ADOPTED, title="Other")
    foreign_action = factories.action(other_roadmap)

    with pytest.raises(InvalidInput) as caught:
        services.milestone_create(
            actor=focal_point,
            roadmap_id=adopted.pk,
            title="Law adopted",
            due_on="2025-06-30",
            action_id=foreign_action.pk,
        )

    assert "action" in caught.value.details
    assert not Milestone.objects.exists()


def test_milestone_without_due_date_is_refused(focal_point, adopted):
    with pytest.raises(InvalidInput) as caught:
        services.milestone_create(
            actor=focal_point, roadmap_id=adopted.pk, title="Law adopted", due_on=""
        )

    assert "due_on" in caught.value.details


# --- funding view -----------------------------------------------------------------------------


def test_funding_view_gives_action_values_in_usd_at_the_dated_rate(viewer, adopted, priority):
    # 1000 EUR planned, 400 secured, 100 spent at 1.08 (dated 2024-01-01, the latest on or
    # before 2024-06-30; the 2024-07-01 rate is later) → 1080.00, 432.00, 108.00; gap 648.00.
    ExchangeRate.objects.create(
        currency="EUR", rate_date=datetime.date(2024, 1, 1), usd_per_unit=D("1.08")
    )
    ExchangeRate.objects.create(
        currency="EUR", rate_date=datetime.date(2024, 7, 1), usd_per_unit=D("2")
    )
    action = factories.action(adopted, priority=priority, currency="EUR")

    view = selectors.funding_view(actor=viewer, iso3="FRA", on=datetime.date(2024, 6, 30))

    [funding] = view.summary.actions
    assert funding.line.action_id == action.pk
    assert funding.totals is not None
    assert (
        funding.totals.planned_usd,
        funding.totals.secured_usd,
        funding.totals.spent_usd,
        funding.totals.gap_usd,
    ) == (D("1080.00"), D("432.00"), D("108.00"), D("648.00"))
    assert funding.rate_date == datetime.date(2024, 1, 1)


def test_funding_view_lists_a_currency_without_rate_as_missing(viewer, adopted, priority):
    factories.action(adopted, priority=priority, currency="KES")
    factories.action(adopted, priority=priority, currency="USD")

    view = selectors.funding_view(actor=viewer, iso3="FRA", on=datetime.date(2024, 6, 30))

    assert view.summary.missing_rates == ["KES"]
    assert view.summary.total.gap_usd == D("600.00")


def test_funding_view_totals_the_country_from_its_current_roadmap_only(viewer, adopted, priority):
    factories.action(adopted, priority=priority)
    old = factories.roadmap(
        "FRA", status=Roadmap.Status.SUPERSEDED, title="Old", period_start=2015, period_end=2019
    )
    factories.action(old, planned="999999")

    view = selectors.funding_view(actor=viewer, iso3="FRA", on=datetime.date(2024, 6, 30))

    assert [roadmap.pk for roadmap in view.roadmaps] == [adopted.pk]
    assert view.summary.by_country["FRA"].planned_usd == D("1000.00")


def test_funding_view_lists_the_active_pledges_covering_each_priority(viewer, priority):
    covering = PledgeFactory()
    covering.roadmap_priorities.add(priority)
    withdrawn = PledgeFactory(status=Pledge.Status.WITHDRAWN)
    withdrawn.roadmap_priorities.add(priority)
    PledgeFactory()  # covers nothing

    view = selectors.funding_view(actor=viewer, iso3="FRA", on=datetime.date(2024, 6, 30))

    assert view.pledges == {priority.pk: [covering]}


def test_funding_view_of_a_country_that_is_not_a_pathfinder_is_not_found(viewer):
    factories.country("KEN")

    with pytest.raises(NotFound):
        selectors.funding_view(actor=viewer, iso3="KEN")
