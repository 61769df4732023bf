"""Forms parse shape only; the rules are in services and permissions."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdg87.accounts.models import ApiToken

TOKEN_LIFETIMES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("1 year")),
    ("never", _("Never")),
]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, e.g. “data team import script”."),
    )
    lifetime = forms.ChoiceField(label=_("Expires after"), choices=TOKEN_LIFETIMES, initial="90")

    def expires_at(self) -> datetime.datetime | None:
        lifetime = self.cleaned_data["lifetime"]
        if lifetime == "never":
            return None
        return timezone.now() + datetime.timedelta(days=int(lifetime))


class AuditFilterForm(forms.Form):
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        help_text=_("app_label.model, e.g. partners.organisation"),
    )
    object_id = forms.CharField(label=_("Object id"), required=False)
    actor = forms.CharField(label=_("User"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("Since (UTC)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
