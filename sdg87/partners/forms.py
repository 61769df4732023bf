"""Forms of the partner pages. They parse shape only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.countries import selectors as country_selectors
from sdg87.framework import selectors as framework_selectors
from sdg87.partners.models import (
    MembershipRole,
    OrganisationKind,
    PledgeStatus,
    ResearchStatus,
    WorkPlanStatus,
)
from sdg87.partners.uploads import MAX_EVIDENCE_BYTES, MAX_LOGO_BYTES

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def country_choices() -> list[tuple[str, str]]:
    countries = country_selectors.sorted_by_name(country_selectors.country_list())
    return [(country.iso3, f"{country.name} ({country.iso3})") for country in countries]


def theme_choices() -> list[tuple[str, str]]:
    return [(theme.slug, theme.name) for theme in framework_selectors.theme_list()]


def codes(value: str) -> list[str]:
    """ "8.7.1, 8.7.2" → ["8.7.1", "8.7.2"]."""
    return [code.strip() for code in value.replace(";", ",").split(",") if code.strip()]


def uploaded_bytes(upload: Any) -> bytes | None:
    if not upload:
        return None
    return b"".join(upload.chunks())


class CountryThemeFormMixin:
    """Fills the country and theme choices when the form is made (not at import)."""

    def init_choices(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        if "countries" in fields:
            fields["countries"].choices = country_choices()
        if "country" in fields:
            fields["country"].choices = [("", "—"), *country_choices()]
        if "themes" in fields:
            fields["themes"].choices = theme_choices()


class OrganisationApplyForm(CountryThemeFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=255)
    acronym = forms.CharField(label=_("Acronym"), max_length=32, required=False)
    kind = forms.ChoiceField(label=_("Type of partner"), choices=OrganisationKind.choices)
    country = forms.ChoiceField(
        label=_("Country where it is based"),
        required=False,
        help_text=_("Leave empty for an international or regional body."),
    )
    website = forms.CharField(
        label=_("Website"), max_length=200, required=False, help_text=_("https://…")
    )
    description = forms.CharField(label=_("What the organisation does"), widget=forms.Textarea)
    application_note = forms.CharField(
        label=_("Why it wants to join Alliance 8.7"), widget=forms.Textarea, required=False
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most %(size)d KB.") % {"size": MAX_LOGO_BYTES // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    duplicate_override_reason = forms.CharField(
        label=_("Curators: why this is not a duplicate"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, can_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.init_choices()
        if not can_override:
            del self.fields["duplicate_override_reason"]


class OrganisationEditForm(CountryThemeFormMixin, forms.Form):
    country = forms.ChoiceField(label=_("Country where it is based"), required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    description = forms.CharField(label=_("What the organisation does"), widget=forms.Textarea)
    logo = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=_("PNG or JPEG, at most %(size)d KB.") % {"size": MAX_LOGO_BYTES // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.init_choices()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the applicant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when rejecting."),
    )


class DirectoryFilterForm(CountryThemeFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *OrganisationKind.choices], required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    action_group = forms.ChoiceField(label=_("Action group"), required=False)
    q = forms.CharField(label=_("Name"), max_length=100, required=False)

    def __init__(self, *args: Any, groups: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.init_choices()
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]
        self.fields["action_group"].choices = [("", _("All action groups")), *groups]


class WorkPlanItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=WorkPlanStatus.choices)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT)
    responsible = forms.TypedChoiceField(
        label=_("Responsible organisation"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", "—"), *members]


class WorkPlanProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=WorkPlanStatus.choices)
    progress_note = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)


class MemberAddForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)

    def __init__(
        self, *args: Any, organisations: list[tuple[int, str]] = (), **kwargs: Any
    ) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations


class ActionGroupForm(forms.Form):
    """A curator's form for an action group: theme, names, descriptions, chairs, members."""

    theme = forms.ChoiceField(label=_("Theme"))
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200, required=False)
    name_es = forms.CharField(label=_("Name (Spanish)"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_fr = forms.CharField(
        label=_("Description (French)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_es = forms.CharField(
        label=_("Description (Spanish)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    chairs = forms.TypedMultipleChoiceField(
        label=_("Chairs"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Approved partners only; an organisation is either a chair or a member."),
    )

    def __init__(
        self, *args: Any, organisations: list[tuple[int, str]] = (), **kwargs: Any
    ) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "—"), *theme_choices()]
        self.fields["chairs"].choices = organisations
        self.fields["members"].choices = organisations


class DocumentAttachForm(forms.Form):
    resource = forms.IntegerField(
        label=_("Library resource number"),
        min_value=1,
        help_text=_("The number in the address of its library page: /library/<number>/."),
    )
    meeting = forms.TypedChoiceField(
        label=_("Meeting it records"), coerce=int, empty_value=None, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, meetings: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", "—"), *meetings]


class PledgeForm(CountryThemeFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    deliverables = forms.CharField(
        label=_("Deliverables (specific, measurable)"), widget=forms.Textarea, required=False
    )
    indicators_text = forms.CharField(
        label=_("Indicators of progress"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    indicator_codes = forms.CharField(
        label=_("SDG indicator codes"),
        required=False,
        help_text=_("Optional, comma-separated, e.g. 8.7.1"),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_INPUT)
    budget_amount = forms.CharField(label=_("Budget"), max_length=30, required=False)
    budget_currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        help_text=_("ISO 4217 code, e.g. USD, EUR, XOF"),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    roadmap_priorities = forms.MultipleChoiceField(
        label=_("Pathfinder roadmap priorities it supports"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=PledgeStatus.choices, required=False)

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]] = (),  # type: ignore[assignment]
        editing: bool = False,
        priorities: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.init_choices()
        self.fields["roadmap_priorities"].choices = priorities
        if not priorities:
            del self.fields["roadmap_priorities"]
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = organisations
            del self.fields["status"]


class PledgeUpdateForm(forms.Form):
    text = forms.CharField(label=_("Progress since the last update"), widget=forms.Textarea)
    evidence_url = forms.CharField(
        label=_("Link to evidence"), max_length=500, required=False, help_text=_("https://…")
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, image, CSV, text, Word or Excel; at most %(size)d MB.")
        % {"size": MAX_EVIDENCE_BYTES // (1024 * 1024)},
    )
    status = forms.ChoiceField(
        label=_("Pledge status after this update"),
        choices=[("", _("Unchanged")), *PledgeStatus.choices],
        required=False,
    )


class ResearchProjectForm(CountryThemeFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    questions = forms.CharField(label=_("Research questions"), widget=forms.Textarea)
    methods = forms.CharField(
        label=_("Methods"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    populations = forms.CharField(
        label=_("Populations studied"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    period_start = forms.DateField(label=_("Start"), required=False, widget=DATE_INPUT)
    period_end = forms.DateField(label=_("End"), required=False, widget=DATE_INPUT)
    funding = forms.CharField(label=_("Funding"), max_length=255, required=False)
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        help_text=_("Shown to signed-in users only."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ResearchStatus.choices)
    similar_work_reason = forms.CharField(
        label=_("Why this research goes ahead despite the similar work above"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.init_choices()
        self.fields["organisation"].choices = organisations


class ResearchFilterForm(CountryThemeFormMixin, forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ResearchStatus.choices], required=False
    )
    q = forms.CharField(label=_("Words"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]
        self.fields["theme"].choices = [("", _("All themes")), *theme_choices()]


class PledgeFilterForm(ResearchFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *PledgeStatus.choices], required=False
    )
    staleness = forms.ChoiceField(
        label=_("Last reported"),
        choices=[
            ("", _("Any time")),
            ("green", _("Within a year")),
            ("amber", _("Overdue (1–2 years)")),
            ("red", _("Two years or more")),
        ],
        required=False,
    )
