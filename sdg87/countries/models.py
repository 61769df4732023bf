"""Countries and territories (ISO 3166-1) and UN M49 regions."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from sdg87.core.i18n import LocalizedNameMixin


class Region(LocalizedNameMixin, models.Model):
    class Level(models.TextChoices):
        WORLD = "world", "World"
        REGION = "region", "Region"
        SUBREGION = "subregion", "Sub-region"
        INTERMEDIATE = "intermediate", "Intermediate region"

    m49 = models.CharField("UN M49 code", max_length=3, unique=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_en = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120, blank=True)
    name_es = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["m49"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["world", "region", "subregion", "intermediate"]),
                name="region_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.m49} {self.name_en}"


class Country(LocalizedNameMixin, models.Model):
    """A country or territory with an ISO 3166-1 code."""

    iso3 = models.CharField("ISO 3166-1 alpha-3", max_length=3, unique=True)
    iso2 = models.CharField("ISO 3166-1 alpha-2", max_length=2, unique=True)
    numeric = models.CharField("ISO 3166-1 numeric / M49", max_length=3, unique=True)
    name_en = models.CharField(max_length=160)
    name_fr = models.CharField(max_length=160, blank=True)
    name_es = models.CharField(max_length=160, blank=True)
    official_name_en = models.CharField(max_length=255, blank=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="countries"
    )
    subregion = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="subregion_countries"
    )
    intermediate_region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intermediate_region_countries",
    )
    un_member = models.BooleanField("UN member state", default=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "countries"
        constraints = [
            # Lengths only: a REGEXP check would need Django's SQLite function, which
            # plain sqlite3 (integrity_check, backups) does not have. Formats are
            # validated by the loader service.
            models.CheckConstraint(condition=Exact(Length("iso3"), 3), name="country_iso3_length"),
            models.CheckConstraint(condition=Exact(Length("iso2"), 2), name="country_iso2_length"),
            models.CheckConstraint(
                condition=Exact(Length("numeric"), 3), name="country_numeric_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iso3} {self.name_en}"
