"""What every partner page shares: domain errors turned into pages, form errors from
services, pagination."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sdg87.core.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied

PAGE_SIZE = 25


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The plain 403 page."""
    context = {"title": _("Access denied"), "message": message}
    return render(request, "partners/forbidden.html", context, status=403)


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in needed → the sign-in page; not allowed → 403 page; not found → 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotAuthenticated:
            return redirect_to_login(request.get_full_path())
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        except NotFound as exc:
            raise Http404(exc.message) from None

    return wrapper


def add_service_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: on the fields it names, else on top."""
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for field, message in details.items():
        if field in form.fields and isinstance(message, str):
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
