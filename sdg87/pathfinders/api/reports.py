"""Annual reports: ``/reports/{id}`` (read, edit, workflow transitions, corrections, evidence)
and ``/review-queue``.

The public sees published reports only; any other report is a 404 to those who may not see
it, exactly like a missing id. Focal points of the country and curators see and edit drafts
and reports returned with changes requested; curators review. The workflow's rules live in
``sdg87.pathfinders.workflow`` and its services: an out-of-order step answers 409.
"""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from sdg87.accounts.auth import request_actor, signed_in
from sdg87.core.errors import NotFound
from sdg87.core.models import AuditSource
from sdg87.core.pagination import PagePagination
from sdg87.partners.downloads import evidence_download
from sdg87.partners.uploads import MAX_EVIDENCE_BYTES
from sdg87.pathfinders import selectors
from sdg87.pathfinders.api.common import (
    AMOUNT_DESCRIPTION,
    AMOUNT_IN_DESCRIPTION,
    LOCK_DESCRIPTION,
    money,
)
from sdg87.pathfinders.models import AnnualReport, ReportActionUpdate, ReportEvidence
from sdg87.pathfinders.services import reports as services
from sdg87.pathfinders.workflow import TRANSITIONS

router = Router()

STATUS_DESCRIPTION = "draft, submitted, changes_requested, resubmitted, approved or published"


# --- output -----------------------------------------------------------------------------------


def _actor(context: Any) -> Any:
    request = (context or {}).get("request")
    return getattr(request, "auth", None) or request_actor(request)


class AnnualReportOut(Schema):
    id: int
    country: str = Field(description="ISO3 code")
    year: int = Field(description="the year reported on")
    version: int = Field(description="1, then one more for each correction")
    status: str = Field(description=STATUS_DESCRIPTION)
    example: bool = Field(description="example content, not real data")
    roadmap: int | None = Field(description="id of the roadmap reported on")
    supersedes: int | None = Field(description="id of the version this one corrects")
    lock_version: int = Field(description=LOCK_DESCRIPTION)
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_country(obj: AnnualReport) -> str:
        return obj.pathfinder.country.iso3

    @staticmethod
    def resolve_example(obj: AnnualReport) -> bool:
        return obj.is_example

    @staticmethod
    def resolve_roadmap(obj: AnnualReport) -> int | None:
        # A report on a roadmap that is still a draft does not reveal it to the public
        # (``roadmap_visible`` is set by ``report_get`` for its actor; lists hide drafts).
        visible = getattr(obj, "roadmap_visible", None)
        if visible is None:
            visible = obj.roadmap is not None and obj.roadmap.status != "draft"
        return obj.roadmap_id if visible else None

    @staticmethod
    def resolve_supersedes(obj: AnnualReport) -> int | None:
        return obj.supersedes_id


class ReportIndicatorValueOut(Schema):
    indicator: str = Field(description="indicator code, e.g. 8.7.1")
    year: int
    value: float
    note: str

    @staticmethod
    def resolve_indicator(obj: Any) -> str:
        return obj.indicator.code


class ReportActionUpdateOut(Schema):
    action: int
    action_title: str
    priority: int
    status: str = Field(description="not_started, on_track, delayed, done or cancelled")
    note: str
    currency: str = Field(description="ISO 4217 code of the action's budget")
    budget_planned: str = Field(description=AMOUNT_DESCRIPTION)
    budget_secured: str = Field(description=AMOUNT_DESCRIPTION)
    budget_spent: str = Field(description=AMOUNT_DESCRIPTION)

    @staticmethod
    def resolve_action(obj: ReportActionUpdate) -> int:
        return obj.action_id

    @staticmethod
    def resolve_action_title(obj: ReportActionUpdate) -> str:
        return obj.action.title

    @staticmethod
    def resolve_priority(obj: ReportActionUpdate) -> int:
        return obj.action.priority_id

    @staticmethod
    def resolve_currency(obj: ReportActionUpdate) -> str:
        return obj.action.currency

    @staticmethod
    def resolve_budget_planned(obj: ReportActionUpdate) -> str | None:
        return money(obj.budget_planned)

    @staticmethod
    def resolve_budget_secured(obj: ReportActionUpdate) -> str | None:
        return money(obj.budget_secured)

    @staticmethod
    def resolve_budget_spent(obj: ReportActionUpdate) -> str | None:
        return money(obj.budget_spent)


class ReportEvidenceOut(Schema):
    id: int
    title: str
    url: str = Field(description="link to the evidence; empty when it is a file")
    file: str | None = Field(description="where to download the attached file, if any")
    created_at: datetime.datetime

    @staticmethod
    def resolve_file(obj: ReportEvidence) -> str | None:
        if not obj.file:
            return None
        return f"/api/v1/pathfinders/reports/{obj.report_id}/evidence/{obj.pk}/file"


class ReportTransitionOut(Schema):
    action: str = Field(description=", ".join(TRANSITIONS))
    from_status: str
    to_status: str
    actor: str = Field(description="username of who took the step")
    at: datetime.datetime = Field(description="when (UTC)")
    comment: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_label


class AnnualReportDetailOut(AnnualReportOut):
    progress: str
    challenges: str
    lessons_learned: str
    support_needed: str
    support_offered: str = Field(description="South–South and triangular cooperation")
    indicator_values: list[ReportIndicatorValueOut]
    action_updates: list[ReportActionUpdateOut]
    evidence: list[ReportEvidenceOut]
    transitions: list[ReportTransitionOut] = Field(
        description="the review history, oldest first, with the reviewers' comments"
    )
    allowed_actions: list[str] = Field(description="the workflow actions the caller may take now")

    @staticmethod
    def resolve_indicator_values(obj: AnnualReport) -> Any:
        return obj.indicator_values.all()

    @staticmethod
    def resolve_action_updates(obj: AnnualReport, context: Any) -> Any:
        return selectors.visible_action_updates(actor=_actor(context), report=obj)

    @staticmethod
    def resolve_evidence(obj: AnnualReport) -> Any:
        return obj.evidence.all()

    @staticmethod
    def resolve_transitions(obj: AnnualReport) -> Any:
        return obj.transitions.all()

    @staticmethod
    def resolve_allowed_actions(obj: AnnualReport, context: Any) -> list[str]:
        return services.allowed_actions(_actor(context), obj)


def report_detail(actor: Any, report_id: int) -> AnnualReport:
    return selectors.report_get(actor=actor, report_id=report_id)


# --- input ------------------------------------------------------------------------------------


class AnnualReportIn(Schema):
    year: int = Field(description="the year reported on")
    roadmap: int | None = Field(None, description="default: the country's current roadmap")
    progress: str = ""
    challenges: str = ""
    lessons_learned: str = ""
    support_needed: str = ""
    support_offered: str = ""


class ReportIndicatorValueIn(Schema):
    indicator: str = Field(description="indicator code, e.g. 8.7.1")
    year: int
    value: float
    note: str = ""


class ReportActionUpdateIn(Schema):
    action: int = Field(description="id of an action of the country's roadmaps")
    status: str | None = Field(None, description="default: the action's current status")
    note: str = ""
    budget_planned: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)
    budget_secured: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)
    budget_spent: Decimal | None = Field(None, description=AMOUNT_IN_DESCRIPTION)


class AnnualReportPatchIn(Schema):
    lock_version: int = Field(description=LOCK_DESCRIPTION)
    progress: str | None = None
    challenges: str | None = None
    lessons_learned: str | None = None
    support_needed: str | None = None
    support_offered: str | None = None
    indicator_values: list[ReportIndicatorValueIn] | None = Field(
        None, description="when given, replaces the report's whole list"
    )
    action_updates: list[ReportActionUpdateIn] | None = Field(
        None,
        description="when given, replaces the report's whole list; budgets and status "
        "default to the action's current ones",
    )


class ReportTransitionIn(Schema):
    action: str = Field(description="one of " + ", ".join(TRANSITIONS))
    comment: str = Field("", description="required to request changes")
    lock_version: int | None = Field(None, description=LOCK_DESCRIPTION)


class ReportEvidenceIn(Schema):
    title: str = Field(max_length=255)
    url: str = Field(description="an http(s) link")


# --- endpoints --------------------------------------------------------------------------------


@router.get("/review-queue", response=list[AnnualReportOut], auth=signed_in, summary="Review queue")
@paginate(PagePagination)
def review_queue(request: HttpRequest) -> Any:
    """Submitted and resubmitted reports waiting for a curator, oldest first. Curators see
    them all; any other signed-in user gets an empty list (never an error)."""
    return selectors.review_queue(actor=request.auth)


@router.get("/reports/{report_id}", response=AnnualReportDetailOut, summary="One annual report")
def get_report(request: HttpRequest, report_id: int) -> Any:
    """With its indicator values, action updates, evidence and review history. An
    unpublished report is a 404 to anyone but the country's focal points and curators."""
    return report_detail(request_actor(request), report_id)


@router.patch(
    "/reports/{report_id}", response=AnnualReportDetailOut, auth=signed_in, summary="Edit a report"
)
def update_report(request: HttpRequest, report_id: int, payload: AnnualReportPatchIn) -> Any:
    """Only drafts and reports returned with changes requested (409 `report_locked`
    otherwise), by the country's focal points and curators, with the `lock_version` read."""
    changes = payload.dict(exclude_unset=True)
    changes.pop("lock_version", None)
    for name in ("indicator_values", "action_updates"):
        if name in changes and changes[name] is not None:
            changes[name] = [
                {key: value for key, value in item.items() if value is not None}
                for item in changes[name]
            ]
    services.report_update(
        actor=request.auth,
        report_id=report_id,
        lock_version=payload.lock_version,
        source=AuditSource.API,
        **changes,
    )
    return report_detail(request.auth, report_id)


@router.post(
    "/reports/{report_id}/transitions",
    response=AnnualReportDetailOut,
    auth=signed_in,
    summary="Move a report through the review workflow",
)
def transition_report(request: HttpRequest, report_id: int, payload: ReportTransitionIn) -> Any:
    """submit and resubmit: the country's focal points; request_changes (with a comment),
    approve and publish: curators. A step out of order answers 409 `invalid_transition`
    saying which steps are allowed now. Approval turns the report's indicator values into
    observations whose source names the report."""
    services.report_transition(
        actor=request.auth,
        report_id=report_id,
        action=payload.action,
        comment=payload.comment,
        lock_version=payload.lock_version,
        source=AuditSource.API,
    )
    return report_detail(request.auth, report_id)


@router.post(
    "/reports/{report_id}/corrections",
    response={201: AnnualReportDetailOut},
    auth=signed_in,
    summary="Correct an approved or published report (a new draft version)",
)
def correct_report(request: HttpRequest, report_id: int) -> Any:
    report = services.report_correct(
        actor=request.auth, report_id=report_id, source=AuditSource.API
    )
    return Status(201, report_detail(request.auth, report.pk))


@router.post(
    "/reports/{report_id}/evidence",
    response={201: ReportEvidenceOut},
    auth=signed_in,
    summary="Attach a link as evidence to an editable report",
)
def add_evidence_link(request: HttpRequest, report_id: int, payload: ReportEvidenceIn) -> Any:
    evidence = services.evidence_add(
        actor=request.auth,
        report_id=report_id,
        title=payload.title,
        url=payload.url,
        source=AuditSource.API,
    )
    return Status(201, evidence)


@router.post(
    "/reports/{report_id}/evidence-files",
    response={201: ReportEvidenceOut},
    auth=signed_in,
    summary="Attach a file as evidence to an editable report (multipart/form-data)",
)
def add_evidence_file(
    request: HttpRequest,
    report_id: int,
    title: Form[str],
    file: File[UploadedFile],
    url: Form[str] = "",
) -> Any:
    """Fields `title`, `file` and optionally `url`. The accepted kinds and the size limit are
    those of the partners' evidence files (400 naming `file` otherwise)."""
    evidence = services.evidence_add(
        actor=request.auth,
        report_id=report_id,
        title=title,
        url=url,
        content=file.read(MAX_EVIDENCE_BYTES + 1),
        filename=file.name or "evidence",
        source=AuditSource.API,
    )
    return Status(201, evidence)


@router.delete(
    "/reports/{report_id}/evidence/{evidence_id}",
    response={204: None},
    auth=signed_in,
    summary="Remove evidence from an editable report",
)
def remove_evidence(request: HttpRequest, report_id: int, evidence_id: int) -> Any:
    services.evidence_remove(
        actor=request.auth, report_id=report_id, evidence_id=evidence_id, source=AuditSource.API
    )
    return Status(204, None)


@router.get(
    "/reports/{report_id}/evidence/{evidence_id}/file",
    summary="Download an evidence file (always as an attachment)",
)
def evidence_file(request: HttpRequest, report_id: int, evidence_id: int) -> Any:
    report = report_detail(request_actor(request), report_id)
    evidence = next((item for item in report.evidence.all() if item.pk == evidence_id), None)
    name = evidence.file.name if evidence is not None and evidence.file else ""
    response = evidence_download(name)
    if response is None:
        raise NotFound("no evidence file", details={"evidence": evidence_id})
    return response
