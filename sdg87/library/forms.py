"""The contribution form: shape only (the rules live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.library.models import ResourceType


class ContributionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=1000)
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "PDF, Word (.docx), HTML or plain text (.txt). The type is checked from the content."
        ),
    )
    url = forms.CharField(label=_("Address (URL)"), max_length=2000, required=False)
    type = forms.ChoiceField(
        label=_("Type"), choices=ResourceType.choices, initial=ResourceType.RESEARCH
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[
            ("", _("Detect from the text")),
            ("en", _("English")),
            ("fr", _("French")),
            ("es", _("Spanish")),
        ],
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_("ISO3 codes separated by commas, e.g. KEN, UGA"),
    )
    organisation = forms.CharField(
        label=_("Publishing organisation"), max_length=255, required=False
    )
    authors = forms.CharField(
        label=_("Authors"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line"),
    )
    licence = forms.CharField(label=_("Licence"), max_length=255, required=False)
    submit_for_review = forms.BooleanField(
        label=_("Send it for review now"), required=False, initial=True
    )


class HarvestForm(forms.Form):
    """Start a harvest in the background: the endpoint and its protocol (checked by the
    service: the URL's form and the SSRF guard)."""

    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=2000,
        help_text=_(
            "An OAI-PMH base URL (e.g. https://repository.example.org/oai) or an RSS or Atom "
            "feed. Private, loopback and link-local addresses are refused."
        ),
    )
    protocol = forms.ChoiceField(
        label=_("Protocol"),
        choices=[("oai-pmh", "OAI-PMH"), ("rss", _("RSS or Atom"))],
        initial="oai-pmh",
        widget=forms.RadioSelect,
    )


def comma_separated(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())


class ResourceEditForm(forms.Form):
    """Correct a resource's metadata; the service checks every value as ingestion does."""

    title = forms.CharField(label=_("Title"), max_length=1000)
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)
    language = forms.CharField(
        label=_("Language"),
        max_length=8,
        help_text=_("ISO 639-1 code, e.g. en, fr, es"),
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_("ISO3 codes separated by commas, e.g. KEN, UGA"),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    targets = forms.CharField(
        label=_("SDG targets"),
        required=False,
        help_text=_("Target codes separated by commas, e.g. 8.7, 16.2"),
    )
    url = forms.CharField(label=_("Address (URL)"), max_length=2000, required=False)
    licence = forms.CharField(label=_("Licence"), max_length=255, required=False)

    def __init__(self, *args, themes: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = themes

    def edit_values(self) -> dict[str, object]:
        """The cleaned values in the service's shapes (lists of codes as tuples)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "abstract": data["abstract"],
            "type": data["type"],
            "language": data["language"],
            "year": data["year"],
            "countries": comma_separated(data["countries"]),
            "themes": tuple(data["themes"]),
            "targets": comma_separated(data["targets"]),
            "url": data["url"],
            "licence": data["licence"],
        }
