"""What the platform's Atom feeds share: public content only, filters from the query string
checked once before anything is listed (an unknown value is a 400 naming it), the feed's own
address with its filters, and the entries' ids, links, dates and plain-text summaries.
"""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from sdg87.core.errors import InvalidInput

FEED_ITEMS = 50
SUMMARY_CHARS = 600


def summary(text: str) -> str:
    """Plain text, whitespace collapsed, cut to ``SUMMARY_CHARS`` (the feed escapes it)."""
    return Truncator(" ".join((text or "").split())).chars(SUMMARY_CHARS)


class PublicAtomFeed(Feed):
    """An Atom feed of public content. Subclasses name the feed's URL (``url_name``) and
    their entries' (``item_url_name``, by primary key; ``guid_prefix``), read their filters
    (``filters``, raising ``InvalidInput``) and list ``items(obj)``, ``obj["filters"]``
    holding the filters. Entries are models with ``published_at``, ``created_at`` and
    ``updated_at``."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False
    url_name = ""
    item_url_name = ""
    guid_prefix = ""

    def filters(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def get_object(
        self, request: HttpRequest, *args: Any, filters: dict[str, Any], **kwargs: Any
    ) -> dict[str, Any]:
        return {"filters": filters, "query": request.GET.urlencode()}

    def feed_url(self, obj: dict[str, Any]) -> str:
        url = reverse(self.url_name)
        return f"{url}?{obj['query']}" if obj["query"] else url

    def item_link(self, item: Any) -> str:
        return reverse(self.item_url_name, args=[item.pk])

    def item_guid(self, item: Any) -> str:
        return f"{self.guid_prefix}{item.pk}"

    def item_pubdate(self, item: Any) -> Any:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Any) -> Any:
        return item.updated_at

    def view(self, request: HttpRequest) -> HttpResponse:
        try:
            filters = self.filters(request)
        except InvalidInput as error:
            reasons = "; ".join(str(reason) for reason in error.details.values())
            text = f"{error.message}: {reasons}" if reasons else error.message
            return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
        return self(request, filters=filters)
