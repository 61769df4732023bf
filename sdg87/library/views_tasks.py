"""Curators' background-task pages: the list of tasks, one task's progress (``queue again``
when it failed) and the form that starts a harvest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.core.errors import DomainError, InvalidInput, PermissionDenied
from sdg87.core.models import BackgroundTaskStatus
from sdg87.core.tasks import WORKER_STOPPED
from sdg87.library import tasks
from sdg87.library.forms import HarvestForm
from sdg87.library.views import domain_errors

TASKS_PAGE_SIZE = 50
ACTIVE = (BackgroundTaskStatus.QUEUED, BackgroundTaskStatus.RUNNING)


def _curators_only(request: HttpRequest) -> HttpResponse:
    context = {
        "title": _("Access denied"),
        "message": _("Background tasks are shown to curators and administrators."),
    }
    return render(request, "accounts/forbidden.html", context, status=403)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in BackgroundTaskStatus.values:
        status = None
    try:
        background_tasks = tasks.background_task_list(actor=request.user, status=status)
    except PermissionDenied:
        return _curators_only(request)
    page = Paginator(background_tasks, TASKS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": BackgroundTaskStatus.choices,
        "active": any(task.status in ACTIVE for task in page.object_list),
    }
    return _no_store(render(request, "library/tasks.html", context))


@login_required
@domain_errors
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    try:
        task = tasks.background_task_get(actor=request.user, task_id=task_id)
    except PermissionDenied:
        return _curators_only(request)
    context = {
        "task": task,
        "active": task.status in ACTIVE,
        "worker_stopped": task.error == WORKER_STOPPED,
    }
    return _no_store(render(request, "library/task_detail.html", context))


@require_POST
@login_required
@domain_errors
def task_retry(request: HttpRequest, task_id: int) -> HttpResponse:
    try:
        again = tasks.background_task_retry(actor=request.user, task_id=task_id)
    except PermissionDenied:
        return _curators_only(request)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("library:task", args=[task_id]))
    messages.success(request, _("The task is queued again."))
    return HttpResponseRedirect(reverse("library:task", args=[again.pk]))


@login_required
def harvest_start(request: HttpRequest) -> HttpResponse:
    if not tasks.may_queue_tasks(request.user):
        return _curators_only(request)
    form = HarvestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            queued = tasks.harvest_enqueue(
                url=form.cleaned_data["url"],
                protocol=form.cleaned_data["protocol"],
                actor=request.user,
            )
        except PermissionDenied:
            return _curators_only(request)
        except InvalidInput as exc:
            details = exc.details if isinstance(exc.details, dict) else {}
            field = details.get("field")
            form.add_error(field if field in form.fields else "url", exc.message)
        else:
            messages.success(request, _("The harvest is queued."))
            return HttpResponseRedirect(reverse("library:task", args=[queued.pk]))
    status = 400 if form.errors else 200
    return render(request, "library/harvest.html", {"form": form}, status=status)
