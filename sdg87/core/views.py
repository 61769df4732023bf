"""Site-wide pages: the language redirect, health and error pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation

from sdg87.core.api_errors import error_payload


def root_redirect(request: HttpRequest) -> HttpResponse:
    """``/`` → ``/<lang>/`` chosen from the browser's Accept-Language header."""
    language = translation.get_language_from_request(request, check_path=False)
    supported = {code for code, _name in settings.LANGUAGES}
    if language not in supported:
        language = settings.LANGUAGE_CODE
    response = HttpResponseRedirect(f"/{language}/")
    response["Vary"] = "Accept-Language, Cookie"
    return response


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_payload("not_found", f"no API endpoint at {request.path}"), status=404
        )
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_payload("server_error", "an unexpected error occurred"), status=500
        )
    return render(request, "500.html", status=500)
