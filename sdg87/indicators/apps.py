from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


def _drop_reference_triggers(sender, using, apps=None, plan=None, **kwargs):
    """Before a migrate on SQLite: drop the observation reference triggers. SQLite rebuilds a
    table to alter it (create, copy, drop, rename), and the rename fails while a trigger on
    another table names the dropped one (sdg87/indicators/integrity.py)."""
    from django.db import connections

    from sdg87.indicators import integrity

    connection = connections[using]
    if connection.vendor == "sqlite":
        integrity.uninstall(connection)


def _reference_triggers(sender, using, apps=None, plan=None, **kwargs):
    """After every migrate: the observation reference triggers, when the migrated schema has
    the observation table without FOREIGN KEY constraints (indicators 0003 and later)."""
    from django.db import connections

    from sdg87.indicators import integrity

    if apps is None:
        return
    connection = connections[using]
    try:
        observation = apps.get_model("indicators", "Observation")
        needed = [observation._meta.db_table] + [
            apps.get_model(label)._meta.db_table for _column, label in integrity.REFERENCES
        ]
    except LookupError:  # migrated back before these models exist
        return
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if not all(name in tables for name in needed):
        return
    if observation._meta.get_field("indicator").db_constraint:
        integrity.uninstall(connection, apps)  # migrated back before 0003: constraints again
    else:
        integrity.install(connection, apps)


class IndicatorsConfig(AppConfig):
    name = "sdg87.indicators"
    label = "indicators"

    def ready(self) -> None:
        pre_migrate.connect(_drop_reference_triggers, sender=self)
        post_migrate.connect(_reference_triggers, sender=self)
