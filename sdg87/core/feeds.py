"""What the platform's Atom feeds share: public content only, filters from the query string
checked before anything is read (an unknown value is a 400 naming it), the feed's own address
with its filters, short plain-text summaries.
"""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

FEED_ITEMS = 50
SUMMARY_CHARS = 600


def summary(text: str) -> str:
    """Plain text, whitespace collapsed, cut to ``SUMMARY_CHARS`` (the feed escapes it)."""
    return Truncator(" ".join((text or "").split())).chars(SUMMARY_CHARS)


class PublicAtomFeed(Feed):
    """An Atom feed of public content. Subclasses name their URL (``url_name``), read their
    filters (``filters``: the values, or an error message) and list ``items(filters)``."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False
    url_name = ""

    def filters(self, request: HttpRequest) -> tuple[dict[str, Any], str | None]:
        return {}, None

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        values, _error = self.filters(request)
        return {"filters": values, "query": request.GET.urlencode()}

    def feed_url(self, obj: dict[str, Any]) -> str:
        url = reverse(self.url_name)
        return f"{url}?{obj['query']}" if obj["query"] else url

    def view(self, request: HttpRequest) -> HttpResponse:
        _values, error = self.filters(request)
        if error:
            return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
        return self(request)
