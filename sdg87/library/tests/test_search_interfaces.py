"""The search interfaces we promise: GET /api/v1/resources, `sdg87 search`, /<lang>/library/."""

from __future__ import annotations

import json

import pytest

from sdg87.cli import main
from sdg87.library.tests.search_support import geography, resource

pytestmark = pytest.mark.django_db

API = "/api/v1/resources"


@pytest.fixture
def library():
    geo = geography()
    resource(
        "Trafficking in persons: Nepal",
        "Nepal is a source country for men, women and children subjected to trafficking.",
        countries=[geo["NPL"]],
        year=2021,
    )
    resource(
        "2021 Findings on the Worst Forms of Child Labor: Ghana",
        "Children in Ghana are subjected to child labor in the harvesting of cocoa <b>pods</b>.",
        countries=[geo["GHA"]],
        year=2021,
        organisation="ILAB",
    )
    resource("Draft on cocoa", "Cocoa.", status="draft")


def test_the_api_answers_per_contract(client, library):
    response = client.get(API, {"q": "trata de personas"})
    assert response.status_code == 200
    body = response.json()
    assert {"count", "results", "facets"} <= body.keys()
    assert body["count"] == 1
    hit = body["results"][0]
    assert {"id", "title", "language", "year", "type", "countries", "snippet"} <= hit.keys()
    assert hit["title"] == "Trafficking in persons: Nepal"
    assert hit["countries"] == ["NPL"]
    assert "<mark>" in hit["snippet"]
    assert {"type", "language", "year", "country", "region", "theme", "target"} <= set(
        body["facets"]
    )


def test_the_api_filters_by_the_contract_parameters(client, library):
    body = client.get(
        API,
        {
            "q": "cocoa",
            "lang": "en",
            "type": "research",
            "country": "GHA",
            "year_from": 2020,
            "year_to": 2021,
            "page": 1,
        },
    ).json()
    assert [hit["title"] for hit in body["results"]] == [
        "2021 Findings on the Worst Forms of Child Labor: Ghana"
    ]
    assert body["facets"]["country"] == [{"value": "GHA", "label": "Ghana", "count": 1}]


def test_the_api_lists_everything_published_without_a_query(client, library):
    body = client.get(API).json()
    assert body["count"] == 2


@pytest.mark.parametrize(
    "query",
    ['"', "NEAR(a b)", "((", "-", "*", "🙂", "x" * 5000, "' OR 1=1 --", "\\", "%00"],
)
def test_the_api_never_fails_on_query_text(client, library, query):
    response = client.get(API, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "de"},
        {"type": "poem"},
        {"country": "GH"},
        {"year_from": "soon"},
        {"year_from": 2022, "year_to": 2020},
        {"page": 0},
        {"page_size": 1001},
        {"sort": "random"},
        {"q": "cocoa", "page": 50},
    ],
)
def test_bad_parameters_answer_4xx_with_the_error_shape(client, library, params):
    response = client.get(API, params)
    assert 400 <= response.status_code < 500
    assert {"code", "message", "details"} <= response.json()["error"].keys()


def test_cli_json_is_per_contract(capsys, library):
    assert main(["search", "travail des enfants cacao", "--lang", "fr", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["count"] == 1
    assert set(document) == {"count", "results"}
    assert set(document["results"][0]) == {"id", "title", "language", "year", "score"}
    assert "Ghana" in document["results"][0]["title"]


def test_cli_prints_ranked_titles_and_respects_the_limit(capsys, library):
    assert main(["search", "children", "--limit", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2 resources match")
    assert len(lines) == 2
    assert lines[1].lstrip().startswith("1. ")


def test_cli_exits_0_without_results(capsys, library):
    assert main(["search", "zzzzqqq", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"count": 0, "results": []}


def test_cli_refuses_a_bad_limit(capsys, library):
    assert main(["search", "cocoa", "--limit", "0"]) == 2


def test_the_search_page_shows_results_facets_and_escaped_snippets(client, library):
    response = client.get("/fr/library/", {"q": "cacao"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ghana" in html
    assert "&lt;b&gt;pods&lt;/b&gt;" in html or "<mark>" in html
    assert "<b>pods</b>" not in html
    assert 'role="search"' in html
    assert "country=GHA" in html
    assert "Draft on cocoa" not in html


def test_the_search_page_has_an_empty_state_and_a_partial_for_htmx(client, library):
    empty = client.get("/en/library/", {"q": "zzzzqqq"}).content.decode()
    assert 'class="empty"' in empty
    partial = client.get("/en/library/", {"q": "cocoa"}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="search-results"')


def test_the_search_page_filters_with_facet_links(client, library):
    html = client.get("/en/library/", {"country": "NPL"}).content.decode()
    assert "Trafficking in persons: Nepal" in html
    assert "Worst Forms" not in html
    assert 'aria-current="true"' in html
