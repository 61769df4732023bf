"""Writes on the research register. Registering research while similar work is already
registered needs a reason, recorded on the project and in the audit trail."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from sdg87.core.audit import audit_record, audit_update, snapshot
from sdg87.core.errors import Conflict, InvalidInput, NotFound
from sdg87.core.models import AuditSource
from sdg87.partners import access, selectors
from sdg87.partners.models import Organisation, ResearchProject, ResearchStatus
from sdg87.partners.research_similarity import ResearchMatch
from sdg87.partners.services import inputs

RESEARCH_AUDIT_FIELDS = (
    "organisation",
    "title",
    "summary",
    "questions",
    "methods",
    "populations",
    "period_start",
    "period_end",
    "funding",
    "contact_email",
    "status",
    "similar_work_reason",
)


def research_snapshot(project: ResearchProject) -> dict[str, Any]:
    values = snapshot(project, RESEARCH_AUDIT_FIELDS)
    values["countries"] = sorted(country.iso3 for country in project.countries.all())
    values["themes"] = sorted(theme.slug for theme in project.themes.all())
    values["similar_projects"] = sorted(other.pk for other in project.similar_projects.all())
    return values


def match_details(matches: list[ResearchMatch]) -> list[dict[str, Any]]:
    return [
        {"id": match.id, "title": match.title, "score": match.score, "reasons": match.reasons}
        for match in matches
    ]


@transaction.atomic
def research_project_register(
    *,
    actor: Any,
    organisation_id: int,
    title: str,
    questions: str,
    summary: str = "",
    methods: str = "",
    populations: str = "",
    country_codes: Iterable[str] = (),
    theme_slugs: Iterable[str] = (),
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    funding: str = "",
    contact_email: str = "",
    status: str = ResearchStatus.PLANNED,
    similar_work_reason: str = "",
    source: str = AuditSource.SYSTEM,
) -> ResearchProject:
    """Register research of an approved organisation (its partner editors, curators).

    When similar research is registered already, ``Conflict`` (``similar_research``) lists it
    unless ``similar_work_reason`` says why this research goes ahead anyway.
    """
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise InvalidInput(
            "unknown organisation", details={"organisation": f"no organisation {organisation_id}"}
        )
    access.require_acts_for_approved(actor, organisation)
    countries = inputs.countries(country_codes)
    themes = inputs.themes(theme_slugs)
    start, end = inputs.period(period_start, period_end)
    project = ResearchProject(
        organisation=organisation,
        title=inputs.required_text(title, field="title", max_length=255),
        questions=inputs.required_text(questions, field="questions"),
        summary=(summary or "").strip(),
        methods=(methods or "").strip(),
        populations=(populations or "").strip(),
        period_start=start,
        period_end=end,
        funding=(funding or "").strip(),
        contact_email=(contact_email or "").strip(),
        status=inputs.choice(status, ResearchStatus, field="status"),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    inputs.validated(project)
    matches = selectors.research_similar(
        title=project.title,
        text=" ".join((project.summary, project.questions, project.methods)),
        country_codes=[country.iso3 for country in countries],
        theme_slugs=[theme.slug for theme in themes],
        start=start,
        end=end,
    )
    reason = (similar_work_reason or "").strip()
    if matches and not reason:
        raise Conflict(
            "similar research is registered already: say why this research goes ahead anyway",
            code="similar_research",
            details={"matches": match_details(matches)},
        )
    project.similar_work_reason = reason if matches else ""
    project.save()
    project.countries.set(countries)
    project.themes.set(themes)
    if matches:
        project.similar_projects.set([match.id for match in matches])
    audit_record(
        actor=actor,
        action="create",
        instance=project,
        after=research_snapshot(project),
        source=source,
        comment=project.similar_work_reason,
    )
    return project


@transaction.atomic
def research_project_edit(
    *,
    actor: Any,
    project_id: int,
    title: str | None = None,
    summary: str | None = None,
    questions: str | None = None,
    methods: str | None = None,
    populations: str | None = None,
    funding: str | None = None,
    contact_email: str | None = None,
    status: str | None = None,
    country_codes: Iterable[str] | None = None,
    theme_slugs: Iterable[str] | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    source: str = AuditSource.SYSTEM,
) -> ResearchProject:
    """Edit registered research (its organisation's partner editors, curators)."""
    project = (
        ResearchProject.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise NotFound(f"no research project {project_id}")
    access.require_acts_for_approved(actor, project.organisation)
    before = research_snapshot(project)
    if title is not None:
        project.title = inputs.required_text(title, field="title", max_length=255)
    if questions is not None:
        project.questions = inputs.required_text(questions, field="questions")
    for field, value in (
        ("summary", summary),
        ("methods", methods),
        ("populations", populations),
        ("funding", funding),
        ("contact_email", contact_email),
    ):
        if value is not None:
            setattr(project, field, value.strip())
    if status is not None:
        project.status = inputs.choice(status, ResearchStatus, field="status")
    if period_start is not None or period_end is not None:
        project.period_start, project.period_end = inputs.period(
            period_start if period_start is not None else project.period_start,
            period_end if period_end is not None else project.period_end,
        )
    countries = inputs.countries(country_codes) if country_codes is not None else None
    themes = inputs.themes(theme_slugs) if theme_slugs is not None else None
    inputs.validated(project)
    project.save()
    if countries is not None:
        project.countries.set(countries)
    if themes is not None:
        project.themes.set(themes)
    audit_update(
        actor=actor,
        instance=project,
        before=before,
        after=research_snapshot(project),
        source=source,
    )
    return project
