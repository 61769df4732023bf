"""/oai harvested for real: by sickle (a published OAI-PMH client library) and by our own
harvester, through Django's live server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sickle import Sickle, oaiexceptions

from sdg87.library.harvest import harvest_run
from sdg87.library.models import Harvest, Resource, ResourceStatus
from sdg87.library.tests.oai_support import make_resource, theme


@pytest.fixture
def endpoint(live_server, settings):
    """The live server's /oai by address (the SSRF guard refuses "localhost" by name),
    allowed as the one private endpoint the harvester may reach."""
    port = urlsplit(live_server.url).port
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    settings.HARVEST_ALLOWED_PRIVATE_ENDPOINTS = [f"127.0.0.1:{port}"]
    settings.OAI_PAGE_SIZE = 2
    return f"http://127.0.0.1:{port}/oai"


@pytest.fixture
def library(transactional_db):
    labour = theme("forced-labour", "Forced labour")
    published = [
        make_resource(
            title=f"Study {number}",
            abstract=f"Abstract {number}",
            year=2010 + number,
            type="evaluation" if number % 2 else "research",
            url=f"https://example.org/{number}",
            organisation="ILO",
            licence="CC BY 4.0",
            language="fr" if number == 3 else "en",
            authors=[f"Author {number}"],
            countries=("KEN",) if number % 2 else ("FRA", "KEN"),
            themes=(labour,) if number < 3 else (),
        )
        for number in range(1, 6)
    ]
    withdrawn = make_resource(title="Withdrawn", status=ResourceStatus.WITHDRAWN)
    draft = make_resource(title="Draft", status=ResourceStatus.DRAFT)
    return {"published": published, "withdrawn": withdrawn, "draft": draft}


def identifier(resource: Resource) -> str:
    return f"oai:sdg87.local:{resource.pk}"


# --- sickle ----------------------------------------------------------------------------------


def test_sickle_identifies_the_repository(endpoint, library):
    identify = Sickle(endpoint).Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.baseURL == endpoint
    assert identify.deletedRecord == "transient"


def test_sickle_lists_every_record_across_resumption_tokens(endpoint, library):
    records = list(Sickle(endpoint).ListRecords(metadataPrefix="oai_dc"))
    live = [record for record in records if not record.deleted]
    deleted = [record for record in records if record.deleted]
    assert [record.header.identifier for record in live] == [
        identifier(resource) for resource in library["published"]
    ]
    assert [record.header.identifier for record in deleted] == [identifier(library["withdrawn"])]
    first = live[0].metadata
    assert first["title"] == ["Study 1"]
    assert first["date"] == ["2011"]
    assert first["coverage"] == ["KEN"]
    assert first["subject"] == ["Forced labour"]


def test_sickle_lists_identifiers_and_sets(endpoint, library):
    sickle = Sickle(endpoint)
    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="type:evaluation"))
    assert [header.identifier for header in headers] == [
        identifier(resource) for resource in library["published"] if resource.type == "evaluation"
    ]
    specs = [item.setSpec for item in sickle.ListSets()]
    assert "theme:forced-labour" in specs
    formats = [item.metadataPrefix for item in sickle.ListMetadataFormats()]
    assert formats == ["oai_dc"]


def test_sickle_gets_one_record_and_sees_errors(endpoint, library):
    sickle = Sickle(endpoint)
    resource = library["published"][2]
    record = sickle.GetRecord(identifier=identifier(resource), metadataPrefix="oai_dc")
    assert record.metadata["language"] == ["fr"]
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        sickle.GetRecord(identifier=identifier(library["draft"]), metadataPrefix="oai_dc")
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="marc21"))


def test_sickle_harvests_with_post(endpoint, library):
    records = list(Sickle(endpoint, http_method="POST").ListIdentifiers(metadataPrefix="oai_dc"))
    assert len(records) == 6


# --- our own harvester: the round trip ----------------------------------------------------------


def test_our_harvester_round_trips_the_published_resources(endpoint, library, settings):
    # Harvested copies stay in review, so the repository does not offer them back to itself.
    settings.HARVEST_RESOURCE_STATUS = ResourceStatus.IN_REVIEW
    summary = harvest_run(url=endpoint, protocol="oai-pmh")
    assert (summary.created, summary.rejected, summary.pages) == (5, 0, 3)
    source = f"oai:{endpoint}"
    for original in library["published"]:
        copy = Resource.objects.get(source=source, source_record_id=identifier(original))
        assert copy.status == ResourceStatus.IN_REVIEW
        for name in ("title", "abstract", "year", "type", "url", "organisation", "licence"):
            assert getattr(copy, name) == getattr(original, name), name
        assert copy.language == original.language
        assert copy.authors == original.authors
        assert set(copy.countries.values_list("iso3", flat=True)) == set(
            original.countries.values_list("iso3", flat=True)
        )
        assert set(copy.themes.values_list("slug", flat=True)) == set(
            original.themes.values_list("slug", flat=True)
        )
    assert not Resource.objects.filter(source=source, title__in=["Draft", "Withdrawn"]).exists()


def test_our_harvester_creates_nothing_on_a_full_second_harvest(endpoint, library, settings):
    settings.HARVEST_RESOURCE_STATUS = ResourceStatus.IN_REVIEW
    harvest_run(url=endpoint, protocol="oai-pmh")
    Harvest.objects.update(last_datestamp="")  # forget the incremental start: ask for everything
    again = harvest_run(url=endpoint, protocol="oai-pmh")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_our_harvester_withdraws_what_the_repository_withdrew(endpoint, library, settings):
    settings.HARVEST_RESOURCE_STATUS = ResourceStatus.IN_REVIEW
    harvest_run(url=endpoint, protocol="oai-pmh")
    gone = library["published"][0]
    Resource.objects.filter(pk=gone.pk).update(status=ResourceStatus.WITHDRAWN)
    Harvest.objects.update(last_datestamp="")
    summary = harvest_run(url=endpoint, protocol="oai-pmh")
    assert summary.withdrawn == 1
    copy = Resource.objects.get(source=f"oai:{endpoint}", source_record_id=identifier(gone))
    assert copy.status == ResourceStatus.WITHDRAWN
