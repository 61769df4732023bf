"""Model permissions that come with a role (see ``permissions.has_model_permission``).

Listed in ``AUTHENTICATION_BACKENDS`` after Django's ``ModelBackend``; it never
authenticates anyone, it only answers ``user.has_perm(...)``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from sdg87.accounts import permissions


class RolePermissionBackend(BaseBackend):
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return permissions.has_model_permission(user_obj, perm)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return permissions.has_app_permission(user_obj, app_label)
