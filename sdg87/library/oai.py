"""OAI-PMH 2.0 provider at ``/oai`` over the library's published resources (Dublin Core).

- Verbs: Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord;
  GET and POST (``application/x-www-form-urlencoded``); every OAI-PMH error code.
- Metadata format: ``oai_dc`` only.
- Identifiers: ``oai:<OAI_REPOSITORY_IDENTIFIER>:<resource id>``.
- Datestamps: the resource's last change (``updated_at``), UTC, granularity
  ``YYYY-MM-DDThh:mm:ssZ`` (``from``/``until`` may also be given as ``YYYY-MM-DD``).
- Sets: ``type`` with ``type:<resource type>`` (every resource is in one), and ``theme`` with
  ``theme:<theme slug>``. An unknown set matches no records (``noRecordsMatch``).
- Visibility: only published resources are disseminated. A resource withdrawn after it was
  published is listed as a deleted record (``status="deleted"``, no metadata). Drafts and
  resources never published do not exist here. Deletions are **transient**: a resource
  removed from the database (rather than withdrawn) leaves no trace, and one moved back
  to review disappears.
- Lists are paged by ``OAI_PAGE_SIZE`` in resource id order (keyset: each page is one
  indexed query whatever its depth). Resumption tokens are opaque, signed and expire after
  ``OAI_TOKEN_LIFETIME`` seconds; they carry ``cursor`` and ``completeListSize``.
- Each page costs a fixed number of queries (resources, then countries, themes and targets
  prefetched), whatever its size.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core import signing
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sdg87.countries.models import Country
from sdg87.framework.models import Target, Theme
from sdg87.library.models import Resource, ResourceStatus, ResourceType

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DELETED_RECORD = "transient"
TOKEN_SALT = "sdg87.library.oai.resumption"  # noqa: S105 (a signing salt)

LIST_VERBS = ("ListIdentifiers", "ListRecords")
# verb → (required arguments, optional arguments, exclusive argument)
VERBS: dict[str, tuple[frozenset[str], frozenset[str], str | None]] = {
    "Identify": (frozenset(), frozenset(), None),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"}), None),
    "ListSets": (frozenset(), frozenset(), "resumptionToken"),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset(), None),
}
METADATA_FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS)}

# Characters XML 1.0 does not allow, even escaped (control characters from extracted text).
_INVALID_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class OaiProtocolError(Exception):
    """An OAI-PMH error answer: ``code`` is one of the protocol's error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- the request ------------------------------------------------------------------


@dataclass(frozen=True)
class ListQuery:
    """What a list request selects, and where its current page starts."""

    verb: str
    metadata_prefix: str
    from_time: datetime.datetime | None = None
    until_time: datetime.datetime | None = None
    set_spec: str = ""
    after_id: int = 0
    cursor: int = 0
    complete_list_size: int | None = None


def request_arguments(params: Mapping[str, list[str]]) -> dict[str, str]:
    """One value per argument; ``badArgument`` for a repeated one, ``badVerb`` for no verb."""
    arguments = {}
    for name, values in params.items():
        if len(values) != 1:
            code = "badVerb" if name == "verb" else "badArgument"
            raise OaiProtocolError(code, f"the argument {name!r} is repeated")
        arguments[name] = values[0]
    verb = arguments.get("verb")
    if not verb:
        raise OaiProtocolError("badVerb", "the verb argument is missing")
    if verb not in VERBS:
        raise OaiProtocolError("badVerb", f"{verb!r} is not an OAI-PMH verb")
    required, optional, exclusive = VERBS[verb]
    given = set(arguments) - {"verb"}
    if exclusive and exclusive in given:
        if given != {exclusive}:
            raise OaiProtocolError(
                "badArgument", f"{exclusive} must be the only argument besides the verb"
            )
        return arguments
    unknown = given - required - optional
    if unknown:
        raise OaiProtocolError(
            "badArgument", f"illegal arguments for {verb}: {', '.join(sorted(unknown))}"
        )
    missing = required - given
    if missing:
        raise OaiProtocolError(
            "badArgument", f"missing arguments for {verb}: {', '.join(sorted(missing))}"
        )
    return arguments


def parse_datestamp(value: str, *, name: str, upper: bool) -> tuple[datetime.datetime, str]:
    """A UTC moment and its granularity; ``until`` is inclusive of the whole day or second."""
    if _SECOND.fullmatch(value):
        granularity = GRANULARITY
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        step = datetime.timedelta(seconds=1)
    elif _DAY.fullmatch(value):
        granularity = "YYYY-MM-DD"
        fmt = "%Y-%m-%d"
        step = datetime.timedelta(days=1)
    else:
        raise OaiProtocolError(
            "badArgument", f"{name} {value!r} is not a UTC datestamp (YYYY-MM-DD[Thh:mm:ssZ])"
        )
    try:
        moment = datetime.datetime.strptime(value, fmt).replace(tzinfo=datetime.UTC)
    except ValueError:
        raise OaiProtocolError("badArgument", f"{name} {value!r} is not a valid date") from None
    return (moment + step if upper else moment), granularity


def datestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def list_query(arguments: Mapping[str, str]) -> ListQuery:
    verb = arguments["verb"]
    if "resumptionToken" in arguments:
        return token_decode(arguments["resumptionToken"], verb=verb)
    prefix = arguments["metadataPrefix"]
    if prefix not in METADATA_FORMATS:
        raise OaiProtocolError(
            "cannotDisseminateFormat", f"the metadata format {prefix!r} is not supported"
        )
    from_time = until_time = None
    granularities = set()
    if "from" in arguments:
        from_time, granularity = parse_datestamp(arguments["from"], name="from", upper=False)
        granularities.add(granularity)
    if "until" in arguments:
        until_time, granularity = parse_datestamp(arguments["until"], name="until", upper=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OaiProtocolError("badArgument", "from and until must have the same granularity")
    if from_time and until_time and from_time >= until_time:
        raise OaiProtocolError("badArgument", "from is later than until")
    return ListQuery(
        verb=verb,
        metadata_prefix=prefix,
        from_time=from_time,
        until_time=until_time,
        set_spec=arguments.get("set", ""),
    )


# --- resumption tokens ------------------------------------------------------------


def token_encode(query: ListQuery, *, after_id: int, cursor: int, size: int) -> str:
    payload = {
        "v": query.verb,
        "p": query.metadata_prefix,
        "f": query.from_time.isoformat() if query.from_time else None,
        "u": query.until_time.isoformat() if query.until_time else None,
        "s": query.set_spec,
        "a": after_id,
        "c": cursor,
        "n": size,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def token_decode(token: str, *, verb: str) -> ListQuery:
    lifetime = int(getattr(settings, "OAI_TOKEN_LIFETIME", 24 * 3600))
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=lifetime)
    except signing.SignatureExpired:
        raise OaiProtocolError("badResumptionToken", "the resumption token has expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise OaiProtocolError("badResumptionToken", "the resumption token is not valid") from None
    if not isinstance(payload, dict) or payload.get("v") != verb:
        raise OaiProtocolError("badResumptionToken", f"the resumption token is not for {verb}")
    return ListQuery(
        verb=verb,
        metadata_prefix=str(payload["p"]),
        from_time=datetime.datetime.fromisoformat(payload["f"]) if payload["f"] else None,
        until_time=datetime.datetime.fromisoformat(payload["u"]) if payload["u"] else None,
        set_spec=str(payload["s"]),
        after_id=int(payload["a"]),
        cursor=int(payload["c"]),
        complete_list_size=int(payload["n"]),
    )


def token_expiration(issued: datetime.datetime) -> str:
    lifetime = int(getattr(settings, "OAI_TOKEN_LIFETIME", 24 * 3600))
    return datestamp(issued + datetime.timedelta(seconds=lifetime))


# --- reads ------------------------------------------------------------------------


def exposed_resources() -> QuerySet[Resource]:
    """Published resources, and those withdrawn after being published (deleted records)."""
    return Resource.objects.filter(
        Q(status=ResourceStatus.PUBLISHED)
        | Q(status=ResourceStatus.WITHDRAWN, published_at__isnull=False)
    )


def with_related(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return resources.prefetch_related(
        Prefetch("countries", queryset=Country.objects.only("id", "iso3").order_by("iso3")),
        Prefetch("themes", queryset=Theme.objects.only("id", "slug", "name_en")),
        Prefetch("targets", queryset=Target.objects.only("id", "code")),
    )


def in_set(resources: QuerySet[Resource], set_spec: str) -> QuerySet[Resource]:
    if not set_spec:
        return resources
    family, _colon, value = set_spec.partition(":")
    if family == "type" and not value:
        return resources
    if family == "type" and value in ResourceType.values:
        return resources.filter(type=value)
    if family == "theme":
        links = Resource.themes.through.objects.filter(resource_id=OuterRef("pk"))
        if value:
            links = links.filter(theme__slug=value)
        return resources.filter(Exists(links))
    return resources.none()


def list_page(query: ListQuery, page_size: int) -> tuple[list[Resource], bool, int]:
    """The page's resources, whether more follow, and the complete list size."""
    resources = in_set(exposed_resources(), query.set_spec)
    if query.from_time:
        resources = resources.filter(updated_at__gte=query.from_time)
    if query.until_time:
        resources = resources.filter(updated_at__lt=query.until_time)
    size = query.complete_list_size
    if size is None:
        size = resources.count()
    page = list(
        with_related(resources.filter(pk__gt=query.after_id).order_by("pk"))[: page_size + 1]
    )
    return page[:page_size], len(page) > page_size, size


def resource_for_identifier(identifier: str) -> Resource:
    prefix = f"oai:{repository_identifier()}:"
    local = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    resource = None
    if local.isdigit():
        resource = with_related(exposed_resources().filter(pk=int(local))).first()
    if resource is None:
        raise OaiProtocolError("idDoesNotExist", f"no record has the identifier {identifier!r}")
    return resource


def earliest_datestamp() -> str:
    earliest = exposed_resources().aggregate(earliest=Min("updated_at"))["earliest"]
    return datestamp(earliest or timezone.now())


def repository_identifier() -> str:
    return str(getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "sdg87.local"))


def oai_identifier(resource: Resource) -> str:
    return f"oai:{repository_identifier()}:{resource.pk}"


def landing_page(resource: Resource) -> str:
    """The path of the resource's page (in English: identifiers do not change with language)."""
    with translation.override("en"):
        return reverse("library:resource", kwargs={"resource_id": resource.pk})


# --- XML ---------------------------------------------------------------------------


def xml_text(value: Any) -> str:
    return escape(_INVALID_XML.sub("", str(value)))


def xml_attribute(value: Any) -> str:
    return quoteattr(_INVALID_XML.sub("", str(value)))


def element(name: str, text: Any = "", **attributes: Any) -> str:
    attrs = "".join(f" {key}={xml_attribute(value)}" for key, value in attributes.items())
    return f"<{name}{attrs}>{xml_text(text)}</{name}>"


def resource_sets(resource: Resource) -> list[str]:
    return [f"type:{resource.type}"] + [f"theme:{theme.slug}" for theme in resource.themes.all()]


def header(resource: Resource) -> str:
    deleted = resource.status == ResourceStatus.WITHDRAWN
    parts = [
        "<header",
        ' status="deleted">' if deleted else ">",
        element("identifier", oai_identifier(resource)),
        element("datestamp", datestamp(resource.updated_at)),
        *(element("setSpec", spec) for spec in resource_sets(resource)),
        "</header>",
    ]
    return "".join(parts)


def _author_names(authors: Any) -> list[str]:
    names = []
    for author in authors if isinstance(authors, list) else []:
        name = author.get("name", "") if isinstance(author, dict) else author
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def dublin_core_elements(resource: Resource, site_url: str = "") -> list[tuple[str, str]]:
    """``(element, value)`` pairs of the resource's Dublin Core description; ``site_url``
    (``https://host``) adds the resource page as a second identifier."""
    elements: list[tuple[str, str]] = [("title", resource.title)]
    elements += [("creator", name) for name in _author_names(resource.authors)]
    elements += [("subject", theme.name_en) for theme in resource.themes.all()]
    elements += [("subject", f"SDG target {target.code}") for target in resource.targets.all()]
    if resource.abstract:
        elements.append(("description", resource.abstract))
    if resource.organisation:
        elements.append(("publisher", resource.organisation))
    if resource.year:
        elements.append(("date", str(resource.year)))
    elements.append(("type", resource.type))
    if resource.url:
        elements.append(("identifier", resource.url))
    if site_url:
        elements.append(("identifier", site_url + landing_page(resource)))
    if resource.language:
        elements.append(("language", resource.language))
    elements += [("coverage", country.iso3) for country in resource.countries.all()]
    if resource.licence:
        elements.append(("rights", resource.licence))
    return elements


def oai_dc(resource: Resource, site_url: str = "") -> str:
    pairs = dublin_core_elements(resource, site_url)
    body = "".join(element(f"dc:{name}", value) for name, value in pairs)
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" '
        f'xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{OAI_DC_NS} {OAI_DC_SCHEMA}">'
        f"{body}</oai_dc:dc>"
    )


def record(resource: Resource, site_url: str = "") -> str:
    if resource.status == ResourceStatus.WITHDRAWN:
        return f"<record>{header(resource)}</record>"
    metadata = oai_dc(resource, site_url)
    return f"<record>{header(resource)}<metadata>{metadata}</metadata></record>"


def envelope(
    *, base_url: str, now: datetime.datetime, arguments: Mapping[str, str] | None, body: str
) -> str:
    """The OAI-PMH document; ``arguments`` ``None`` for badVerb/badArgument (bare request)."""
    request_attributes = "".join(
        f" {name}={xml_attribute(value)}" for name, value in (arguments or {}).items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">'
        f"{element('responseDate', datestamp(now))}"
        f"<request{request_attributes}>{xml_text(base_url)}</request>"
        f"{body}</OAI-PMH>\n"
    )


# --- verbs ----------------------------------------------------------------------------


def identify(base_url: str) -> str:
    repository = repository_identifier()
    description = (
        f'<description><oai-identifier xmlns="{OAI_IDENTIFIER_NS}" '
        f'xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}">'
        f"{element('scheme', 'oai')}{element('repositoryIdentifier', repository)}"
        f"{element('delimiter', ':')}{element('sampleIdentifier', f'oai:{repository}:1')}"
        "</oai-identifier></description>"
    )
    return (
        "<Identify>"
        f"{element('repositoryName', getattr(settings, 'OAI_REPOSITORY_NAME', 'sdg87'))}"
        f"{element('baseURL', base_url)}"
        f"{element('protocolVersion', '2.0')}"
        f"{element('adminEmail', getattr(settings, 'OAI_ADMIN_EMAIL', 'sdg87@localhost'))}"
        f"{element('earliestDatestamp', earliest_datestamp())}"
        f"{element('deletedRecord', DELETED_RECORD)}"
        f"{element('granularity', GRANULARITY)}"
        f"{description}</Identify>"
    )


def list_metadata_formats(arguments: Mapping[str, str]) -> str:
    if "identifier" in arguments:
        resource_for_identifier(arguments["identifier"])
    formats = "".join(
        "<metadataFormat>"
        f"{element('metadataPrefix', prefix)}{element('schema', schema)}"
        f"{element('metadataNamespace', namespace)}</metadataFormat>"
        for prefix, (schema, namespace) in METADATA_FORMATS.items()
    )
    return f"<ListMetadataFormats>{formats}</ListMetadataFormats>"


def set_list() -> list[tuple[str, str]]:
    sets = [("type", "Resource types")]
    sets += [(f"type:{value}", str(label)) for value, label in ResourceType.choices]
    themes = list(Theme.objects.only("slug", "name_en").order_by("position", "slug"))
    if themes:
        sets.append(("theme", "Themes"))
        sets += [(f"theme:{theme.slug}", theme.name_en) for theme in themes]
    return sets


def list_sets(arguments: Mapping[str, str]) -> str:
    if "resumptionToken" in arguments:
        raise OaiProtocolError(
            "badResumptionToken", "ListSets is answered in one response: no token is valid"
        )
    entries = "".join(
        f"<set>{element('setSpec', spec)}{element('setName', name)}</set>"
        for spec, name in set_list()
    )
    return f"<ListSets>{entries}</ListSets>"


def list_records(
    arguments: Mapping[str, str], *, now: datetime.datetime, site_url: str = ""
) -> str:
    query = list_query(arguments)
    page_size = max(1, int(getattr(settings, "OAI_PAGE_SIZE", 100)))
    resources, more, size = list_page(query, page_size)
    if not resources:
        raise OaiProtocolError("noRecordsMatch", "no records match the request")
    if query.verb == "ListIdentifiers":
        items = "".join(header(resource) for resource in resources)
    else:
        items = "".join(record(resource, site_url) for resource in resources)
    token = ""
    if more:
        value = token_encode(
            query, after_id=resources[-1].pk, cursor=query.cursor + len(resources), size=size
        )
        token = element(
            "resumptionToken",
            value,
            expirationDate=token_expiration(now),
            completeListSize=size,
            cursor=query.cursor,
        )
    elif query.cursor:
        token = element("resumptionToken", "", completeListSize=size, cursor=query.cursor)
    return f"<{query.verb}>{items}{token}</{query.verb}>"


def get_record(arguments: Mapping[str, str], *, site_url: str = "") -> str:
    resource = resource_for_identifier(arguments["identifier"])
    if arguments["metadataPrefix"] not in METADATA_FORMATS:
        raise OaiProtocolError(
            "cannotDisseminateFormat",
            f"the metadata format {arguments['metadataPrefix']!r} is not supported",
        )
    return f"<GetRecord>{record(resource, site_url)}</GetRecord>"


def oai_document(
    params: Mapping[str, list[str]],
    *,
    base_url: str,
    site_url: str = "",
    now: datetime.datetime | None = None,
) -> str:
    """The OAI-PMH response to a request's arguments (``name → values``)."""
    now = now or timezone.now()
    try:
        arguments = request_arguments(params)
    except OaiProtocolError as error:
        return envelope(base_url=base_url, now=now, arguments=None, body=_error(error))
    verb = arguments["verb"]
    try:
        if verb == "Identify":
            body = identify(base_url)
        elif verb == "ListMetadataFormats":
            body = list_metadata_formats(arguments)
        elif verb == "ListSets":
            body = list_sets(arguments)
        elif verb in LIST_VERBS:
            body = list_records(arguments, now=now, site_url=site_url)
        else:
            body = get_record(arguments, site_url=site_url)
    except OaiProtocolError as error:
        shown = None if error.code in ("badVerb", "badArgument") else arguments
        return envelope(base_url=base_url, now=now, arguments=shown, body=_error(error))
    return envelope(base_url=base_url, now=now, arguments=arguments, body=body)


def _error(error: OaiProtocolError) -> str:
    return element("error", error.message, code=error.code)


def _multi(params: Any) -> dict[str, list[str]]:
    return {name: params.getlist(name) for name in params}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai_endpoint(request: HttpRequest) -> HttpResponse:
    """``/oai``: the OAI-PMH 2.0 endpoint (GET query string or POST form)."""
    params = request.POST if request.method == "POST" else request.GET
    base_url = request.build_absolute_uri(request.path)
    site_url = request.build_absolute_uri("/").rstrip("/")
    document = oai_document(_multi(params), base_url=base_url, site_url=site_url)
    return HttpResponse(document.encode("utf-8"), content_type="text/xml; charset=utf-8")
