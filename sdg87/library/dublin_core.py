"""Dublin Core (and RSS/Atom entries) → :class:`~sdg87.library.ingest.ResourceRecord`. Pure: no ORM.

A harvested record is described by the fifteen Dublin Core elements, each repeatable. They map
to a resource as follows (what does not fit is kept in ``extra``, never an error):

- ``title`` → title (the first; a record without a title is rejected);
- ``description`` → abstract (HTML removed; several joined by a blank line);
- ``date`` → year (the first year found);
- ``language`` → language (ISO 639-1, 639-2/3 codes and names in EN/FR/ES understood);
- ``type`` → resource type (our values and the words sources use for them);
- ``identifier`` → url (the first ``http``/``https`` one; the others go to ``extra``);
- ``publisher`` → organisation, ``rights`` → licence, ``creator`` → authors;
- ``coverage`` → countries when it is a country name (EN/FR/ES) or ISO2/ISO3 code;
- ``subject`` → themes when it names one of our themes; every subject is kept in ``extra``.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.html import strip_tags

from sdg87.library.ingest import (
    MAX_NAME_LENGTH,
    MAX_URL_LENGTH,
    MIN_YEAR,
    RecordInvalid,
    ResourceRecord,
    fold,
    parse_language,
    parse_type,
    parse_url,
    record_from_mapping,
)

DC_ELEMENTS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True)
class Vocabulary:
    """What harvested words are matched against: folded name or code → ISO3 / theme slug."""

    countries: Mapping[str, str]
    themes: Mapping[str, str]

    @property
    def country_codes(self) -> frozenset[str]:
        return frozenset(self.countries.values())


def plain_text(value: str) -> str:
    """Text without HTML tags and entities, with tidy white space."""
    if "<" in value or "&" in value:
        value = html.unescape(strip_tags(value))
    lines = [_SPACES.sub(" ", line).strip() for line in value.replace("\x00", "").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _clean(values: Sequence[str] | None) -> list[str]:
    cleaned = []
    for value in values or ():
        text = plain_text(value) if isinstance(value, str) else ""
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


def first_year(values: Sequence[str], *, today: datetime.date) -> int | None:
    for value in values:
        for match in _YEAR.finditer(value):
            year = int(match.group(1))
            if MIN_YEAR <= year <= today.year + 1:
                return year
    return None


def record_from_dublin_core(
    record_id: str,
    elements: Mapping[str, Sequence[str]],
    *,
    vocabulary: Vocabulary,
    extra: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
) -> ResourceRecord:
    """One resource from Dublin Core ``elements`` (name → values); raises ``RecordInvalid``."""
    today = today or datetime.datetime.now(tz=datetime.UTC).date()
    values = {name: _clean(elements.get(name)) for name in DC_ELEMENTS}
    kept: dict[str, Any] = dict(extra or {})

    language = ""
    for given in values["language"]:
        try:
            language = parse_language(given)
        except RecordInvalid:
            kept.setdefault("language_as_given", given)
            continue
        break

    resource_type = ""
    for given in values["type"]:
        chosen, as_given = parse_type(given)
        if not as_given:
            resource_type = chosen
            break
    if not resource_type and values["type"]:
        kept["type_as_given"] = values["type"][0]

    url = ""
    other_identifiers = []
    for identifier in values["identifier"]:
        if not url and len(identifier) <= MAX_URL_LENGTH:
            try:
                url = parse_url(identifier)
            except RecordInvalid:
                url = ""
            if url:
                continue
        other_identifiers.append(identifier)

    countries: list[str] = []
    other_coverage = []
    for place in values["coverage"]:
        code = vocabulary.countries.get(fold(place))
        if code:
            if code not in countries:
                countries.append(code)
        else:
            other_coverage.append(place)

    themes = []
    for subject in values["subject"]:
        slug = vocabulary.themes.get(fold(subject))
        if slug and slug not in themes:
            themes.append(slug)

    for name, items in (
        ("identifiers", other_identifiers),
        ("subjects", values["subject"]),
        ("coverage", other_coverage),
        ("contributors", values["contributor"]),
        ("sources", values["source"]),
        ("relations", values["relation"]),
        ("formats", values["format"]),
        ("dates", values["date"]),
    ):
        if items:
            kept[name] = items
    if len(values["publisher"]) > 1:
        kept["publishers"] = values["publisher"]

    data = {
        "id": record_id,
        "title": values["title"][0] if values["title"] else "",
        "abstract": "\n\n".join(values["description"]),
        "language": language,
        "year": first_year(values["date"], today=today),
        "type": resource_type,
        "countries": countries,
        "url": url,
        "organisation": _shorten(values["publisher"][0]) if values["publisher"] else "",
        "licence": _shorten(values["rights"][0]) if values["rights"] else "",
    }
    record = record_from_mapping(data, known_countries=vocabulary.country_codes, today=today)
    return replace(
        record,
        authors=tuple(_shorten(author) for author in values["creator"]),
        themes=tuple(themes),
        extra=kept,
    )


def _shorten(text: str, length: int = MAX_NAME_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
