"""``/api/v1/accounts`` (who am I, personal tokens) and ``/api/v1/audit``."""

# No ``from __future__ import annotations``: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from sdg87.accounts import selectors, services
from sdg87.accounts.auth import signed_in
from sdg87.core.models import AuditSource
from sdg87.core.pagination import PagePagination

router = Router(auth=signed_in)
audit_router = Router(auth=signed_in)


class OrganisationRefOut(Schema):
    id: int
    name: str
    acronym: str


class MeOut(Schema):
    username: str
    role: str
    countries: list[str] = Field(description="ISO3 codes a country focal point acts for")
    organisation: OrganisationRefOut | None = Field(
        description="the organisation a partner editor acts for"
    )

    @staticmethod
    def resolve_countries(user: Any) -> list[str]:
        return sorted(country.iso3 for country in user.countries.all())


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="first characters after 'sdg87_', to recognise the token")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    active: bool

    @staticmethod
    def resolve_active(token: Any) -> bool:
        return token.is_active


class TokenCreatedOut(TokenOut):
    token: str = Field(description="the token itself: shown this once, never stored")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime.datetime | None = Field(
        None, description="ISO 8601 with a UTC offset; no expiry when omitted"
    )


@router.get("/me", response=MeOut, summary="The signed-in user, role and scope")
def me(request: HttpRequest) -> Any:
    return selectors.user_profile(user=request.auth)


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
@paginate(PagePagination)
def token_list(request: HttpRequest) -> Any:
    return selectors.tokens_of(user=request.auth)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create an API token")
def token_create(request: HttpRequest, payload: TokenIn) -> Any:
    token, plaintext = services.token_create(
        user=request.auth,
        name=payload.name,
        expires_at=payload.expires_at,
        source=AuditSource.API,
    )
    token.token = plaintext
    return Status(201, token)


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke an API token")
def token_revoke(request: HttpRequest, token_id: int) -> Any:
    return services.token_revoke(actor=request.auth, token_id=token_id, source=AuditSource.API)


class AuditFilters(Schema):
    object_type: str | None = Field(
        None, description='"app_label.model", e.g. "partners.organisation"'
    )
    object_id: str | None = None
    actor: str | None = Field(None, description="username (current, or as recorded)")
    action: str | None = None
    since: datetime.datetime | None = Field(
        None, description="entries at or after this moment (UTC when no offset is given)"
    )


class AuditEntryOut(Schema):
    id: int
    occurred_at: datetime.datetime
    actor: str | None = Field(description="the actor's current username; null once deleted")
    actor_label: str = Field(description="the actor's username when the entry was written")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    source: str
    comment: str

    @staticmethod
    def resolve_actor(entry: Any) -> str | None:
        return entry.actor.get_username() if entry.actor is not None else None


@audit_router.get("", response=list[AuditEntryOut], summary="The audit trail (curators)")
@paginate(PagePagination)
def audit_list(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    return selectors.audit_entries(
        actor=request.auth,
        object_type=filters.object_type,
        object_id=filters.object_id,
        actor_name=filters.actor,
        action=filters.action,
        since=filters.since,
    )
