"""Annual reports: drafting, evidence, the review workflow and corrections.

Every transition goes through :func:`report_transition`: it checks the state against
:mod:`sdg87.pathfinders.workflow`, the actor's role and scope, writes a ReportTransition and an
audit row (who, when in UTC, comment), and e-mails the country's focal points and the curators
after the commit. On approval the report's indicator values are imported as observations whose
source is the report (through the indicators app's one import service), so they appear on the
indicator pages. Approved and published reports never change again: :func:`report_correct`
starts a new version.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from sdg87.accounts.permissions import can_act_for_country, is_curator, require_country
from sdg87.core.audit import audit_record, audit_update, snapshot
from sdg87.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sdg87.core.models import AuditSource
from sdg87.indicators.importers.base import SourceFile
from sdg87.indicators.services.observations import observations_import
from sdg87.indicators.services.removal import observations_delete_by_source
from sdg87.partners.uploads import evidence_checked, safe_stem
from sdg87.pathfinders import selectors, workflow
from sdg87.pathfinders.models import (
    Action,
    ActionStatus,
    AnnualReport,
    ReportActionUpdate,
    ReportEvidence,
    ReportIndicatorValue,
    ReportStatus,
    ReportTransition,
)
from sdg87.pathfinders.services import common

logger = logging.getLogger(__name__)

NARRATIVE_FIELDS = (
    "progress",
    "challenges",
    "lessons_learned",
    "support_needed",
    "support_offered",
)
REPORT_FIELDS = ("year", "version", "status", *NARRATIVE_FIELDS)
REPORT_SERIES = "PATHFINDER_REPORT"
MAX_NARRATIVE = 50_000


def report_source_label(report: AnnualReport) -> str:
    """The observation ``source`` text of the values of a report."""
    label = (
        f"Pathfinder annual report {report.pathfinder.country.iso3} {report.year}, "
        f"version {report.version}"
    )
    return f"{label} (example)" if report.is_example else label


def _report_for_write(actor: Any, report_id: int) -> AnnualReport:
    report = selectors.report_get(actor=actor, report_id=report_id)
    require_country(actor, report.pathfinder.country.iso3)
    if report.status not in workflow.EDITABLE:
        raise Conflict(
            f"a report that is {report.get_status_display()} cannot be edited"
            + (
                "; start a correction (a new version) instead"
                if report.status in workflow.LOCKED
                else ""
            ),
            code="report_locked",
            details={"status": report.status},
        )
    return report


@transaction.atomic
def report_create(
    *,
    actor: Any,
    iso3: str,
    year: int,
    roadmap_id: int | None = None,
    is_example: bool = False,
    source: str = AuditSource.WEB,
    **narrative: Any,
) -> AnnualReport:
    """A new draft (version 1) of a country's report for ``year``."""
    pathfinder = selectors.pathfinder_get(iso3)
    require_country(actor, pathfinder.country.iso3)
    report_year = common.year(year, field="year")
    if AnnualReport.objects.filter(pathfinder=pathfinder, year=report_year).exists():
        raise Conflict(
            f"{pathfinder.country.iso3} already has a report for {report_year}; edit it, or "
            "start a correction of the approved version",
            code="report_exists",
            details={"year": report_year},
        )
    roadmap = None
    if roadmap_id is not None:
        roadmap = selectors.roadmap_get(actor=actor, roadmap_id=roadmap_id)
        if roadmap.pathfinder_id != pathfinder.pk:
            raise InvalidInput("the roadmap is another country's", details={"roadmap": roadmap_id})
    else:
        roadmap = selectors.roadmap_current(actor=actor, iso3=pathfinder.country.iso3)
    report = AnnualReport.objects.create(
        pathfinder=pathfinder,
        roadmap=roadmap,
        year=report_year,
        is_example=is_example,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **_narrative(narrative),
    )
    audit_record(
        actor=actor,
        action="create",
        instance=report,
        after=snapshot(report, REPORT_FIELDS),
        source=source,
    )
    return report


def _narrative(values: Mapping[str, Any]) -> dict[str, str]:
    cleaned = {}
    for name, value in values.items():
        if name not in NARRATIVE_FIELDS:
            raise InvalidInput(f"unknown field {name!r}", details={name: "not a report field"})
        cleaned[name] = common.text(value, field=name, max_length=MAX_NARRATIVE)
    return cleaned


def _report_snapshot(report: AnnualReport) -> dict[str, Any]:
    values = snapshot(report, REPORT_FIELDS)
    values["indicator_values"] = [
        [item.indicator.code, item.year, item.value, item.note]
        for item in report.indicator_values.select_related("indicator").order_by(
            "indicator__code", "year"
        )
    ]
    values["action_updates"] = [
        [
            item.action_id,
            item.status,
            item.note,
            str(item.budget_planned),
            str(item.budget_secured),
            str(item.budget_spent),
        ]
        for item in report.action_updates.order_by("action_id")
    ]
    return values


@transaction.atomic
def report_update(
    *,
    actor: Any,
    report_id: int,
    lock_version: int | None = None,
    indicator_values: Iterable[Mapping[str, Any]] | None = None,
    action_updates: Iterable[Mapping[str, Any]] | None = None,
    source: str = AuditSource.WEB,
    **narrative: Any,
) -> AnnualReport:
    """Change a draft (or a report returned with changes requested). ``indicator_values`` and
    ``action_updates``, when given, replace the report's whole lists."""
    report = _report_for_write(actor, report_id)
    common.check_version(report, lock_version)
    before = _report_snapshot(report)
    for name, value in _narrative(narrative).items():
        setattr(report, name, value)
    if indicator_values is not None:
        _replace_values(report, list(indicator_values))
    if action_updates is not None:
        _replace_action_updates(report, list(action_updates))
    common.bump_version(report)
    report.save()
    audit_update(
        actor=actor,
        instance=report,
        before=before,
        after=_report_snapshot(report),
        source=source,
    )
    return report


def _replace_values(report: AnnualReport, items: list[Mapping[str, Any]]) -> None:
    rows = []
    seen: set[tuple[str, int]] = set()
    for index, item in enumerate(items, start=1):
        prefix = f"indicator_values[{index}]"
        indicator = common.indicator(item.get("indicator"), field=f"{prefix}.indicator")
        year = common.year(item.get("year"), field=f"{prefix}.year")
        assert year is not None
        number = common.number(item.get("value"), field=f"{prefix}.value")
        if number is None:
            raise InvalidInput(
                f"{prefix}.value is required", details={f"{prefix}.value": "give a number"}
            )
        key = (indicator.code, year)
        if key in seen:
            raise InvalidInput(
                f"{prefix}: {indicator.code} {year} is given twice",
                details={f"{prefix}.indicator": "duplicate indicator and year"},
            )
        seen.add(key)
        rows.append(
            ReportIndicatorValue(
                report=report,
                indicator=indicator,
                year=year,
                value=number,
                note=common.text(item.get("note"), field=f"{prefix}.note", max_length=2000),
            )
        )
    report.indicator_values.all().delete()
    ReportIndicatorValue.objects.bulk_create(rows)


def _replace_action_updates(report: AnnualReport, items: list[Mapping[str, Any]]) -> None:
    actions = {
        action.pk: action
        for action in Action.objects.filter(priority__roadmap__pathfinder=report.pathfinder)
    }
    rows = []
    seen: set[int] = set()
    for index, item in enumerate(items, start=1):
        prefix = f"action_updates[{index}]"
        try:
            action_id = int(item.get("action"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidInput(
                f"{prefix}.action is not an action id", details={f"{prefix}.action": "an id"}
            ) from None
        action = actions.get(action_id)
        if action is None:
            raise InvalidInput(
                f"{prefix}: action {action_id} is not in this country's roadmaps",
                details={f"{prefix}.action": "unknown action"},
            )
        if action_id in seen:
            raise InvalidInput(
                f"{prefix}: action {action_id} is given twice",
                details={f"{prefix}.action": "duplicate"},
            )
        seen.add(action_id)
        rows.append(
            ReportActionUpdate(
                report=report,
                action=action,
                status=common.choice(
                    item.get("status", action.status), ActionStatus, field=f"{prefix}.status"
                ),
                note=common.text(item.get("note"), field=f"{prefix}.note", max_length=5000),
                budget_planned=common.amount(
                    item.get("budget_planned", action.budget_planned),
                    field=f"{prefix}.budget_planned",
                ),
                budget_secured=common.amount(
                    item.get("budget_secured", action.budget_secured),
                    field=f"{prefix}.budget_secured",
                ),
                budget_spent=common.amount(
                    item.get("budget_spent", action.budget_spent), field=f"{prefix}.budget_spent"
                ),
            )
        )
    report.action_updates.all().delete()
    ReportActionUpdate.objects.bulk_create(rows)


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    report_id: int,
    title: str,
    url: str = "",
    content: bytes | None = None,
    filename: str = "",
    source: str = AuditSource.WEB,
) -> ReportEvidence:
    """Attach evidence (a link, a file, or both) to an editable report."""
    report = _report_for_write(actor, report_id)
    link = common.text(url, field="url", max_length=500)
    if link and not link.lower().startswith(("http://", "https://")):
        raise InvalidInput("only http and https links are allowed", details={"url": "http(s)"})
    if not link and content is None:
        raise InvalidInput("give a link or a file", details={"url": "a link or a file"})
    evidence = ReportEvidence(
        report=report,
        title=common.text(title, field="title", required=True, max_length=255),
        url=link,
    )
    if content is not None:
        checked = evidence_checked(content, filename, field="file")
        evidence.file.save(
            f"{safe_stem(filename, 'evidence')}.{checked.extension}",
            ContentFile(checked.content),
            save=False,
        )
    evidence.save()
    audit_record(
        actor=actor,
        action="create",
        instance=evidence,
        after={
            "report": report.pk,
            "title": evidence.title,
            "url": link,
            "file": evidence.file.name,
        },
        source=source,
    )
    return evidence


@transaction.atomic
def evidence_remove(
    *, actor: Any, report_id: int, evidence_id: int, source: str = AuditSource.WEB
) -> None:
    report = _report_for_write(actor, report_id)
    evidence = report.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound(f"no evidence {evidence_id}", details={"evidence": evidence_id})
    audit_record(
        actor=actor,
        action="delete",
        instance=evidence,
        before={"report": report.pk, "title": evidence.title},
        source=source,
    )
    evidence.delete()


# --- the workflow ---------------------------------------------------------------------------


def allowed_actions(actor: Any, report: AnnualReport) -> list[str]:
    iso3 = report.pathfinder.country.iso3
    return workflow.allowed_actions(
        report.status,
        is_curator=is_curator(actor),
        is_country_focal_point=can_act_for_country(actor, iso3),
    )


@transaction.atomic
def report_transition(
    *,
    actor: Any,
    report_id: int,
    action: str,
    comment: str = "",
    lock_version: int | None = None,
    source: str = AuditSource.WEB,
) -> AnnualReport:
    """Move a report one step through the workflow (see :mod:`workflow`)."""
    report = selectors.report_get(actor=actor, report_id=report_id)
    iso3 = report.pathfinder.country.iso3
    move = workflow.transition_for(action)
    if not workflow.actor_may(
        move, is_curator=is_curator(actor), is_country_focal_point=can_act_for_country(actor, iso3)
    ):
        require_country(actor, iso3)  # signed-out → 401, another country → 403
        raise PermissionDenied(f"only a curator may {action.replace('_', ' ')} a report")
    target = workflow.target_status(report.status, action)
    common.check_version(report, lock_version)
    note = common.text(comment, field="comment", max_length=10_000)
    if move.comment_required and not note:
        raise InvalidInput(
            "say what must change: a comment is required", details={"comment": "required"}
        )
    if target in (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED):
        _check_complete(report)
    now = timezone.now()
    previous = report.status
    report.status = target
    if target in (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED):
        report.submitted_at = now
    elif target == ReportStatus.APPROVED:
        report.approved_at = now
        report.observation_batch_id = _import_values(report, actor, source)
        _drop_superseded_values(report, actor, source)
    elif target == ReportStatus.PUBLISHED:
        report.published_at = now
    common.bump_version(report)
    report.save()
    ReportTransition.objects.create(
        report=report,
        action=action,
        from_status=previous,
        to_status=target,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor.get_username() if getattr(actor, "is_authenticated", False) else "",
        comment=note,
        at=now,
    )
    audit_record(
        actor=actor,
        action=f"report_{action}",
        instance=report,
        before={"status": previous},
        after={"status": target},
        source=source,
        comment=note,
    )
    transaction.on_commit(lambda: _notify(report.pk, action, note))
    return report


def _check_complete(report: AnnualReport) -> None:
    if not report.progress.strip():
        raise InvalidInput(
            "a report needs at least its progress section before it is submitted",
            details={"progress": "required before submitting"},
        )


def _import_values(report: AnnualReport, actor: Any, source: str) -> int | None:
    """Write the report's indicator values as observations; returns the import batch id."""
    values = list(report.indicator_values.select_related("indicator"))
    if not values:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator", "country", "year", "value", "unit", "series", "source"])
    label = report_source_label(report)
    for item in values:
        writer.writerow(
            [
                item.indicator.code,
                report.pathfinder.country.iso3,
                item.year,
                repr(item.value),
                item.indicator.unit,
                REPORT_SERIES,
                label,
            ]
        )
    result = observations_import(
        files=[
            SourceFile(
                name=f"report-{report.pathfinder.country.iso3}-{report.year}-v{report.version}.csv",
                content=buffer.getvalue().encode(),
                format="csv",
            )
        ],
        format="csv",
        source=label,
        actor=actor,
        audit_source=source,
    )
    return result.batch


def _drop_superseded_values(report: AnnualReport, actor: Any, source: str) -> int:
    """A correction replaces its earlier versions' values: the observations that still carry an
    earlier version's source are the values this version dropped, and they go (the values it
    kept were just re-imported under its own source, with their history)."""
    earlier = AnnualReport.objects.filter(
        pathfinder=report.pathfinder, year=report.year, version__lt=report.version
    ).select_related("pathfinder__country")
    labels = [report_source_label(version) for version in earlier]
    return observations_delete_by_source(
        actor=actor, series=REPORT_SERIES, sources=labels, audit_source=source
    )


def _notify(report_id: int, action: str, comment: str) -> None:
    """E-mail the country's focal points and the curators (console backend by default)."""
    from django.contrib.auth import get_user_model

    report = AnnualReport.objects.select_related("pathfinder__country").filter(pk=report_id).first()
    if report is None:
        return
    iso3 = report.pathfinder.country.iso3
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    recipients = sorted(
        set(
            users.filter(
                Q(role__in=["curator", "admin"])
                | Q(is_superuser=True)
                | Q(role="focal_point", countries__iso3=iso3)
            ).values_list("email", flat=True)
        )
    )
    if not recipients:
        return
    subject = (
        f"[sdg87] {iso3} annual report {report.year} v{report.version}: "
        f"{action.replace('_', ' ')} → {report.get_status_display()}"
    )
    body = f"The report is now {report.get_status_display()}.\n"
    if comment:
        body += f"\nComment:\n{comment}\n"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # a mail server down must not undo a committed review step
        logger.exception("could not send the report notification for report %s", report_id)


@transaction.atomic
def report_correct(*, actor: Any, report_id: int, source: str = AuditSource.WEB) -> AnnualReport:
    """Start a correction of an approved or published report: a new draft version with the
    same content, which supersedes it once it is published in turn."""
    report = selectors.report_get(actor=actor, report_id=report_id)
    require_country(actor, report.pathfinder.country.iso3)
    if report.status not in workflow.LOCKED:
        raise Conflict(
            "only an approved or published report is corrected by a new version; "
            "edit this one instead",
            code="invalid_transition",
            details={"status": report.status},
        )
    newest = AnnualReport.objects.filter(pathfinder=report.pathfinder, year=report.year).aggregate(
        Max("version")
    )["version__max"]
    if newest != report.version:
        raise Conflict(
            f"version {newest} of this report already exists; correct that one",
            code="report_exists",
            details={"version": newest},
        )
    copy = AnnualReport.objects.create(
        pathfinder=report.pathfinder,
        roadmap=report.roadmap,
        year=report.year,
        version=report.version + 1,
        supersedes=report,
        is_example=report.is_example,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: getattr(report, name) for name in NARRATIVE_FIELDS},
    )
    ReportIndicatorValue.objects.bulk_create(
        ReportIndicatorValue(
            report=copy,
            indicator_id=item.indicator_id,
            year=item.year,
            value=item.value,
            note=item.note,
        )
        for item in report.indicator_values.all()
    )
    ReportActionUpdate.objects.bulk_create(
        ReportActionUpdate(
            report=copy,
            action_id=item.action_id,
            status=item.status,
            note=item.note,
            budget_planned=item.budget_planned,
            budget_secured=item.budget_secured,
            budget_spent=item.budget_spent,
        )
        for item in report.action_updates.all()
    )
    ReportEvidence.objects.bulk_create(
        ReportEvidence(report=copy, title=item.title, url=item.url, file=item.file.name)
        for item in report.evidence.all()
    )
    audit_record(
        actor=actor,
        action="create",
        instance=copy,
        after={**snapshot(copy, REPORT_FIELDS), "corrects": report.pk},
        source=source,
    )
    return copy
