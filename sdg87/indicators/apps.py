from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reference_triggers(sender, using, apps=None, plan=None, **kwargs):
    """Re-create the observation reference triggers after every migrate: SQLite drops a
    table's triggers when a migration rebuilds it (sdg87/indicators/integrity.py)."""
    from django.db import connections

    from sdg87.indicators import integrity

    if apps is None:
        return
    try:
        needed = [apps.get_model("indicators", "Observation")._meta.db_table] + [
            apps.get_model(label)._meta.db_table for _column, label in integrity.REFERENCES
        ]
    except LookupError:  # migrated back before these models exist
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if all(name in tables for name in needed):
        integrity.install(connection, apps)


class IndicatorsConfig(AppConfig):
    name = "sdg87.indicators"
    label = "indicators"

    def ready(self) -> None:
        post_migrate.connect(_reference_triggers, sender=self)
