"""Language selection for API reads: ``?lang=en|fr|es`` chooses the language of localised text."""

from typing import Any, Literal

from ninja import Field, Schema

from sdg87.core.i18n import UI_LANGUAGES

Language = Literal["en", "fr", "es"]
LANGUAGE_DESCRIPTION = "Language of `name`, `title` and other localised text: en, fr or es."


class LanguageQuery(Schema):
    lang: Language = Field("en", description=LANGUAGE_DESCRIPTION)


class TextsOut(Schema):
    """One text in each UI language."""

    en: str
    fr: str
    es: str


def requested_language(context: Any) -> str:
    """The ``?lang=`` of the request being serialised (already validated), default English."""
    request = (context or {}).get("request")
    language = request.GET.get("lang", "en") if request is not None else "en"
    return language if language in UI_LANGUAGES else "en"


def texts_of(obj: Any, field: str = "name") -> dict[str, str]:
    """``{"en": obj.<field>_en, "fr": …, "es": …}``."""
    return {language: getattr(obj, f"{field}_{language}", "") or "" for language in UI_LANGUAGES}
