"""The pathfinder registry and the exchange-rate table: curators only, checked and audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sdg87.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.pathfinders.models import ExchangeRate, Pathfinder
from sdg87.pathfinders.services import registry as services
from sdg87.pathfinders.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def kenya_country(db):
    return factories.country("KEN")


# --- pathfinders ------------------------------------------------------------------------------


def test_curator_registers_a_pathfinder_country(curator, kenya_country):
    pathfinder = services.pathfinder_create(actor=curator, iso3="ken", joined_on="2021-05-04")

    assert pathfinder.country == kenya_country
    assert pathfinder.joined_on == datetime.date(2021, 5, 4)
    assert pathfinder.status == Pathfinder.Status.ACTIVE


def test_registration_is_audited(curator, kenya_country):
    pathfinder = services.pathfinder_create(actor=curator, iso3="KEN", joined_on="2021-05-04")

    entry = AuditEntry.objects.get(
        object_type="pathfinders.pathfinder", object_id=str(pathfinder.pk)
    )
    assert (entry.action, entry.actor, entry.after["joined_on"]) == (
        "create",
        curator,
        "2021-05-04",
    )


@pytest.mark.parametrize("who", ["focal_point", "partner_editor", "viewer"])
def test_only_a_curator_registers_a_pathfinder(request, who, kenya_country):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.pathfinder_create(actor=actor, iso3="KEN", joined_on="2021-05-04")

    assert not Pathfinder.objects.filter(country=kenya_country).exists()


def test_anonymous_may_not_register_a_pathfinder(anonymous, kenya_country):
    with pytest.raises(NotAuthenticated):
        services.pathfinder_create(actor=anonymous, iso3="KEN", joined_on="2021-05-04")


def test_registering_a_country_twice_is_a_conflict(curator, france):
    with pytest.raises(Conflict):
        services.pathfinder_create(actor=curator, iso3="FRA", joined_on="2021-05-04")

    assert Pathfinder.objects.count() == 1


def test_registering_an_unknown_country_is_not_found(curator):
    with pytest.raises(NotFound):
        services.pathfinder_create(actor=curator, iso3="ZZZ", joined_on="2021-05-04")


@pytest.mark.parametrize("joined_on", ["", "04/05/2021"])
def test_registration_needs_a_valid_joining_date(curator, kenya_country, joined_on):
    with pytest.raises(InvalidInput) as caught:
        services.pathfinder_create(actor=curator, iso3="KEN", joined_on=joined_on)

    assert "joined_on" in caught.value.details
    assert not Pathfinder.objects.exists()


def test_registration_with_an_unknown_status_is_refused(curator, kenya_country):
    with pytest.raises(InvalidInput) as caught:
        services.pathfinder_create(
            actor=curator, iso3="KEN", joined_on="2021-05-04", status="dormant"
        )

    assert "status" in caught.value.details


def test_curator_updates_a_pathfinders_status_and_it_is_audited(curator, france):
    services.pathfinder_update(actor=curator, iso3="FRA", status="suspended")

    france.refresh_from_db()
    entry = AuditEntry.objects.get(object_type="pathfinders.pathfinder", action="update")
    assert france.status == Pathfinder.Status.SUSPENDED
    assert (entry.before["status"], entry.after["status"]) == ("active", "suspended")


def test_focal_point_may_not_update_their_pathfinder_entry(focal_point):
    with pytest.raises(PermissionDenied):
        services.pathfinder_update(actor=focal_point, iso3="FRA", summary="Ours.")


# --- exchange rates ---------------------------------------------------------------------------


def test_curator_sets_a_dated_rate(curator):
    rate = services.exchange_rate_set(
        actor=curator,
        currency="eur",
        rate_date="2024-01-01",
        usd_per_unit="1.0857",
        rate_source="ECB",
    )

    assert (rate.currency, rate.rate_date, rate.usd_per_unit, rate.source) == (
        "EUR",
        datetime.date(2024, 1, 1),
        Decimal("1.0857"),
        "ECB",
    )


def test_setting_the_rate_of_the_same_day_again_updates_it_in_place(curator):
    first = services.exchange_rate_set(
        actor=curator, currency="EUR", rate_date="2024-01-01", usd_per_unit="1.08"
    )

    second = services.exchange_rate_set(
        actor=curator, currency="EUR", rate_date="2024-01-01", usd_per_unit="1.09"
    )

    assert second.pk == first.pk
    assert list(ExchangeRate.objects.values_list("usd_per_unit", flat=True)) == [Decimal("1.09")]


def test_rates_of_other_days_are_kept_side_by_side(curator):
    services.exchange_rate_set(
        actor=curator, currency="EUR", rate_date="2024-01-01", usd_per_unit="1.08"
    )
    services.exchange_rate_set(
        actor=curator, currency="EUR", rate_date="2024-02-01", usd_per_unit="1.09"
    )

    assert ExchangeRate.objects.filter(currency="EUR").count() == 2


def test_rate_creation_and_change_are_audited(curator):
    rate = services.exchange_rate_set(
        actor=curator, currency="EUR", rate_date="2024-01-01", usd_per_unit="1.08"
    )
    services.exchange_rate_set(
        actor=curator, currency="EUR", rate_date="2024-01-01", usd_per_unit="1.09"
    )

    entries = AuditEntry.objects.filter(
        object_type="pathfinders.exchangerate", object_id=str(rate.pk)
    ).order_by("id")
    assert [(e.action, e.actor) for e in entries] == [("create", curator), ("update", curator)]
    assert (entries[1].before["usd_per_unit"], entries[1].after["usd_per_unit"]) == (
        "1.0800000000",
        "1.0900000000",
    )


def test_setting_the_same_rate_again_leaves_no_audit_row(curator):
    services.exchange_rate_set(
        actor=curator, currency="EUR", rate_date="2024-01-01", usd_per_unit="1.08"
    )

    services.exchange_rate_set(
        actor=curator, currency="EUR", rate_date="2024-01-01", usd_per_unit="1.08"
    )

    assert AuditEntry.objects.filter(object_type="pathfinders.exchangerate").count() == 1


@pytest.mark.parametrize("currency", ["XYZ", "", "EURO", "XAU"])
def test_rate_of_a_currency_that_is_not_iso_4217_is_refused(curator, currency):
    with pytest.raises(InvalidInput) as caught:
        services.exchange_rate_set(
            actor=curator, currency=currency, rate_date="2024-01-01", usd_per_unit="1"
        )

    assert "currency" in caught.value.details
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize("usd_per_unit", ["0", "-1.5", "abc", "NaN", "Infinity", "1e20"])
def test_rate_that_is_not_a_positive_number_is_refused(curator, usd_per_unit):
    with pytest.raises(InvalidInput) as caught:
        services.exchange_rate_set(
            actor=curator, currency="EUR", rate_date="2024-01-01", usd_per_unit=usd_per_unit
        )

    assert "usd_per_unit" in caught.value.details
    assert not ExchangeRate.objects.exists()


def test_rate_without_a_date_is_refused(curator):
    with pytest.raises(InvalidInput) as caught:
        services.exchange_rate_set(actor=curator, currency="EUR", rate_date="", usd_per_unit="1")

    assert "rate_date" in caught.value.details


@pytest.mark.parametrize("who", ["focal_point", "partner_editor", "viewer"])
def test_only_a_curator_sets_rates(request, who):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.exchange_rate_set(
            actor=actor, currency="EUR", rate_date="2024-01-01", usd_per_unit="1.08"
        )

    assert not ExchangeRate.objects.exists()
