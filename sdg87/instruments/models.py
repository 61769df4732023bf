"""International legal instruments on forced labour, slavery, trafficking and child labour."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sdg87.core.i18n import localized


class Instrument(models.Model):
    class Kind(models.TextChoices):
        ILO_CONVENTION = "ilo_convention", _("ILO convention")
        PROTOCOL = "protocol", _("Protocol")
        UN_TREATY = "un_treaty", _("UN treaty")

    code = models.CharField(max_length=16, unique=True, help_text="e.g. C029, P029, PALERMO")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    organisation = models.CharField(max_length=64, help_text="ILO, UN or League of Nations")
    title_en = models.TextField()
    title_fr = models.TextField(blank=True)
    title_es = models.TextField(blank=True)
    short_name_en = models.CharField(max_length=160)
    short_name_fr = models.CharField(max_length=160, blank=True)
    short_name_es = models.CharField(max_length=160, blank=True)
    adoption_year = models.PositiveSmallIntegerField()
    adoption_date = models.DateField(null=True, blank=True)
    entry_into_force_year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["ilo_convention", "protocol", "un_treaty"]),
                name="instrument_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def short_name(self) -> str:
        return localized(self, "short_name")
