"""Roadmap editing in the browser, for the country's focal points and curators: plain forms,
each posting to a view that calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sdg87.accounts.permissions import require_country
from sdg87.core.errors import Conflict, InvalidInput, NotFound
from sdg87.core.models import AuditSource
from sdg87.pathfinders import selectors
from sdg87.pathfinders.forms import (
    ActionForm,
    IndicatorLinkForm,
    MilestoneForm,
    PriorityForm,
    RoadmapForm,
)
from sdg87.pathfinders.models import Roadmap
from sdg87.pathfinders.services import roadmaps as services
from sdg87.pathfinders.views.common import domain_errors, show_refusal, stored_file_download


def _country_url(iso3: str, anchor: str = "") -> str:
    url = reverse("pathfinders:detail", kwargs={"iso3": iso3})
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    iso3: str,
    status: int,
    lead: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "pathfinders/form_page.html",
        {
            "form": form,
            "title": title,
            "lead": lead,
            "iso3": iso3,
            "cancel_url": _country_url(iso3, "roadmap"),
            **(context or {}),
        },
        status=status,
    )


def _save_or_show(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[], Any],
    saved: str,
    then: Callable[[Any], str],
    title: str,
    iso3: str,
    lead: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The one shape of every form view here: on a valid POST call the service, say so and go
    to ``then(result)``; a refusal is shown next to its fields; otherwise (re)show the form."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = save()
        except (InvalidInput, Conflict) as exc:
            status = show_refusal(form, exc)
        else:
            messages.success(request, saved)
            return redirect(then(result))
    return _form_page(
        request, form, title=title, iso3=iso3, status=status, lead=lead, context=context
    )


def _confirm_delete(
    request: HttpRequest,
    *,
    title: str,
    consequence: str,
    delete: Callable[[], Any],
    deleted: str,
    then: str,
    back: str,
    iso3: str,
) -> HttpResponse:
    """Deleting, in two steps: GET asks (saying what goes with it), POST deletes. A refusal
    (e.g. a priority that still has actions) is said on the page it came from."""
    if request.method == "POST":
        try:
            delete()
        except (InvalidInput, Conflict) as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(request, deleted)
        return redirect(then)
    return render(
        request,
        "pathfinders/confirm_delete.html",
        {"title": title, "consequence": consequence, "cancel_url": back, "iso3": iso3},
    )


def _editable_roadmap(request: HttpRequest, roadmap_id: int) -> Roadmap:
    roadmap = selectors.roadmap_get(actor=request.user, roadmap_id=roadmap_id)
    require_country(request.user, roadmap.pathfinder.country.iso3)
    return roadmap


@require_http_methods(["GET", "POST"])
@domain_errors
def roadmap_create(request: HttpRequest, iso3: str) -> HttpResponse:
    pathfinder = selectors.pathfinder_get(iso3)
    code = pathfinder.country.iso3
    require_country(request.user, code)
    form = RoadmapForm(
        request.POST or None, request.FILES or None, initial={"status": Roadmap.Status.DRAFT}
    )
    return _save_or_show(
        request,
        form,
        save=lambda: services.roadmap_create(
            actor=request.user, iso3=code, source=AuditSource.WEB, **form.values()
        ),
        saved=_("The roadmap is created."),
        then=lambda _saved: _country_url(code, "roadmap"),
        title=_("New roadmap for %(country)s") % {"country": pathfinder.country.name},
        lead=_(
            "A roadmap (national action plan) starts as a draft, seen only by the country's "
            "focal points and the curators until it is adopted."
        ),
        iso3=code,
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def roadmap_edit(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    roadmap = _editable_roadmap(request, roadmap_id)
    code = roadmap.pathfinder.country.iso3
    initial = {
        "title": roadmap.title,
        "period_start": roadmap.period_start,
        "period_end": roadmap.period_end,
        "status": roadmap.status,
        "adopted_on": roadmap.adopted_on.isoformat() if roadmap.adopted_on else "",
        "document_url": roadmap.document_url,
        "consultation": roadmap.consultation,
        "lock_version": roadmap.lock_version,
    }
    form = RoadmapForm(request.POST or None, request.FILES or None, initial=initial)
    return _save_or_show(
        request,
        form,
        save=lambda: services.roadmap_update(
            actor=request.user,
            roadmap_id=roadmap.pk,
            lock_version=form.cleaned_data["lock_version"],
            source=AuditSource.WEB,
            **form.values(),
        ),
        saved=_("The roadmap is saved."),
        then=lambda _saved: _country_url(code, "roadmap"),
        title=_("Edit the roadmap “%(title)s”") % {"title": roadmap.title},
        iso3=code,
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def priority_create(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    roadmap = _editable_roadmap(request, roadmap_id)
    code = roadmap.pathfinder.country.iso3
    form = PriorityForm(request.POST or None)
    return _save_or_show(
        request,
        form,
        save=lambda: services.priority_create(
            actor=request.user,
            roadmap_id=roadmap.pk,
            source=AuditSource.WEB,
            **form.cleaned_data,
        ),
        saved=_("The priority is added."),
        then=lambda priority: _country_url(code, f"priority-{priority.pk}"),
        title=_("Add a priority to “%(title)s”") % {"title": roadmap.title},
        iso3=code,
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def priority_edit(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = selectors.priority_get(actor=request.user, priority_id=priority_id)
    code = priority.roadmap.pathfinder.country.iso3
    require_country(request.user, code)
    initial = {
        "title": priority.title,
        "description": priority.description,
        "themes": [theme.slug for theme in priority.themes.all()],
    }
    form = PriorityForm(request.POST or None, initial=initial)
    return _save_or_show(
        request,
        form,
        save=lambda: services.priority_update(
            actor=request.user,
            priority_id=priority.pk,
            source=AuditSource.WEB,
            **form.cleaned_data,
        ),
        saved=_("The priority is saved."),
        then=lambda _saved: _country_url(code, f"priority-{priority.pk}"),
        title=_("Edit the priority “%(title)s”") % {"title": priority.title},
        iso3=code,
        context={
            "delete_url": reverse("pathfinders:priority_delete", args=[priority.pk]),
            "delete_label": _("Delete this priority"),
        },
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def action_create(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = selectors.priority_get(actor=request.user, priority_id=priority_id)
    code = priority.roadmap.pathfinder.country.iso3
    require_country(request.user, code)
    form = ActionForm(request.POST or None, initial={"currency": "USD"})
    return _save_or_show(
        request,
        form,
        save=lambda: services.action_create(
            actor=request.user, priority_id=priority.pk, source=AuditSource.WEB, **form.values()
        ),
        saved=_("The action is added."),
        then=lambda _saved: _country_url(code, f"priority-{priority.pk}"),
        title=_("Add an action to “%(title)s”") % {"title": priority.title},
        lead=_(
            "Budgets are in the currency chosen; they are converted to US dollars with the "
            "exchange-rate table."
        ),
        iso3=code,
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get(actor=request.user, action_id=action_id)
    code = action.priority.roadmap.pathfinder.country.iso3
    require_country(request.user, code)
    initial = {
        "title": action.title,
        "description": action.description,
        "lead_agency": action.lead_agency,
        "partners": [str(organisation.pk) for organisation in action.partners.all()],
        "start_date": action.start_date.isoformat() if action.start_date else "",
        "end_date": action.end_date.isoformat() if action.end_date else "",
        "status": action.status,
        "currency": action.currency,
        "budget_planned": action.budget_planned,
        "budget_secured": action.budget_secured,
        "budget_spent": action.budget_spent,
        "lock_version": action.lock_version,
    }
    form = ActionForm(request.POST or None, initial=initial)
    return _save_or_show(
        request,
        form,
        save=lambda: services.action_update(
            actor=request.user,
            action_id=action.pk,
            lock_version=form.cleaned_data["lock_version"],
            source=AuditSource.WEB,
            **form.values(),
        ),
        saved=_("The action is saved."),
        then=lambda _saved: _country_url(code, f"priority-{action.priority_id}"),
        title=_("Edit the action “%(title)s”") % {"title": action.title},
        iso3=code,
        context={
            "delete_url": reverse("pathfinders:action_delete", args=[action.pk]),
            "delete_label": _("Delete this action"),
        },
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def indicator_link(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    roadmap = _editable_roadmap(request, roadmap_id)
    code = roadmap.pathfinder.country.iso3
    form = IndicatorLinkForm(request.POST or None, initial=request.GET or None)
    return _save_or_show(
        request,
        form,
        save=lambda: services.roadmap_indicator_set(
            actor=request.user,
            roadmap_id=roadmap.pk,
            source=AuditSource.WEB,
            **form.cleaned_data,
        ),
        saved=_("The indicator is linked to the roadmap."),
        then=lambda _saved: _country_url(code, "indicators"),
        title=_("Link an indicator to “%(title)s”") % {"title": roadmap.title},
        lead=_("Linking an indicator that is already linked changes its baseline and target."),
        iso3=code,
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def milestone_create(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    roadmap = _editable_roadmap(request, roadmap_id)
    code = roadmap.pathfinder.country.iso3
    actions = [
        (action.pk, action.title)
        for priority in roadmap.priorities.all()
        for action in priority.actions.all()
    ]
    form = MilestoneForm(request.POST or None, actions=actions)
    return _save_or_show(
        request,
        form,
        save=lambda: services.milestone_create(
            actor=request.user,
            roadmap_id=roadmap.pk,
            source=AuditSource.WEB,
            **form.cleaned_data,
        ),
        saved=_("The milestone is added."),
        then=lambda _saved: _country_url(code, "milestones"),
        title=_("Add a milestone to “%(title)s”") % {"title": roadmap.title},
        iso3=code,
    )


@domain_errors
def roadmap_document(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    """The roadmap's document file, to whoever may see the roadmap (a draft's only to its
    country's focal points and the curators), always as a download."""
    roadmap = selectors.roadmap_get(actor=request.user, roadmap_id=roadmap_id)
    if not roadmap.document:
        raise Http404("no document file")
    return stored_file_download(roadmap.document.name)


@require_http_methods(["GET", "POST"])
@domain_errors
def priority_delete(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = selectors.priority_get(actor=request.user, priority_id=priority_id)
    code = priority.roadmap.pathfinder.country.iso3
    require_country(request.user, code)
    return _confirm_delete(
        request,
        title=_("Delete the priority “%(title)s”?") % {"title": priority.title},
        consequence=_(
            "The priority leaves the roadmap. A priority that still has actions cannot be "
            "deleted: delete or move its actions first."
        ),
        delete=lambda: services.priority_delete(
            actor=request.user, priority_id=priority.pk, source=AuditSource.WEB
        ),
        deleted=_("The priority is deleted."),
        then=_country_url(code, "roadmap"),
        back=_country_url(code, f"priority-{priority.pk}"),
        iso3=code,
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def action_delete(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get(actor=request.user, action_id=action_id)
    code = action.priority.roadmap.pathfinder.country.iso3
    require_country(request.user, code)
    return _confirm_delete(
        request,
        title=_("Delete the action “%(title)s”?") % {"title": action.title},
        consequence=_(
            "The action, its budget and its milestones' link to it leave the roadmap. An action "
            "that an annual report speaks of cannot be deleted: mark it cancelled instead."
        ),
        delete=lambda: services.action_delete(
            actor=request.user, action_id=action.pk, source=AuditSource.WEB
        ),
        deleted=_("The action is deleted."),
        then=_country_url(code, f"priority-{action.priority_id}"),
        back=_country_url(code, f"priority-{action.priority_id}"),
        iso3=code,
    )


@require_http_methods(["GET", "POST"])
@domain_errors
def milestone_edit(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = selectors.milestone_get(actor=request.user, milestone_id=milestone_id)
    code = milestone.roadmap.pathfinder.country.iso3
    require_country(request.user, code)
    initial = {
        "title": milestone.title,
        "due_on": milestone.due_on.isoformat(),
        "achieved_on": milestone.achieved_on.isoformat() if milestone.achieved_on else "",
    }
    form = MilestoneForm(request.POST or None, initial=initial)
    del form.fields["action_id"]  # the link to an action is set when the milestone is added
    return _save_or_show(
        request,
        form,
        save=lambda: services.milestone_update(
            actor=request.user,
            milestone_id=milestone.pk,
            source=AuditSource.WEB,
            **form.cleaned_data,
        ),
        saved=_("The milestone is saved."),
        then=lambda _saved: _country_url(code, "milestones"),
        title=_("Edit the milestone “%(title)s”") % {"title": milestone.title},
        iso3=code,
    )


@require_POST
@domain_errors
def indicator_unlink(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    """Stop tracking an indicator in the roadmap (it can be linked again at any time)."""
    roadmap = _editable_roadmap(request, roadmap_id)
    code = roadmap.pathfinder.country.iso3
    indicator = request.POST.get("indicator", "")
    try:
        services.roadmap_indicator_remove(
            actor=request.user, roadmap_id=roadmap.pk, indicator=indicator, source=AuditSource.WEB
        )
    except NotFound as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(code)s is no longer tracked by the roadmap.") % {"code": indicator}
        )
    return redirect(_country_url(code, "indicators"))
