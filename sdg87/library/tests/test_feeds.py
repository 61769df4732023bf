"""The Atom feed of newly published resources: published ones only, whoever asks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sdg87.accounts.tests.factories import CuratorFactory
from sdg87.core.feeds import FEED_ITEMS
from sdg87.core.tests.atom import ATOM, atom_entries
from sdg87.library.models import Resource
from sdg87.library.tests.search_support import framework, geography, resource

pytestmark = pytest.mark.django_db

FEED = "/en/library/feed/"


def titles(response) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in atom_entries(response)]


def published(title: str, days_ago: int = 0, **fields) -> Resource:
    item = resource(title, **fields)
    Resource.objects.filter(pk=item.pk).update(
        published_at=timezone.now() - timedelta(days=days_ago)
    )
    return item


@pytest.mark.parametrize("who", ["anonymous", "curator"])
def test_only_published_resources_newest_first(client, who):
    published("Older report", days_ago=3)
    published("Newest report", days_ago=1)
    for status in ("draft", "in_review", "withdrawn"):
        resource(f"A {status} resource", status=status)
    if who == "curator":
        client.force_login(CuratorFactory())

    assert titles(client.get(FEED)) == ["Newest report", "Older report"]


def test_the_feed_holds_the_newest_entries_only(client):
    for number in range(FEED_ITEMS + 3):
        published(f"Report {number}", days_ago=number)
    found = titles(client.get(FEED))
    assert len(found) == FEED_ITEMS
    assert found[0] == "Report 0"


def test_filters_narrow_the_feed(client):
    geo = geography()
    fw = framework()
    published("Ghana cocoa", countries=[geo["GHA"]], themes=[fw["theme"]])
    published("Nepal bricks", countries=[geo["NPL"]], type="evaluation")

    assert titles(client.get(FEED, {"country": "gha"})) == ["Ghana cocoa"]
    assert titles(client.get(FEED, {"theme": fw["theme"].slug})) == ["Ghana cocoa"]
    assert titles(client.get(FEED, {"type": "evaluation"})) == ["Nepal bricks"]
    assert sorted(titles(client.get(FEED, {"country": ["GHA", "NPL"]}))) == [
        "Ghana cocoa",
        "Nepal bricks",
    ]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"country": "XXX"}, "XXX"),
        ({"theme": "no-such-theme"}, "no-such-theme"),
        ({"type": "poem"}, "poem"),
    ],
)
def test_an_unknown_filter_value_is_refused_by_name(client, params, named):
    geography()
    framework()
    response = client.get(FEED, params)
    assert response.status_code == 400
    assert named in response.content.decode()


def test_hostile_text_is_escaped(client):
    published('<script>alert("x")</script> & co', abstract="<img src=x onerror=alert(1)>")
    (entry,) = atom_entries(client.get(FEED))  # well-formed XML
    assert entry.find(f"{ATOM}title").text == '<script>alert("x")</script> & co'
    assert b"<script>" not in client.get(FEED).content


def test_the_library_page_links_to_the_feed(client):
    page = client.get("/en/library/").content.decode()
    assert 'type="application/atom+xml" href="/en/library/feed/"' in page
