"""Who may do what: every permission rule of the platform, written once.

Pure functions on a user (a ``User`` or ``AnonymousUser``). Services and selectors
call them; views, API handlers and commands never decide on their own. Inactive
users may do nothing.

- admin: everything, including managing users;
- curator (secretariat): everything on the platform's content, for every country and
  organisation, and reading the audit trail; not user administration;
- focal_point: acts for its countries;
- partner_editor: acts for its organisation;
- viewer: a signed-in reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sdg87.accounts.roles import Role
from sdg87.core.errors import InvalidInput, NotAuthenticated, PermissionDenied

# Apps whose models only administrators manage in the Django admin.
ADMIN_ONLY_APPS = frozenset({"accounts", "admin", "auth", "axes", "contenttypes", "sessions"})
# Model permissions (``<action>_<model>``) a curator holds on every other app.
CURATOR_MODEL_ACTIONS = frozenset({"view", "add", "change"})


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_of(user: Any) -> str | None:
    return getattr(user, "role", None) if is_signed_in(user) else None


def is_admin(user: Any) -> bool:
    return is_signed_in(user) and (user.role == Role.ADMIN or user.is_superuser)


def is_curator(user: Any) -> bool:
    """A secretariat curator; administrators count as curators."""
    return is_admin(user) or role_of(user) == Role.CURATOR


def country_codes(user: Any) -> frozenset[str]:
    """ISO3 codes of the countries in the user's scope (uses prefetched countries)."""
    if role_of(user) != Role.FOCAL_POINT:
        return frozenset()
    # Asked several times per request: read the scope once per user object (a user whose
    # scope changes is a new object on the next request; services that change a scope clear it).
    cached = getattr(user, "_sdg87_country_codes", None)
    if cached is None:
        cached = frozenset(country.iso3 for country in user.countries.all())
        user._sdg87_country_codes = cached
    return cached


def remember_country_codes(user: Any, codes: Iterable[str]) -> None:
    """Give ``country_codes`` the user's scope read with the user (by the auth backend)."""
    user._sdg87_country_codes = frozenset(codes)


def is_focal_point_for(user: Any, iso3: str) -> bool:
    """The user is a focal point whose scope includes ``iso3`` (curators excluded)."""
    return (iso3 or "").upper() in country_codes(user)


def is_editor_for(user: Any, organisation_id: int | None) -> bool:
    """The user is a partner editor of that organisation (curators excluded)."""
    return (
        role_of(user) == Role.PARTNER_EDITOR
        and organisation_id is not None
        and user.organisation_id == organisation_id
    )


def can_act_for_country(user: Any, iso3: str) -> bool:
    """Curators for every country; focal points for the countries in their scope."""
    return is_curator(user) or is_focal_point_for(user, iso3)


def can_act_for_organisation(user: Any, organisation_id: int | None) -> bool:
    """Curators for every organisation; partner editors for their own."""
    return is_curator(user) or is_editor_for(user, organisation_id)


def can_manage_users(user: Any) -> bool:
    return is_admin(user)


def can_read_audit(user: Any) -> bool:
    return is_curator(user)


def can_use_admin_site(user: Any) -> bool:
    return is_curator(user)


def can_manage_token(user: Any, token_owner_id: int) -> bool:
    """Users manage their own API tokens; administrators everyone's."""
    return is_signed_in(user) and (user.pk == token_owner_id or is_admin(user))


def has_model_permission(user: Any, perm: str) -> bool:
    """Django model permission ``"<app_label>.<action>_<model>"`` granted by the role."""
    if is_admin(user):
        return True
    if not is_curator(user):
        return False
    app_label, _dot, codename = perm.partition(".")
    action = codename.split("_", 1)[0]
    return app_label not in ADMIN_ONLY_APPS and action in CURATOR_MODEL_ACTIONS


def has_app_permission(user: Any, app_label: str) -> bool:
    """Whether the role holds any model permission in ``app_label``."""
    return is_admin(user) or (is_curator(user) and app_label not in ADMIN_ONLY_APPS)


def scope_problems(
    role: str, country_codes_in_scope: Iterable[str], organisation_id: int | None
) -> dict[str, str]:
    """What is wrong with a role and its scope, by field name (empty when consistent)."""
    problems: dict[str, str] = {}
    if role not in Role.values:
        problems["role"] = f"unknown role {role!r}"
        return problems
    has_countries = any(True for _code in country_codes_in_scope)
    if role == Role.FOCAL_POINT and not has_countries:
        problems["countries"] = "a country focal point needs at least one country"
    if role != Role.FOCAL_POINT and has_countries:
        problems["countries"] = "only a country focal point has countries"
    if role == Role.PARTNER_EDITOR and organisation_id is None:
        problems["organisation"] = "a partner editor needs an organisation"
    if role != Role.PARTNER_EDITOR and organisation_id is not None:
        problems["organisation"] = "only a partner editor has an organisation"
    return problems


# --- require_… variants: raise instead of answering False ---------------------


def require_signed_in(user: Any) -> None:
    if not is_signed_in(user):
        raise NotAuthenticated("sign in or send a valid API token")


def require_admin(user: Any) -> None:
    _require(is_admin(user), user, "only an administrator may do this")


def require_curator(user: Any) -> None:
    _require(is_curator(user), user, "only a curator or an administrator may do this")


def require_country(user: Any, iso3: str) -> None:
    _require(
        can_act_for_country(user, iso3), user, f"you may not act for the country {iso3.upper()}"
    )


def require_organisation(user: Any, organisation_id: int | None) -> None:
    _require(
        can_act_for_organisation(user, organisation_id),
        user,
        "you may not act for this organisation",
    )


def require_scope_consistent(
    role: str, country_codes_in_scope: Iterable[str], organisation_id: int | None
) -> None:
    problems = scope_problems(role, list(country_codes_in_scope), organisation_id)
    if problems:
        raise InvalidInput("the role and its scope do not match", details=problems)


def _require(allowed: bool, user: Any, message: str) -> None:
    if allowed:
        return
    require_signed_in(user)
    raise PermissionDenied(message)
