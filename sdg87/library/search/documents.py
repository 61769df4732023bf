"""What the index stores for a resource: analysed fields and filter tags (reads only)."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sdg87.library.models import Resource
from sdg87.library.search.analysis import analyse, fold, normalise_language

MAX_BODY_CHARS = 2_000_000
CHUNK = 500

PUBLISHED = "published"
UNPUBLISHED = "unpublished"  # one more status tag on every resource that is not published
TAG_KINDS = ("status", "type", "lang", "year", "country", "region", "theme", "target", "org")


@dataclass(frozen=True)
class IndexDocument:
    resource_id: int
    status: str
    language: str
    year: int | None
    type: str
    sort_date: datetime | None
    title: tuple[str, ...]
    abstract: tuple[str, ...]
    body: tuple[str, ...]
    tags: tuple[tuple[str, str], ...]
    facets: tuple[str, ...] = ()  # facet keys (``facet_key``), counted by ``facets``

    def terms(self) -> set[str]:
        return {*self.title, *self.abstract, *self.body}


def tag_value(kind: str, value: object) -> str:
    """The normalised value of a filter tag: ISO3 codes upper case, everything else folded."""
    text = str(value).strip()
    return text.upper() if kind == "country" else fold(text)


def fts5_tag(kind: str, value: object) -> str:
    """A tag as one FTS5 token (letters and digits only)."""
    normalised = tag_value(kind, value).lower()
    if re.fullmatch(r"[a-z0-9]{1,40}", normalised):
        return f"x{kind}{normalised}"
    digest = hashlib.sha1(normalised.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    return f"x{kind}h{digest}"


def postgres_tag(kind: str, value: object) -> str:
    return f"{kind}:{tag_value(kind, value)}"


FACET_SEPARATOR = ":"


def facet_key(kind: str, value: object) -> str:
    """A facet value as the index stores it: ``kind:value``, the value exactly as displayed."""
    return f"{kind}{FACET_SEPARATOR}{value}"


def split_facet_key(key: str) -> tuple[str, str]:
    kind, _separator, value = key.partition(FACET_SEPARATOR)
    return kind, value


def _related(ids: list[int]) -> tuple[dict[int, list[tuple[str, str]]], dict[int, list[str]]]:
    """Country, region, theme and target tags of these resources (four flat queries), and
    their facet keys (country ISO3, the countries' top-level regions, theme, target)."""
    tags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    facets: dict[int, set[str]] = defaultdict(set)
    countries = Resource.countries.through.objects.filter(resource_id__in=ids).values_list(
        "resource_id",
        "country__iso3",
        "country__region__m49",
        "country__subregion__m49",
        "country__intermediate_region__m49",
    )
    regions: dict[int, set[str]] = defaultdict(set)
    for resource_id, iso3, *codes in countries:
        tags[resource_id].append(("country", iso3))
        regions[resource_id].update(code for code in codes if code)
        facets[resource_id].add(facet_key("country", iso3))
        if codes[0]:
            facets[resource_id].add(facet_key("region", codes[0]))
    for resource_id, codes in regions.items():
        tags[resource_id].extend(("region", code) for code in sorted(codes))
    themes = Resource.themes.through.objects.filter(resource_id__in=ids)
    for resource_id, slug in themes.values_list("resource_id", "theme__slug"):
        tags[resource_id].append(("theme", slug))
        facets[resource_id].add(facet_key("theme", slug))
    targets = Resource.targets.through.objects.filter(resource_id__in=ids)
    for resource_id, code in targets.values_list("resource_id", "target__code"):
        tags[resource_id].append(("target", code))
        facets[resource_id].add(facet_key("target", code))
    return tags, {resource_id: sorted(keys) for resource_id, keys in facets.items()}


FIELDS = (
    "pk",
    "status",
    "type",
    "language",
    "year",
    "organisation",
    "title",
    "abstract",
    "full_text",
    "published_at",
    "created_at",
)


def build_document(
    values: dict, related: list[tuple[str, str]], related_facets: list[str] | None = None
) -> IndexDocument:
    """The index document of one resource (``values``: the resource's ``FIELDS``)."""
    language = normalise_language(values["language"])
    tags = [("status", values["status"]), ("type", values["type"])]
    if values["status"] != PUBLISHED:
        tags.append(("status", UNPUBLISHED))
    tags.append(("lang", (values["language"] or "").lower()[:8]))
    if values["year"] is not None:
        tags.append(("year", str(values["year"])))
    tags.extend(related)
    if values["organisation"].strip():
        tags.append(("org", values["organisation"]))
    return IndexDocument(
        resource_id=values["pk"],
        status=values["status"],
        language=(values["language"] or "").lower()[:8],
        year=values["year"],
        type=values["type"],
        sort_date=values["published_at"] or values["created_at"],
        title=tuple(analyse(values["title"], language)),
        abstract=tuple(analyse(values["abstract"], language)),
        body=tuple(analyse(values["full_text"][:MAX_BODY_CHARS], language)),
        tags=tuple(tags),
        facets=_facets(values, related_facets or []),
    )


def _facets(values: dict, related_facets: list[str]) -> tuple[str, ...]:
    keys = [facet_key("type", values["type"]), facet_key("language", values["language"])]
    if values["year"] is not None:
        keys.append(facet_key("year", values["year"]))
    if values["organisation"] != "":
        keys.append(facet_key("organisation", values["organisation"]))
    return tuple(dict.fromkeys([*keys, *related_facets]))


def documents_for(resource_ids: Iterable[int]) -> Iterator[IndexDocument]:
    """Index documents for these resources (those that exist), read in chunks."""
    ids = sorted({int(pk) for pk in resource_ids})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        related, related_facets = _related(chunk)
        for values in Resource.objects.filter(pk__in=chunk).values(*FIELDS):
            pk = values["pk"]
            yield build_document(values, related.get(pk, []), related_facets.get(pk, []))
