"""Partner organisations of Alliance 8.7, their thematic action groups, their pledges and
the register of planned and ongoing research.

Statuses are ``TextChoices`` with a database CheckConstraint; the organisation's allowed
transitions are declared once in ``sdg87.partners.workflow``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdg87.core.i18n import localized
from sdg87.partners.slugs import slug_base, unique_slug
from sdg87.partners.staleness import Staleness
from sdg87.partners.staleness import staleness as traffic_light


def next_free_slug(name: str) -> str:
    """A slug from ``name`` that no organisation has yet."""
    base = slug_base(name)
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return unique_slug(base, taken)


# http and https only: no javascript:, data: or ftp: links on public pages.
WEB_URL = URLValidator(schemes=["http", "https"])


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


class OrganisationStatus(models.TextChoices):
    """Where an organisation stands in the partnership (transitions: ``workflow.py``)."""

    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved partner")
    REJECTED = "rejected", _("Rejected")


class Organisation(models.Model):
    Kind = OrganisationKind
    Status = OrganisationStatus

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.ForeignKey(
        "countries.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("country"),
        help_text=_("Where the organisation is based (empty for international bodies)."),
    )
    website = models.URLField(_("website"), blank=True, validators=[WEB_URL])
    description = models.TextField(_("description"), blank=True)
    logo = models.FileField(_("logo"), upload_to="partners/logos/", blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPROVED
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation_applications",
        verbose_name=_("applicant"),
    )
    application_note = models.TextField(_("why the organisation applies"), blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    duplicate_override_reason = models.TextField(
        _("why this is not a duplicate"),
        blank=True,
        help_text=_("Recorded when a curator registers it despite a likely duplicate."),
    )
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
            models.CheckConstraint(
                condition=models.Q(status__in=OrganisationStatus.values),
                name="organisation_status_valid",
            ),
            models.CheckConstraint(condition=~models.Q(slug=""), name="organisation_slug_set"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Services choose the slug; rows made elsewhere (admin, fixtures, factories) get one
        # from the name so that every organisation has a page.
        if not self.slug:
            self.slug = next_free_slug(self.name)
        super().save(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED


class OrganisationAlias(models.Model):
    """Another name or acronym of a major organisation (bundled in
    ``data/reference/organisation_aliases.csv``).

    Names sharing a ``key`` belong to one organisation: "ILO", "Organisation internationale
    du Travail" and "Organización Internacional del Trabajo" are all ``ilo``.
    """

    class Form(models.TextChoices):
        NAME = "name", _("Name")
        ACRONYM = "acronym", _("Acronym")

    ref = models.CharField(max_length=300, unique=True, help_text="<key>|<name>")
    key = models.SlugField(max_length=64, db_index=True)
    name = models.CharField(max_length=255)
    form = models.CharField(max_length=8, choices=Form.choices)
    language = models.CharField(max_length=2, blank=True)
    source_url = models.URLField(max_length=500, blank=True, validators=[WEB_URL])

    class Meta:
        ordering = ["key", "name"]
        verbose_name = _("organisation alias")
        verbose_name_plural = _("organisation aliases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(form__in=["name", "acronym"]), name="alias_form_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"


# --- Action groups ------------------------------------------------------------


class ActionGroup(models.Model):
    """A thematic action group: partners coordinating research, advocacy, resource
    mobilisation and technical support on one theme."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    theme = models.ForeignKey(
        "framework.Theme",
        on_delete=models.PROTECT,
        related_name="action_groups",
        verbose_name=_("theme"),
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    members = models.ManyToManyField(
        Organisation,
        through="ActionGroupMembership",
        related_name="action_groups",
        verbose_name=_("member organisations"),
    )
    documents = models.ManyToManyField(
        "library.Resource",
        through="ActionGroupDocument",
        related_name="action_groups",
        verbose_name=_("documents"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("action group")
        verbose_name_plural = _("action groups")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name_en=""), name="action_group_named"),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class ActionGroupMembership(models.Model):
    Role = MembershipRole

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=8, choices=Role.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("action group membership")
        verbose_name_plural = _("action group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation"], name="action_group_member_once"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=MembershipRole.values),
                name="action_group_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.group_id} ({self.role})"


class WorkPlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class WorkPlanItem(models.Model):
    Status = WorkPlanStatus

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="work_plan")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=WorkPlanStatus.PLANNED
    )
    progress_note = models.TextField(_("latest progress"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    responsible = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_plan_items",
        verbose_name=_("responsible organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("work-plan item")
        verbose_name_plural = _("work-plan items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=WorkPlanStatus.values),
                name="work_plan_item_status_valid",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="work_plan_item_titled"),
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online = models.BooleanField(_("online"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.group_id} {self.held_on:%Y-%m-%d}"


class ActionGroupDocument(models.Model):
    """A knowledge-library resource kept as one of an action group's documents, optionally
    the record of one of its meetings. Pages show it only to those who may see the resource:
    the public sees published resources only."""

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="document_links")
    resource = models.ForeignKey(
        "library.Resource",
        on_delete=models.CASCADE,
        related_name="action_group_links",
        verbose_name=_("library resource"),
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document_links",
        verbose_name=_("meeting"),
        help_text=_("The meeting the document belongs to (its minutes, agenda or slides)."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("attached by"),
    )
    attached_at = models.DateTimeField(_("attached at"), auto_now_add=True)

    class Meta:
        ordering = ["-attached_at", "-id"]
        verbose_name = _("action group document")
        verbose_name_plural = _("action group documents")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "resource"], name="action_group_document_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} in {self.group_id}"


# --- Pledges --------------------------------------------------------------------


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Pledge(models.Model):
    """A partner's commitment with SMART fields, reported on through progress updates."""

    Status = PledgeStatus

    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("owner")
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    indicators_text = models.TextField(_("indicators"), blank=True)
    indicators = models.ManyToManyField(
        "framework.Indicator",
        blank=True,
        related_name="pledges",
        verbose_name=_("SDG indicators"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(_("currency (ISO 4217)"), max_length=3, blank=True)
    countries = models.ManyToManyField(
        "countries.Country", blank=True, related_name="pledges", verbose_name=_("countries")
    )
    themes = models.ManyToManyField(
        "framework.Theme", blank=True, related_name="pledges", verbose_name=_("themes")
    )
    roadmap_priorities = models.ManyToManyField(
        "pathfinders.Priority",
        blank=True,
        related_name="pledges",
        verbose_name=_("roadmap priorities supported"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=PledgeStatus.ACTIVE
    )
    last_reported_at = models.DateTimeField(
        _("last reported"),
        default=timezone.now,
        help_text=_("Creation, then the latest progress update."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_reported_at", "-id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PledgeStatus.values), name="pledge_status_valid"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="pledge_titled"),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="pledge_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(budget_amount__isnull=True, budget_currency="")
                    | (models.Q(budget_amount__isnull=False) & ~models.Q(budget_currency=""))
                ),
                name="pledge_budget_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def staleness_on(self, day: datetime.date) -> Staleness | None:
        """The traffic light on ``day`` (UTC); None once the pledge is completed or withdrawn."""
        if self.status != PledgeStatus.ACTIVE:
            return None
        return traffic_light(self.last_reported_at.astimezone(datetime.UTC).date(), day)

    @property
    def staleness(self) -> Staleness | None:
        return self.staleness_on(timezone.now().date())


class PledgeUpdate(models.Model):
    """A progress report on a pledge, with its evidence."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("progress"))
    evidence_url = models.URLField(
        _("evidence link"), max_length=500, blank=True, validators=[WEB_URL]
    )
    evidence_file = models.FileField(_("evidence file"), upload_to="partners/evidence/", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pledge progress update")
        verbose_name_plural = _("pledge progress updates")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="pledge_update_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id} {self.created_at:%Y-%m-%d}"


# --- Research coordination --------------------------------------------------------


class ResearchStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class ResearchProject(models.Model):
    """Planned, ongoing or completed research registered so that partners avoid duplication."""

    Status = ResearchStatus

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="research_projects",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    questions = models.TextField(_("research questions"))
    methods = models.TextField(_("methods"), blank=True)
    populations = models.TextField(_("populations studied"), blank=True)
    countries = models.ManyToManyField(
        "countries.Country",
        blank=True,
        related_name="research_projects",
        verbose_name=_("countries"),
    )
    themes = models.ManyToManyField(
        "framework.Theme", blank=True, related_name="research_projects", verbose_name=_("themes")
    )
    period_start = models.DateField(_("start"), null=True, blank=True)
    period_end = models.DateField(_("end"), null=True, blank=True)
    funding = models.CharField(_("funding"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=ResearchStatus.PLANNED
    )
    similar_work_reason = models.TextField(
        _("why this research goes ahead despite similar work"), blank=True
    )
    similar_projects = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        verbose_name=_("similar projects shown when it was registered"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ResearchStatus.values),
                name="research_project_status_valid",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="research_project_titled"),
            models.CheckConstraint(
                condition=(
                    models.Q(period_start__isnull=True)
                    | models.Q(period_end__isnull=True)
                    | models.Q(period_end__gte=models.F("period_start"))
                ),
                name="research_project_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title
