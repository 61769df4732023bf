"""An observation can never point at an indicator, country, region or import batch that does
not exist, although the observation table has no FOREIGN KEY constraints: statement
triggers (PostgreSQL) and row triggers (SQLite) check the references (integrity.py)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.apps import apps
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.utils import timezone

from sdg87.countries.models import Country, Region
from sdg87.indicators import integrity
from sdg87.indicators.apps import _drop_reference_triggers, _reference_triggers
from sdg87.indicators.models import ImportBatch, Indicator, Observation
from sdg87.indicators.services import writer
from sdg87.indicators.tests.import_support import load_indicator_reference

MISSING = 987_654_321


@pytest.fixture
def reference(db):
    load_indicator_reference()


def observation(**fields) -> Observation:
    values = {
        "indicator": Indicator.objects.get(code="8.7.1"),
        "area_code": "KEN",
        "country": Country.objects.get(iso3="KEN"),
        "year": 2020,
        "period": "2020",
        "value": 1.0,
    }
    values.update(fields)
    return Observation(**values)


def test_the_observation_table_has_no_foreign_key_constraints_but_reference_triggers(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Observation._meta.db_table)
    assert [name for name, spec in constraints.items() if spec["foreign_key"]] == []
    assert constraints["observation_identity"]["unique"]
    tables = {table for table, _name in integrity.installed(connection)}
    assert tables == integrity.expected()


@pytest.mark.parametrize(
    "fields",
    [
        {"indicator_id": MISSING},
        {"country_id": MISSING},
        {"country": None, "area_code": "001", "region_id": MISSING},
        {"batch_id": MISSING},
    ],
    ids=["indicator", "country", "region", "batch"],
)
def test_an_observation_referring_to_a_missing_row_is_refused(reference, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        observation(**fields).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.bulk_create(
            [observation(year=2019, period="2019"), observation(**fields)]
        )
    assert Observation.objects.count() == 0


def test_an_update_to_a_missing_row_is_refused(reference):
    kept = observation()
    kept.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.filter(pk=kept.pk).update(country_id=MISSING)
    kept.refresh_from_db()
    assert kept.country.iso3 == "KEN"


def test_the_bulk_write_path_is_checked_too(reference):
    indicator = Indicator.objects.get(code="8.7.1").pk
    country = Country.objects.get(iso3="KEN").pk
    static = (indicator, "KEN", country, None, "S", "PT", 0, "{}", "", "", "", "", "{}")
    good = ((*static, None), 2020, "2020", 1.0, None, None)
    bad = ((*static, MISSING), 2021, "2021", 1.0, None, None)

    with transaction.atomic():  # the caller goes on after the failure: nothing stays
        with pytest.raises(IntegrityError):
            writer.insert_observations([good, bad], total=2)
        assert Observation.objects.count() == 0
        assert {table for table, _name in integrity.installed(connection)} == integrity.expected()

    started = timezone.now()
    with transaction.atomic():
        assert writer.insert_observations([good], total=1) == 1
    written = Observation.objects.get()
    assert written.indicator_id == indicator
    # the database's own time stamps (db_default), as the ORM would have set them
    assert started - dt.timedelta(seconds=5) <= written.created_at <= timezone.now()
    assert written.updated_at == written.created_at
    # the per-row checks are back after a bulk write
    assert {table for table, _name in integrity.installed(connection)} == integrity.expected()
    with pytest.raises(IntegrityError), transaction.atomic():
        observation(year=2019, period="2019", batch_id=MISSING).save()


@pytest.mark.parametrize("parent", ["indicator", "country", "region", "batch"])
def test_a_parent_with_observations_cannot_be_deleted_behind_django(reference, parent):
    world = Region.objects.get(m49="001")
    batch = ImportBatch.objects.create(format="sdmx-csv")
    if parent == "region":
        observation(country=None, area_code="001", region=world, batch=batch).save()
    else:
        observation(batch=batch).save()
    row = {
        "indicator": Indicator.objects.get(code="8.7.1"),
        "country": Country.objects.get(iso3="KEN"),
        "region": world,
        "batch": batch,
    }[parent]

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {row._meta.db_table} WHERE id = %s", [row.pk])  # noqa: S608
    assert type(row).objects.filter(pk=row.pk).exists()


def test_deleting_through_django_follows_on_delete(reference):
    batch = ImportBatch.objects.create(format="sdmx-csv")
    observation(batch=batch).save()

    batch.delete()  # SET_NULL
    assert Observation.objects.get().batch_id is None
    Indicator.objects.get(code="8.7.1").delete()  # CASCADE
    assert Observation.objects.count() == 0
    Country.objects.get(iso3="KEN").delete()  # no observation left: allowed
    assert not Country.objects.filter(iso3="KEN").exists()


def test_the_triggers_come_back_after_a_migration_drops_them(db):
    integrity.uninstall(connection)
    assert integrity.installed(connection) == set()

    _reference_triggers(sender=apps.get_app_config("indicators"), using="default", apps=apps)

    assert {table for table, _name in integrity.installed(connection)} == integrity.expected()


@pytest.mark.django_db(transaction=True)
def test_a_migrate_on_sqlite_can_rebuild_the_observation_table_and_its_parents():
    """SQLite alters a table by rebuilding it; the rename at the end fails while a trigger on
    another table names the table being rebuilt. The triggers are therefore dropped before a
    migrate and created again after it."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters tables in place")
    config = apps.get_app_config("indicators")
    with (
        pytest.raises(OperationalError, match="no such table"),
        connection.schema_editor() as editor,
    ):
        editor._remake_table(Observation)

    _drop_reference_triggers(sender=config, using="default", apps=apps)
    with connection.schema_editor() as editor:
        editor._remake_table(Observation)
        editor._remake_table(Country)
    _reference_triggers(sender=config, using="default", apps=apps)

    assert {table for table, _name in integrity.installed(connection)} == integrity.expected()


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_delete_of_a_parent_waits_for_the_import_and_then_fails():
    """PostgreSQL: the insert trigger locks the parents FOR KEY SHARE; a delete of one of them
    waits for the inserting transaction, then sees its committed observations and fails."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: there is no concurrent delete")
    load_indicator_reference()
    kenya = Country.objects.get(iso3="KEN")
    outcome: dict[str, object] = {}
    inserted = threading.Event()

    def delete_kenya() -> None:
        inserted.wait(10)
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '10s'")
                started = time.monotonic()
                try:
                    cursor.execute("DELETE FROM countries_country WHERE id = %s", [kenya.pk])
                    outcome["result"] = "deleted"
                except IntegrityError as error:
                    outcome["result"] = str(error)
                outcome["waited"] = time.monotonic() - started
        finally:
            other.close()

    deleter = threading.Thread(target=delete_kenya)
    deleter.start()
    with transaction.atomic():
        observation().save()
        inserted.set()
        time.sleep(0.5)  # the delete is now waiting for this transaction's lock
    deleter.join(20)

    assert outcome["waited"] >= 0.4
    assert "still has observations" in str(outcome["result"])
    assert Country.objects.filter(pk=kenya.pk).exists()
    assert Observation.objects.filter(country=kenya).count() == 1


def test_a_transactional_test_may_leave_observations_behind(transactional_db):
    """Its flush (DELETE per table on SQLite, in no set order) must still empty the
    database: the ``transactional_db`` fixture removes the observations first (conftest.py,
    as the browser tests use it)."""
    load_indicator_reference()
    observation(batch=ImportBatch.objects.create(format="sdmx-csv")).save()
    assert Observation.objects.count() == 1
