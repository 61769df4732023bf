"""Annual report pages: creating a draft, the report page with its edit forms and the review
buttons the user may take, evidence, corrections, the curators' review queue and the focal
points' drafts. Every POST calls one service."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sdg87.accounts.permissions import require_country
from sdg87.core.errors import Conflict, DomainError, InvalidInput
from sdg87.core.models import AuditSource
from sdg87.pathfinders import access, selectors, workflow
from sdg87.pathfinders.forms import (
    ActionUpdateFormSet,
    EvidenceForm,
    IndicatorValueFormSet,
    ReportCreateForm,
    ReportNarrativeForm,
    TransitionForm,
    add_service_error,
    indicator_choices,
)
from sdg87.pathfinders.models import AnnualReport, ReportStatus
from sdg87.pathfinders.services import reports as services
from sdg87.pathfinders.views.common import (
    EDIT_CONFLICT,
    conflict_message,
    domain_errors,
    show_refusal,
    stored_file_download,
)

ACTION_LABELS = {
    "submit": gettext_lazy("Submit for review"),
    "request_changes": gettext_lazy("Request changes"),
    "resubmit": gettext_lazy("Resubmit for review"),
    "approve": gettext_lazy("Approve"),
    "publish": gettext_lazy("Publish"),
}
STEP_LABELS = {
    "submit": gettext_lazy("Submitted for review"),
    "request_changes": gettext_lazy("Changes requested"),
    "resubmit": gettext_lazy("Resubmitted"),
    "approve": gettext_lazy("Approved"),
    "publish": gettext_lazy("Published"),
}
ACTION_HELP = {
    "submit": gettext_lazy("The curators are told; the report can no longer be edited."),
    "request_changes": gettext_lazy("Say what must change: a comment is required."),
    "resubmit": gettext_lazy("The curators are told that the changes are made."),
    "approve": gettext_lazy(
        "The report's indicator values become observations on the indicator pages."
    ),
    "publish": gettext_lazy("Everyone can then read the report."),
}
ROW_KEY = re.compile(r"^(indicator_values|action_updates)\[(\d+)\]\.(\w+)$")
VALUES_PREFIX, UPDATES_PREFIX = "values", "updates"
LOCKED = "report_locked"


def _report_url(report_id: int) -> str:
    return reverse("pathfinders:report", kwargs={"pk": report_id})


# --- the report page ------------------------------------------------------------------------


def _values_formset(report: AnnualReport, data: Any = None) -> Any:
    initial = [
        {
            "indicator": item.indicator.code,
            "year": item.year,
            "value": item.value,
            "note": item.note,
        }
        for item in report.indicator_values.all()
    ]
    return IndicatorValueFormSet(
        data,
        initial=initial,
        prefix=VALUES_PREFIX,
        form_kwargs={"indicators": indicator_choices()},
    )


def _updates_formset(report: AnnualReport, data: Any = None) -> tuple[Any, list[Any]]:
    actions = selectors.report_actions(report)
    given = {item.action_id: item for item in report.action_updates.all()}
    initial = []
    for action in actions:
        source = given.get(action.pk, action)
        initial.append(
            {
                "action": action.pk,
                "status": source.status,
                "note": getattr(source, "note", "") if action.pk in given else "",
                "budget_planned": source.budget_planned,
                "budget_secured": source.budget_secured,
                "budget_spent": source.budget_spent,
            }
        )
    formset = ActionUpdateFormSet(data, initial=initial, prefix=UPDATES_PREFIX)
    return formset, actions


def _status_label(status: str) -> str:
    return str(ReportStatus(status).label) if status in ReportStatus.values else status


def _report_page(
    request: HttpRequest,
    report: AnnualReport,
    *,
    status: int = 200,
    narrative_form: ReportNarrativeForm | None = None,
    values_formset: Any = None,
    updates_formset: Any = None,
    evidence_form: EvidenceForm | None = None,
    transition_errors: dict[str, str] | None = None,
) -> HttpResponse:
    iso3 = report.pathfinder.country.iso3
    may_act_for_country = selectors.can_edit(request.user, iso3)
    editable = may_act_for_country and report.status in workflow.EDITABLE
    versions = selectors.report_versions(report, actor=request.user)
    transitions = list(report.transitions.all())
    for step in transitions:
        step.label = STEP_LABELS.get(step.action, step.action)  # type: ignore[attr-defined]
        step.from_label = _status_label(step.from_status)  # type: ignore[attr-defined]
        step.to_label = _status_label(step.to_status)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "report": report,
        "transitions": transitions,
        "indicator_values": list(report.indicator_values.all()),
        "action_updates": selectors.visible_action_updates(actor=request.user, report=report),
        "evidence": list(report.evidence.all()),
        "versions": versions,
        "editable": editable,
        "can_correct": may_act_for_country
        and report.status in workflow.LOCKED
        and versions
        and versions[0].pk == report.pk,
        "workflow_actions": [
            {
                "action": action,
                "label": ACTION_LABELS[action],
                "help": ACTION_HELP[action],
                "comment_required": workflow.TRANSITIONS[action].comment_required,
                "error": (transition_errors or {}).get(action, ""),
            }
            for action in services.allowed_actions(request.user, report)
        ],
    }
    if editable:
        narrative_initial = {name: getattr(report, name) for name in services.NARRATIVE_FIELDS}
        updates, actions = (
            (updates_formset, selectors.report_actions(report))
            if updates_formset is not None
            else _updates_formset(report)
        )
        context.update(
            {
                "narrative_form": narrative_form
                or ReportNarrativeForm(
                    initial={**narrative_initial, "lock_version": report.lock_version}
                ),
                "values_formset": values_formset or _values_formset(report),
                "updates_formset": updates,
                "update_rows": list(zip(updates.forms, actions, strict=False)),
                "evidence_form": evidence_form or EvidenceForm(),
            }
        )
    return render(request, "pathfinders/report_detail.html", context, status=status)


@domain_errors
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(actor=request.user, report_id=pk)
    return _report_page(request, report)


def _place_row_errors(
    exc: DomainError,
    narrative_form: ReportNarrativeForm,
    values_formset: Any,
    updates_formset: Any,
    value_rows: list[int],
) -> None:
    """Put the service's complaint next to the field it names: a narrative field, or one cell
    of a value row or an action-update row (``indicator_values[2].value``)."""
    details = exc.details if isinstance(exc.details, dict) else {}
    for key, message in details.items():
        text = message if isinstance(message, str) else exc.message
        match = ROW_KEY.match(str(key))
        if match:
            kind, number, field = match.group(1), int(match.group(2)), match.group(3)
            if kind == "indicator_values" and 0 < number <= len(value_rows):
                form = values_formset.forms[value_rows[number - 1]]
            elif kind == "action_updates" and 0 < number <= len(updates_formset.forms):
                form = updates_formset.forms[number - 1]
            else:
                continue
            if field in form.fields:
                form.add_error(field, text)
                narrative_form.add_error(None, exc.message)
                return
    add_service_error(narrative_form, exc)


@require_POST
@domain_errors
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(actor=request.user, report_id=pk)
    narrative_form = ReportNarrativeForm(request.POST)
    values_formset = _values_formset(report, request.POST)
    updates_formset, _actions = _updates_formset(report, request.POST)
    valid = all([narrative_form.is_valid(), values_formset.is_valid(), updates_formset.is_valid()])
    status = 400
    if valid:
        value_rows = [
            index for index, form in enumerate(values_formset.forms) if not form.is_blank()
        ]
        indicator_values = [
            {
                key: values_formset.forms[index].cleaned_data.get(key)
                for key in ("indicator", "year", "value", "note")
            }
            for index in value_rows
        ]
        action_updates = [form.cleaned_data for form in updates_formset.forms]
        try:
            services.report_update(
                actor=request.user,
                report_id=report.pk,
                lock_version=narrative_form.cleaned_data["lock_version"],
                indicator_values=indicator_values,
                action_updates=action_updates if report.roadmap_id else None,
                source=AuditSource.WEB,
                **narrative_form.narrative(),
            )
        except (InvalidInput, Conflict) as exc:
            if isinstance(exc, Conflict) and exc.code == LOCKED:
                messages.error(request, exc.message)
                return redirect(_report_url(report.pk))
            if isinstance(exc, Conflict) and exc.code == EDIT_CONFLICT:
                narrative_form.add_error(None, conflict_message())
                status = 409
            else:
                _place_row_errors(exc, narrative_form, values_formset, updates_formset, value_rows)
                status = 409 if isinstance(exc, Conflict) else 400
        else:
            messages.success(request, _("The report is saved."))
            return redirect(_report_url(report.pk))
    return _report_page(
        request,
        report,
        status=status,
        narrative_form=narrative_form,
        values_formset=values_formset,
        updates_formset=updates_formset,
    )


@require_POST
@domain_errors
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(actor=request.user, report_id=pk)
    form = EvidenceForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            services.evidence_add(
                actor=request.user,
                report_id=report.pk,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                content=b"".join(upload.chunks()) if upload else None,
                filename=upload.name if upload else "",
                source=AuditSource.WEB,
            )
        except (InvalidInput, Conflict) as exc:
            if isinstance(exc, Conflict) and exc.code == LOCKED:
                messages.error(request, exc.message)
                return redirect(_report_url(report.pk))
            status = show_refusal(form, exc)
        else:
            messages.success(request, _("The evidence is attached."))
            return redirect(f"{_report_url(report.pk)}#evidence")
    return _report_page(request, report, status=status, evidence_form=form)


@domain_errors
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """An evidence file of a report the user may see, always as a download."""
    report = selectors.report_get(actor=request.user, report_id=pk)
    item = next((row for row in report.evidence.all() if row.pk == evidence_id), None)
    if item is None or not item.file:
        raise Http404("no evidence file")
    return stored_file_download(item.file.name)


@require_POST
@domain_errors
def report_transition(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(actor=request.user, report_id=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, status=400)
    action = form.cleaned_data["action"]
    try:
        moved = services.report_transition(
            actor=request.user,
            report_id=report.pk,
            action=action,
            comment=form.cleaned_data["comment"],
            lock_version=form.cleaned_data["lock_version"],
            source=AuditSource.WEB,
        )
    except (InvalidInput, Conflict) as exc:
        message = (
            conflict_message()
            if isinstance(exc, Conflict) and exc.code == EDIT_CONFLICT
            else exc.message
        )
        return _report_page(
            request,
            selectors.report_get(actor=request.user, report_id=pk),
            status=409 if isinstance(exc, Conflict) else 400,
            transition_errors={action: message},
        )
    messages.success(
        request, _("The report is now %(status)s.") % {"status": moved.get_status_display()}
    )
    return redirect(_report_url(moved.pk))


@require_POST
@domain_errors
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(actor=request.user, report_id=pk)
    try:
        correction = services.report_correct(
            actor=request.user, report_id=report.pk, source=AuditSource.WEB
        )
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
        return redirect(_report_url(report.pk))
    messages.success(
        request,
        _("Version %(version)s is a new draft: correct it, then submit it for review.")
        % {"version": correction.version},
    )
    return redirect(_report_url(correction.pk))


# --- creating a report, lists -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@domain_errors
def report_create(request: HttpRequest, iso3: str) -> HttpResponse:
    pathfinder = selectors.pathfinder_get(iso3)
    code = pathfinder.country.iso3
    require_country(request.user, code)
    form = ReportCreateForm(request.POST or None, initial={"year": timezone.now().year - 1})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                actor=request.user,
                iso3=code,
                year=form.cleaned_data["year"],
                source=AuditSource.WEB,
            )
        except (InvalidInput, Conflict) as exc:
            status = show_refusal(form, exc)
        else:
            messages.success(
                request, _("The draft report is created: write it, then submit it for review.")
            )
            return redirect(_report_url(report.pk))
    elif form.errors:
        status = 400
    return render(
        request,
        "pathfinders/form_page.html",
        {
            "form": form,
            "title": _("New annual report for %(country)s") % {"country": pathfinder.country.name},
            "lead": _(
                "The report starts as a draft on the current roadmap, seen only by the "
                "country's focal points and the curators."
            ),
            "iso3": code,
            "cancel_url": reverse("pathfinders:detail", kwargs={"iso3": code}) + "#reports",
            "submit_label": _("Create the draft"),
        },
        status=status,
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    context = {
        "reports": selectors.review_queue(actor=request.user),
        "is_curator": access.sees_everything(request.user),
    }
    return render(request, "pathfinders/review_queue.html", context)


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    context = {"reports": selectors.reports_to_edit(actor=request.user)}
    return render(request, "pathfinders/my_reports.html", context)
