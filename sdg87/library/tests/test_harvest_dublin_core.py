"""Dublin Core and OAI-PMH responses → resource records (pure: no database, no network)."""

from __future__ import annotations

import datetime

import pytest

from sdg87.library.dublin_core import Vocabulary, plain_text, record_from_dublin_core
from sdg87.library.harvest_oai import (
    BadResumptionToken,
    OaiError,
    as_granularity,
    base_url,
    list_records_url,
    parse_identify,
    parse_list_records,
)
from sdg87.library.ingest import RecordInvalid
from sdg87.library.safe_http import BadResponse
from sdg87.library.tests.oai_support import dc_record, oai_document

VOCABULARY = Vocabulary(
    countries={"kenya": "KEN", "ken": "KEN", "ke": "KEN", "cote d'ivoire": "CIV", "civ": "CIV"},
    themes={"child labour": "child-labour", "travail des enfants": "child-labour"},
)
TODAY = datetime.date(2025, 1, 1)


def dc(**elements):
    return record_from_dublin_core("id-1", elements, vocabulary=VOCABULARY, today=TODAY)


def test_title_is_required():
    with pytest.raises(RecordInvalid) as problem:
        dc(description=["no title"])
    assert problem.value.field == "title"


def test_coverage_names_and_codes_become_countries_accents_ignored():
    record = dc(title=["T"], coverage=["Côte d'Ivoire", "KE", "Sahel"])
    assert record.countries == ("CIV", "KEN")
    assert record.extra["coverage"] == ["Sahel"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [("en", "en"), ("eng", "en"), ("English", "en"), ("fr-FR", "fr"), ("Español", "es")],
)
def test_language_codes_and_names_become_iso_639_1(given, expected):
    assert dc(title=["T"], language=[given]).language == expected


def test_an_unknown_language_is_kept_aside_not_an_error():
    record = dc(title=["T"], language=["Klingon tongue"])
    assert record.language == ""
    assert record.extra["language_as_given"] == "Klingon tongue"


def test_only_an_http_identifier_becomes_the_url():
    record = dc(
        title=["T"],
        identifier=["javascript:alert(1)", "doi:10.1/x", "ftp://x.org/a", "https://x.org/r"],
    )
    assert record.url == "https://x.org/r"
    assert record.extra["identifiers"] == ["javascript:alert(1)", "doi:10.1/x", "ftp://x.org/a"]


def test_the_first_plausible_year_is_taken_from_dates():
    assert dc(title=["T"], date=["unknown", "circa 1750", "2019-04-01"]).year == 2019
    assert dc(title=["T"], date=["3019"]).year is None


def test_type_words_map_to_resource_types():
    assert dc(title=["T"], type=["Text", "Evaluation"]).type == "evaluation"
    unknown = dc(title=["T"], type=["Sound"])
    assert unknown.type == "research"
    assert unknown.extra["type_as_given"] == "Sound"


def test_publisher_rights_creators_and_subjects():
    record = dc(
        title=["T"],
        publisher=["ILO", "UNICEF"],
        rights=["CC BY 4.0"],
        creator=["A", "B"],
        subject=["Travail des enfants", "cocoa"],
    )
    assert (record.organisation, record.licence, record.authors) == ("ILO", "CC BY 4.0", ("A", "B"))
    assert record.themes == ("child-labour",)
    assert record.extra["subjects"] == ["Travail des enfants", "cocoa"]
    assert record.extra["publishers"] == ["ILO", "UNICEF"]


def test_overlong_names_are_shortened_not_rejected():
    record = dc(title=["T"], publisher=["x" * 400])
    assert len(record.organisation) == 255


def test_html_is_removed_from_descriptions():
    assert plain_text("<p>One &amp; <b>two</b></p>\n\n\n\nthree") == "One & two\n\nthree"


# --- OAI-PMH responses --------------------------------------------------------------------


def test_a_list_records_page_is_parsed():
    body = oai_document(
        "ListRecords",
        "<ListRecords>"
        + dc_record("oai:a:1", title="One", subject=["x", "y"])
        + dc_record("oai:a:2", deleted=True)
        + '<resumptionToken completeListSize="10" cursor="0">next</resumptionToken>'
        "</ListRecords>",
    ).encode()
    page = parse_list_records(body, url="http://a/oai")
    assert [record.identifier for record in page.records] == ["oai:a:1", "oai:a:2"]
    assert page.records[0].elements == {"title": ["One"], "subject": ["x", "y"]}
    assert page.records[1].deleted
    assert (page.token, page.complete_list_size, page.cursor) == ("next", 10, 0)


def test_no_records_match_is_an_empty_last_page():
    body = oai_document("ListRecords", '<error code="noRecordsMatch"/>').encode()
    page = parse_list_records(body, url="http://a/oai")
    assert (page.records, page.token) == ([], "")


def test_bad_resumption_token_is_its_own_error():
    body = oai_document("ListRecords", '<error code="badResumptionToken">gone</error>').encode()
    with pytest.raises(BadResumptionToken, match="gone"):
        parse_list_records(body, url="http://a/oai")


def test_other_oai_errors_carry_their_code():
    body = oai_document("ListRecords", '<error code="badArgument">bad\nfrom</error>').encode()
    with pytest.raises(OaiError) as error:
        parse_list_records(body, url="http://a/oai")
    assert error.value.oai_code == "badArgument"
    assert "\n" not in error.value.message


def test_a_record_without_a_header_is_a_bad_response():
    body = oai_document("ListRecords", "<ListRecords><record/></ListRecords>").encode()
    with pytest.raises(BadResponse, match="without a header"):
        parse_list_records(body, url="http://a/oai")


def test_identify_gives_the_granularity():
    body = oai_document(
        "Identify", "<Identify><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>"
    ).encode()
    identify = parse_identify(body, url="http://a/oai")
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.response_date == "2024-06-01T10:00:00Z"


def test_datestamps_follow_the_repository_granularity():
    assert as_granularity("2024-06-01T10:00:00Z", "YYYY-MM-DD") == "2024-06-01"
    assert as_granularity("2024-06-01", "YYYY-MM-DDThh:mm:ssZ") == "2024-06-01T00:00:00Z"
    assert as_granularity("", "YYYY-MM-DD") == ""


def test_request_urls():
    base = base_url("https://repo.org/oai?verb=Identify#x")
    assert base == "https://repo.org/oai"
    assert (
        list_records_url(base, from_datestamp="2024-01-01")
        == "https://repo.org/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01"
    )
    assert (
        list_records_url(base, token="a b&c", from_datestamp="2024-01-01")
        == "https://repo.org/oai?verb=ListRecords&resumptionToken=a+b%26c"
    )
