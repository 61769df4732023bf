"""Harvesting an OAI-PMH repository and RSS/Atom feeds served by local test servers."""

from __future__ import annotations

import json

import pytest

from sdg87 import cli
from sdg87.accounts.tests.factories import country
from sdg87.core.errors import InvalidInput
from sdg87.library.harvest import harvest_run
from sdg87.library.harvest_oai import BadResumptionToken, OaiError
from sdg87.library.models import Harvest, Resource, ResourceStatus
from sdg87.library.safe_http import AddressRefused, BadResponse, ResponseTooLarge
from sdg87.library.tests.local_http import serving
from sdg87.library.tests.oai_support import FakeRepository, dc_record, oai_document, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_server():
    yield from serving()


@pytest.fixture
def other_server():
    yield from serving()


@pytest.fixture
def allowed(settings, local_server):
    """The SSRF guard lets in this test's server, and no other private address."""
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    settings.HARVEST_ALLOWED_PRIVATE_ENDPOINTS = [local_server.endpoint]
    return local_server


@pytest.fixture
def places(db):
    country("KEN", "Kenya")
    country("FRA", "France")
    theme("child-labour", "Child labour", "Travail des enfants", "Trabajo infantil")


def record(number: int, **elements) -> str:
    values = {"title": f"Report {number}", "date": "2021-03-01", "language": "en"}
    values.update(elements)
    return dc_record(f"oai:repo.test:{number}", **values)


def serve(server, pages, **options) -> FakeRepository:
    repository = FakeRepository(pages, **options)
    server.route("/oai", repository)
    return repository


def harvest(server, path="/oai", protocol="oai-pmh"):
    return harvest_run(url=server.url(path), protocol=protocol)


def source_of(server) -> str:
    return f"oai:{server.url('/oai')}"


# --- OAI-PMH ---------------------------------------------------------------------------------


def test_dublin_core_records_become_resources(allowed, places):
    serve(
        allowed,
        [
            [
                record(
                    1,
                    title="Child labour in cocoa",
                    description="<p>Findings &amp; figures</p>",
                    date="2019-05-02",
                    language="French",
                    type="Evaluation report",
                    identifier=["urn:isbn:123", "https://example.org/cocoa"],
                    publisher="ILO",
                    rights="CC BY 4.0",
                    coverage=["Kenya", "FRA", "West Africa"],
                    creator=["A. Author", "B. Author"],
                    subject=["Travail des enfants", "cocoa"],
                )
            ]
        ],
    )
    summary = harvest(allowed)
    assert (summary.created, summary.pages, summary.records_seen) == (1, 1, 1)
    resource = Resource.objects.get(source=source_of(allowed), source_record_id="oai:repo.test:1")
    assert resource.title == "Child labour in cocoa"
    assert resource.abstract == "Findings & figures"
    assert resource.year == 2019
    assert resource.language == "fr"
    assert resource.url == "https://example.org/cocoa"
    assert resource.organisation == "ILO"
    assert resource.licence == "CC BY 4.0"
    assert resource.authors == ["A. Author", "B. Author"]
    assert sorted(resource.countries.values_list("iso3", flat=True)) == ["FRA", "KEN"]
    assert list(resource.themes.values_list("slug", flat=True)) == ["child-labour"]
    assert resource.extra["coverage"] == ["West Africa"]
    assert resource.extra["identifiers"] == ["urn:isbn:123"]
    assert resource.status == ResourceStatus.PUBLISHED


def test_a_second_harvest_creates_nothing(allowed, places):
    serve(allowed, [[record(1), record(2)]])
    harvest(allowed)
    again = harvest(allowed)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Resource.objects.count() == 2


def test_the_next_harvest_starts_from_the_repository_clock_at_the_last_start(allowed, places):
    repository = serve(allowed, [[record(1)]], response_date="2024-06-01T10:00:00Z")
    harvest(allowed)
    assert "from" not in repository.list_requests[0]
    assert Harvest.objects.get().last_datestamp == "2024-06-01"
    harvest(allowed)
    assert repository.list_requests[-1]["from"] == "2024-06-01"


def test_resumption_tokens_are_followed_to_the_last_page(allowed, places):
    repository = serve(allowed, [[record(1), record(2)], [record(3), record(4)], [record(5)]])
    progress = []
    summary = harvest_run(
        url=allowed.url("/oai"),
        protocol="oai-pmh",
        progress=lambda current, total, message: progress.append((current, total)),
    )
    assert (summary.created, summary.pages) == (5, 3)
    assert [request.get("resumptionToken") for request in repository.list_requests] == [
        None,
        "page-1",
        "page-2",
    ]
    assert progress == [(2, 5), (4, 5), (5, 5)]
    assert Harvest.objects.get().resumption_token == ""


def test_a_failure_keeps_finished_pages_and_the_next_run_resumes_without_duplicates(
    allowed, places
):
    repository = serve(allowed, [[record(1), record(2)], [record(3)], [record(4)]])
    repository.broken_pages = {1}
    with pytest.raises(BadResponse, match="not well-formed XML"):
        harvest(allowed)
    assert Resource.objects.count() == 2
    state = Harvest.objects.get()
    assert "page-1" in state.resumption_token
    assert state.last_datestamp == ""

    repository.broken_pages = set()
    summary = harvest(allowed)
    assert summary.resumed
    assert repository.list_requests[-2]["resumptionToken"] == "page-1"
    assert (summary.created, summary.unchanged) == (2, 0)
    assert Resource.objects.count() == 4
    assert Harvest.objects.get().last_datestamp == "2024-06-01"


def test_an_expired_token_on_resume_restarts_the_harvest_cleanly(allowed, places):
    repository = serve(allowed, [[record(1)], [record(2)]])
    repository.broken_pages = {1}
    with pytest.raises(BadResponse):
        harvest(allowed)
    repository.broken_pages = set()
    repository.expired_tokens = {"page-1"}
    repository.token_prefix = "fresh"
    summary = harvest(allowed)
    assert summary.restarted
    assert [request.get("resumptionToken") for request in repository.list_requests[-3:]] == [
        "page-1",
        None,
        "fresh-1",
    ]
    assert (summary.created, summary.unchanged) == (1, 1)
    assert Resource.objects.count() == 2
    assert Harvest.objects.get().resumption_token == ""


def test_a_token_expiring_twice_in_one_run_is_an_error(allowed, places):
    repository = serve(allowed, [[record(1)], [record(2)]])
    repository.expired_tokens = {"page-1"}
    with pytest.raises(BadResumptionToken):
        harvest(allowed)
    assert Resource.objects.count() == 1


def test_deleted_records_withdraw_their_resources(allowed, places):
    repository = serve(allowed, [[record(1), record(2)]])
    harvest(allowed)
    repository.pages = [[dc_record("oai:repo.test:1", deleted=True)]]
    summary = harvest(allowed)
    assert summary.withdrawn == 1
    statuses = dict(Resource.objects.values_list("source_record_id", "status"))
    assert statuses == {
        "oai:repo.test:1": ResourceStatus.WITHDRAWN,
        "oai:repo.test:2": ResourceStatus.PUBLISHED,
    }


def test_no_records_match_is_an_empty_successful_harvest(allowed, places):
    serve(allowed, [[]])
    summary = harvest(allowed)
    assert (summary.created, summary.records_seen) == (0, 0)
    assert Harvest.objects.get().last_harvested_at is not None


def test_a_record_without_a_title_is_rejected_and_the_others_saved(allowed, places):
    serve(allowed, [[record(1), dc_record("oai:repo.test:2", description="no title")]])
    summary = harvest(allowed)
    assert (summary.created, summary.rejected) == (1, 1)
    assert summary.errors == [{"id": "oai:repo.test:2", "field": "title", "message": "required"}]


def test_an_oai_error_is_reported_with_its_code(allowed, places):
    allowed.route(
        "/oai",
        lambda request: request.respond(
            oai_document("ListRecords", '<error code="badArgument">no</error>')
        ),
    )
    with pytest.raises(OaiError, match="badArgument"):
        harvest(allowed)
    assert Resource.objects.count() == 0


# --- hostile endpoints: a clear error, nothing written ---------------------------------------


def test_bad_xml_writes_nothing(allowed, places):
    allowed.route("/oai", lambda request: request.respond("<OAI-PMH><unclosed>"))
    with pytest.raises(BadResponse, match=r"not well-formed XML \(line 1"):
        harvest(allowed)
    assert Resource.objects.count() == 0


def test_an_html_page_is_not_an_oai_repository(allowed, places):
    allowed.route("/oai", lambda request: request.respond("<html><body>hi</body></html>"))
    with pytest.raises(BadResponse, match="not answer with an OAI-PMH document"):
        harvest(allowed)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>&lol3;</responseDate></OAI-PMH>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>&secret;</responseDate></OAI-PMH>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_declarations_are_refused(allowed, places, body):
    allowed.route("/oai", lambda request: request.respond(body))
    with pytest.raises(BadResponse, match="declares entities"):
        harvest(allowed)
    assert Resource.objects.count() == 0


def test_a_huge_response_is_refused(allowed, places, settings):
    settings.HARVEST_MAX_RESPONSE_BYTES = 10_000
    serve(allowed, [[record(number, description="x" * 500) for number in range(50)]])
    with pytest.raises(ResponseTooLarge):
        harvest(allowed)
    assert Resource.objects.count() == 0


def test_a_redirect_to_a_private_address_is_refused(allowed, other_server, places):
    serve(other_server, [[record(1)]])
    allowed.route("/oai", lambda request: request.redirect(other_server.url("/oai")))
    with pytest.raises(AddressRefused):
        harvest(allowed)
    assert other_server.requests == []
    assert Resource.objects.count() == 0


def test_loopback_is_refused_without_the_setting(local_server, places, settings):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    settings.HARVEST_ALLOWED_PRIVATE_ENDPOINTS = []
    serve(local_server, [[record(1)]])
    with pytest.raises(AddressRefused):
        harvest(local_server)
    assert local_server.requests == []
    assert Harvest.objects.count() == 0


def test_a_repository_repeating_its_token_is_stopped(allowed, places):
    identify = FakeRepository([])

    def looping(request):
        if request.arg("verb") == "Identify":
            identify(request)
            return
        request.respond(
            oai_document(
                "ListRecords",
                f"<ListRecords>{record(1)}<resumptionToken>same</resumptionToken></ListRecords>",
            )
        )

    allowed.route("/oai", looping)
    with pytest.raises(BadResponse, match="same resumption token twice"):
        harvest(allowed)


@pytest.mark.parametrize(
    ("url", "protocol"),
    [
        ("ftp://example.org/oai", "oai-pmh"),
        ("not a url", "rss"),
        ("http://x.org/", "z39.50"),
        ("http://x.org/" + "a" * 300, "rss"),
    ],
)
def test_a_malformed_url_or_protocol_is_invalid_input(url, protocol):
    with pytest.raises(InvalidInput):
        harvest_run(url=url, protocol=protocol)


# --- RSS / Atom ---------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>News</title><link>https://example.org/</link><language>es</language>
<item><title>Trata de personas en la región</title><link>https://example.org/a</link>
<guid>https://example.org/a</guid><description>&lt;b&gt;Informe&lt;/b&gt; anual</description>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><category>trafficking</category>
<dc:creator>C. Author</dc:creator></item>
<item><title>Second</title><link>https://example.org/b</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:feed</id>
<updated>2024-01-01T00:00:00Z</updated>
<entry><title>Atom entry</title><id>urn:uuid:1</id><link href="https://example.org/atom/1"/>
<updated>2023-12-31T00:00:00Z</updated><summary>Summary</summary></entry></feed>"""


def test_an_rss_feed_is_harvested(allowed, places):
    allowed.route("/feed", lambda request: request.respond(RSS))
    summary = harvest(allowed, "/feed", "rss")
    assert (summary.created, summary.records_seen) == (2, 2)
    resource = Resource.objects.get(source_record_id="https://example.org/a")
    assert resource.source == f"rss:{allowed.url('/feed')}"
    assert resource.abstract == "Informe anual"
    assert (resource.year, resource.language, resource.url) == (2024, "es", "https://example.org/a")
    assert resource.authors == ["C. Author"]


def test_a_second_rss_harvest_creates_nothing(allowed, places):
    allowed.route("/feed", lambda request: request.respond(RSS))
    harvest(allowed, "/feed", "rss")
    again = harvest(allowed, "/feed", "rss")
    assert (again.created, again.unchanged) == (0, 2)


def test_an_atom_feed_is_harvested(allowed, places):
    allowed.route("/atom", lambda request: request.respond(ATOM))
    summary = harvest(allowed, "/atom", "rss")
    assert summary.created == 1
    assert Resource.objects.get().url == "https://example.org/atom/1"


def test_xml_that_is_not_a_feed_is_refused(allowed, places):
    allowed.route("/feed", lambda request: request.respond("<catalog><book/></catalog>"))
    with pytest.raises(BadResponse, match="not an RSS or Atom feed"):
        harvest(allowed, "/feed", "rss")


def test_a_feed_with_entities_is_refused(allowed, places):
    body = BILLION_LAUGHS.replace("OAI-PMH", "rss")
    allowed.route("/feed", lambda request: request.respond(body))
    with pytest.raises(BadResponse, match="declares entities"):
        harvest(allowed, "/feed", "rss")


# --- the command line ----------------------------------------------------------------------------


def test_cli_prints_the_json_summary_and_progress(allowed, places, capsys):
    serve(allowed, [[record(1)], [record(2)]])
    code = cli.main(["harvest", allowed.url("/oai"), "--protocol", "oai-pmh", "--json"])
    captured = capsys.readouterr()
    assert code == 0
    document = json.loads(captured.out)
    assert {key: document[key] for key in ("created", "updated", "unchanged", "rejected")} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert (document["records_seen"], document["pages"], document["resumed"]) == (2, 2, False)
    assert "harvest: 1/2 page 1" in captured.err


def test_cli_refused_address_is_one_line_and_exit_1(local_server, settings, capsys, db):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    code = cli.main(["harvest", "http://169.254.169.254/oai", "--protocol", "oai-pmh"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("sdg87: error: refused to connect to 169.254.169.254")
    assert captured.err.count("\n") == 1


def test_cli_malformed_url_is_exit_2(capsys, db):
    code = cli.main(["harvest", "gopher://example.org/", "--protocol", "rss", "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert json.loads(captured.out)["error"]["code"] == "invalid_input"
