"""The authorization matrix: every role × every object state × every access path.

Roles: anonymous, viewer, partner editor (own organisation / another), focal point (own
country / another), curator, admin. Objects: pathfinder annual reports (draft → published),
roadmaps (draft, adopted), library resources (draft, in review, published, withdrawn, withdrawn
after publishing), partner organisations (applied, approved, rejected), a pledge and a research
project. Paths: HTML pages, the JSON API, export files, search results and facets, OAI-PMH,
the country profile PDF and the Atom feeds (new resources, published annual reports).

What is promised, for every cell: an object the actor may not see is absent from every
list, search result, facet count, export, OAI answer, PDF and feed; its detail URLs answer
exactly as an id that does not exist does (same status, same body once the id itself is
blanked out); its marker string never appears. Objects the actor may see are there.

The world is built once for the module (inside a transaction rolled back at the end); each
test runs in a savepoint of it.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security import matrix_support as matrix
from tests.security.matrix_support import (
    ACTORS,
    ANONYMOUS,
    CURATOR,
    EDITOR_OWN,
    FOCAL_OWN,
    INDICATOR,
    MISSING_ID,
    MISSING_SLUG,
    OBSERVED_REPORT_STATES,
    OWN_COUNTRY,
    REPORT_STATES,
    RESOURCE_STATES,
    SEARCH_WORD,
    SEEN_BY,
    STATES,
    World,
    contains,
    fetch,
    normalised,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Any:
    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield matrix.build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- detail paths: visible → shown; invisible → exactly like an id that does not exist -------

# kind → (path name, URL template); {ref} is the object's id (slug), {evidence} its evidence.
DETAIL_PATHS: dict[str, list[tuple[str, str]]] = {
    "report": [
        ("page", "/en/pathfinders/reports/{ref}/"),
        ("api", "/api/v1/pathfinders/reports/{ref}"),
        ("evidence-download-page", "/en/pathfinders/reports/{ref}/evidence/{evidence}/"),
        ("evidence-download-api", "/api/v1/pathfinders/reports/{ref}/evidence/{evidence}/file"),
    ],
    "roadmap": [("api", "/api/v1/pathfinders/roadmaps/{ref}")],
    "resource": [
        ("page", "/en/library/{ref}/"),
        ("api", "/api/v1/resources/{ref}"),
    ],
    "organisation": [
        ("page", "/en/partners/{ref}/"),
        ("api", "/api/v1/partners/{ref}"),
    ],
    "pledge": [
        ("page", "/en/partners/pledges/{ref}/"),
        ("api", "/api/v1/pledges/{ref}"),
    ],
    "research": [
        ("page", "/en/partners/research/{ref}/"),
        ("api", "/api/v1/research-projects/{ref}"),
    ],
}
# Paths that act on the object (or refuse a visible one with a 403): only the "answers like
# a missing id" half applies. (method, URL template, payload)
ACTION_PATHS: dict[str, list[tuple[str, tuple[str, str, Any]]]] = {
    "report": [
        ("edit-page", ("post", "/en/pathfinders/reports/{ref}/edit/", {"progress": "x"})),
        ("evidence-form", ("post", "/en/pathfinders/reports/{ref}/evidence/", {"title": "x"})),
        (
            "transition-page",
            ("post", "/en/pathfinders/reports/{ref}/transition/", {"action": "submit"}),
        ),
        ("correct-page", ("post", "/en/pathfinders/reports/{ref}/correct/", {})),
        (
            "edit-api",
            ("patch", "/api/v1/pathfinders/reports/{ref}", {"progress": "x", "lock_version": 1}),
        ),
        (
            "transition-api",
            ("post", "/api/v1/pathfinders/reports/{ref}/transitions", {"action": "submit"}),
        ),
        ("correct-api", ("post", "/api/v1/pathfinders/reports/{ref}/corrections", {})),
        (
            "evidence-api",
            (
                "post",
                "/api/v1/pathfinders/reports/{ref}/evidence",
                {"title": "x", "url": "https://example.org"},
            ),
        ),
    ],
    "roadmap": [
        ("edit-page", ("get", "/en/pathfinders/roadmaps/{ref}/edit/", None)),
        ("priority-page", ("get", "/en/pathfinders/roadmaps/{ref}/priorities/new/", None)),
        ("milestone-page", ("get", "/en/pathfinders/roadmaps/{ref}/milestones/new/", None)),
        ("indicators-page", ("get", "/en/pathfinders/roadmaps/{ref}/indicators/", None)),
        (
            "edit-api",
            ("patch", "/api/v1/pathfinders/roadmaps/{ref}", {"title": "x", "lock_version": 1}),
        ),
        (
            "priority-api",
            ("post", "/api/v1/pathfinders/roadmaps/{ref}/priorities", {"title": "x"}),
        ),
    ],
    "resource": [
        ("similar-api", ("get", "/api/v1/resources/{ref}/similar", None)),
        ("action-page", ("post", "/en/library/{ref}/action/", {"action": "submit"})),
        ("edit-api", ("patch", "/api/v1/resources/{ref}", {"title": "x"})),
        ("transition-api", ("post", "/api/v1/resources/{ref}/transitions", {"action": "submit"})),
    ],
    "organisation": [
        ("logo", ("get", "/en/partners/{ref}/logo/", None)),
        ("edit-page", ("get", "/en/partners/{ref}/edit/", None)),
        ("application-page", ("get", "/en/partners/applications/{ref}/", None)),
    ],
}


def _detail_cases(
    table: dict[str, list[tuple[str, Any]]], *, hidden_only: bool = False
) -> list[Any]:
    return [
        pytest.param(actor, f"{kind}:{state}", path, id=f"{kind}-{state}-{name}-{actor}")
        for kind, paths in table.items()
        for state in STATES[kind]
        for name, path in paths
        for actor in ACTORS
        if not (hidden_only and actor in SEEN_BY[(kind, state)])
    ]


MISSING_EVIDENCE = MISSING_ID + 1


def _url(template: str, ref: Any, evidence: Any = MISSING_EVIDENCE) -> str:
    return template.format(ref=ref, evidence=evidence)


def assert_answers_like_a_missing_id(
    world: World,
    actor: str,
    thing: matrix.Thing,
    template: str,
    *,
    method: str = "get",
    data: Any = None,
) -> None:
    """Same status, type and body as the same request for an id that does not exist (ids
    blanked out); and of course no marker. The evidence id stays: the report hides it."""
    missing = MISSING_SLUG if thing.kind == "organisation" else MISSING_ID
    evidence = thing.extra.get("evidence", MISSING_EVIDENCE)
    hidden = fetch(world, actor, _url(template, thing.ref, evidence), method=method, data=data)
    absent = fetch(world, actor, _url(template, missing, evidence), method=method, data=data)

    assert hidden.status == absent.status, f"{hidden.status} ≠ {absent.status} for a missing id"
    assert hidden.status in (302, 401, 403, 404), hidden.status
    assert hidden.content_type == absent.content_type
    blank = {str(thing.ref): "{ID}"}
    assert normalised(hidden.text, blank) == normalised(
        absent.text, {str(missing): "{ID}", **blank}
    )
    assert not contains(hidden, thing.marker)


@pytest.mark.parametrize(("actor", "key", "template"), _detail_cases(DETAIL_PATHS))
def test_detail_path_shows_a_visible_object_and_hides_an_invisible_one(world, actor, key, template):
    thing = world.things[key]
    if actor in thing.seen_by:
        answer = fetch(world, actor, _url(template, thing.ref, thing.extra.get("evidence")))
        assert answer.status == 200
        assert contains(answer, thing.marker)
        # …and nothing it links to (related, similar, history) that the actor may not see.
        assert [
            other.key for other in world.invisible_to(actor) if contains(answer, other.marker)
        ] == []
    else:
        assert_answers_like_a_missing_id(world, actor, thing, template)


@pytest.mark.parametrize(
    ("actor", "key", "request_line"),
    _detail_cases(ACTION_PATHS, hidden_only=True),
)
def test_action_on_an_invisible_object_answers_like_a_missing_id(world, actor, key, request_line):
    method, template, data = request_line
    thing = world.things[key]
    assert_answers_like_a_missing_id(world, actor, thing, template, method=method, data=data)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("state", [state for state in STATES["report"] if state != "published"])
@pytest.mark.parametrize(
    "template",
    [
        "/en/pathfinders/reports/{ref}/evidence/{evidence}/",
        "/api/v1/pathfinders/reports/{ref}/evidence/{evidence}/file",
    ],
    ids=["page", "api"],
)
def test_evidence_of_a_hidden_report_is_not_reachable_through_a_published_one(
    world, actor, state, template
):
    published = world.things["report:published"]
    hidden = world.things[f"report:{state}"]
    through = fetch(world, actor, _url(template, published.ref, hidden.extra["evidence"]))
    missing = fetch(world, actor, _url(template, published.ref, MISSING_EVIDENCE))

    assert through.status == missing.status == 404
    blank = {str(hidden.extra["evidence"]): "{EVIDENCE}"}
    assert normalised(through.text, blank) == normalised(
        missing.text, {str(MISSING_EVIDENCE): "{EVIDENCE}", **blank}
    )
    assert not contains(through, hidden.marker)


@pytest.mark.parametrize("actor", ACTORS)
def test_similar_resources_of_a_published_one_are_published_ones(world, actor):
    published = world.things["resource:published"]
    answer = fetch(world, actor, f"/api/v1/resources/{published.ref}/similar")

    assert answer.status == 200
    others = [thing for thing in world.of_kind("resource") if thing.state != "published"]
    assert [thing.key for thing in others if contains(answer, thing.marker)] == []
    assert {row["id"] for row in _results(answer)} <= {published.ref}


# --- OAI-PMH: published resources only, whoever asks -----------------------------------------


def _oai_identifier(resource_id: Any) -> str:
    from sdg87.library.oai import repository_identifier

    return f"oai:{repository_identifier()}:{resource_id}"


@pytest.mark.parametrize("state", RESOURCE_STATES)
@pytest.mark.parametrize("actor", [ANONYMOUS, EDITOR_OWN, CURATOR])
def test_oai_get_record_discloses_published_resources_only(world, actor, state):
    thing = world.things[f"resource:{state}"]
    url = "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={}"
    answer = fetch(world, actor, url.format(_oai_identifier(thing.ref)))

    if state == "published":
        assert contains(answer, thing.marker)
    elif state == "withdrawn_after_publishing":
        # OAI-PMH's deleted record: a header that says it is gone, without metadata.
        assert 'status="deleted"' in answer.text
        assert not contains(answer, thing.marker)
    else:
        absent = fetch(world, actor, url.format(_oai_identifier(MISSING_ID)))
        assert "idDoesNotExist" in answer.text
        assert normalised(answer.text, {str(thing.ref): "{ID}"}) == normalised(
            absent.text, {str(MISSING_ID): "{ID}", str(thing.ref): "{ID}"}
        )


# --- lists, pages, search, exports, OAI lists, PDF: no marker of an invisible object ---------

# (name, URL, what decides visibility, keys that must show when visible)
#   "actor": the actor's own visibility; "public": what anonymous sees, whoever asks.
COLLECTIONS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("pathfinders-page", "/en/pathfinders/", "actor", ()),
    ("pathfinder-page", f"/en/pathfinders/{OWN_COUNTRY}/", "actor", ("roadmap:adopted",)),
    ("funding-page", "/en/pathfinders/funding/", "actor", ()),
    ("review-queue-page", "/en/pathfinders/review/", "actor", ()),
    ("my-reports-page", "/en/pathfinders/my-reports/", "actor", ()),
    ("pathfinders-api", "/api/v1/pathfinders", "actor", ("roadmap:adopted",)),
    ("pathfinder-api", f"/api/v1/pathfinders/{OWN_COUNTRY}", "actor", ("roadmap:adopted",)),
    ("reports-api", f"/api/v1/pathfinders/{OWN_COUNTRY}/reports?page_size=100", "actor", ()),
    ("roadmaps-api", f"/api/v1/pathfinders/{OWN_COUNTRY}/roadmaps", "actor", ("roadmap:draft",)),
    ("roadmap-api", f"/api/v1/pathfinders/{OWN_COUNTRY}/roadmap", "actor", ("roadmap:adopted",)),
    ("funding-gaps-api", "/api/v1/pathfinders/funding-gaps", "actor", ()),
    ("review-queue-api", "/api/v1/pathfinders/review-queue", "actor", ()),
    (
        "country-api",
        f"/api/v1/countries/{OWN_COUNTRY}",
        "public",
        ("roadmap:adopted", "resource:published", "organisation:approved"),
    ),
    (
        "country-page",
        f"/en/countries/{OWN_COUNTRY}/",
        "public",
        ("roadmap:adopted", "resource:published", "organisation:approved"),
    ),
    (
        "country-profile-pdf",
        f"/en/countries/{OWN_COUNTRY}/profile.pdf",
        "public",
        ("roadmap:adopted", "resource:published", "organisation:approved"),
    ),
    ("indicator-page", f"/en/indicators/{INDICATOR}/", "public", ()),
    (
        "resources-search-api",
        f"/api/v1/resources?q={SEARCH_WORD}",
        "public",
        ("resource:published",),
    ),
    ("resources-list-api", "/api/v1/resources?page_size=100", "public", ("resource:published",)),
    (
        "resources-search-api-asking-for-other-statuses",
        f"/api/v1/resources?q={SEARCH_WORD}&status=published&status=draft&status=in_review",
        "staff",
        ("resource:published",),
    ),
    ("library-search-page", f"/en/library/?q={SEARCH_WORD}", "public", ("resource:published",)),
    ("library-page", "/en/library/", "public", ("resource:published",)),
    ("my-contributions-page", "/en/library/mine/", "actor", ()),
    ("library-review-page", "/en/library/review/", "actor", ()),
    (
        "oai-list-records",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "public",
        ("resource:published",),
    ),
    ("oai-list-identifiers", "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc", "public", ()),
    ("resources-feed", "/en/library/feed/", "public", ("resource:published",)),
    ("reports-feed", "/en/pathfinders/reports/feed/", "public", ("report:published",)),
    (
        "reports-feed-own-country",
        f"/en/pathfinders/reports/feed/?country={OWN_COUNTRY}",
        "public",
        ("report:published",),
    ),
    ("partners-page", "/en/partners/", "public", ("organisation:approved",)),
    ("partners-api", "/api/v1/partners", "public", ("organisation:approved",)),
    ("applications-api", "/api/v1/partners/applications", "actor", ()),
    ("applications-page", "/en/partners/applications/", "actor", ()),
    ("pledges-api", "/api/v1/pledges", "public", ("pledge:active",)),
    ("pledges-page", "/en/partners/pledges/", "public", ("pledge:active",)),
    ("research-api", "/api/v1/research-projects", "public", ("research:ongoing",)),
    ("research-page", "/en/partners/research/", "public", ("research:ongoing",)),
    ("audit-api", "/api/v1/audit", "actor", ()),
]


def _seen(thing: matrix.Thing, actor: str, audience: str) -> bool:
    if audience == "public":
        return ANONYMOUS in thing.seen_by
    if audience == "staff":  # resources in other statuses, for curators who ask for them
        return actor in matrix.STAFF or ANONYMOUS in thing.seen_by
    return actor in thing.seen_by


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("url", "audience", "shows"),
    [pytest.param(url, audience, shows, id=name) for name, url, audience, shows in COLLECTIONS],
)
def test_collection_path_never_shows_an_invisible_object(world, actor, url, audience, shows):
    answer = fetch(world, actor, url)

    assert answer.status in (200, 302, 401, 403), answer.status
    leaked = [
        thing.key
        for thing in world.things.values()
        if not _seen(thing, actor, audience) and contains(answer, thing.marker)
    ]
    assert leaked == []
    if answer.status == 200:
        missing = [
            key
            for key in shows
            if _seen(world.things[key], actor, audience)
            and not contains(answer, world.things[key].marker)
        ]
        assert missing == []


# --- JSON lists: exactly the visible ids -----------------------------------------------------


def _results(answer: matrix.Answer) -> list[dict[str, Any]]:
    document = json.loads(answer.text)
    return document["results"] if isinstance(document, dict) else document


def _visible_ids(world: World, actor: str, kind: str, states: Any = None) -> set[Any]:
    """Ids of the own country's objects of ``kind`` that ``actor`` may see."""
    return {
        thing.ref
        for thing in world.of_kind(kind)
        if actor in thing.seen_by
        and (states is None or thing.state in states)
        and thing.extra.get("iso3", OWN_COUNTRY) == OWN_COUNTRY
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_report_list_api_lists_exactly_the_visible_reports(world, actor):
    answer = fetch(world, actor, f"/api/v1/pathfinders/{OWN_COUNTRY}/reports?page_size=100")

    assert {row["id"] for row in _results(answer)} == _visible_ids(world, actor, "report")


@pytest.mark.parametrize("state", list(REPORT_STATES))
@pytest.mark.parametrize("actor", ACTORS)
def test_report_list_api_filtered_by_status_gives_nothing_invisible(world, actor, state):
    url = f"/api/v1/pathfinders/{OWN_COUNTRY}/reports?status={state}"

    ids = {row["id"] for row in _results(fetch(world, actor, url))}

    assert ids == _visible_ids(world, actor, "report", {state})


@pytest.mark.parametrize("actor", ACTORS)
def test_roadmap_list_api_lists_exactly_the_visible_roadmaps(world, actor):
    answer = fetch(world, actor, f"/api/v1/pathfinders/{OWN_COUNTRY}/roadmaps")

    assert {row["id"] for row in _results(answer)} == _visible_ids(world, actor, "roadmap")


@pytest.mark.parametrize("actor", ACTORS)
def test_review_queue_api_lists_submitted_reports_to_curators_only(world, actor):
    answer = fetch(world, actor, "/api/v1/pathfinders/review-queue")

    if actor == ANONYMOUS:
        assert answer.status == 401
        return
    ids = {row["id"] for row in _results(answer)}
    waiting = {"submitted", "resubmitted"}
    expected = (
        {world.things[f"report:{state}"].ref for state in waiting}
        if actor in matrix.STAFF
        else set()
    )
    assert ids == expected


# --- search: results and facet counts ---------------------------------------------------------

SECRET_RESOURCE_STATES = [state for state in RESOURCE_STATES if state != "published"]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    "query",
    [
        f"q={SEARCH_WORD}",
        "",
        f"q={SEARCH_WORD}&status=published&status=draft&status=in_review",
    ],
    ids=["words", "browse", "asking-for-other-statuses"],
)
def test_search_results_and_facets_count_only_published_resources(world, actor, query):
    answer = fetch(world, actor, f"/api/v1/resources?page_size=100&{query}")
    document = json.loads(answer.text)
    asks_for_others = "status=" in query and actor in matrix.STAFF
    states = {"published"} | ({"draft", "in_review"} if asks_for_others else set())
    expected = {world.things[f"resource:{state}"].ref for state in states}

    assert {hit["id"] for hit in document["results"]} == expected
    assert document["count"] == len(expected)
    years = {value["value"]: value["count"] for value in document["facets"].get("year", [])}
    assert years == {str(matrix.RESOURCE_YEARS[state]): 1 for state in states}
    publishers = {value["value"] for value in document["facets"].get("organisation", [])}
    assert publishers == {
        f"{world.things[f'resource:{state}'].marker} publisher" for state in states
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_search_for_the_years_of_unpublished_resources_finds_nothing(world, actor):
    answer = fetch(world, actor, "/api/v1/resources?year_from=1970&year_to=1979")
    document = json.loads(answer.text)

    assert document["count"] == 0
    assert document["results"] == []
    assert all(values == [] for values in document["facets"].values()), document["facets"]


@pytest.mark.parametrize("actor", ACTORS)
def test_library_search_page_shows_no_year_or_publisher_of_unpublished_resources(world, actor):
    answer = fetch(world, actor, f"/en/library/?q={SEARCH_WORD}")

    for state in SECRET_RESOURCE_STATES:
        thing = world.things[f"resource:{state}"]
        assert f">{thing.extra['year']}<" not in answer.text.replace(" ", "")
        assert not contains(answer, thing.marker)


# --- exports, indicator data and the profile: report values only once approved --------------

DATA_PATHS = [
    ("observations-json", f"/api/v1/indicators/{INDICATOR}/observations?country={OWN_COUNTRY}"),
    (
        "observations-csv",
        f"/api/v1/indicators/{INDICATOR}/observations?country={OWN_COUNTRY}&format=csv",
    ),
    (
        "observations-sdmx-csv",
        f"/api/v1/indicators/{INDICATOR}/observations?country={OWN_COUNTRY}&format=sdmx-csv",
    ),
    (
        "observations-xlsx",
        f"/api/v1/indicators/{INDICATOR}/observations?country={OWN_COUNTRY}&format=xlsx",
    ),
    ("progress-api", f"/api/v1/indicators/{INDICATOR}/progress?country={OWN_COUNTRY}"),
    ("indicator-page", f"/en/indicators/{INDICATOR}/"),
    ("country-api", f"/api/v1/countries/{OWN_COUNTRY}"),
    ("country-page", f"/en/countries/{OWN_COUNTRY}/"),
    ("country-profile-pdf", f"/en/countries/{OWN_COUNTRY}/profile.pdf"),
]


@pytest.mark.parametrize("actor", [ANONYMOUS, FOCAL_OWN, CURATOR])
@pytest.mark.parametrize(("url"), [pytest.param(url, id=name) for name, url in DATA_PATHS])
def test_data_paths_carry_report_values_only_once_the_report_is_approved(world, actor, url):
    answer = fetch(world, actor, url)

    assert answer.status == 200
    shown = {
        state
        for state, (_year, _value_year, value) in REPORT_STATES.items()
        if contains(answer, str(value))
    }
    latest_only = "/countries/" in url  # a profile shows each indicator's latest value
    expected = {"approved"} if latest_only else set(OBSERVED_REPORT_STATES)
    assert shown == expected


@pytest.mark.parametrize("actor", [ANONYMOUS, FOCAL_OWN, CURATOR])
@pytest.mark.parametrize("export", ["csv", "sdmx-csv"])
def test_observation_exports_hold_exactly_the_approved_report_values(world, actor, export):
    url = f"/api/v1/indicators/{INDICATOR}/observations?country={OWN_COUNTRY}&format={export}"
    rows = list(csv.DictReader(io.StringIO(fetch(world, actor, url).text)))
    year_column = "year" if export == "csv" else "TIME_PERIOD"
    value_column = "value" if export == "csv" else "OBS_VALUE"

    found = {(int(row[year_column]), float(row[value_column])) for row in rows}

    assert found == {
        (value_year, value)
        for state, (_year, value_year, value) in REPORT_STATES.items()
        if state in OBSERVED_REPORT_STATES
    }
