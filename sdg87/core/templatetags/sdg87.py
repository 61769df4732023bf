"""Template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context: template.Context, language: str) -> str:
    """The current page's address in ``language`` (keeps the query string)."""
    request = context.get("request")
    if request is None:
        return f"/{language}/"
    return translate_url(request.get_full_path(), language)
