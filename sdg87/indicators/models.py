"""Indicators, their observations, import batches and revision history.

An observation belongs to one *area*: a country (ISO3 in ``area_code``, ``country`` set) or a
region (UN M49 code in ``area_code``, ``region`` set; "001" is the world). Its identity within an
indicator is (area, period, series, unit, dimensions): re-importing the same identity updates the
value and keeps the previous one in :class:`ObservationRevision`.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from sdg87.core.i18n import localized


class Direction(models.TextChoices):
    UP = "up", _("Increase is desirable")
    DOWN = "down", _("Decrease is desirable")


class IndicatorKind(models.TextChoices):
    SDG = "sdg", _("SDG indicator")
    AGREED = "agreed", _("Agreed indicator")


class Indicator(models.Model):
    """An indicator with data: an official SDG indicator or a custom agreed indicator."""

    Kind = IndicatorKind

    code = models.CharField(
        max_length=64, unique=True, help_text='"8.7.1" for SDG indicators; a slug for others'
    )
    kind = models.CharField(max_length=16, choices=IndicatorKind.choices)
    sdg_indicator = models.ForeignKey(
        "framework.Indicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_indicators",
    )
    target = models.ForeignKey(
        "framework.Target", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    themes = models.ManyToManyField("framework.Theme", blank=True, related_name="indicators")
    title_en = models.TextField()
    title_fr = models.TextField(blank=True)
    title_es = models.TextField(blank=True)
    definition_en = models.TextField(blank=True)
    definition_fr = models.TextField(blank=True)
    definition_es = models.TextField(blank=True)
    reading_note_en = models.TextField(
        blank=True,
        help_text="How to read the direction (e.g. detected victims rise as detection improves)",
    )
    reading_note_fr = models.TextField(blank=True)
    reading_note_es = models.TextField(blank=True)
    unit = models.CharField(
        max_length=64, blank=True, help_text="Default unit, e.g. percent, number"
    )
    source = models.TextField(blank=True)
    desired_direction = models.CharField(
        max_length=4, choices=Direction.choices, default=Direction.DOWN
    )
    target_value = models.FloatField(null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    natural_limit = models.FloatField(null=True, blank=True)
    is_headline = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    sdmx_series = models.JSONField(
        default=list,
        blank=True,
        help_text='UN SDG series codes whose SDMX observations belong here, e.g. ["SL_TLF_CHLDEC"]',
    )
    curated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last edit by a curator; `sdg87 load-data` no longer overwrites the definition",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=IndicatorKind.values), name="indicator_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(desired_direction__in=Direction.values),
                name="indicator_direction_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en[:60]}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def definition(self) -> str:
        return localized(self, "definition")

    @property
    def reading_note(self) -> str:
        return localized(self, "reading_note")


class ImportBatch(models.Model):
    """One run of an importer that wrote something (dry runs are not stored)."""

    class Status(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, blank=True)
    format = models.CharField(max_length=32)
    source = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.COMPLETED)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    files = models.JSONField(
        default=list, blank=True, help_text="Per file: name, sha256, format and counts"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class Observation(models.Model):
    # Foreign keys without their own index: the composite indexes below start with
    # indicator and country, and regions and batches are never deleted in bulk. Every index
    # is maintained on each of the millions of inserted rows (docs: benchmarks/import.md).
    # Nor a database FOREIGN KEY constraint: triggers that check a whole statement at once
    # keep the references intact instead (sdg87/indicators/integrity.py).
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
        db_constraint=False,
    )
    area_code = models.CharField(max_length=3, help_text="ISO3 of a country or M49 of a region")
    country = models.ForeignKey(
        "countries.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    region = models.ForeignKey(
        "countries.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(help_text="Year used for sorting and progress")
    period = models.CharField(max_length=16, help_text='As published: "2019" or "2013-14"')
    series = models.CharField(max_length=255, blank=True, help_text="e.g. SL_TLF_CHLDEC")
    unit = models.CharField(max_length=64, blank=True)
    unit_multiplier = models.SmallIntegerField(default=0, help_text="Power of 10 (3 = thousands)")
    dimensions = models.JSONField(default=dict, blank=True)
    dimensions_key = models.CharField(
        max_length=512, blank=True, help_text='Canonical "name=value|…", sorted; "" for totals'
    )
    value = models.FloatField()
    lower_bound = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    observation_status = models.CharField(max_length=32, blank=True)
    source = models.TextField(blank=True)
    footnote = models.TextField(blank=True)
    attributes = models.JSONField(
        default=dict, blank=True, help_text="Other attributes as published (SDMX NATURE, FREQ …)"
    )
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
        db_index=False,
        db_constraint=False,
    )
    # The bulk write leaves both to the database (parsing a time stamp on each of a million
    # rows costs PostgreSQL more than its own now()); the ORM sets them as usual.
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["indicator", "area_code", "series", "dimensions_key", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_code", "period", "series", "unit", "dimensions_key"],
                name="observation_identity",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(country__isnull=False, region__isnull=True)
                    | models.Q(country__isnull=True, region__isnull=False)
                ),
                name="observation_one_area",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "country", "year"], name="observation_series_idx"),
            models.Index(fields=["country", "indicator"], name="observation_country_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code} {self.period} = {self.value}"


class ObservationRevision(models.Model):
    """A value that a later import replaced: history is never lost."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    previous = models.JSONField(help_text="The replaced fields and their values")
    replaced_by_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"revision of observation {self.observation_id} ({self.replaced_at:%Y-%m-%d})"


class NationalMetadata(models.Model):
    """A country's metadata for an indicator (Open SDG ``meta_*.yml``), per language."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="national_metadata"
    )
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=8)
    fields = models.JSONField(default=dict)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country", "language"], name="national_metadata_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.country_id} {self.language or 'default'}"
