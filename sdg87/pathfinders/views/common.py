"""What every pathfinder page shares: domain errors turned into pages, edit conflicts shown
as a clear message, the forbidden page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sdg87.core.errors import Conflict, DomainError, NotAuthenticated, NotFound, PermissionDenied
from sdg87.partners.downloads import evidence_download
from sdg87.pathfinders.forms import add_service_error

EDIT_CONFLICT = "edit_conflict"


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    context = {"title": _("Access denied"), "message": message}
    return render(request, "pathfinders/forbidden.html", context, status=403)


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


def conflict_message() -> str:
    return _(
        "Someone else changed this since you opened it, so your change was not saved. "
        "Reload the page to see their version, then make your change again."
    )


def show_refusal(form: forms.Form, exc: DomainError, *, prefix: str = "") -> int:
    """Put a service's refusal on the form; returns the HTTP status of the page to render."""
    if isinstance(exc, Conflict) and exc.code == EDIT_CONFLICT:
        form.add_error(None, conflict_message())
        return 409
    add_service_error(form, exc, prefix=prefix)
    return 409 if isinstance(exc, Conflict) else 400


def stored_file_download(name: str) -> FileResponse:
    """A stored upload (report evidence, a roadmap document) as a download; 404 when it is
    missing or of a kind that is not accepted."""
    response = evidence_download(name)
    if response is None:
        raise Http404("no such file")
    return response
