"""Admin for users (administrators only) and API tokens (hash never shown)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sdg87.accounts import permissions, services
from sdg87.accounts.models import ApiToken, User
from sdg87.core.admin import AuditedModelAdmin
from sdg87.core.models import AuditSource


class UserAccessChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "role" in cleaned:
            countries = cleaned.get("countries") or []
            organisation = cleaned.get("organisation")
            problems = permissions.scope_problems(
                cleaned["role"],
                [country.iso3 for country in countries],
                organisation.pk if organisation else None,
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    form = UserAccessChangeForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "countries", "organisation")}),
    )
    list_display = ("username", "email", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    filter_horizontal = ("groups", "user_permissions", "countries")
    list_select_related = ("organisation",)

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        return services.user_snapshot(obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created on the profile page or through the API (the plaintext is
    shown there once); here an administrator can only see and revoke them."""

    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_tokens",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            services.token_revoke(actor=request.user, token_id=token.pk, source=AuditSource.WEB)
        self.message_user(request, _("The selected tokens are revoked."))
