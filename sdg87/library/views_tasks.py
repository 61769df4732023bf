"""``/<lang>/library/tasks/``: the background tasks and their progress, for curators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sdg87.core.errors import PermissionDenied
from sdg87.core.models import BackgroundTaskStatus
from sdg87.library import tasks

TASKS_PAGE_SIZE = 50
ACTIVE = (BackgroundTaskStatus.QUEUED, BackgroundTaskStatus.RUNNING)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in BackgroundTaskStatus.values:
        status = None
    try:
        background_tasks = tasks.background_task_list(actor=request.user, status=status)
    except PermissionDenied:
        context = {
            "title": _("Access denied"),
            "message": _("Background tasks are shown to curators and administrators."),
        }
        return render(request, "accounts/forbidden.html", context, status=403)
    page = Paginator(background_tasks, TASKS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": BackgroundTaskStatus.choices,
        "active": any(task.status in ACTIVE for task in page.object_list),
    }
    response = render(request, "library/tasks.html", context)
    response["Cache-Control"] = "no-store"
    return response
