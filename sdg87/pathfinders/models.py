"""Pathfinder countries: the registry, roadmaps (national action plans) with priorities,
actions, budgets, linked indicators and milestones; annual reports and their review workflow;
the exchange-rate table that turns budgets into US dollars.

Statuses are TextChoices constrained in the database; the report workflow's transitions are
declared once in :mod:`sdg87.pathfinders.workflow`. Rows that carry ``lock_version`` are
edited with optimistic locking (services compare and increment it), so two people editing the
same draft never overwrite each other silently. ``is_example`` marks the bundled example
content (never real data), shown as "example" wherever it appears.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 18, "decimal_places": 2}


class PathfinderStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left the initiative")


class Pathfinder(models.Model):
    """A country that committed to accelerate action towards Target 8.7."""

    Status = PathfinderStatus

    country = models.OneToOneField(
        "countries.Country",
        on_delete=models.PROTECT,
        related_name="pathfinder",
        verbose_name=_("country"),
    )
    joined_on = models.DateField(_("date joined"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=PathfinderStatus.ACTIVE
    )
    summary = models.TextField(_("summary"), blank=True)
    contact = models.TextField(
        _("focal point contacts"),
        blank=True,
        help_text=_("Names, institutions and e-mail addresses of the national focal points."),
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Example content, not real data.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country__name_en"]
        verbose_name = _("pathfinder country")
        verbose_name_plural = _("pathfinder countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PathfinderStatus.values), name="pathfinder_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country.name_en} ({self.country.iso3})"


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", pgettext_lazy("roadmap status", "Adopted")
    COMPLETED = "completed", _("Completed")
    SUPERSEDED = "superseded", _("Superseded")


class Roadmap(models.Model):
    """A pathfinder's roadmap or national action plan. Drafts are seen only by the
    country's focal points and curators."""

    Status = RoadmapStatus

    pathfinder = models.ForeignKey(
        Pathfinder, on_delete=models.CASCADE, related_name="roadmaps", verbose_name=_("pathfinder")
    )
    title = models.CharField(_("title"), max_length=255)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    adopted_on = models.DateField(_("adoption date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=RoadmapStatus.DRAFT
    )
    document_url = models.URLField(_("document (link)"), max_length=500, blank=True)
    document = models.FileField(_("document (file)"), upload_to="pathfinders/roadmaps/", blank=True)
    consultation = models.TextField(
        _("consultation of social partners"),
        blank=True,
        help_text=_("How workers' and employers' organisations and others were consulted."),
    )
    is_example = models.BooleanField(_("example"), default=False)
    lock_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RoadmapStatus.values), name="roadmap_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="roadmap_titled"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="roadmap_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start}–{self.period_end})"


class Priority(models.Model):
    """A priority of a roadmap; actions belong to one priority."""

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("roadmap")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(
        "framework.Theme", blank=True, related_name="roadmap_priorities", verbose_name=_("themes")
    )

    class Meta:
        ordering = ["roadmap_id", "position", "id"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="priority_titled")]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


def _budgets_not_negative(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__gte": Decimal(0)}),
            name=f"{prefix}_{field}_not_negative",
        )
        for field in ("budget_planned", "budget_secured", "budget_spent")
    ]


class Action(models.Model):
    """A measurable action of a roadmap priority, with its budget in the currency given."""

    Status = ActionStatus

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="actions", verbose_name=_("priority")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    lead_agency = models.CharField(_("lead agency"), max_length=255, blank=True)
    partners = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="roadmap_actions",
        verbose_name=_("partner organisations"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=ActionStatus.NOT_STARTED
    )
    currency = models.CharField(_("currency (ISO 4217)"), max_length=3, default="USD")
    budget_planned = models.DecimalField(_("budget planned"), default=Decimal(0), **MONEY)
    budget_secured = models.DecimalField(_("budget secured"), default=Decimal(0), **MONEY)
    budget_spent = models.DecimalField(_("budget spent"), default=Decimal(0), **MONEY)
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority_id", "position", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="action_titled"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="action_currency_code"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="action_dates_ordered",
            ),
            *_budgets_not_negative("action"),
        ]

    def __str__(self) -> str:
        return self.title


class ExchangeRate(models.Model):
    """US dollars for one unit of a currency, on a date; curators maintain the table."""

    currency = models.CharField(_("currency (ISO 4217)"), max_length=3)
    rate_date = models.DateField(_("date"))
    usd_per_unit = models.DecimalField(_("US dollars per unit"), max_digits=24, decimal_places=10)
    source = models.CharField(_("source"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-rate_date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "rate_date"], name="exchange_rate_unique"),
            models.CheckConstraint(
                condition=Q(usd_per_unit__gt=Decimal(0)), name="exchange_rate_positive"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="exchange_rate_currency_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate_date}: {self.usd_per_unit} USD"


class RoadmapIndicator(models.Model):
    """An indicator the roadmap tracks, with its baseline and target."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.PROTECT,
        related_name="roadmap_links",
        verbose_name=_("indicator"),
    )
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)

    class Meta:
        ordering = ["roadmap_id", "id"]
        verbose_name = _("roadmap indicator")
        verbose_name_plural = _("roadmap indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "indicator"], name="roadmap_indicator_unique"
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(target_year__isnull=True)
                | Q(target_year__gte=F("baseline_year")),
                name="roadmap_indicator_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roadmap_id}: {self.indicator_id}"


class Milestone(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="milestones")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=255)
    due_on = models.DateField(_("due"))
    achieved_on = models.DateField(_("achieved"), null=True, blank=True)

    class Meta:
        ordering = ["roadmap_id", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="milestone_titled")]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class AnnualReport(models.Model):
    """A pathfinder's report for one year. Approved and published versions are immutable: a
    correction is a new version (``version`` + 1, ``supersedes`` the previous one)."""

    Status = ReportStatus

    pathfinder = models.ForeignKey(
        Pathfinder, on_delete=models.CASCADE, related_name="reports", verbose_name=_("pathfinder")
    )
    roadmap = models.ForeignKey(
        Roadmap, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=ReportStatus.DRAFT
    )
    progress = models.TextField(_("progress"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    support_needed = models.TextField(_("support needed"), blank=True)
    support_offered = models.TextField(
        _("support offered to other countries"),
        blank=True,
        help_text=_("South–South and triangular cooperation."),
    )
    is_example = models.BooleanField(_("example"), default=False)
    lock_version = models.PositiveIntegerField(default=1)
    observation_batch_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="The indicator import batch written on approval."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.UniqueConstraint(
                fields=["pathfinder", "year", "version"], name="report_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pathfinder.country.iso3} {self.year} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status in (ReportStatus.APPROVED, ReportStatus.PUBLISHED)


class ReportIndicatorValue(models.Model):
    """A value of an agreed indicator given in a report; becomes an observation on approval."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["report_id", "indicator_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "year"], name="report_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class ReportActionUpdate(models.Model):
    """The status of one roadmap action at the time of the report, and its budget then."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="action_updates"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="report_updates")
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    note = models.TextField(_("note"), blank=True)
    budget_planned = models.DecimalField(_("budget planned"), default=Decimal(0), **MONEY)
    budget_secured = models.DecimalField(_("budget secured"), default=Decimal(0), **MONEY)
    budget_spent = models.DecimalField(_("budget spent"), default=Decimal(0), **MONEY)

    class Meta:
        ordering = ["report_id", "action_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "action"], name="report_action_unique"),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="report_action_status_valid"
            ),
            *_budgets_not_negative("report_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.status}"


class ReportEvidence(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="pathfinders/evidence/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="report_evidence_titled"),
        ]

    def __str__(self) -> str:
        return self.title


class ReportTransition(models.Model):
    """One step of a report's review: who moved it, when (UTC), from what to what, and why.
    Every transition is also written to the audit trail."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["report_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"
