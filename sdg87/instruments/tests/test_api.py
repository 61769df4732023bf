import pytest

from sdg87.instruments.models import Instrument


def test_list_is_paginated_with_code_title_kind_and_year(client, reference_data):
    body = client.get("/api/v1/instruments").json()

    assert body["count"] == Instrument.objects.count()
    first = body["results"][0]
    assert {"code", "title", "kind", "adoption_year"} <= set(first)


def test_list_filters_by_kind(client, reference_data):
    body = client.get("/api/v1/instruments", {"kind": "ilo_convention"}).json()

    assert body["count"] == Instrument.objects.filter(kind="ilo_convention").count()
    assert {result["kind"] for result in body["results"]} == {"ilo_convention"}


def test_detail_is_case_insensitive_and_follows_lang(client, reference_data):
    body = client.get("/api/v1/instruments/c182", {"lang": "fr"}).json()

    assert body["code"] == "C182"
    assert body["title"] == body["titles"]["fr"]
    assert "pires formes de travail des enfants" in body["title"]
    assert body["adoption_year"] == 1999


def test_unknown_instrument_is_404_with_the_error_shape(client, reference_data):
    response = client.get("/api/v1/instruments/C999")

    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("query", [{"kind": "law"}, {"page": "x"}, {"lang": "it"}])
def test_malformed_parameters_are_4xx(client, reference_data, query):
    response = client.get("/api/v1/instruments", query)

    assert 400 <= response.status_code < 500
