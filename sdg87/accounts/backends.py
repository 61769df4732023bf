"""Authentication backends.

``ScopedModelBackend`` is Django's ``ModelBackend`` whose ``get_user`` (run on every signed-in
request) also reads a focal point's country scope in the same query, so the permission checks
of the request need no query of their own for it.

``RolePermissionBackend``: model permissions that come with a role (see
``permissions.has_model_permission``). Listed after the model backend; it never authenticates
anyone, it only answers ``user.has_perm(...)``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.db.models import OuterRef, Subquery

from sdg87.accounts import permissions
from sdg87.core.aggregates import CommaSeparated


class ScopedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        links = model.countries.through.objects.filter(user_id=OuterRef("pk"))
        scope = (
            links.order_by()
            .values("user_id")
            .annotate(codes=CommaSeparated("country__iso3"))
            .values("codes")
        )
        user = model._default_manager.filter(pk=user_id).annotate(scope_codes=Subquery(scope))
        found = user.first()
        if found is None or not self.user_can_authenticate(found):
            return None
        permissions.remember_country_codes(
            found, [code for code in (found.scope_codes or "").split(",") if code]
        )
        return found


class RolePermissionBackend(BaseBackend):
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return permissions.has_model_permission(user_obj, perm)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return permissions.has_app_permission(user_obj, app_label)
