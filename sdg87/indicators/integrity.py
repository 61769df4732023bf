"""The observation table's references to its parents, checked by triggers.

An observation points at an indicator, a country or a region, and the import batch that
wrote it. These columns carry no database FOREIGN KEY constraint (``db_constraint=False``):
PostgreSQL checks such a constraint with one trigger call and one query per row and key,
which was half of the server's time in a bulk import (benchmarks/import.md). The same
guarantee is kept here by triggers that work per statement where the database can:

- **PostgreSQL**: after each INSERT or UPDATE statement on the observation table (``COPY``
  included), one trigger reads the distinct parents of the new rows from the statement's
  transition table, locks them ``FOR KEY SHARE`` until the transaction ends (as the foreign-key
  check does, so no other transaction can delete them meanwhile) and raises a
  ``foreign_key_violation`` naming the first missing ones. After each DELETE statement on a
  parent table, a trigger raises the same error when observations still point at a deleted
  row; it runs with a fresh snapshot, so it also sees observations that a concurrent import
  committed while the delete waited for its lock.
- **SQLite**: row triggers do the same checks before each insert and update of a reference
  and before each delete of a parent (SQLite has no statement triggers; its writers are
  serialised, so there is nothing to lock). The bulk write of an import, which holds the
  database's only write lock, instead drops the insert trigger inside its transaction, checks
  the distinct parents of all its rows in one query (:func:`missing_parents`) and creates the
  trigger again before the transaction ends (:func:`insert_trigger_suspended`): a million
  trigger runs cost more than the rest of the write.

Deleting through Django still follows ``on_delete`` (the indicator's observations are deleted
with it, a country or region with observations is protected, a batch's observations lose
their batch): Django does that before deleting the parent, so the triggers never object.

:func:`install` creates the triggers (idempotent) after every ``migrate`` (the indicators app's
``post_migrate`` handler), once the schema has the observation table without constraints
(migration ``0003``). On SQLite they are dropped before every ``migrate`` (``pre_migrate``):
SQLite alters a table by rebuilding it (create, copy, drop, rename), and the rename fails while
a trigger on another table names the dropped table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# (column, parent model label): every reference of an observation to a parent.
REFERENCES = (
    ("indicator_id", "indicators.Indicator"),
    ("country_id", "countries.Country"),
    ("region_id", "countries.Region"),
    ("batch_id", "indicators.ImportBatch"),
)
PREFIX = "sdg87_observation_"


def _tables(apps: Any = None) -> tuple[str, list[tuple[str, str]]]:
    """The observation table and ``(column, parent table)`` pairs, from ``apps`` (a migration
    state) or the installed models."""
    if apps is None:
        from django.apps import apps as installed_apps

        apps = installed_apps
    observation = apps.get_model("indicators", "Observation")._meta.db_table
    parents = [(column, apps.get_model(label)._meta.db_table) for column, label in REFERENCES]
    return observation, parents


def install(connection: Any, apps: Any = None) -> None:
    """Create (or replace) the reference triggers on ``connection``'s database."""
    observation, parents = _tables(apps)
    with connection.cursor() as cursor:
        statements = (
            _postgresql(observation, parents)
            if connection.vendor == "postgresql"
            else _sqlite(observation, parents)
        )
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: Any, apps: Any = None) -> None:
    observation, parents = _tables(apps)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}insert ON {observation}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}update ON {observation}")
            for _column, table in parents:
                cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}parent_delete ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}check_parents()")
            for _column, table in parents:
                cursor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}{table}_delete()")
        else:
            for name in ("insert", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{name}")
            for _column, table in parents:
                cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}{table}_delete")


def installed(connection: Any) -> set[tuple[str, str]]:
    """The reference triggers present, as (table, trigger name) pairs."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgname LIKE %s",
                [PREFIX + "%"],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [PREFIX + "%"],
            )
        return {(table, name) for table, name in cursor.fetchall()}


def expected(apps: Any = None) -> set[str]:
    """The tables that must carry reference triggers: the observation table and its parents."""
    observation, parents = _tables(apps)
    return {observation, *(table for _column, table in parents)}


def _postgresql(observation: str, parents: list[tuple[str, str]]) -> list[str]:
    # One statement: one pass over the new rows for their distinct parents, each parent
    # table probed once for them and the rows found locked; the keys not found are missing.
    distinct = ", ".join(column for column, _table in parents)
    locked = ",\n        ".join(
        f"found_{column} AS (SELECT id FROM {table} WHERE id IN "
        f"(SELECT {column} FROM sdg87_keys) ORDER BY id FOR KEY SHARE)"
        for column, table in parents
    )
    missing = "\n        UNION ALL ".join(
        f"SELECT '{column[:-3]} ' || k.{column} AS what FROM "
        f"(SELECT DISTINCT {column} FROM sdg87_keys WHERE {column} IS NOT NULL) AS k "
        f"WHERE k.{column} NOT IN (SELECT id FROM found_{column})"
        for column, _table in parents
    )
    function = f"""
CREATE OR REPLACE FUNCTION {PREFIX}check_parents() RETURNS trigger
LANGUAGE plpgsql AS $body$
DECLARE
    gone text;
BEGIN
    WITH sdg87_keys AS MATERIALIZED (SELECT DISTINCT {distinct} FROM sdg87_new_rows),
        {locked}
    SELECT string_agg(what, ', ') INTO gone FROM (
        {missing}
        LIMIT 5
    ) AS absent;
    IF gone IS NOT NULL THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('observations refer to rows that do not exist: %s', gone),
            TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$body$"""
    statements = [
        function,
        f"CREATE OR REPLACE TRIGGER {PREFIX}insert AFTER INSERT ON {observation} "
        f"REFERENCING NEW TABLE AS sdg87_new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}check_parents()",
        f"CREATE OR REPLACE TRIGGER {PREFIX}update AFTER UPDATE ON {observation} "
        f"REFERENCING NEW TABLE AS sdg87_new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}check_parents()",
    ]
    for column, table in parents:
        statements.append(
            f"""
CREATE OR REPLACE FUNCTION {PREFIX}{table}_delete() RETURNS trigger
LANGUAGE plpgsql AS $body$
DECLARE
    kept bigint;
BEGIN
    SELECT o.{column} INTO kept FROM {observation} AS o
        WHERE o.{column} IN (SELECT id FROM sdg87_old_rows) LIMIT 1;
    IF kept IS NOT NULL THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('%s %s still has observations', TG_TABLE_NAME, kept),
            TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$body$"""
        )
        statements.append(
            f"CREATE OR REPLACE TRIGGER {PREFIX}parent_delete AFTER DELETE ON {table} "
            f"REFERENCING OLD TABLE AS sdg87_old_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}{table}_delete()"
        )
    return statements


def _sqlite_check(parents: list[tuple[str, str]]) -> str:
    """The body of SQLite's insert and update triggers: abort when a reference is missing."""

    def absent(column: str, table: str) -> str:
        test = f"NOT EXISTS (SELECT 1 FROM {table} WHERE id = NEW.{column})"
        return test if column == "indicator_id" else f"(NEW.{column} IS NOT NULL AND {test})"

    checks = "\n        OR ".join(absent(column, table) for column, table in parents)
    return (
        f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: an observation refers "
        f"to a row that does not exist') WHERE {checks}; END"
    )


def _sqlite_insert_trigger(observation: str, body: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {PREFIX}insert BEFORE INSERT ON {observation} "
        f"FOR EACH ROW {body}"
    )


def _sqlite(observation: str, parents: list[tuple[str, str]]) -> list[str]:
    columns = ", ".join(column for column, _table in parents)
    body = _sqlite_check(parents)
    statements = [
        _sqlite_insert_trigger(observation, body),
        f"CREATE TRIGGER IF NOT EXISTS {PREFIX}update BEFORE UPDATE OF {columns} "
        f"ON {observation} FOR EACH ROW {body}",
    ]
    for column, table in parents:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {PREFIX}{table}_delete BEFORE DELETE ON {table} "
            f"FOR EACH ROW WHEN EXISTS (SELECT 1 FROM {observation} WHERE {column} = OLD.id) "
            f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: {table} still has "
            f"observations'); END"
        )
    return statements


@contextmanager
def insert_trigger_suspended(connection: Any, table: str) -> Iterator[None]:
    """SQLite, inside a transaction: without the per-row insert check while the block runs;
    the block must check ``table`` (rows with the four reference columns) itself. The
    trigger is created again afterwards, and the check run on ``table``: a reference to a
    missing row raises ``IntegrityError`` (and the caller's transaction rolls everything
    back, the dropped trigger included)."""
    from django.db import IntegrityError

    observation, parents = _tables()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {PREFIX}insert")
    yield
    missing = missing_parents(connection, table)
    if missing:
        raise IntegrityError(
            "FOREIGN KEY constraint failed: observations refer to rows that do not exist: "
            + ", ".join(missing)
        )
    with connection.cursor() as cursor:
        cursor.execute(_sqlite_insert_trigger(observation, _sqlite_check(parents)))


def missing_parents(connection: Any, table: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` references in ``table`` (rows with the four reference columns) to rows
    that do not exist, as "country 123"."""
    _observation, parents = _tables()
    parts = [
        f"SELECT '{column[:-3]} ' || k.{column} FROM "
        f"(SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL) AS k "
        f"WHERE NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE p.id = k.{column})"
        for column, parent in parents
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts) + f" LIMIT {int(limit)}")
        return [what for (what,) in cursor.fetchall()]
