"""Partner organisations of Alliance 8.7.

A minimal ``Organisation`` that scopes partner editors; the partners issue extends it
(country, action groups, pledges, research projects).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """What sort of partner an organisation is (the Alliance 8.7 constituencies)."""

    GOVERNMENT = "government", _("Government")
    UN_AGENCY = "un_agency", _("UN agency")
    INTERNATIONAL_ORGANISATION = (
        "international_organisation",
        _("International or regional organisation"),
    )
    WORKERS_ORGANISATION = "workers_organisation", _("Workers' organisation")
    EMPLOYERS_ORGANISATION = (
        "employers_organisation",
        _("Employers' or business organisation"),
    )
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    ACADEMIC = "academic", _("Academic or research institution")
    SURVIVOR_NETWORK = "survivor_network", _("Survivor network")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""), name="organisation_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name
