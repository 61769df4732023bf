"""The roles a user can hold (no ORM models here, so permission rules import it freely)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do; the rules live in ``sdg87.accounts.permissions``."""

    ADMIN = "admin", _("Administrator")
    CURATOR = "curator", _("Secretariat curator")
    FOCAL_POINT = "focal_point", _("Country focal point")
    PARTNER_EDITOR = "partner_editor", _("Partner editor")
    VIEWER = "viewer", _("Viewer")
