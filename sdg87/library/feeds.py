"""Atom feed of newly published resources: ``/{lang}/library/feed/``.

Feed readers follow the library without an account, so the feed holds published resources
only, whoever asks. ``?country=ISO3``, ``?theme=slug`` and ``?type=`` narrow it (each may be
repeated); an unknown value is a 400 that names it. Newest first, ``FEED_ITEMS`` entries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from sdg87.core.feeds import FEED_ITEMS, PublicAtomFeed, summary
from sdg87.library.models import Resource, ResourceStatus, ResourceType
from sdg87.partners.services import inputs


class PublishedResourcesFeed(PublicAtomFeed):
    url_name = "library:feed"
    item_url_name = "library:resource"
    guid_prefix = "sdg87-resource-"

    def filters(self, request: HttpRequest) -> dict[str, Any]:
        get = request.GET.getlist
        return {
            "country": [c.iso3 for c in inputs.countries(get("country"), field="country")],
            "theme": [theme.slug for theme in inputs.themes(get("theme"), field="theme")],
            "type": sorted(
                {inputs.choice(value.strip(), ResourceType, field="type") for value in get("type")}
            ),
        }

    def title(self, obj: dict[str, Any]) -> str:
        return _("Target 8.7 library: newly published resources")

    def subtitle(self, obj: dict[str, Any]) -> str:
        return _(
            "Research, promising practices, lessons learned and other resources on forced "
            "labour, modern slavery, human trafficking and child labour."
        )

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("library:search")

    def items(self, obj: dict[str, Any]) -> QuerySet[Resource]:
        filters = obj["filters"]
        queryset = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
        if filters["country"]:
            queryset = queryset.filter(countries__iso3__in=filters["country"])
        if filters["theme"]:
            queryset = queryset.filter(themes__slug__in=filters["theme"])
        if filters["type"]:
            queryset = queryset.filter(type__in=filters["type"])
        if filters["country"] or filters["theme"]:
            queryset = queryset.distinct()
        return queryset.prefetch_related("themes").order_by("-published_at", "-created_at", "-id")[
            :FEED_ITEMS
        ]

    def item_title(self, item: Resource) -> str:
        return item.title

    def item_description(self, item: Resource) -> str:
        return summary(item.abstract or item.full_text)

    def item_author_name(self, item: Resource) -> str | None:
        return item.organisation or None

    def item_categories(self, item: Resource) -> list[str]:
        return [str(ResourceType(item.type).label)] + [theme.name for theme in item.themes.all()]


def published_resources_feed(request: HttpRequest) -> HttpResponse:
    return PublishedResourcesFeed().view(request)
