"""The Django admin for curators and administrators.

``PlatformAdminConfig`` replaces ``django.contrib.admin`` in ``INSTALLED_APPS`` so
that the default site lets in active curators and administrators (``is_staff`` is
not used). Signing in happens on the platform's own sign-in page, which is
throttled by django-axes.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sdg87.accounts import permissions


class PlatformAdminSite(admin.AdminSite):
    site_header = _("sdg87 administration")
    site_title = _("sdg87 administration")
    index_title = _("Curation and administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.can_use_admin_site(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(index)
            return TemplateResponse(
                request,
                "accounts/forbidden.html",
                {
                    "title": _("The administration is for curators"),
                    "message": _(
                        "Your account may not use the administration site: it is open to "
                        "secretariat curators and administrators only."
                    ),
                },
                status=403,
            )
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        login_url = reverse("accounts:login")
        return HttpResponseRedirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


class PlatformAdminConfig(AdminConfig):
    default_site = "sdg87.accounts.admin_site.PlatformAdminSite"
