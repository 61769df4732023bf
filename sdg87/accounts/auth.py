"""Who is calling the API: a personal token (``Authorization: Bearer …``) or the
browser's session cookie.

- ``signed_in``: the ``auth=`` of every endpoint that requires sign-in; the handler
  finds the user in ``request.auth``.
- :func:`request_actor`: for public endpoints that show more to signed-in users.

A token that is malformed, unknown, revoked or expired always answers 401 with the
error shape: a caller who sent credentials is never treated as anonymous.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from sdg87.accounts import permissions, services
from sdg87.accounts.models import User
from sdg87.core.errors import NotAuthenticated, PermissionDenied

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def token_user(authorization: str) -> User:
    """The user of the ``Authorization`` header's bearer token; raises ``NotAuthenticated``."""
    scheme, _space, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise NotAuthenticated(
            "the Authorization header must be 'Bearer <token>'", code="token_invalid"
        )
    return services.token_authenticate(plaintext=credentials).user


def session_user(request: HttpRequest) -> User | None:
    """The session's active user; unsafe methods must also pass the CSRF check."""
    user = getattr(request, "user", None)
    if not permissions.is_signed_in(user):
        return None
    csrf_exempt = getattr(request, "_ninja_csrf_exempt", False)
    if request.method not in SAFE_METHODS and not csrf_exempt and check_csrf(request) is not None:
        raise PermissionDenied(
            "the CSRF check failed: send the X-CSRFToken header, or use an API token",
            code="csrf_failed",
        )
    return user


def request_actor(request: HttpRequest) -> User | AnonymousUser:
    """The signed-in user (token first, then session) or ``AnonymousUser``.

    Raises ``NotAuthenticated`` (401) for a bad token rather than going anonymous.
    """
    authorization = request.headers.get("Authorization")
    if authorization:
        return token_user(authorization)
    return session_user(request) or AnonymousUser()


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer sdg87_…`` — a personal API token."""

    def __call__(self, request: HttpRequest) -> Any:
        authorization = request.headers.get("Authorization")
        if not authorization:
            return None
        return token_user(authorization)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return services.token_authenticate(plaintext=token).user


class SessionCookieAuth(APIKeyCookie):
    """The browser's session cookie (with the CSRF check on unsafe methods)."""

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        return session_user(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return session_user(request)


# Tried in order: a token when one is sent, else the session; none → 401.
signed_in = [BearerTokenAuth(), SessionCookieAuth()]
