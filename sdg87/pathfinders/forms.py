"""Forms of the pathfinder pages. They parse shape only: amounts, years, currencies and dates
travel as text to the services, which hold the rules (so a negative budget is refused once,
by the service, with the field it names)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.core.errors import DomainError
from sdg87.framework import selectors as framework_selectors
from sdg87.indicators import selectors as indicator_selectors
from sdg87.partners import selectors as partner_selectors
from sdg87.partners.currencies import ISO_4217
from sdg87.partners.uploads import MAX_EVIDENCE_BYTES
from sdg87.pathfinders.models import ActionStatus, RoadmapStatus
from sdg87.pathfinders.services.roadmaps import RoadmapDocument

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})
MAIN_CURRENCIES = ("USD", "EUR", "GBP", "CHF", "XOF", "XAF", "KES", "NGN", "INR", "BRL")


def currency_choices() -> list[tuple[str, str]]:
    """The common currencies first, then every other ISO 4217 code."""
    rest = sorted(ISO_4217 - set(MAIN_CURRENCIES))
    return [(code, code) for code in (*MAIN_CURRENCIES, *rest)]


def indicator_choices() -> list[tuple[str, str]]:
    return [
        (indicator.code, f"{indicator.code} {indicator.title}")
        for indicator in indicator_selectors.indicator_list()
    ]


def add_service_error(form: forms.Form, exc: DomainError, *, prefix: str = "") -> None:
    """Show a service's refusal next to the fields its ``details`` name, else on top."""
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for key, message in details.items():
        name = key[len(prefix) :] if prefix and key.startswith(prefix) else key
        if name in form.fields and not isinstance(form.fields[name].widget, forms.HiddenInput):
            form.add_error(name, message if isinstance(message, str) else exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class LockedForm(forms.Form):
    """A form for a row edited with optimistic locking: the version the editor saw."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RoadmapForm(LockedForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    period_start = forms.CharField(label=_("First year"), max_length=4)
    period_end = forms.CharField(label=_("Last year"), max_length=4)
    status = forms.ChoiceField(label=_("Status"), choices=RoadmapStatus.choices)
    adopted_on = forms.CharField(
        label=_("Adoption date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_url = forms.CharField(
        label=_("Link to the document"), max_length=500, required=False, help_text=_("https://…")
    )
    document = forms.FileField(
        label=_("Document (file)"),
        required=False,
        help_text=_(
            "PDF, Word (.docx), Excel (.xlsx), CSV, text or an image, at most 10 MB; the type "
            "is checked from the content. Leave empty to keep the current file."
        ),
    )
    consultation = forms.CharField(
        label=_("Consultation of social partners"),
        widget=SHORT_TEXT,
        required=False,
        help_text=_("How workers' and employers' organisations and others were consulted."),
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("lock_version", None)
        upload = data.pop("document", None)
        if upload is not None:
            data["document"] = RoadmapDocument(name=upload.name, content=b"".join(upload.chunks()))
        return data


class PriorityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=SHORT_TEXT, required=False)
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [
            (theme.slug, theme.name) for theme in framework_selectors.theme_list()
        ]


class ActionForm(LockedForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=SHORT_TEXT, required=False)
    lead_agency = forms.CharField(label=_("Lead agency"), max_length=255, required=False)
    partners = forms.MultipleChoiceField(
        label=_("Partner organisations"),
        required=False,
        help_text=_("Approved partner organisations; hold Ctrl or ⌘ to choose several."),
    )
    start_date = forms.CharField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.CharField(
        label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    currency = forms.ChoiceField(label=_("Currency"), help_text=_("ISO 4217 code."))
    budget_planned = forms.CharField(label=_("Budget planned"), required=False, max_length=24)
    budget_secured = forms.CharField(label=_("Budget secured"), required=False, max_length=24)
    budget_spent = forms.CharField(label=_("Budget spent"), required=False, max_length=24)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()
        self.fields["partners"].choices = [
            (str(organisation.pk), organisation.name)
            for organisation in partner_selectors.organisation_choices()
        ]
        for name in ("budget_planned", "budget_secured", "budget_spent"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("lock_version", None)
        data["partners"] = [int(value) for value in data.get("partners") or []]
        return data


class IndicatorLinkForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    baseline_value = forms.CharField(label=_("Baseline value"), required=False, max_length=32)
    baseline_year = forms.CharField(label=_("Baseline year"), required=False, max_length=4)
    target_value = forms.CharField(label=_("Target value"), required=False, max_length=32)
    target_year = forms.CharField(label=_("Target year"), required=False, max_length=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    due_on = forms.CharField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    achieved_on = forms.CharField(
        label=_("Achieved"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action_id = forms.TypedChoiceField(
        label=_("Action"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, actions: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["action_id"].choices = [("", _("None (the whole roadmap)")), *actions]


class ReportCreateForm(forms.Form):
    year = forms.CharField(label=_("Year reported on"), max_length=4)


class ReportNarrativeForm(LockedForm):
    progress = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Required before the report is submitted."),
    )
    challenges = forms.CharField(label=_("Challenges"), widget=SHORT_TEXT, required=False)
    lessons_learned = forms.CharField(label=_("Lessons learned"), widget=SHORT_TEXT, required=False)
    support_needed = forms.CharField(label=_("Support needed"), widget=SHORT_TEXT, required=False)
    support_offered = forms.CharField(
        label=_("Support offered to other countries"),
        widget=SHORT_TEXT,
        required=False,
        help_text=_("South–South and triangular cooperation."),
    )

    def narrative(self) -> dict[str, str]:
        data = dict(self.cleaned_data)
        data.pop("lock_version", None)
        return data


class IndicatorValueForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    year = forms.CharField(label=_("Year"), required=False, max_length=4)
    value = forms.CharField(label=_("Value"), required=False, max_length=32)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, indicators: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—"), *indicators]

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(str(data.get(name) or "").strip() for name in ("year", "value", "note"))


class ActionUpdateForm(forms.Form):
    action = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    budget_planned = forms.CharField(label=_("Planned"), required=False, max_length=24)
    budget_secured = forms.CharField(label=_("Secured"), required=False, max_length=24)
    budget_spent = forms.CharField(label=_("Spent"), required=False, max_length=24)
    note = forms.CharField(label=_("Note"), required=False, max_length=5000)


IndicatorValueFormSet = forms.formset_factory(IndicatorValueForm, extra=2)
ActionUpdateFormSet = forms.formset_factory(ActionUpdateForm, extra=0)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    url = forms.CharField(label=_("Link"), max_length=500, required=False, help_text=_("https://…"))
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, Excel, CSV, text or image, at most %(size)d MB.")
        % {"size": MAX_EVIDENCE_BYTES // (1024 * 1024)},
    )


class TransitionForm(LockedForm):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), widget=SHORT_TEXT, required=False)


class ExchangeRateForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"))
    rate_date = forms.CharField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    usd_per_unit = forms.CharField(label=_("US dollars per unit"), max_length=32)
    rate_source = forms.CharField(label=_("Source"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [item for item in currency_choices() if item[0] != "USD"]
