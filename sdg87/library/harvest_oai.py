"""The OAI-PMH 2.0 side of the harvester: request URLs and response parsing. No ORM.

Only ``Identify`` (for the datestamp granularity and the server's clock) and ``ListRecords``
with ``metadataPrefix=oai_dc`` are used. ``noRecordsMatch`` is an empty, final page;
``badResumptionToken`` raises :class:`BadResumptionToken` so that the caller can restart;
every other OAI error raises :class:`OaiError` with the server's code and message.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

from sdg87.library.safe_http import BadResponse
from sdg87.library.safe_xml import parse_xml

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DAY_GRANULARITY = "YYYY-MM-DD"
SECOND_GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"


def _oai(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


class OaiError(BadResponse):
    """The repository answered with an OAI-PMH error."""

    code = "oai_error"

    def __init__(self, oai_code: str, text: str, *, url: str) -> None:
        message = f"{url} answered the OAI-PMH error {oai_code}"
        super().__init__(
            f"{message}: {' '.join(text.split())}" if text.strip() else message,
            details={"oai_code": oai_code, "url": url},
        )
        self.oai_code = oai_code


class BadResumptionToken(OaiError):
    """The resumption token has expired or is unknown: harvest again from the start."""


@dataclass(frozen=True)
class OaiRecord:
    identifier: str
    datestamp: str
    deleted: bool
    sets: tuple[str, ...] = ()
    elements: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class OaiPage:
    response_date: str
    records: list[OaiRecord]
    token: str = ""
    complete_list_size: int | None = None
    cursor: int | None = None


@dataclass(frozen=True)
class Identify:
    response_date: str
    granularity: str
    repository_name: str = ""
    earliest_datestamp: str = ""


def base_url(url: str) -> str:
    """The repository's base URL: ``url`` without its query and fragment."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def identify_url(base: str) -> str:
    return f"{base}?{urlencode({'verb': 'Identify'})}"


def list_records_url(base: str, *, token: str = "", from_datestamp: str = "") -> str:
    if token:
        query = {"verb": "ListRecords", "resumptionToken": token}
    else:
        query = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
        if from_datestamp:
            query["from"] = from_datestamp
    return f"{base}?{urlencode(query)}"


def as_granularity(datestamp: str, granularity: str) -> str:
    """``2024-05-01T12:00:00Z`` → ``2024-05-01`` for a repository with day granularity."""
    if not datestamp:
        return ""
    if granularity == DAY_GRANULARITY:
        return datestamp[:10]
    if len(datestamp) == 10:
        return f"{datestamp}T00:00:00Z"
    return datestamp


def _root(body: bytes, url: str) -> Element:
    root = parse_xml(body, url=url)
    if root.tag != _oai("OAI-PMH"):
        raise BadResponse(f"{url} did not answer with an OAI-PMH document (root {root.tag!r})")
    return root


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _errors(root: Element, url: str) -> Iterator[OaiError]:
    for error in root.findall(_oai("error")):
        oai_code = error.get("code", "unknown")
        kind = BadResumptionToken if oai_code == "badResumptionToken" else OaiError
        yield kind(oai_code, error.text or "", url=url)


def parse_identify(body: bytes, *, url: str) -> Identify:
    root = _root(body, url)
    for error in _errors(root, url):
        raise error
    identify = root.find(_oai("Identify"))
    if identify is None:
        raise BadResponse(f"{url} answered Identify without an Identify element")
    granularity = _text(identify.find(_oai("granularity"))) or DAY_GRANULARITY
    if granularity not in (DAY_GRANULARITY, SECOND_GRANULARITY):
        granularity = DAY_GRANULARITY
    return Identify(
        response_date=_text(root.find(_oai("responseDate"))),
        granularity=granularity,
        repository_name=_text(identify.find(_oai("repositoryName"))),
        earliest_datestamp=_text(identify.find(_oai("earliestDatestamp"))),
    )


def parse_list_records(body: bytes, *, url: str) -> OaiPage:
    root = _root(body, url)
    response_date = _text(root.find(_oai("responseDate")))
    for error in _errors(root, url):
        if error.oai_code == "noRecordsMatch":
            return OaiPage(response_date=response_date, records=[])
        raise error
    listing = root.find(_oai("ListRecords"))
    if listing is None:
        raise BadResponse(f"{url} answered ListRecords without a ListRecords element")
    records = [_record(element, url) for element in listing.findall(_oai("record"))]
    token_element = listing.find(_oai("resumptionToken"))
    return OaiPage(
        response_date=response_date,
        records=records,
        token=_text(token_element),
        complete_list_size=_int(token_element, "completeListSize"),
        cursor=_int(token_element, "cursor"),
    )


def _int(element: Element | None, attribute: str) -> int | None:
    value = element.get(attribute, "") if element is not None else ""
    return int(value) if value.isdigit() else None


def _record(element: Element, url: str) -> OaiRecord:
    header = element.find(_oai("header"))
    if header is None:
        raise BadResponse(f"{url} sent a record without a header")
    identifier = _text(header.find(_oai("identifier")))
    if not identifier:
        raise BadResponse(f"{url} sent a record without an identifier")
    elements: dict[str, list[str]] = {}
    dc = element.find(f"{_oai('metadata')}/{{{OAI_DC_NS}}}dc")
    if dc is not None:
        for child in dc:
            if isinstance(child.tag, str) and child.tag.startswith(f"{{{DC_NS}}}"):
                name = child.tag[len(DC_NS) + 2 :]
                text = "".join(child.itertext()).strip()
                if text:
                    elements.setdefault(name, []).append(text)
    return OaiRecord(
        identifier=identifier,
        datestamp=_text(header.find(_oai("datestamp"))),
        deleted=header.get("status") == "deleted",
        sets=tuple(_text(spec) for spec in header.findall(_oai("setSpec")) if _text(spec)),
        elements=elements,
    )
