"""The OAI-PMH 2.0 provider at /oai: verbs, arguments, errors, paging, visibility."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from sdg87.library.models import Resource, ResourceStatus
from sdg87.library.tests.oai_support import DC, OAI, OAI_DC, errors, make_resource, parse, theme

pytestmark = pytest.mark.django_db

SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"


def oai(client, **params):
    response = client.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return parse(response.content)


def identifiers(root, verb="ListRecords"):
    return [element.text for element in root.iter(f"{OAI}identifier")]


def local_id(resource: Resource) -> str:
    return f"oai:sdg87.local:{resource.pk}"


# --- the envelope ----------------------------------------------------------------------


def test_identify_describes_the_repository(client):
    make_resource()
    root = oai(client, verb="Identify")
    assert root.tag == f"{OAI}OAI-PMH"
    assert root.get(SCHEMA_LOCATION).startswith("http://www.openarchives.org/OAI/2.0/ ")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.findtext(f"{OAI}responseDate"))
    request = root.find(f"{OAI}request")
    assert request.get("verb") == "Identify"
    assert request.text == "http://testserver/oai"
    identify = root.find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}protocolVersion") == "2.0"
    assert identify.findtext(f"{OAI}baseURL") == "http://testserver/oai"
    assert identify.findtext(f"{OAI}deletedRecord") == "transient"
    assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext(f"{OAI}adminEmail")
    assert identify.findtext(f"{OAI}earliestDatestamp")


def test_post_is_answered_like_get(client):
    make_resource()
    response = client.post("/oai", {"verb": "Identify"})
    assert parse(response.content).find(f"{OAI}Identify") is not None


def test_list_metadata_formats_offers_oai_dc(client):
    root = oai(client, verb="ListMetadataFormats")
    formats = root.findall(f"{OAI}ListMetadataFormats/{OAI}metadataFormat")
    assert [item.findtext(f"{OAI}metadataPrefix") for item in formats] == ["oai_dc"]
    assert formats[0].findtext(f"{OAI}metadataNamespace") == OAI_DC.strip("{}")


def test_list_metadata_formats_for_an_unknown_identifier_is_id_does_not_exist(client):
    root = oai(client, verb="ListMetadataFormats", identifier="oai:sdg87.local:999999")
    assert errors(root) == ["idDoesNotExist"]


def test_list_sets_has_types_and_themes(client):
    theme("child-labour", "Child labour")
    root = oai(client, verb="ListSets")
    specs = [element.text for element in root.iter(f"{OAI}setSpec")]
    assert {"type", "type:research", "type:news", "theme", "theme:child-labour"} <= set(specs)


# --- records ------------------------------------------------------------------------------


def test_get_record_returns_dublin_core(client):
    labour = theme("forced-labour", "Forced labour")
    resource = make_resource(
        title="Forced labour in supply chains",
        abstract="A study & <review>.",
        year=2021,
        type="evaluation",
        url="https://example.org/report",
        organisation="ILO",
        licence="CC BY 4.0",
        language="fr",
        authors=["A. Author"],
        countries=("KEN", "FRA"),
        themes=(labour,),
    )
    root = oai(client, verb="GetRecord", identifier=local_id(resource), metadataPrefix="oai_dc")
    header = root.find(f"{OAI}GetRecord/{OAI}record/{OAI}header")
    assert header.findtext(f"{OAI}identifier") == local_id(resource)
    assert [spec.text for spec in header.findall(f"{OAI}setSpec")] == [
        "type:evaluation",
        "theme:forced-labour",
    ]
    dc = root.find(f"{OAI}GetRecord/{OAI}record/{OAI}metadata/{OAI_DC}dc")

    def values(name):
        return [element.text for element in dc.findall(f"{DC}{name}")]

    assert values("title") == ["Forced labour in supply chains"]
    assert values("description") == ["A study & <review>."]
    assert values("date") == ["2021"]
    assert values("type") == ["evaluation"]
    assert values("identifier") == [
        "https://example.org/report",
        f"http://testserver/en/library/{resource.pk}/",
    ]
    assert values("publisher") == ["ILO"]
    assert values("rights") == ["CC BY 4.0"]
    assert values("language") == ["fr"]
    assert values("creator") == ["A. Author"]
    assert values("subject") == ["Forced labour"]
    assert values("coverage") == ["FRA", "KEN"]


def test_control_characters_from_extracted_text_do_not_break_the_xml(client):
    resource = make_resource(title="Bad\x0bchars\x0c here", abstract="\x1bescape")
    root = oai(client, verb="GetRecord", identifier=local_id(resource), metadataPrefix="oai_dc")
    assert root.find(f".//{DC}title").text == "Badchars here"
    assert root.find(f".//{DC}description").text == "escape"


def test_drafts_and_resources_in_review_do_not_exist(client):
    draft = make_resource(status=ResourceStatus.DRAFT)
    in_review = make_resource(status=ResourceStatus.IN_REVIEW)
    for resource in (draft, in_review):
        root = oai(client, verb="GetRecord", identifier=local_id(resource), metadataPrefix="oai_dc")
        assert errors(root) == ["idDoesNotExist"]
    assert errors(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == [
        "noRecordsMatch"
    ]


def test_a_resource_withdrawn_after_publication_is_a_deleted_record(client):
    resource = make_resource(status=ResourceStatus.WITHDRAWN)
    root = oai(client, verb="GetRecord", identifier=local_id(resource), metadataPrefix="oai_dc")
    record = root.find(f"{OAI}GetRecord/{OAI}record")
    assert record.find(f"{OAI}header").get("status") == "deleted"
    assert record.find(f"{OAI}metadata") is None


def test_a_resource_withdrawn_without_ever_being_published_does_not_exist(client):
    resource = make_resource(status=ResourceStatus.WITHDRAWN, published_at=None)
    root = oai(client, verb="GetRecord", identifier=local_id(resource), metadataPrefix="oai_dc")
    assert errors(root) == ["idDoesNotExist"]


def test_list_records_pages_with_resumption_tokens(client, settings):
    settings.OAI_PAGE_SIZE = 2
    resources = [make_resource() for _ in range(5)]
    first = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find(f"{OAI}ListRecords/{OAI}resumptionToken")
    assert token.get("completeListSize") == "5"
    assert token.get("cursor") == "0"
    assert token.get("expirationDate")
    seen = identifiers(first)
    while token is not None and token.text:
        page = oai(client, verb="ListRecords", resumptionToken=token.text)
        seen += identifiers(page)
        token = page.find(f"{OAI}ListRecords/{OAI}resumptionToken")
    assert seen == [local_id(resource) for resource in resources]
    assert token.get("cursor") == "4"
    assert token.get("completeListSize") == "5"


def test_list_identifiers_gives_headers_only(client):
    make_resource()
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert len(root.findall(f"{OAI}ListIdentifiers/{OAI}header")) == 1
    assert root.find(f".//{OAI}metadata") is None


def test_from_and_until_select_by_datestamp(client):
    old = make_resource()
    new = make_resource()
    Resource.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, 12, 0, 0, 500_000, tzinfo=datetime.UTC)
    )
    Resource.objects.filter(pk=new.pk).update(
        updated_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )
    since = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2021-01-01"})
    assert identifiers(since) == [local_id(new)]
    until = oai(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-01-01T12:00:00Z"
    )
    assert identifiers(until) == [local_id(old)]


def test_sets_select_by_type_and_theme(client):
    child = theme("child-labour", "Child labour")
    news = make_resource(type="news")
    tagged = make_resource(themes=(child,))
    by_type = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:news")
    assert identifiers(by_type) == [local_id(news)]
    by_theme = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="theme")
    assert identifiers(by_theme) == [local_id(tagged)]
    unknown = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="nope")
    assert errors(unknown) == ["noRecordsMatch"]


def test_a_page_costs_the_same_queries_whatever_its_size(
    client, settings, django_assert_max_num_queries
):
    settings.OAI_PAGE_SIZE = 50
    child = theme("child-labour", "Child labour")
    for _ in range(30):
        make_resource(countries=("KEN", "FRA"), themes=(child,))
    with django_assert_max_num_queries(6):
        root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(root.findall(f"{OAI}ListRecords/{OAI}record")) == 30


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Explode"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "x"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        (
            {"verb": "GetRecord", "identifier": "oai:elsewhere:1", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
    ],
)
def test_bad_requests_get_the_oai_error_code(client, params, code):
    make_resource()
    assert errors(oai(client, **params)) == [code]


def test_a_repeated_argument_is_bad_argument(client):
    root = parse(
        client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc").content
    )
    assert errors(root) == ["badArgument"]
    assert root.find(f"{OAI}request").attrib == {}


def test_bad_verb_echoes_no_arguments_in_the_request_element(client):
    root = oai(client, verb="Explode")
    assert root.find(f"{OAI}request").attrib == {}


def test_get_record_in_an_unknown_format_cannot_be_disseminated(client):
    resource = make_resource()
    root = oai(client, verb="GetRecord", identifier=local_id(resource), metadataPrefix="marc21")
    assert errors(root) == ["cannotDisseminateFormat"]


def test_an_expired_resumption_token_is_refused(client, settings):
    settings.OAI_PAGE_SIZE = 1
    make_resource()
    make_resource()
    token = oai(client, verb="ListRecords", metadataPrefix="oai_dc").find(
        f".//{OAI}resumptionToken"
    )
    settings.OAI_TOKEN_LIFETIME = -1
    root = oai(client, verb="ListRecords", resumptionToken=token.text)
    assert errors(root) == ["badResumptionToken"]


def test_a_token_for_another_verb_is_refused(client, settings):
    settings.OAI_PAGE_SIZE = 1
    make_resource()
    make_resource()
    token = oai(client, verb="ListRecords", metadataPrefix="oai_dc").find(
        f".//{OAI}resumptionToken"
    )
    assert errors(oai(client, verb="ListIdentifiers", resumptionToken=token.text)) == [
        "badResumptionToken"
    ]


def test_an_empty_repository_answers_no_records_match(client):
    assert errors(oai(client, verb="ListRecords", metadataPrefix="oai_dc")) == ["noRecordsMatch"]


def test_earliest_datestamp_is_the_oldest_exposed_change(client):
    resource = make_resource()
    moment = timezone.now() - datetime.timedelta(days=400)
    Resource.objects.filter(pk=resource.pk).update(updated_at=moment)
    root = oai(client, verb="Identify")
    assert root.findtext(f".//{OAI}earliestDatestamp") == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
