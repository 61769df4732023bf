"""The observation API's pages of one area: built in one statement, kept per process under the
fingerprint of their rows, answered with an ETag (304 on If-None-Match), and never stale: an
import, a correction, a removal or a renamed country shows on the very next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdg87.countries.models import Country
from sdg87.indicators import api, selectors
from sdg87.indicators.models import Indicator, Observation
from sdg87.indicators.services import observations_import
from sdg87.indicators.services.removal import observations_delete_by_source
from sdg87.indicators.tests.import_support import FIXTURES, load_indicator_reference

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/8.7.1/observations"
TIDY_HEADER = (
    "indicator,country,year,period,value,unit,series,lower_bound,upper_bound,"
    "observation_status,source,footnote,dim:sex,dim:age\n"
)
PHL_TOTAL = "8.7.1,PHL,2020,2020,{value},percent,SL_TLF_CHLDEA,2.1,2.9,A,{source},Survey,,\n"


@pytest.fixture(autouse=True)
def empty_cache():
    api.SERIES_CACHE.clear()
    yield
    api.SERIES_CACHE.clear()


@pytest.fixture
def data(db):
    load_indicator_reference()
    observations_import(files=[FIXTURES / "sdmx_gha.csv"])
    observations_import(files=[FIXTURES / "tidy_phl.csv"])


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(TIDY_HEADER + text, encoding="utf-8")
    return path


def phl(client, headers=None, **extra):
    return client.get(URL, {"country": "PHL", **extra}, headers=headers)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize(("parameter", "area"), [("country", "GHA"), ("country", "phl")])
def test_the_one_statement_page_equals_the_queryset_page(client, data, language, parameter, area):
    fast = client.get(URL, {parameter: area, "lang": language, "page_size": 1000})
    # year_from=1800 filters nothing out but takes the general (queryset) path
    general = client.get(
        URL, {parameter: area, "lang": language, "page_size": 1000, "year_from": 1800}
    )

    assert fast.status_code == general.status_code == 200
    assert fast.json()["results"]  # not two empty pages
    assert fast.json() == general.json()


def test_a_region_page_equals_the_queryset_page(client, data, tmp_path):
    path = tmp_path / "world.csv"
    path.write_text("indicator,area,year,value,unit\n8.7.1,001,2020,9.6,percent\n")
    observations_import(files=[path])

    fast = client.get(URL, {"area": "001", "lang": "fr"})
    general = client.get(URL, {"area": "001", "lang": "fr", "year_to": 2100})

    assert fast.json() == general.json()
    assert fast.json()["results"][0]["area_type"] == "region"


def test_pages_of_one_area_count_every_row(client, data):
    first = client.get(URL, {"country": "GHA", "page_size": 2})
    second = client.get(URL, {"country": "GHA", "page_size": 2, "page": 2})
    everything = client.get(URL, {"country": "GHA", "page_size": 1000}).json()

    assert first.json()["count"] == second.json()["count"] == everything["count"] > 2
    assert first.json()["results"] + second.json()["results"] == everything["results"][:4]


def test_a_repeated_page_is_answered_from_the_cache_with_one_query(client, data):
    first = phl(client)

    with CaptureQueriesContext(connection) as queries:
        second = phl(client)

    assert second.content == first.content
    assert len(queries) == 1  # the fingerprint, no rows read
    assert len(api.SERIES_CACHE) == 1


def test_a_new_import_is_visible_on_the_next_request(client, data, tmp_path):
    before = phl(client).json()
    new_row = "8.7.1,PHL,2021,2021,2.2,percent,SL_TLF_CHLDEA,,,A,PSA,New survey,,\n"
    observations_import(files=[write(tmp_path, "new.csv", new_row)])

    after = phl(client).json()

    assert after["count"] == before["count"] + 1
    assert 2021 in {row["year"] for row in after["results"]}
    assert 2021 not in {row["year"] for row in before["results"]}


def test_a_corrected_value_is_visible_on_the_next_request(client, data, tmp_path):
    source = "Philippine Statistics Authority"
    before = phl(client).json()
    assert 2.5 in [row["value"] for row in before["results"]]
    report = observations_import(
        files=[write(tmp_path, "fix.csv", PHL_TOTAL.format(value=2.7, source=source))]
    )
    assert report.updated == 1

    after = phl(client).json()

    values = [row["value"] for row in after["results"]]
    assert after["count"] == before["count"]
    assert 2.7 in values
    assert 2.5 not in values


def test_removed_observations_disappear_on_the_next_request(client, data):
    assert phl(client).json()["count"] > 0

    removed = observations_delete_by_source(
        actor=None, series="SL_TLF_CHLDEA", sources=["Philippine Statistics Authority"]
    )

    assert removed > 0
    assert phl(client).json() == {
        "indicator": "8.7.1",
        "count": 0,
        "page": 1,
        "page_size": 50,
        "results": [],
    }


def test_a_renamed_country_is_visible_on_the_next_request(client, data):
    assert phl(client).json()["results"][0]["area_name"] == "Philippines"

    Country.objects.filter(iso3="PHL").update(name_en="Republic of the Philippines")

    assert phl(client).json()["results"][0]["area_name"] == "Republic of the Philippines"


def test_the_page_has_an_etag_and_if_none_match_answers_304(client, data, tmp_path):
    first = phl(client)
    etag = first["ETag"]
    assert etag.startswith('"')
    assert etag.endswith('"')

    same = phl(client, {"If-None-Match": etag})
    weak = phl(client, {"If-None-Match": f'W/{etag}, "other"'})
    other = phl(client, {"If-None-Match": '"something-else"'})

    assert (same.status_code, same.content, same["ETag"]) == (304, b"", etag)
    assert weak.status_code == 304
    assert (other.status_code, other.content) == (200, first.content)

    new_row = "8.7.1,PHL,2022,2022,2.0,percent,SL_TLF_CHLDEA,,,A,PSA,Survey,,\n"
    observations_import(files=[write(tmp_path, "new.csv", new_row)])
    changed = phl(client, {"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_filtered_pages_are_cached_and_invalidated_too(client, data, tmp_path):
    first = phl(client, sex="Female")
    assert [row["value"] for row in first.json()["results"]] == [1.9]
    assert phl(client, sex="Female").content == first.content

    source = "Philippine Statistics Authority"
    female = PHL_TOTAL.format(value=1.8, source=source).replace(",,\n", ",Female,\n")
    observations_import(files=[write(tmp_path, "fix.csv", female)])

    assert [row["value"] for row in phl(client, sex="Female").json()["results"]] == [1.8]


@pytest.mark.parametrize(
    ("query", "status"),
    [({"country": "XYZ"}, 400), ({"country": "PHL", "page": "9"}, 404)],
)
def test_errors_are_not_cached(client, data, query, status):
    assert client.get(URL, query).status_code == status
    assert client.get(URL, query).status_code == status
    assert len(api.SERIES_CACHE) == 0


def test_an_unknown_indicator_is_still_404(client, data):
    response = client.get("/api/v1/indicators/9.9.9/observations", {"country": "PHL"})

    assert response.status_code == 404
    assert selectors.series_fingerprint("9.9.9", "PHL") is None


def test_the_fingerprint_changes_with_each_write_and_only_then(data, tmp_path):
    first = selectors.series_fingerprint("8.7.1", "PHL")
    assert first == selectors.series_fingerprint("8-7-1", "PHL")
    stored = Observation.objects.filter(indicator__code="8.7.1", area_code="PHL").count()
    assert first[1:3] == ("8.7.1", str(stored))

    report = observations_import(files=[FIXTURES / "tidy_phl.csv"])  # the same file again
    assert report.created == report.updated == 0
    assert selectors.series_fingerprint("8.7.1", "PHL") == first

    row = "8.7.1,PHL,2023,2023,2.0,percent,SL_TLF_CHLDEA,,,A,PSA,Survey,,\n"
    observations_import(files=[write(tmp_path, "new.csv", row)])
    assert selectors.series_fingerprint("8.7.1", "PHL") != first


def test_the_cache_keeps_the_most_recently_used_pages():
    cache = api.SeriesCache(size=2)
    cache.put(("a",), ("1",), b"a", '"a"')
    cache.put(("b",), ("1",), b"b", '"b"')
    assert cache.get(("a",), ("1",)) == (b"a", '"a"')  # a is now the most recent
    cache.put(("c",), ("1",), b"c", '"c"')

    assert cache.get(("b",), ("1",)) is None
    assert cache.get(("a",), ("1",)) == (b"a", '"a"')
    assert cache.get(("a",), ("2",)) is None  # another fingerprint: stale, not answered
    assert len(cache) == 2


def test_the_cache_is_bounded_in_bytes_too():
    cache = api.SeriesCache(size=100, max_bytes=80)
    cache.put(("a",), ("1",), b"a" * 10, '"a"')
    cache.put(("b",), ("1",), b"b" * 10, '"b"')
    cache.put(("huge",), ("1",), b"h" * 11, '"h"')  # above an eighth of 80 bytes: not kept
    assert cache.get(("huge",), ("1",)) is None
    for name in "cdefgh":
        cache.put((name,), ("1",), b"x" * 10, '"x"')

    assert cache.bytes == 80
    assert len(cache) == 8
    cache.put(("i",), ("1",), b"x" * 10, '"x"')
    assert cache.get(("a",), ("1",)) is None  # the least recently used went
    assert cache.bytes == 80
    cache.put(("i",), ("2",), b"y" * 5, '"y"')  # replaced, not counted twice
    assert cache.bytes == 75


def test_series_rows_refuses_an_unknown_language(data):
    indicator = Indicator.objects.get(code="8.7.1")
    with pytest.raises(Exception, match="unknown language"):
        selectors.series_rows(indicator_id=indicator.pk, area="PHL", language="de", limit=1)
