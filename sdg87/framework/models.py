"""The SDG framework (goals, targets, indicators in EN/FR/ES), Target 8.7 themes, the
synergies of Target 8.7 with other targets, and the global estimates it is measured by."""

from __future__ import annotations

from django.db import models

from sdg87.core.i18n import localized


class Goal(models.Model):
    code = models.CharField(max_length=2, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    title_en = models.TextField()
    title_fr = models.TextField(blank=True)
    title_es = models.TextField(blank=True)
    short_en = models.CharField(max_length=120)
    short_fr = models.CharField(max_length=120, blank=True)
    short_es = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"Goal {self.code}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def short(self) -> str:
        return localized(self, "short")


class Target(models.Model):
    code = models.CharField(max_length=8, unique=True)
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="targets")
    position = models.PositiveSmallIntegerField(default=0)
    title_en = models.TextField()
    title_fr = models.TextField(blank=True)
    title_es = models.TextField(blank=True)
    deadline_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="First year named as 'by YYYY' in the English text (8.7: 2025); empty if none.",
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"Target {self.code}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class Indicator(models.Model):
    code = models.CharField(max_length=16, unique=True)
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    title_en = models.TextField()
    title_fr = models.TextField(blank=True)
    title_es = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"Indicator {self.code}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class Theme(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120, blank=True)
    name_es = models.CharField(max_length=120, blank=True)
    description_en = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    description_es = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class TargetSynergy(models.Model):
    """``source`` (8.7) is reached together with ``related`` (e.g. 16.2)."""

    source = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="synergies")
    related = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="synergy_of")
    position = models.PositiveSmallIntegerField(default=0)
    description_en = models.CharField(max_length=255)
    description_fr = models.CharField(max_length=255, blank=True)
    description_es = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["source", "position"]
        verbose_name_plural = "target synergies"
        constraints = [
            models.UniqueConstraint(fields=["source", "related"], name="target_synergy_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("related")), name="target_synergy_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} ↔ {self.related_id}"

    @property
    def description(self) -> str:
        return localized(self, "description")


class GlobalEstimate(models.Model):
    """A published global figure (e.g. 49.6 million people in modern slavery), with its
    breakdowns as children (forced labour → state-imposed forced labour …)."""

    class Unit(models.TextChoices):
        PEOPLE = "people", "people"
        CHILDREN = "children", "children"
        USD = "usd", "US dollars"

    key = models.SlugField(max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="breakdowns"
    )
    position = models.PositiveSmallIntegerField(default=0)
    label_en = models.CharField(max_length=255)
    label_fr = models.CharField(max_length=255, blank=True)
    label_es = models.CharField(max_length=255, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=2)
    unit = models.CharField(max_length=16, choices=Unit.choices)
    reference_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year the figure describes, when the source says."
    )
    source = models.CharField(max_length=255)
    source_year = models.PositiveSmallIntegerField(help_text="Year the source was published.")
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__in=["people", "children", "usd"]),
                name="global_estimate_unit_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="global_estimate_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        return localized(self, "label")
