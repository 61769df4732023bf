"""Sign-in and out, password reset, the profile with API tokens, the audit page."""

from __future__ import annotations

import datetime
import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdg87.accounts import permissions, selectors, services
from sdg87.accounts.forms import AuditFilterForm, TokenCreateForm
from sdg87.core.errors import InvalidInput, NotFound, PermissionDenied
from sdg87.core.models import AuditSource

AUDIT_PAGE_SIZE = 50


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.account_event_record(user=form.get_user(), action="login")
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            services.account_event_record(user=request.user, action="logout")
        return super().post(request, *args, **kwargs)


class PasswordResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.account_event_record(user=form.user, action="password_reset")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout page (``AXES_LOCKOUT_CALLABLE``): ``AXES_LOCKOUT_TEMPLATE`` with
    the time to retry, status 429 and Retry-After."""
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    retry_at = timezone.now() + cool_off
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": math.ceil(cool_off.total_seconds() / 60),
        "retry_at": retry_at if cool_off else None,
    }
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    context = {"title": _("Access denied"), "message": message}
    return render(request, "accounts/forbidden.html", context, status=403)


def _render_profile(
    request: HttpRequest, *, form: TokenCreateForm, created: tuple[Any, str] | None = None
) -> HttpResponse:
    profile = selectors.user_profile(user=request.user)
    context = {
        "profile": profile,
        "countries": list(profile.countries.all()),
        "tokens": selectors.tokens_of(user=request.user),
        "form": form,
        "created_token": created[0] if created else None,
        "created_plaintext": created[1] if created else None,
        "can_read_audit": permissions.can_read_audit(request.user),
        "can_use_admin_site": permissions.can_use_admin_site(request.user),
    }
    response = render(request, "accounts/profile.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _render_profile(request, form=TokenCreateForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    created = None
    if form.is_valid():
        try:
            created = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
                source=AuditSource.WEB,
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenCreateForm()
    return _render_profile(request, form=form, created=created)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.token_revoke(actor=request.user, token_id=token_id, source=AuditSource.WEB)
    except NotFound as exc:
        raise Http404(exc.message) from None
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        entries = selectors.audit_entries(
            actor=request.user,
            object_type=filters.get("object_type"),
            object_id=filters.get("object_id"),
            actor_name=filters.get("actor"),
            action=filters.get("action"),
            since=filters.get("since"),
        )
    except PermissionDenied:
        return _forbidden(request, _("The audit trail is open to curators and administrators."))
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})
