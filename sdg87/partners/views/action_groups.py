"""Action-group pages: the list, one page per group with its members, work plan and
meetings, and the forms members use on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.accounts import permissions
from sdg87.core.errors import Conflict, InvalidInput
from sdg87.core.models import AuditSource
from sdg87.partners import access, library_links, selectors, services
from sdg87.partners.forms import (
    MeetingForm,
    MemberAddForm,
    WorkPlanItemForm,
    WorkPlanProgressForm,
)
from sdg87.partners.models import ActionGroup
from sdg87.partners.views.common import domain_errors


def action_group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.action_group_list()
    return render(request, "partners/action_group_list.html", {"groups": groups})


def _member_choices(group: ActionGroup) -> list[tuple[int, str]]:
    return [(m.organisation_id, m.organisation.name) for m in group.memberships.all()]


def _render_detail(
    request: HttpRequest,
    group: ActionGroup,
    *,
    item_form: WorkPlanItemForm | None = None,
    meeting_form: MeetingForm | None = None,
    member_form: MemberAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    memberships = list(group.memberships.all())
    own = access.own_organisation_id(request.user)
    member_ids = {m.organisation_id for m in memberships}
    own_organisation = None
    if own is not None:
        own_organisation = selectors.organisation_get_by_id(actor=request.user, organisation_id=own)
    context = {
        "group": group,
        "chairs": [m for m in memberships if m.role == "chair"],
        "members": [m for m in memberships if m.role == "member"],
        "work_plan": list(group.work_plan.all()),
        "meetings": list(group.meetings.all()),
        "documents": library_links.action_group_documents(group_id=group.pk),
        "library_available": library_links.LIBRARY_AVAILABLE,
        "can_contribute": access.can_contribute_to_group(request.user, memberships),
        "can_record_meeting": access.can_record_meeting(request.user, memberships),
        "is_curator": permissions.is_curator(request.user),
        "own_organisation": own_organisation,
        "can_join": own_organisation is not None
        and own_organisation.is_approved
        and own not in member_ids,
        "can_leave": own is not None and own in member_ids,
        "item_form": item_form or WorkPlanItemForm(members=_member_choices(group)),
        "progress_form": WorkPlanProgressForm(),
        "meeting_form": meeting_form or MeetingForm(),
        "member_form": member_form
        or MemberAddForm(organisations=[(o.pk, o.name) for o in selectors.organisation_choices()]),
    }
    return render(request, "partners/action_group_detail.html", context, status=status)


@domain_errors
def action_group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_detail(request, selectors.action_group_get(slug))


@login_required
@require_POST
@domain_errors
def action_group_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    try:
        services.action_group_member_add(
            actor=request.user,
            group_id=group.pk,
            organisation_id=access.own_organisation_id(request.user) or 0,
            source=AuditSource.WEB,
        )
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your organisation joined %(group)s.") % {"group": group.name})
    return redirect("partners:action_group_detail", group.slug)


@login_required
@require_POST
@domain_errors
def action_group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    services.action_group_member_remove(
        actor=request.user,
        group_id=group.pk,
        organisation_id=access.own_organisation_id(request.user) or 0,
        source=AuditSource.WEB,
    )
    messages.success(request, _("Your organisation left %(group)s.") % {"group": group.name})
    return redirect("partners:action_group_detail", group.slug)


@login_required
@require_POST
@domain_errors
def action_group_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    form = MemberAddForm(
        request.POST, organisations=[(o.pk, o.name) for o in selectors.organisation_choices()]
    )
    if form.is_valid():
        try:
            services.action_group_member_add(
                actor=request.user,
                group_id=group.pk,
                organisation_id=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                source=AuditSource.WEB,
            )
        except (InvalidInput, Conflict) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The member is added."))
            return redirect("partners:action_group_detail", group.slug)
    return _render_detail(request, group, member_form=form, status=400)


@login_required
@require_POST
@domain_errors
def work_plan_item_add(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    form = WorkPlanItemForm(request.POST, members=_member_choices(group))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.work_plan_item_create(
                actor=request.user,
                group_id=group.pk,
                title=data["title"],
                description=data["description"],
                status=data["status"],
                due_date=data["due_date"],
                responsible_id=data["responsible"],
                source=AuditSource.WEB,
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The work-plan item is added."))
            return redirect("partners:action_group_detail", group.slug)
    return _render_detail(request, group, item_form=form, status=400)


@login_required
@require_POST
@domain_errors
def work_plan_item_progress(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    group = selectors.action_group_get(slug)
    item = selectors.work_plan_item_get(item_id)
    form = WorkPlanProgressForm(request.POST)
    if item.group_id != group.pk or not form.is_valid():
        messages.error(request, _("The update was not saved: choose a status."))
    else:
        services.work_plan_item_update(
            actor=request.user,
            item_id=item.pk,
            status=form.cleaned_data["status"],
            progress_note=form.cleaned_data["progress_note"],
            source=AuditSource.WEB,
        )
        messages.success(request, _("The work-plan item is updated."))
    return redirect("partners:action_group_detail", group.slug)


@login_required
@require_POST
@domain_errors
def meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.action_group_get(slug)
    form = MeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.meeting_record(
            actor=request.user,
            group_id=group.pk,
            held_on=data["held_on"],
            place=data["place"],
            online=data["online"],
            summary=data["summary"],
            source=AuditSource.WEB,
        )
        messages.success(request, _("The meeting is recorded."))
        return redirect("partners:action_group_detail", group.slug)
    return _render_detail(request, group, meeting_form=form, status=400)
