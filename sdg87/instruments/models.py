"""International legal instruments on forced labour, slavery, trafficking and child labour."""

from __future__ import annotations

import datetime

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


class RatificationKind(models.TextChoices):
    """How a country expressed its consent (or signed), as the source names it."""

    RATIFICATION = "ratification", _("Ratification")
    ACCESSION = "accession", _("Accession")
    SUCCESSION = "succession", _("Succession")
    ACCEPTANCE = "acceptance", _("Acceptance")
    APPROVAL = "approval", _("Approval")
    DEFINITIVE_SIGNATURE = "definitive_signature", _("Definitive signature")
    PARTICIPATION = "participation", _("Participation")
    SIGNATURE = "signature", _("Signature")
    # Sources that only say "state party" (UN human-rights treaty status, ILAB yes/no).
    RATIFICATION_OR_ACCESSION = (
        "ratification_or_accession",
        _("Ratification or accession (not distinguished by the source)"),
    )


class RatificationStatus(models.TextChoices):
    """The country's standing toward the instrument according to one source, at its snapshot."""

    IN_FORCE = "in_force", _("In force")
    NOT_YET_IN_FORCE = "not_yet_in_force", _("Ratified, not yet in force")
    DENOUNCED = "denounced", _("Denounced")
    SIGNED_ONLY = "signed_only", _("Signed, not ratified")
    # A secondary yes/no source (ILAB) reports a ratification without a date or status.
    REPORTED_RATIFIED = "reported_ratified", _("Reported as ratified (date unknown)")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    YEAR = "year", _("Year")


class RatificationBatch(models.Model):
    """One load of a bundled file or one import that created or changed something.

    Runs that change nothing (an idempotent reload, a dry run) leave no batch.
    """

    class Origin(models.TextChoices):
        BUNDLED = "bundled", _("Bundled data (sdg87 load-data)")
        IMPORT = "import", _("Import (sdg87 import-ratifications)")

    origin = models.CharField(max_length=16, choices=Origin.choices)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    sources = models.CharField(max_length=255, help_text="Source names of the rows written")
    created_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(origin__in=["bundled", "import"]),
                name="ratification_batch_origin_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class RecordDisplay:
    """What the pages read of one source's record, for the model and for the plain rows of
    ``selectors.RecordRow`` alike (both have ``kind``, ``date``, ``denounced_on`` and their
    precisions)."""

    __slots__ = ()
    kind: str
    date: datetime.date | None
    date_precision: str
    denounced_on: datetime.date | None
    denounced_precision: str

    @property
    def is_signature(self) -> bool:
        return self.kind == RatificationKind.SIGNATURE

    @property
    def date_display(self) -> str | None:
        """ISO 8601 at the source's precision: ``2002-08-21`` or ``1957``."""
        return precise_date(self.date, self.date_precision)

    @property
    def denounced_display(self) -> str | None:
        return precise_date(self.denounced_on, self.denounced_precision)


class Ratification(RecordDisplay, models.Model):
    """One source's record of one country's action on one instrument.

    Every source keeps its own rows (a consent row and, where the source lists it, a signature
    row per country and instrument); which row speaks for the country is decided when reading
    (``sdg87.instruments.standing.choose``). ``date`` holds 1 January of the year when the
    source gives the year only (``date_precision = year``).
    """

    Kind = RatificationKind
    Status = RatificationStatus

    country = models.ForeignKey(
        # Not "ratifications": the country profile schema has a field of that name.
        "countries.Country",
        on_delete=models.PROTECT,
        related_name="ratification_records",
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="ratifications"
    )
    kind = models.CharField(max_length=32, choices=RatificationKind.choices)
    status = models.CharField(max_length=20, choices=RatificationStatus.choices)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=4, choices=DatePrecision.choices, blank=True, help_text="Empty: no date"
    )
    denounced_on = models.DateField(null=True, blank=True)
    denounced_precision = models.CharField(max_length=4, choices=DatePrecision.choices, blank=True)
    source = models.CharField(max_length=120, help_text='Short name, e.g. "ILO NORMLEX"')
    source_detail = models.TextField(
        blank=True, help_text="repository@commit:path or page, and the raw cell"
    )
    source_as_of = models.DateField(
        null=True, blank=True, help_text="Date of the source's snapshot (status as of)"
    )
    first_batch = models.ForeignKey(
        RatificationBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_batch = models.ForeignKey(
        RatificationBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instrument__position", "country__iso3", "source", "kind"]
        indexes = [models.Index(fields=["instrument", "country"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RatificationKind.values),
                name="ratification_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RatificationStatus.values),
                name="ratification_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(date__isnull=True, date_precision="")
                    | models.Q(date__isnull=False, date_precision__in=DatePrecision.values)
                ),
                name="ratification_date_precision_consistent",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(denounced_on__isnull=True, denounced_precision="")
                    | models.Q(
                        denounced_on__isnull=False,
                        denounced_precision__in=DatePrecision.values,
                        status="denounced",
                    )
                ),
                name="ratification_denounced_on_consistent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signed_only") | models.Q(kind="signature"),
                name="ratification_signed_only_is_a_signature",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="signature", status="denounced"),
                name="ratification_signature_not_denounced",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=""), name="ratification_source_required"
            ),
            # At most one signature and one consent row per source, country and instrument:
            # re-importing a corrected kind or date updates the row instead of adding one.
            models.UniqueConstraint(
                fields=["country", "instrument", "source"],
                condition=models.Q(kind="signature"),
                name="ratification_one_signature_per_source",
            ),
            models.UniqueConstraint(
                fields=["country", "instrument", "source"],
                condition=~models.Q(kind="signature"),
                name="ratification_one_consent_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.country.iso3} {self.kind} ({self.source})"

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


def precise_date(value: datetime.date | None, precision: str) -> str | None:
    if value is None:
        return None
    return str(value.year) if precision == DatePrecision.YEAR else value.isoformat()
