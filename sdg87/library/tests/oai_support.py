"""Resources, countries and themes for the OAI-PMH and harvest tests."""

from __future__ import annotations

import itertools
from typing import Any
from xml.etree import ElementTree

from django.utils import timezone

from sdg87.accounts.tests.factories import country
from sdg87.framework.models import Theme
from sdg87.library.models import Resource, ResourceStatus

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"

_numbers = itertools.count(1)


def theme(slug: str, name_en: str, name_fr: str = "", name_es: str = "") -> Theme:
    found, _created = Theme.objects.get_or_create(
        slug=slug, defaults={"name_en": name_en, "name_fr": name_fr, "name_es": name_es}
    )
    return found


def make_resource(
    *,
    countries: tuple[str, ...] = (),
    themes: tuple[Theme, ...] = (),
    **fields: Any,
) -> Resource:
    number = next(_numbers)
    values: dict[str, Any] = {
        "title": f"Resource {number}",
        "language": "en",
        "source": "test",
        "source_record_id": f"record-{number}",
        "status": ResourceStatus.PUBLISHED,
    }
    values.update(fields)
    if values["status"] in (ResourceStatus.PUBLISHED, ResourceStatus.WITHDRAWN):
        values.setdefault("published_at", timezone.now())
    resource = Resource.objects.create(**values)
    if countries:
        resource.countries.set([country(code) for code in countries])
    if themes:
        resource.themes.set(themes)
    return resource


def parse(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 (our own response)


def errors(root: ElementTree.Element) -> list[str]:
    return [error.get("code", "") for error in root.findall(f"{OAI}error")]


# --- a fake OAI-PMH repository (served by a local test server) --------------------------


def oai_document(verb: str, body: str, *, response_date: str = "2024-06-01T10:00:00Z") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        f"<responseDate>{response_date}</responseDate>"
        f'<request verb="{verb}">http://repository.test/oai</request>{body}</OAI-PMH>'
    )


def dc_record(oai_identifier: str, /, *, deleted: bool = False, **elements: Any) -> str:
    status = ' status="deleted"' if deleted else ""
    header = (
        f"<header{status}><identifier>{oai_identifier}</identifier>"
        "<datestamp>2024-05-01</datestamp></header>"
    )
    if deleted:
        return f"<record>{header}</record>"
    fields = "".join(
        f"<dc:{name}>{value}</dc:{name}>"
        for name, values in elements.items()
        for value in (values if isinstance(values, list | tuple) else [values])
    )
    return (
        f"<record>{header}<metadata>"
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/">{fields}</oai_dc:dc>'
        "</metadata></record>"
    )


class FakeRepository:
    """An OAI-PMH repository with day granularity, answering from a list of pages.

    ``pages`` is a list of lists of records (XML strings). The token of page ``n`` is
    ``<token_prefix>-n``; ``broken_pages`` answer with bad XML, ``expired_tokens`` with
    ``badResumptionToken``.
    """

    def __init__(self, pages: list[list[str]], *, response_date: str = "2024-06-01T10:00:00Z"):
        self.pages = pages
        self.response_date = response_date
        self.broken_pages: set[int] = set()
        self.expired_tokens: set[str] = set()
        self.list_requests: list[dict[str, str]] = []
        self.token_prefix = "page"

    def __call__(self, request: Any) -> None:
        verb = request.arg("verb")
        if verb == "Identify":
            request.respond(
                oai_document(
                    "Identify",
                    "<Identify><repositoryName>Test</repositoryName>"
                    "<baseURL>http://repository.test/oai</baseURL>"
                    "<protocolVersion>2.0</protocolVersion>"
                    "<adminEmail>a@example.org</adminEmail>"
                    "<earliestDatestamp>2000-01-01</earliestDatestamp>"
                    "<deletedRecord>persistent</deletedRecord>"
                    "<granularity>YYYY-MM-DD</granularity></Identify>",
                    response_date=self.response_date,
                )
            )
            return
        arguments = {name: values[0] for name, values in request.query.items()}
        self.list_requests.append(arguments)
        token = arguments.get("resumptionToken", "")
        if token in self.expired_tokens:
            request.respond(
                oai_document("ListRecords", '<error code="badResumptionToken">expired</error>')
            )
            return
        number = int(token.split("-")[1]) if token else 0
        if number in self.broken_pages:
            request.respond("<OAI-PMH><ListRecords><record>")
            return
        if not self.pages or not self.pages[number]:
            request.respond(
                oai_document("ListRecords", '<error code="noRecordsMatch">none</error>')
            )
            return
        following = ""
        if number + 1 < len(self.pages):
            following = (
                f'<resumptionToken completeListSize="{sum(map(len, self.pages))}" '
                f'cursor="{sum(map(len, self.pages[:number]))}">'
                f"{self.token_prefix}-{number + 1}</resumptionToken>"
            )
        elif number:
            following = "<resumptionToken/>"
        request.respond(
            oai_document(
                "ListRecords",
                f"<ListRecords>{''.join(self.pages[number])}{following}</ListRecords>",
                response_date=self.response_date,
            )
        )
