"""Annual-report services: drafting within one's countries, locking, the review workflow with
its audit rows and e-mails, observations on approval, corrections as new versions, and the
checks on values and evidence."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sdg87.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.indicators.models import Observation, ObservationRevision
from sdg87.pathfinders.models import (
    AnnualReport,
    ReportActionUpdate,
    ReportEvidence,
    ReportIndicatorValue,
    ReportStatus,
    ReportTransition,
    Roadmap,
)
from sdg87.pathfinders.services import reports as services
from sdg87.pathfinders.services.reports import REPORT_SERIES
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def indicator(db):
    return factories.indicator("8.7.1")


@pytest.fixture
def draft(focal_point):
    return services.report_create(actor=focal_point, iso3="FRA", year=2024, progress="Progress.")


def through(status, focal_point, curator, **kwargs):
    return factories.report_through(status, focal_point=focal_point, curator=curator, **kwargs)


def value(code="8.7.1", year=2024, number=4.5):
    return {"indicator": code, "year": year, "value": number}


def report_rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            AnnualReport,
            ReportIndicatorValue,
            ReportActionUpdate,
            ReportEvidence,
            ReportTransition,
            AuditEntry,
            Observation,
        )
    }


# --- drafting ---------------------------------------------------------------------------------


def test_focal_point_drafts_a_report_of_their_country_against_its_current_roadmap(focal_point):
    roadmap = factories.roadmap("FRA", status=Roadmap.Status.ADOPTED)

    report = services.report_create(actor=focal_point, iso3="FRA", year=2024)

    assert (report.status, report.version, report.roadmap) == (ReportStatus.DRAFT, 1, roadmap)
    assert report.created_by == focal_point


def test_focal_point_of_another_country_may_not_draft_a_report(france, kenyan_focal_point):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=kenyan_focal_point, iso3="FRA", year=2024)

    assert not AnnualReport.objects.exists()


def test_partner_editor_may_not_draft_a_report(france, partner_editor):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=partner_editor, iso3="FRA", year=2024)


def test_anonymous_may_not_draft_a_report(france, anonymous):
    with pytest.raises(NotAuthenticated):
        services.report_create(actor=anonymous, iso3="FRA", year=2024)


def test_report_on_another_countrys_roadmap_is_refused(focal_point, curator, kenya):
    kenyan_roadmap = factories.roadmap("KEN", status=Roadmap.Status.ADOPTED)

    with pytest.raises(InvalidInput) as caught:
        services.report_create(actor=curator, iso3="FRA", year=2024, roadmap_id=kenyan_roadmap.pk)

    assert "roadmap" in caught.value.details


def test_second_report_for_the_same_year_is_refused_as_report_exists(focal_point, draft):
    with pytest.raises(Conflict) as caught:
        services.report_create(actor=focal_point, iso3="FRA", year=2024)

    assert caught.value.code == "report_exists"
    assert AnnualReport.objects.count() == 1


def test_report_for_another_year_is_allowed(focal_point, draft):
    report = services.report_create(actor=focal_point, iso3="FRA", year=2025)

    assert report.year == 2025


def test_report_year_out_of_range_is_refused(focal_point):
    with pytest.raises(InvalidInput) as caught:
        services.report_create(actor=focal_point, iso3="FRA", year=1850)

    assert "year" in caught.value.details


def test_focal_point_edits_the_narrative_of_their_draft(focal_point, draft):
    services.report_update(
        actor=focal_point, report_id=draft.pk, lock_version=1, challenges="Funding."
    )

    draft.refresh_from_db()
    assert (draft.challenges, draft.lock_version) == ("Funding.", 2)


def test_draft_of_another_country_is_not_found_for_a_focal_point(kenyan_focal_point, draft):
    with pytest.raises(NotFound):
        services.report_update(actor=kenyan_focal_point, report_id=draft.pk, progress="Mine")


def test_stale_report_edit_is_refused_as_edit_conflict_and_nothing_written(
    focal_point, curator, draft
):
    services.report_update(actor=curator, report_id=draft.pk, lock_version=1, progress="Theirs")
    before = report_rows()

    with pytest.raises(Conflict) as caught:
        services.report_update(
            actor=focal_point, report_id=draft.pk, lock_version=1, progress="Mine"
        )

    draft.refresh_from_db()
    assert caught.value.code == "edit_conflict"
    assert draft.progress == "Theirs"
    assert report_rows() == before


@pytest.mark.parametrize(
    "status",
    [
        ReportStatus.SUBMITTED,
        ReportStatus.RESUBMITTED,
        ReportStatus.APPROVED,
        ReportStatus.PUBLISHED,
    ],
)
def test_report_is_not_editable_once_submitted(focal_point, curator, status):
    report = through(status, focal_point, curator)

    with pytest.raises(Conflict) as caught:
        services.report_update(actor=focal_point, report_id=report.pk, progress="Changed")

    report.refresh_from_db()
    assert caught.value.code == "report_locked"
    assert report.progress == "Progress made."


def test_curator_may_not_edit_an_approved_report_either(focal_point, curator):
    report = through(ReportStatus.APPROVED, focal_point, curator)

    with pytest.raises(Conflict) as caught:
        services.report_update(actor=curator, report_id=report.pk, progress="Changed")

    assert caught.value.code == "report_locked"
    assert "correction" in caught.value.message


def test_report_returned_with_changes_requested_is_editable_again(focal_point, curator):
    report = through(ReportStatus.CHANGES_REQUESTED, focal_point, curator)

    services.report_update(actor=focal_point, report_id=report.pk, progress="Now with 2023 data.")

    report.refresh_from_db()
    assert report.progress == "Now with 2023 data."


def test_unknown_narrative_field_is_refused(focal_point, draft):
    with pytest.raises(InvalidInput) as caught:
        services.report_update(actor=focal_point, report_id=draft.pk, status="published")

    assert "status" in caught.value.details


# --- indicator values and action updates ------------------------------------------------------


def test_indicator_values_replace_the_previous_list(focal_point, draft, indicator):
    services.report_update(actor=focal_point, report_id=draft.pk, indicator_values=[value()])

    services.report_update(
        actor=focal_point, report_id=draft.pk, indicator_values=[value(year=2023, number=5.0)]
    )

    assert list(draft.indicator_values.values_list("year", "value")) == [(2023, 5.0)]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"indicator": "8.7.1", "year": 2024, "value": "many"}, "indicator_values[2].value"),
        ({"indicator": "8.7.1", "year": 2024, "value": "NaN"}, "indicator_values[2].value"),
        ({"indicator": "8.7.1", "year": 2024, "value": float("inf")}, "indicator_values[2].value"),
        ({"indicator": "8.7.1", "year": 2024, "value": None}, "indicator_values[2].value"),
        ({"indicator": "99.9", "year": 2024, "value": 1}, "indicator_values[2].indicator"),
        ({"indicator": "8.7.1", "year": "soon", "value": 1}, "indicator_values[2].year"),
        ({"indicator": "8.7.1", "year": 2023, "value": 1}, "indicator_values[2].indicator"),
    ],
    ids=["non-numeric", "nan", "infinite", "missing", "unknown-indicator", "bad-year", "dup"],
)
def test_invalid_indicator_value_is_refused_naming_its_position_and_field(
    focal_point, draft, indicator, bad, field
):
    services.report_update(actor=focal_point, report_id=draft.pk, indicator_values=[value()])
    before = report_rows()
    first = value(year=2023, number=7.0)

    with pytest.raises(InvalidInput) as caught:
        services.report_update(actor=focal_point, report_id=draft.pk, indicator_values=[first, bad])

    assert field in caught.value.details
    assert report_rows() == before
    assert list(draft.indicator_values.values_list("year", "value")) == [(2024, 4.5)]


def test_action_update_records_the_status_and_budget_at_the_time_of_the_report(focal_point, draft):
    action = factories.action(factories.roadmap("FRA"))

    services.report_update(
        actor=focal_point,
        report_id=draft.pk,
        action_updates=[{"action": action.pk, "status": "delayed", "budget_secured": "450"}],
    )

    update = draft.action_updates.get()
    assert (update.status, update.budget_secured, update.budget_planned) == (
        "delayed",
        Decimal("450.00"),
        Decimal("1000.00"),
    )


def test_action_update_of_another_countrys_action_is_refused(focal_point, draft, kenya):
    foreign = factories.action(factories.roadmap("KEN"))

    with pytest.raises(InvalidInput) as caught:
        services.report_update(
            actor=focal_point,
            report_id=draft.pk,
            action_updates=[{"action": foreign.pk, "status": "done"}],
        )

    assert "action_updates[1].action" in caught.value.details
    assert not ReportActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"budget_planned": "-1"}, "action_updates[1].budget_planned"),
        ({"status": "finished"}, "action_updates[1].status"),
    ],
)
def test_invalid_action_update_is_refused_naming_the_field(focal_point, draft, item, field):
    action = factories.action(factories.roadmap("FRA"))

    with pytest.raises(InvalidInput) as caught:
        services.report_update(
            actor=focal_point, report_id=draft.pk, action_updates=[{"action": action.pk, **item}]
        )

    assert field in caught.value.details
    assert not ReportActionUpdate.objects.exists()


def test_same_action_twice_in_one_report_is_refused(focal_point, draft):
    action = factories.action(factories.roadmap("FRA"))

    with pytest.raises(InvalidInput) as caught:
        services.report_update(
            actor=focal_point,
            report_id=draft.pk,
            action_updates=[{"action": action.pk}, {"action": action.pk}],
        )

    assert "action_updates[2].action" in caught.value.details


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_link_is_attached_to_a_draft(focal_point, draft):
    evidence = services.evidence_add(
        actor=focal_point, report_id=draft.pk, title="Survey", url="https://example.org/s.pdf"
    )

    assert list(draft.evidence.all()) == [evidence]


def test_evidence_pdf_file_is_stored(focal_point, draft):
    evidence = services.evidence_add(
        actor=focal_point, report_id=draft.pk, title="Survey", content=PDF, filename="survey.pdf"
    )

    assert evidence.file.name.endswith(".pdf")
    assert evidence.file.read() == PDF


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://x.org/a"]
)
def test_evidence_link_that_is_not_http_is_refused(focal_point, draft, url):
    with pytest.raises(InvalidInput) as caught:
        services.evidence_add(actor=focal_point, report_id=draft.pk, title="Survey", url=url)

    assert "url" in caught.value.details
    assert not ReportEvidence.objects.exists()


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"MZ\x90\x00", "tool.exe"),
        (b"<svg onload='alert(1)'/>", "chart.svg"),
        (b"<script>alert(1)</script>", "page.html"),
        (b"not a pdf at all", "survey.pdf"),
    ],
    ids=["exe", "svg", "html", "pdf-in-name-only"],
)
def test_evidence_file_of_a_kind_not_accepted_is_refused(focal_point, draft, content, filename):
    with pytest.raises(InvalidInput) as caught:
        services.evidence_add(
            actor=focal_point,
            report_id=draft.pk,
            title="Survey",
            content=content,
            filename=filename,
        )

    assert "file" in caught.value.details
    assert not ReportEvidence.objects.exists()


def test_evidence_needs_a_link_or_a_file(focal_point, draft):
    with pytest.raises(InvalidInput):
        services.evidence_add(actor=focal_point, report_id=draft.pk, title="Survey")


def test_evidence_cannot_be_added_to_a_submitted_report(focal_point, curator):
    report = through(ReportStatus.SUBMITTED, focal_point, curator)

    with pytest.raises(Conflict) as caught:
        services.evidence_add(
            actor=focal_point, report_id=report.pk, title="Late", url="https://example.org/"
        )

    assert caught.value.code == "report_locked"


def test_evidence_cannot_be_removed_from_an_approved_report(focal_point, curator):
    report = services.report_create(actor=focal_point, iso3="FRA", year=2024, progress="P.")
    evidence = services.evidence_add(
        actor=focal_point, report_id=report.pk, title="Survey", url="https://example.org/"
    )
    services.report_transition(actor=focal_point, report_id=report.pk, action="submit")
    services.report_transition(actor=curator, report_id=report.pk, action="approve")

    with pytest.raises(Conflict) as caught:
        services.evidence_remove(actor=curator, report_id=report.pk, evidence_id=evidence.pk)

    assert caught.value.code == "report_locked"
    assert ReportEvidence.objects.filter(pk=evidence.pk).exists()


# --- the workflow -----------------------------------------------------------------------------


def test_submit_requires_the_progress_section(focal_point):
    report = services.report_create(actor=focal_point, iso3="FRA", year=2024)

    with pytest.raises(InvalidInput) as caught:
        services.report_transition(actor=focal_point, report_id=report.pk, action="submit")

    report.refresh_from_db()
    assert "progress" in caught.value.details
    assert report.status == ReportStatus.DRAFT
    assert not ReportTransition.objects.exists()


def test_focal_point_submits_their_countrys_draft(focal_point, draft):
    report = services.report_transition(actor=focal_point, report_id=draft.pk, action="submit")

    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at is not None


def test_focal_point_of_another_country_cannot_submit_a_draft_they_cannot_see(
    kenyan_focal_point, draft
):
    with pytest.raises(NotFound):
        services.report_transition(actor=kenyan_focal_point, report_id=draft.pk, action="submit")


@pytest.mark.parametrize("action", ["approve", "request_changes"])
def test_focal_point_may_not_review_their_own_report(focal_point, curator, action):
    report = through(ReportStatus.SUBMITTED, focal_point, curator)

    with pytest.raises(PermissionDenied):
        services.report_transition(
            actor=focal_point, report_id=report.pk, action=action, comment="Looks fine."
        )

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_focal_point_may_not_publish_an_approved_report(focal_point, curator):
    report = through(ReportStatus.APPROVED, focal_point, curator)

    with pytest.raises(PermissionDenied):
        services.report_transition(actor=focal_point, report_id=report.pk, action="publish")


def test_focal_point_of_another_country_may_not_review_a_published_report(
    focal_point, curator, kenyan_focal_point
):
    report = through(ReportStatus.PUBLISHED, focal_point, curator)

    with pytest.raises(PermissionDenied):
        services.report_transition(
            actor=kenyan_focal_point, report_id=report.pk, action="request_changes", comment="x"
        )


def test_request_changes_without_a_comment_is_refused(focal_point, curator):
    report = through(ReportStatus.SUBMITTED, focal_point, curator)

    with pytest.raises(InvalidInput) as caught:
        services.report_transition(
            actor=curator, report_id=report.pk, action="request_changes", comment="   "
        )

    report.refresh_from_db()
    assert "comment" in caught.value.details
    assert report.status == ReportStatus.SUBMITTED


def test_out_of_order_transition_is_refused_with_a_clear_message_and_nothing_written(
    curator, draft
):
    before = report_rows()

    with pytest.raises(Conflict) as caught:
        services.report_transition(actor=curator, report_id=draft.pk, action="approve")

    draft.refresh_from_db()
    assert caught.value.code == "invalid_transition"
    assert "draft" in caught.value.message
    assert "submit" in caught.value.message
    assert draft.status == ReportStatus.DRAFT
    assert report_rows() == before


def test_stale_transition_is_refused_as_edit_conflict(focal_point, draft):
    services.report_update(actor=focal_point, report_id=draft.pk, progress="More progress.")

    with pytest.raises(Conflict) as caught:
        services.report_transition(
            actor=focal_point, report_id=draft.pk, action="submit", lock_version=1
        )

    assert caught.value.code == "edit_conflict"


def test_report_goes_back_and_forth_between_changes_requested_and_resubmitted(focal_point, curator):
    report = through(ReportStatus.RESUBMITTED, focal_point, curator)

    services.report_transition(
        actor=curator, report_id=report.pk, action="request_changes", comment="Still missing."
    )
    services.report_transition(actor=focal_point, report_id=report.pk, action="resubmit")
    report = services.report_transition(actor=curator, report_id=report.pk, action="approve")

    assert report.status == ReportStatus.APPROVED
    assert [item.action for item in report.transitions.order_by("at", "id")] == [
        "submit",
        "request_changes",
        "resubmit",
        "request_changes",
        "resubmit",
        "approve",
    ]


def test_every_transition_records_actor_utc_time_and_comment(focal_point, curator, draft):
    steps = [
        ("submit", focal_point, "First go."),
        ("request_changes", curator, "Add 2023."),
        ("resubmit", focal_point, "Added."),
        ("approve", curator, "Good."),
        ("publish", curator, ""),
    ]
    for action, actor, comment in steps:
        services.report_transition(actor=actor, report_id=draft.pk, action=action, comment=comment)

    transitions = list(ReportTransition.objects.filter(report=draft).order_by("at", "id"))
    assert [(t.action, t.actor, t.actor_label, t.comment) for t in transitions] == [
        (action, actor, actor.username, comment) for action, actor, comment in steps
    ]
    assert [(t.from_status, t.to_status) for t in transitions] == [
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "resubmitted"),
        ("resubmitted", "approved"),
        ("approved", "published"),
    ]
    assert all(t.at.utcoffset() == datetime.timedelta(0) for t in transitions)


def test_every_transition_is_written_to_the_audit_trail_with_its_comment(
    focal_point, curator, draft
):
    services.report_transition(actor=focal_point, report_id=draft.pk, action="submit")
    services.report_transition(
        actor=curator, report_id=draft.pk, action="request_changes", comment="Add 2023."
    )

    entries = AuditEntry.objects.filter(
        object_type="pathfinders.annualreport",
        object_id=str(draft.pk),
        action__startswith="report_",
    ).order_by("id")
    assert [(e.action, e.actor, e.comment, e.before, e.after) for e in entries] == [
        ("report_submit", focal_point, "", {"status": "draft"}, {"status": "submitted"}),
        (
            "report_request_changes",
            curator,
            "Add 2023.",
            {"status": "submitted"},
            {"status": "changes_requested"},
        ),
    ]


def test_transition_is_e_mailed_to_the_countrys_focal_points_and_the_curators_after_commit(
    focal_point,
    curator,
    kenyan_focal_point,
    viewer,
    draft,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    second_focal_point = factories.FocalPointFactory(countries=[factories.country("FRA")])
    factories.CuratorFactory(is_active=False)
    factories.CuratorFactory(email="")

    with django_capture_on_commit_callbacks() as callbacks:
        services.report_transition(actor=focal_point, report_id=draft.pk, action="submit")
        assert mailoutbox == []
    for callback in callbacks:
        callback()

    [message] = mailoutbox
    assert sorted(message.to) == sorted(
        [focal_point.email, second_focal_point.email, curator.email]
    )
    assert "FRA" in message.subject
    assert "submit" in message.subject


def test_e_mail_of_a_request_for_changes_carries_the_comment(
    focal_point, curator, mailoutbox, django_capture_on_commit_callbacks
):
    report = through(ReportStatus.SUBMITTED, focal_point, curator)

    with django_capture_on_commit_callbacks(execute=True):
        services.report_transition(
            actor=curator,
            report_id=report.pk,
            action="request_changes",
            comment="Please add the 2023 survey.",
        )

    [message] = mailoutbox
    assert "Please add the 2023 survey." in message.body
    assert "Changes requested" in message.subject


def test_refused_transition_sends_no_e_mail(
    curator, draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        services.report_transition(actor=curator, report_id=draft.pk, action="publish")

    assert mailoutbox == []


# --- approval and observations ----------------------------------------------------------------


def test_submitted_values_are_not_yet_observations(focal_point, curator, indicator):
    through(ReportStatus.SUBMITTED, focal_point, curator, values=[value()])

    assert not Observation.objects.filter(series=REPORT_SERIES).exists()


def test_approval_turns_the_values_into_observations_sourced_to_the_report(
    focal_point, curator, indicator
):
    report = through(ReportStatus.APPROVED, focal_point, curator, values=[value(number=4.5)])

    observation = Observation.objects.get(series=REPORT_SERIES)
    assert (observation.area_code, observation.year, observation.value) == ("FRA", 2024, 4.5)
    assert observation.source == "Pathfinder annual report FRA 2024, version 1"
    assert report.observation_batch_id is not None


def test_approval_of_a_report_without_values_imports_nothing(focal_point, curator):
    report = through(ReportStatus.APPROVED, focal_point, curator)

    assert report.observation_batch_id is None
    assert not Observation.objects.exists()


# --- corrections ------------------------------------------------------------------------------


def test_correction_is_a_new_draft_version_superseding_the_approved_one(
    focal_point, curator, indicator
):
    original = through(ReportStatus.PUBLISHED, focal_point, curator, values=[value()])

    correction = services.report_correct(actor=focal_point, report_id=original.pk)

    assert (correction.status, correction.version) == (ReportStatus.DRAFT, 2)
    assert correction.supersedes == original
    assert correction.progress == original.progress
    assert list(correction.indicator_values.values_list("indicator__code", "year", "value")) == [
        ("8.7.1", 2024, 4.5)
    ]


def test_correction_copies_action_updates_and_evidence(focal_point, curator):
    action = factories.action(factories.roadmap("FRA"))
    report = services.report_create(actor=focal_point, iso3="FRA", year=2024, progress="P.")
    services.report_update(
        actor=focal_point, report_id=report.pk, action_updates=[{"action": action.pk}]
    )
    services.evidence_add(
        actor=focal_point, report_id=report.pk, title="Survey", content=PDF, filename="s.pdf"
    )
    services.report_transition(actor=focal_point, report_id=report.pk, action="submit")
    services.report_transition(actor=curator, report_id=report.pk, action="approve")

    correction = services.report_correct(actor=focal_point, report_id=report.pk)

    assert list(correction.action_updates.values_list("action_id", "status")) == [
        (action.pk, "on_track")
    ]
    [evidence] = correction.evidence.all()
    assert evidence.file.name == report.evidence.get().file.name


def test_approved_version_stays_unchanged_while_its_correction_is_edited(
    focal_point, curator, indicator
):
    original = through(ReportStatus.APPROVED, focal_point, curator, values=[value(number=4.5)])
    correction = services.report_correct(actor=focal_point, report_id=original.pk)

    services.report_update(
        actor=focal_point,
        report_id=correction.pk,
        progress="Corrected.",
        indicator_values=[value(number=3.9)],
    )

    original.refresh_from_db()
    assert original.progress == "Progress made."
    assert list(original.indicator_values.values_list("value", flat=True)) == [4.5]


def test_approving_the_correction_updates_the_observation_and_keeps_the_old_value(
    focal_point, curator, indicator
):
    original = through(ReportStatus.PUBLISHED, focal_point, curator, values=[value(number=4.5)])
    correction = services.report_correct(actor=focal_point, report_id=original.pk)
    services.report_update(
        actor=focal_point, report_id=correction.pk, indicator_values=[value(number=3.9)]
    )
    services.report_transition(actor=focal_point, report_id=correction.pk, action="submit")

    services.report_transition(actor=curator, report_id=correction.pk, action="approve")

    observation = Observation.objects.get(series=REPORT_SERIES)
    assert observation.value == 3.9
    assert observation.source == "Pathfinder annual report FRA 2024, version 2"
    revision = ObservationRevision.objects.get(observation=observation)
    assert revision.previous["value"] == 4.5


def test_a_value_the_correction_drops_leaves_the_data_and_a_kept_one_takes_its_source(
    focal_point, curator, indicator
):
    original = through(
        ReportStatus.PUBLISHED,
        focal_point,
        curator,
        values=[value(year=2023, number=5.0), value(year=2024, number=4.5)],
    )
    assert Observation.objects.filter(series=REPORT_SERIES).count() == 2
    correction = services.report_correct(actor=focal_point, report_id=original.pk)
    services.report_update(
        actor=focal_point, report_id=correction.pk, indicator_values=[value(number=4.5)]
    )
    services.report_transition(actor=focal_point, report_id=correction.pk, action="submit")

    services.report_transition(actor=curator, report_id=correction.pk, action="approve")

    kept = Observation.objects.get(series=REPORT_SERIES)
    assert (kept.year, kept.value) == (2024, 4.5)
    assert kept.source == "Pathfinder annual report FRA 2024, version 2"
    entry = AuditEntry.objects.filter(object_type="indicators.observation").latest("pk")
    assert entry.before["count"] == 1


def test_a_draft_is_not_corrected_but_edited(focal_point, draft):
    with pytest.raises(Conflict) as caught:
        services.report_correct(actor=focal_point, report_id=draft.pk)

    assert caught.value.code == "invalid_transition"
    assert AnnualReport.objects.count() == 1


def test_correcting_a_version_that_already_has_a_newer_one_is_refused(focal_point, curator):
    original = through(ReportStatus.APPROVED, focal_point, curator)
    services.report_correct(actor=focal_point, report_id=original.pk)

    with pytest.raises(Conflict) as caught:
        services.report_correct(actor=focal_point, report_id=original.pk)

    assert caught.value.code == "report_exists"
    assert AnnualReport.objects.count() == 2


def test_focal_point_of_another_country_may_not_correct_a_published_report(
    focal_point, curator, kenyan_focal_point
):
    original = through(ReportStatus.PUBLISHED, focal_point, curator)

    with pytest.raises(PermissionDenied):
        services.report_correct(actor=kenyan_focal_point, report_id=original.pk)
