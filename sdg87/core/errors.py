"""Domain error types shared by every app.

Services raise these; the API turns them into the one JSON error shape
``{"error": {"code", "message", "details"}}`` and the CLI into an exit code.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: a rule of the domain refused the request."""

    status_code = 400
    code = "bad_request"
    exit_code = 1

    def __init__(self, message: str, *, details: Any = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details if details is not None else {}
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    """The input is malformed; ``details`` names file, row/line and field where known."""

    status_code = 400
    code = "invalid_input"
    exit_code = 2


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    exit_code = 2


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
