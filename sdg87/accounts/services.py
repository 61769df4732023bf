"""Writes on accounts: users, their role and scope, API tokens, the first administrator.

Every service checks permissions through ``sdg87.accounts.permissions`` and writes
an audit row in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils import timezone

from sdg87.accounts import permissions
from sdg87.accounts.models import ApiToken, Role, User
from sdg87.core.audit import audit_record, snapshot
from sdg87.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from sdg87.core.models import AuditSource
from sdg87.countries.models import Country
from sdg87.partners.models import Organisation, OrganisationStatus

TOKEN_MARKER = "sdg87_"  # noqa: S105 (a public marker, not a secret)
TOKEN_PREFIX_LENGTH = 8
# ``last_used_at`` is refreshed at most this often, not on every request.
TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)
INITIAL_ADMIN_USERNAME = "admin"
ACCOUNT_EVENTS = ("login", "logout", "password_reset")

USER_AUDIT_FIELDS = ("username", "email", "role", "is_active", "is_staff", "is_superuser")
TOKEN_AUDIT_FIELDS = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at")


def user_snapshot(user: User) -> dict[str, Any]:
    """The audited view of a user: identity, role and scope (countries as ISO3)."""
    values = snapshot(user, USER_AUDIT_FIELDS)
    values["countries"] = sorted(country.iso3 for country in user.countries.all())
    values["organisation"] = user.organisation_id
    return values


def _countries_by_code(country_codes: Iterable[str]) -> list[Country]:
    codes = sorted({code.strip().upper() for code in country_codes if code.strip()})
    countries = list(Country.objects.filter(iso3__in=codes))
    unknown = sorted(set(codes) - {country.iso3 for country in countries})
    if unknown:
        raise InvalidInput(
            "unknown country code", details={"countries": f"unknown ISO3 code(s): {unknown}"}
        )
    return countries


def _organisation(organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise InvalidInput(
            "unknown organisation", details={"organisation": f"no organisation {organisation_id}"}
        )
    return organisation


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    email: str = "",
    password: str | None = None,
    role: str = Role.VIEWER,
    country_codes: Iterable[str] = (),
    organisation_id: int | None = None,
    source: str = AuditSource.SYSTEM,
) -> User:
    """Create a user (administrators only). Without ``password`` the user sets one
    through the password-reset page."""
    permissions.require_admin(actor)
    countries = _countries_by_code(country_codes)
    organisation = _organisation(organisation_id)
    permissions.require_scope_consistent(
        role, [country.iso3 for country in countries], organisation_id
    )
    username = username.strip()
    if not username:
        raise InvalidInput("a username is required", details={"username": "required"})
    if User.objects.filter(username=username).exists():
        raise InvalidInput(
            "this username is taken", details={"username": f"{username!r} already exists"}
        )
    user = User(username=username, email=email.strip(), role=role, organisation=organisation)
    user.set_password(password)  # None gives an unusable password
    user.save()
    user.countries.set(countries)
    user.__dict__.pop("_sdg87_country_codes", None)
    audit_record(
        actor=actor, action="create", instance=user, after=user_snapshot(user), source=source
    )
    return user


@transaction.atomic
def user_update_access(
    *,
    actor: Any,
    user_id: int,
    role: str,
    country_codes: Iterable[str] = (),
    organisation_id: int | None = None,
    source: str = AuditSource.SYSTEM,
) -> User:
    """Set a user's role and scope together (administrators only)."""
    permissions.require_admin(actor)
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound(f"no user {user_id}")
    countries = _countries_by_code(country_codes)
    organisation = _organisation(organisation_id)
    permissions.require_scope_consistent(
        role, [country.iso3 for country in countries], organisation_id
    )
    before = user_snapshot(user)
    user.role = role
    user.organisation = organisation
    user.save(update_fields=["role", "organisation"])
    user.countries.set(countries)
    user.__dict__.pop("_sdg87_country_codes", None)
    after = user_snapshot(user)
    if after != before:
        audit_record(
            actor=actor, action="update", instance=user, before=before, after=after, source=source
        )
    return user


@transaction.atomic
def user_grant_partner_editor(
    *, actor: Any, user: User, organisation: Organisation, source: str = AuditSource.SYSTEM
) -> User:
    """Make a viewer the partner editor of an approved organisation (curators and
    administrators): the one role change a curator may make, used when an application to
    join is approved. Already that organisation's partner editor: nothing changes."""
    permissions.require_curator(actor)
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None:
        raise NotFound(f"no user {user.pk}")
    if locked.role == Role.PARTNER_EDITOR and locked.organisation_id == organisation.pk:
        return locked
    if locked.role != Role.VIEWER:
        raise PermissionDenied(
            "only a viewer can be made a partner editor this way",
            details={"role": f"the user is a {locked.role}"},
        )
    if not locked.is_active:
        raise InvalidInput("the account is disabled", details={"user": "inactive"})
    if not Organisation.objects.filter(
        pk=organisation.pk, status=OrganisationStatus.APPROVED
    ).exists():
        raise InvalidInput(
            "the organisation is not approved", details={"organisation": "not approved"}
        )
    before = user_snapshot(locked)
    locked.role = Role.PARTNER_EDITOR
    locked.organisation = organisation
    locked.countries.clear()
    locked.__dict__.pop("_sdg87_country_codes", None)
    locked.save(update_fields=["role", "organisation"])
    audit_record(
        actor=actor,
        action="update",
        instance=locked,
        before=before,
        after=user_snapshot(locked),
        source=source,
    )
    return locked


@transaction.atomic
def admin_create_initial() -> tuple[str, str] | None:
    """Create the first administrator with a random password, once.

    Returns ``(username, password)`` (the only time the password is shown), or
    ``None`` when an active administrator already exists.
    """
    has_admin = (
        User.objects.filter(is_active=True, role=Role.ADMIN).exists()
        or User.objects.filter(is_active=True, is_superuser=True).exists()
    )
    if has_admin:
        return None
    username = INITIAL_ADMIN_USERNAME
    suffix = 1
    while User.objects.filter(username=username).exists():
        suffix += 1
        username = f"{INITIAL_ADMIN_USERNAME}{suffix}"
    password = secrets.token_urlsafe(18)
    user = User(username=username, role=Role.ADMIN, is_staff=True, is_superuser=True)
    user.set_password(password)
    user.save()
    audit_record(
        actor=None,
        action="create",
        instance=user,
        after=user_snapshot(user),
        source=AuditSource.SYSTEM,
        comment="initial administrator created by setup",
    )
    return username, password


@transaction.atomic
def account_event_record(*, user: User, action: str, source: str = AuditSource.WEB) -> None:
    """Audit a sign-in, sign-out or password reset (``login``, ``logout``,
    ``password_reset``). A password reset also lifts a sign-in lockout on the account."""
    if action not in ACCOUNT_EVENTS:
        raise ValueError(f"unknown account event {action!r}")
    audit_record(actor=user, action=action, instance=user, source=source)
    if action == "password_reset":
        axes_reset(username=user.get_username())


# --- API tokens -------------------------------------------------------------


def token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    expires_at: datetime.datetime | None = None,
    source: str = AuditSource.SYSTEM,
) -> tuple[ApiToken, str]:
    """Create a personal API token for ``user``.

    Returns the token and its plaintext; the plaintext is not stored and cannot be
    shown again.
    """
    permissions.require_signed_in(user)
    name = name.strip()
    if not name:
        raise InvalidInput("a token needs a name", details={"name": "required"})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise InvalidInput("the token name is too long", details={"name": "100 characters at most"})
    now = timezone.now()
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            raise InvalidInput(
                "the expiry needs a time zone", details={"expires_at": "give a UTC offset"}
            )
        if expires_at <= now:
            raise InvalidInput(
                "the expiry is in the past", details={"expires_at": "must be in the future"}
            )
    plaintext = TOKEN_MARKER + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plaintext[len(TOKEN_MARKER) : len(TOKEN_MARKER) + TOKEN_PREFIX_LENGTH],
        token_hash=token_hash(plaintext),
        created_at=now,
        expires_at=expires_at,
    )
    audit_record(
        actor=user,
        action="create",
        instance=token,
        after=snapshot(token, TOKEN_AUDIT_FIELDS),
        source=source,
    )
    return token, plaintext


@transaction.atomic
def token_revoke(*, actor: Any, token_id: int, source: str = AuditSource.SYSTEM) -> ApiToken:
    """Revoke a token: one's own, or anyone's for an administrator. Revoking twice is
    harmless."""
    permissions.require_signed_in(actor)
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or not permissions.can_manage_token(actor, token.user_id):
        # Other users' tokens are not even confirmed to exist.
        raise NotFound(f"no API token {token_id}")
    if token.revoked_at is not None:
        return token
    before = snapshot(token, TOKEN_AUDIT_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="revoke",
        instance=token,
        before=before,
        after=snapshot(token, TOKEN_AUDIT_FIELDS),
        source=source,
    )
    return token


def token_authenticate(*, plaintext: str) -> ApiToken:
    """The active token matching ``plaintext``, with its user; raises ``NotAuthenticated``.

    Records when the token was last used (to the minute).
    """
    plaintext = plaintext.strip()
    prefix = plaintext[len(TOKEN_MARKER) : len(TOKEN_MARKER) + TOKEN_PREFIX_LENGTH]
    if not plaintext.startswith(TOKEN_MARKER) or len(prefix) < TOKEN_PREFIX_LENGTH:
        raise NotAuthenticated("the API token is not valid", code="token_invalid")
    digest = token_hash(plaintext)
    candidates = (
        ApiToken.objects.filter(prefix=prefix)
        .select_related("user", "user__organisation")
        .prefetch_related("user__countries")
    )
    token = next((c for c in candidates if hmac.compare_digest(c.token_hash, digest)), None)
    if token is None:
        raise NotAuthenticated("the API token is not valid", code="token_invalid")
    now = timezone.now()
    if token.revoked_at is not None:
        raise NotAuthenticated("the API token has been revoked", code="token_revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise NotAuthenticated("the API token has expired", code="token_expired")
    if not token.user.is_active:
        raise NotAuthenticated("the account of this API token is disabled", code="token_invalid")
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
