"""Users with one role and its scope, and their personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdg87.accounts.roles import Role


class AccountManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who signs in, with one role.

    Scope: a country focal point acts for ``countries`` (one or more); a partner
    editor acts for ``organisation``. Other roles have no scope.
    """

    Role = Role

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    countries = models.ManyToManyField(
        "countries.Country",
        blank=True,
        related_name="focal_points",
        verbose_name=_("countries"),
        help_text=_("The countries a country focal point acts for."),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="editors",
        verbose_name=_("organisation"),
        help_text=_("The organisation a partner editor acts for."),
    )

    objects = AccountManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
        ]


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 hash of the token is stored.

    Tokens look like ``sdg87_<43 random characters>``; ``prefix`` is the first 8
    random characters, kept in clear to find the token and to tell tokens apart.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="api_token_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (sdg87_{self.prefix}…)"

    def is_active_at(self, moment: Any) -> bool:
        """Neither revoked nor expired at ``moment``."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > moment

    @property
    def is_active(self) -> bool:
        return self.is_active_at(timezone.now())
