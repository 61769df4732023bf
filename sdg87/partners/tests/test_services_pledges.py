"""Pledges and progress updates: who may write, what is refused, the traffic light."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from sdg87.core.errors import InvalidInput, NotAuthenticated, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.partners import selectors, services
from sdg87.partners.models import Pledge, PledgeUpdate
from sdg87.partners.staleness import Staleness
from sdg87.partners.tests.factories import (
    CuratorFactory,
    EditorFactory,
    OrganisationFactory,
    PledgeFactory,
    UserFactory,
    country,
    sdg_indicator,
    theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return EditorFactory()


def record(actor, organisation_id, **fields):
    values = {"title": "Example pledge: remediation in 200 farms"}
    values.update(fields)
    return services.pledge_create(actor=actor, organisation_id=organisation_id, **values)


def test_an_editor_records_a_smart_pledge_for_its_organisation(editor):
    country("KEN")
    theme("child-labour")
    sdg_indicator("8.7.1")

    pledge = record(
        editor,
        editor.organisation_id,
        deliverables="Remediation plans in 200 farms",
        indicators_text="Children withdrawn from hazardous work",
        indicator_codes=["8.7.1"],
        deadline=datetime.date(2027, 12, 31),
        budget_amount="250000",
        budget_currency="usd",
        country_codes=["ken"],
        theme_slugs=["child-labour"],
    )

    assert pledge.budget_amount == Decimal("250000.00")
    assert pledge.budget_currency == "USD"
    assert pledge.staleness == Staleness.GREEN
    entry = AuditEntry.objects.get(object_type="partners.pledge")
    assert entry.after["countries"] == ["KEN"]
    assert entry.after["themes"] == ["child-labour"]
    assert entry.after["indicators"] == ["8.7.1"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country_codes": ["KEN", "XXX"]}, "countries"),
        ({"budget_amount": "-1", "budget_currency": "USD"}, "budget_amount"),
        ({"budget_amount": "10", "budget_currency": "DOLLARS"}, "budget_currency"),
        ({"budget_amount": "10", "budget_currency": "ABC"}, "budget_currency"),
        ({"budget_amount": "10"}, "budget_currency"),
        ({"budget_currency": "USD"}, "budget_amount"),
        ({"budget_amount": "ten", "budget_currency": "USD"}, "budget_amount"),
        ({"theme_slugs": ["not-a-theme"]}, "themes"),
        ({"indicator_codes": ["99.9.9"]}, "indicator_codes"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_pledge_input_is_refused_and_nothing_is_written(editor, fields, field):
    country("KEN")

    with pytest.raises(InvalidInput) as raised:
        record(editor, editor.organisation_id, **fields)

    assert field in raised.value.details
    assert not Pledge.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_database_refuses_a_negative_budget_or_an_amount_without_currency():
    owner = OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(owner=owner, title="x", budget_amount=-5, budget_currency="USD")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(owner=owner, title="x", budget_amount=5)


@pytest.mark.parametrize(
    ("actor_kind", "error"),
    [
        ("other_editor", PermissionDenied),
        ("viewer", PermissionDenied),
        ("anonymous", NotAuthenticated),
    ],
)
def test_only_the_owners_editors_and_curators_record_pledges(actor_kind, error):
    owner = OrganisationFactory()
    actor = {
        "other_editor": lambda: EditorFactory(),
        "viewer": lambda: UserFactory(),
        "anonymous": AnonymousUser,
    }[actor_kind]()

    with pytest.raises(error):
        record(actor, owner.pk)
    assert record(CuratorFactory(), owner.pk).owner == owner


def test_an_organisation_that_is_not_approved_records_no_pledge():
    editor = EditorFactory(organisation=OrganisationFactory(status="applied"))

    with pytest.raises(PermissionDenied) as raised:
        record(editor, editor.organisation_id)
    assert raised.value.code == "not_approved"


def test_a_progress_update_with_evidence_turns_the_light_green(editor):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    pledge = PledgeFactory(owner=editor.organisation, last_reported_at=long_ago)
    assert pledge.staleness == Staleness.RED

    update = services.pledge_progress_report(
        actor=editor,
        pledge_id=pledge.pk,
        text="120 farms covered",
        evidence_url="https://example.org/report",
        evidence_file=services.EvidenceFile(b"%PDF-1.7 example", "Report 2026.pdf"),
    )

    pledge.refresh_from_db()
    assert pledge.staleness == Staleness.GREEN
    assert pledge.last_reported_at == update.created_at
    assert update.evidence_file.name.endswith(".pdf")
    entry = AuditEntry.objects.get(action="report_progress")
    assert entry.after["text"] == "120 farms covered"


def test_an_update_can_close_the_pledge_and_the_change_is_audited(editor):
    pledge = PledgeFactory(owner=editor.organisation)

    services.pledge_progress_report(
        actor=editor, pledge_id=pledge.pk, text="All delivered", status="completed"
    )

    pledge.refresh_from_db()
    assert pledge.status == "completed"
    assert pledge.staleness is None
    entry = AuditEntry.objects.get(object_type="partners.pledge", action="update")
    assert (entry.before["status"], entry.after["status"]) == ("active", "completed")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"evidence_url": "file:///etc/passwd"}, "evidence_url"),
        ({"text": " "}, "text"),
        ({"evidence_file": services.EvidenceFile(b"MZ\x90", "report.pdf")}, "evidence_file"),
        ({"status": "paused"}, "status"),
    ],
)
def test_bad_update_input_is_refused_and_nothing_is_written(editor, fields, field):
    pledge = PledgeFactory(owner=editor.organisation)
    values = {"text": "Progress"}
    values.update(fields)

    with pytest.raises(InvalidInput) as raised:
        services.pledge_progress_report(actor=editor, pledge_id=pledge.pk, **values)

    assert field in raised.value.details
    assert not PledgeUpdate.objects.exists()
    assert not AuditEntry.objects.exists()


def test_editors_update_and_edit_only_their_own_organisations_pledges(editor):
    other = PledgeFactory()

    with pytest.raises(PermissionDenied):
        services.pledge_progress_report(actor=editor, pledge_id=other.pk, text="x")
    with pytest.raises(PermissionDenied):
        services.pledge_edit(actor=editor, pledge_id=other.pk, title="Taken over")
    assert not PledgeUpdate.objects.exists()


def test_editing_a_pledge_is_audited_before_and_after(editor):
    pledge = PledgeFactory(owner=editor.organisation, title="Before")

    services.pledge_edit(
        actor=editor, pledge_id=pledge.pk, title="After", budget_amount="5", budget_currency="EUR"
    )

    entry = AuditEntry.objects.get(action="update")
    assert (entry.before["title"], entry.after["title"]) == ("Before", "After")
    assert entry.after["budget_amount"] == "5.00"


def test_the_list_filters_by_traffic_light():
    now = timezone.now()
    green = PledgeFactory(last_reported_at=now - datetime.timedelta(days=30))
    amber = PledgeFactory(last_reported_at=now - datetime.timedelta(days=400))
    red = PledgeFactory(last_reported_at=now - datetime.timedelta(days=800))
    PledgeFactory(last_reported_at=now - datetime.timedelta(days=800), status="completed")

    def ids(light):
        return [pledge.pk for pledge in selectors.pledge_list(staleness=light)]

    assert ids("green") == [green.pk]
    assert ids("amber") == [amber.pk]
    assert ids("red") == [red.pk]
