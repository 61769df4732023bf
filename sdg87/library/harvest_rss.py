"""The RSS/Atom side of the harvester: a fetched feed → Dublin Core elements per entry. No ORM.

The feed is fetched by :mod:`sdg87.library.safe_http` (never by feedparser, which would
follow any URL), checked as XML by :mod:`sdg87.library.safe_xml` (no entity expansion), and
only then read by feedparser from memory.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import Any

import feedparser

from sdg87.library.safe_http import BadResponse
from sdg87.library.safe_xml import parse_xml


@dataclass(frozen=True)
class FeedEntry:
    identifier: str
    elements: dict[str, list[str]]


@dataclass(frozen=True)
class Feed:
    title: str
    updated: str
    entries: list[FeedEntry]


def parse_feed(body: bytes, *, url: str, content_type: str = "") -> Feed:
    """The feed's entries; ``BadResponse`` when the body is not a well-formed RSS/Atom feed."""
    parse_xml(body, url=url)
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url, "content-type": content_type or "text/xml"},
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    if not parsed.get("version"):
        raise BadResponse(f"{url} is XML but not an RSS or Atom feed")
    feed = parsed.get("feed", {})
    entries = []
    for entry in parsed.get("entries", []):
        identifier = (entry.get("id") or entry.get("link") or "").strip()
        entries.append(FeedEntry(identifier=identifier, elements=_elements(entry, feed)))
    return Feed(
        title=str(feed.get("title", "")),
        updated=str(dict.get(feed, "updated", ""))[:64],
        entries=entries,
    )


def _elements(entry: Any, feed: Any) -> dict[str, list[str]]:
    """Dublin Core elements of one entry (feedparser already maps ``dc:*`` onto its names)."""
    description = entry.get("summary", "")
    if not description and entry.get("content"):
        description = entry["content"][0].get("value", "")
    authors = [author.get("name", "") for author in entry.get("authors", []) if author.get("name")]
    if not authors and entry.get("author"):
        authors = [entry["author"]]
    # dict.get: feedparser's own get() maps a missing "updated" onto "published", with a warning.
    dates = [dict.get(entry, key, "") for key in ("published", "updated", "created")]
    for key in ("published_parsed", "updated_parsed"):
        parsed_date = dict.get(entry, key)
        if isinstance(parsed_date, time.struct_time):
            dates.append(time.strftime("%Y-%m-%d", parsed_date))
    identifiers = [entry.get("link", ""), entry.get("id", "")]
    identifiers += [link.get("href", "") for link in entry.get("links", [])]
    return {
        "title": [entry.get("title", "")],
        "description": [description],
        "date": dates,
        "language": [entry.get("language", ""), feed.get("language", "")],
        "identifier": identifiers,
        "subject": [tag.get("term", "") for tag in entry.get("tags", [])],
        "creator": authors,
        "publisher": [entry.get("publisher", ""), feed.get("publisher", "")],
        "rights": [entry.get("rights", ""), feed.get("rights", "")],
        "type": [entry.get("dc_type", "")],
        "coverage": [entry.get("dc_coverage", "")],
    }
