"""Database triggers that make ``core_auditentry`` append-only.

UPDATE and DELETE are refused on SQLite and PostgreSQL, whatever the client. The one
UPDATE allowed sets ``actor_id`` to NULL and changes nothing else: that is what
``on_delete=SET_NULL`` does when the actor's account is deleted (``actor_label``
keeps the name).

Note for later migrations: on SQLite, altering this table rebuilds it, which drops
its triggers; such a migration must run this one's ``create_triggers`` again.
"""

from django.db import migrations

# Every column except actor_id must stay as it was for an UPDATE to pass.
_UNCHANGED = " AND ".join(
    f"NEW.{column} IS OLD.{column}"
    for column in (
        "id",
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "source",
        "comment",
    )
)

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER core_auditentry_no_update
    BEFORE UPDATE ON core_auditentry
    WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL AND {_UNCHANGED})
    BEGIN
        SELECT RAISE(ABORT, 'core_auditentry is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER core_auditentry_no_delete
    BEFORE DELETE ON core_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'core_auditentry is append-only: DELETE refused');
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]

POSTGRESQL_CREATE = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
           AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION USING
            MESSAGE = 'core_auditentry is append-only: ' || TG_OP || ' refused',
            ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER core_auditentry_no_update
    BEFORE UPDATE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()
    """,
    """
    CREATE TRIGGER core_auditentry_no_delete
    BEFORE DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only()",
]


def _run(schema_editor, statements_by_vendor):
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise RuntimeError(f"no append-only triggers for the {vendor} database")
    for statement in statements_by_vendor[vendor]:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
