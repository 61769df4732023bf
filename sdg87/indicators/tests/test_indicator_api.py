"""/api/v1/indicators: definitions, observations equal to the file's, downloads, imports."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdg87.accounts.tests.factories import CuratorFactory, UserFactory, api_token
from sdg87.indicators.models import ImportBatch, Observation
from sdg87.indicators.services import observations_import
from sdg87.indicators.tests.import_support import FIXTURES, load_indicator_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def ghana(db):
    load_indicator_reference()
    observations_import(files=[FIXTURES / "sdmx_gha.csv"])
    observations_import(files=[FIXTURES / "tidy_phl.csv"])


def rows_of_file() -> list[dict[str, str]]:
    with (FIXTURES / "sdmx_gha.csv").open(encoding="utf-8") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if row["SERIES"] == "SL_TLF_CHLDEC" and row["OBS_VALUE"]
        ]


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def test_the_list_has_the_indicators_with_their_targets_and_data(client, ghana):
    response = client.get("/api/v1/indicators", {"page_size": 100})

    body = response.json()
    assert response.status_code == 200
    by_code = {item["code"]: item for item in body["results"]}
    assert body["count"] == len(by_code) >= 20
    child_labour = by_code["8.7.1"]
    assert child_labour["title"].startswith("Proportion and number of children aged 5–17")
    assert (child_labour["target_value"], child_labour["target_year"]) == (0.0, 2025)
    assert child_labour["desired_direction"] == "down"
    assert (child_labour["countries_with_data"], child_labour["latest_year"]) == (2, 2020)
    assert (by_code["16.2.2"]["target_value"], by_code["16.2.2"]["target_year"]) == (0.0, 2030)
    assert by_code["8.8.1"]["target_value"] is None
    assert by_code["gsi-prevalence"]["kind"] == "agreed"


def test_the_list_speaks_french_and_costs_few_queries(client, ghana):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/indicators", {"lang": "fr", "page_size": 100})

    titles = {item["code"]: item["title"] for item in response.json()["results"]}
    assert titles["gsi-prevalence"].startswith("Prévalence estimée")
    assert len(queries) <= 4


def test_the_detail_has_definition_dimensions_and_metadata(client, ghana):
    response = client.get("/api/v1/indicators/8.7.1")

    body = response.json()
    assert response.status_code == 200
    assert body["sdg_indicator"] == "8.7.1"
    assert "SL_TLF_CHLDEC" in body["sdmx_series"]
    assert body["dimensions"]["AGE"] == ["Y5T17"]
    assert body["dimensions"]["REF_AREA"] == ["GH02"]
    assert body["dimensions"]["sex"] == ["Female", "Male"]
    assert {"slug": "child-labour", "name": "Child labour"} in body["themes"]


def test_an_unknown_indicator_is_404_with_the_error_shape(client, ghana):
    response = client.get("/api/v1/indicators/9.9.9")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_the_observations_equal_the_files_values(client, ghana):
    response = client.get(
        "/api/v1/indicators/8.7.1/observations", {"country": "GHA", "page_size": 1000}
    )

    results = response.json()["results"]
    expected = rows_of_file()
    assert response.json()["count"] == len(expected) == len(results)
    got = sorted(
        (item["year"], item["value"], item["unit"], item["dimensions"].get("SEX", "_T"))
        for item in results
    )
    assert got == sorted(
        (int(row["TIME_PERIOD"]), float(row["OBS_VALUE"]), row["UNIT_MEASURE"], row["SEX"])
        for row in expected
    )
    assert all(item["country"] == "GHA" for item in results)


def test_observations_filter_by_dimension_case_insensitively(client, ghana):
    response = client.get("/api/v1/indicators/8.7.1/observations", {"country": "GHA", "Sex": "f"})

    [only] = response.json()["results"]
    assert (only["value"], only["dimensions"]["SEX"]) == (20.1, "F")


def test_a_total_filter_keeps_rows_without_that_dimension(client, ghana):
    response = client.get(
        "/api/v1/indicators/8.7.1/observations",
        {"country": "GHA", "SEX": "_T", "URBANISATION": "_T", "REF_AREA": "_T"},
    )

    assert [item["value"] for item in response.json()["results"]] == [21.8]


def test_region_rows_have_their_m49_code_as_area(client, ghana, tmp_path):
    path = tmp_path / "world.csv"
    path.write_text("indicator,area,year,value,unit\n8.7.1,001,2020,9.6,percent\n")
    observations_import(files=[path])

    response = client.get("/api/v1/indicators/8.7.1/observations", {"area": "001"})

    [world] = response.json()["results"]
    assert (world["country"], world["area"], world["area_type"], world["area_name"]) == (
        None,
        "001",
        "region",
        "World",
    )


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"colour": "red"}, 400),
        ({"year_from": "abc"}, 422),
        ({"year_from": "2020", "year_to": "2010"}, 400),
        ({"country": "Ghana"}, 422),
        ({"country": "XYZ"}, 400),
        ({"format": "pdf"}, 422),
        ({"page": "99"}, 404),
    ],
)
def test_bad_observation_queries_are_4xx_with_the_error_shape(client, ghana, query, status):
    response = client.get("/api/v1/indicators/8.7.1/observations", query)

    assert response.status_code == status
    error_of(response)


def test_an_unknown_dimension_lists_the_known_ones(client, ghana):
    response = client.get("/api/v1/indicators/8.7.1/observations", {"colour": "red"})

    assert "AGE" in error_of(response)["details"]["dimensions"]


@pytest.mark.parametrize(
    ("fmt", "filename", "content_type"),
    [
        ("csv", "sdg87_8-7-1_gha.csv", "text/csv"),
        ("sdmx-csv", "sdg87_8-7-1_gha-sdmx.csv", "application/vnd.sdmx.data+csv"),
        ("xlsx", "sdg87_8-7-1_gha.xlsx", "application/vnd.openxmlformats"),
    ],
)
def test_downloads_have_a_sensible_file_name(client, ghana, fmt, filename, content_type):
    response = client.get(
        "/api/v1/indicators/8.7.1/observations", {"country": "GHA", "format": fmt}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_the_csv_download_holds_every_filtered_row(client, ghana):
    response = client.get(
        "/api/v1/indicators/8.7.1/observations", {"country": "GHA", "format": "csv"}
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == len(rows_of_file())
    assert {row["area"] for row in rows} == {"GHA"}


def upload(client, content: bytes, name: str = "phl.csv", **fields):
    return client.post(
        "/api/v1/indicators/imports",
        {"files": SimpleUploadedFile(name, content, content_type="text/csv"), **fields},
    )


def test_curators_upload_files_and_get_the_report(client, ghana):
    _token, plaintext = api_token(CuratorFactory())
    content = (FIXTURES / "tidy_phl.csv").read_bytes().replace(b"2.5,", b"2.6,", 1)

    response = client.post(
        "/api/v1/indicators/imports",
        {"files": SimpleUploadedFile("phl.csv", content, content_type="text/csv")},
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 1, 4)
    assert body["files"][0]["format"] == "csv"
    assert ImportBatch.objects.get(pk=body["batch"]).created_by.role == "curator"


def test_an_invalid_upload_answers_400_with_the_report_and_writes_nothing(client, ghana):
    _token, plaintext = api_token(CuratorFactory())
    before = Observation.objects.count()

    response = client.post(
        "/api/v1/indicators/imports",
        {
            "files": SimpleUploadedFile(
                "bad.csv", b"indicator,country,year,value\n8.7.1,GHA,2020,lots\n"
            ),
            "dry_run": "false",
        },
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )

    assert response.status_code == 400
    error = error_of(response)
    assert error["details"]["errors"][0]["column"] == "value"
    assert error["details"]["errors"][0]["row"] == 1
    assert Observation.objects.count() == before


def test_a_dry_run_upload_writes_nothing(client, ghana):
    _token, plaintext = api_token(CuratorFactory())

    response = client.post(
        "/api/v1/indicators/imports",
        {
            "files": SimpleUploadedFile("gha.csv", (FIXTURES / "sdmx_gha.csv").read_bytes()),
            "dry_run": "true",
        },
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )

    assert response.status_code == 200
    assert (response.json()["unchanged"], response.json()["batch"]) == (8, None)


def test_uploads_need_a_signed_in_curator(client, ghana):
    _token, plaintext = api_token(UserFactory())
    content = (FIXTURES / "tidy_phl.csv").read_bytes()

    anonymous = upload(client, content)
    viewer = client.post(
        "/api/v1/indicators/imports",
        {"files": SimpleUploadedFile("phl.csv", content)},
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )

    assert anonymous.status_code == 401
    assert viewer.status_code == 403
    error_of(viewer)


def test_the_observation_page_matches_its_documented_schema_in_every_language(client, ghana):
    from sdg87.indicators.api import ObservationPageOut

    for language, name in (("en", "Ghana"), ("fr", "Ghana")):
        response = client.get(
            "/api/v1/indicators/8.7.1/observations", {"country": "GHA", "lang": language}
        )
        document = response.json()
        validated = ObservationPageOut.model_validate(document).model_dump(mode="json")
        assert validated == document
        assert {item["area_name"] for item in document["results"]} == {name}


def test_a_page_beyond_one_counts_every_observation(client, ghana):
    first = client.get(
        "/api/v1/indicators/8.7.1/observations", {"country": "GHA", "page_size": 2}
    ).json()
    assert first["count"] == len(rows_of_file())
    assert len(first["results"]) == 2
