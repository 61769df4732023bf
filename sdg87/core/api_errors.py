"""Turn every error raised under /api/v1/ into ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sdg87.core.errors import DomainError

logger = logging.getLogger(__name__)


def error_payload(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_response(status: int, code: str, message: str, details: Any = None) -> JsonResponse:
    return JsonResponse(error_payload(code, message, details), status=status)


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    details = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        details.append(
            {
                "field": ".".join(location[1:]) or ".".join(location),
                "in": location[0] if location else "",
                "message": str(error.get("msg", "invalid value")),
            }
        )
    return details


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(exc.status_code, exc.code, exc.message, exc.details)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(
            422, "validation_error", "the request is not valid", _validation_details(exc.errors)
        )

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(401, "not_authenticated", "valid credentials are required")

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(exc.status_code, "http_error", str(exc))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, "not_found", str(exc) or "not found")

    @api.exception_handler(MultiPartParserError)
    def on_malformed_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return error_response(
            400,
            "malformed_body",
            f"the request body cannot be read: {exc}",
            {"content_type": request.headers.get("Content-Type", "")[:200]},
        )

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unexpected error on %s", request.path)
        return error_response(500, "server_error", "an unexpected error occurred")
