"""The audit trail: what a row records, and that rows can never change or go away."""

import datetime
import decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction

from sdg87.core.audit import audit_protection_suspended, audit_record, json_safe, snapshot
from sdg87.core.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create_user("recorder", password="not used here 123")


@pytest.fixture
def entry(user):
    return audit_record(
        actor=user,
        action="update",
        object_type="partners.organisation",
        object_id=7,
        before={"name": "Old"},
        after={"name": "New"},
        source="web",
        comment="typo",
    )


def test_audit_record_names_the_object_the_actor_and_the_time(user):
    entry = audit_record(actor=user, action="create", instance=user, after=snapshot(user))

    entry.refresh_from_db()
    assert entry.object_type == get_user_model()._meta.label_lower
    assert entry.object_id == str(user.pk)
    assert entry.object_repr == str(user)
    assert entry.actor == user
    assert entry.actor_label == "recorder"
    assert entry.source == "system"
    assert entry.occurred_at.utcoffset() == datetime.timedelta(0)


def test_audit_record_without_a_signed_in_actor_has_no_actor():
    entry = audit_record(actor=AnonymousUser(), action="login_failed", object_type="auth.user")

    assert entry.actor is None
    assert entry.actor_label == ""


def test_audit_record_refuses_an_unknown_source():
    with pytest.raises(ValueError, match="source"):
        audit_record(actor=None, action="create", object_type="x.y", source="email")


def test_snapshot_is_json_safe_and_never_copies_secrets(user):
    values = snapshot(user)

    assert "password" not in values
    assert values["date_joined"] == user.date_joined.isoformat()
    assert values["username"] == "recorder"


def test_snapshot_of_named_fields_gives_foreign_keys_and_many_to_many_as_ids(user):
    values = snapshot(user, ["username", "groups"])

    assert values == {"username": "recorder", "groups": []}


def test_json_safe_converts_dates_decimals_and_nested_values():
    value = {
        "when": datetime.date(2024, 5, 1),
        "amount": decimal.Decimal("12.50"),
        "codes": {"KEN", "FRA"},
        "nested": [datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)],
    }

    assert json_safe(value) == {
        "when": "2024-05-01",
        "amount": "12.50",
        "codes": ["FRA", "KEN"],
        "nested": ["2024-05-01T12:00:00+00:00"],
    }


# --- append-only in Python ----------------------------------------------------------


def test_orm_save_of_an_existing_entry_is_refused(entry):
    entry.action = "delete"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_orm_delete_of_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(comment="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


# --- append-only in the database (triggers) -----------------------------------------


def run_sql(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        run_sql("UPDATE core_auditentry SET comment = %s WHERE id = %s", ["rewritten", entry.pk])

    entry.refresh_from_db()
    assert entry.comment == "typo"


def test_raw_sql_delete_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError, match="append-only"):
        run_sql("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_plain_queryset_update_bypassing_the_model_is_refused_by_the_database(entry):
    bypass = AuditEntry._base_manager.filter(pk=entry.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        bypass.update(action="delete")


def test_raw_sql_cannot_reassign_the_actor(entry):
    other = get_user_model().objects.create_user("someone-else")
    with pytest.raises(IntegrityError):
        run_sql("UPDATE core_auditentry SET actor_id = %s WHERE id = %s", [other.pk, entry.pk])


def test_raw_sql_cannot_change_a_field_while_clearing_the_actor(entry):
    with pytest.raises(IntegrityError):
        run_sql(
            "UPDATE core_auditentry SET actor_id = NULL, comment = %s WHERE id = %s",
            ["x", entry.pk],
        )


def test_deleting_the_actor_keeps_the_entry_and_its_actor_name(entry, user):
    user.delete()

    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_label == "recorder"
    assert entry.after == {"name": "New"}


def test_maintenance_can_lift_the_protection_and_it_comes_back(entry):
    with audit_protection_suspended():
        run_sql("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])

    assert not AuditEntry.objects.filter(pk=entry.pk).exists()
    again = audit_record(actor=None, action="create", object_type="x.y")
    with pytest.raises(IntegrityError):
        run_sql("DELETE FROM core_auditentry WHERE id = %s", [again.pk])


def test_a_transactional_test_that_writes_audit_entries_can_be_flushed(transactional_db):
    audit_record(actor=None, action="create", object_type="x.y")

    assert AuditEntry.objects.count() == 1
