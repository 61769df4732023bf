"""The curators' upload page: who may use it, and the import service's report on good and bad
files (never a server error)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.accounts.tests.factories import CuratorFactory, UserFactory
from sdg87.indicators import views
from sdg87.indicators.models import Observation
from sdg87.indicators.tests.test_pages import make_country, make_indicator

pytestmark = pytest.mark.django_db

URL = "/en/indicators/import/"


@pytest.fixture
def curator_client(client):
    client.force_login(CuratorFactory())
    return client


@pytest.fixture
def catalogue() -> None:
    make_indicator("8.7.1")
    make_country("KEN")


def upload(name: str, content: bytes, **options: str) -> dict[str, object]:
    return {"files": SimpleUploadedFile(name, content), "format": "auto", **options}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_readers_without_the_curator_role_are_refused(client):
    client.force_login(UserFactory())

    assert client.get(URL).status_code == 403
    assert client.post(URL, upload("x.csv", b"Year,Value\n")).status_code == 403


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_curators_see_the_form_with_the_command_line_options(curator_client, language):
    response = curator_client.get(f"/{language}/indicators/import/")

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("files", "format", "indicator", "country", "source", "dry_run"):
        assert f'name="{name}"' in html
    assert 'enctype="multipart/form-data"' in html


def test_a_dry_run_reports_the_counts_and_writes_nothing(curator_client, catalogue):
    response = curator_client.post(
        URL,
        upload("indicator_8-7-1.csv", b"Year,Value\n2019,12.5\n2021,10\n", country="KEN")
        | {"dry_run": "on"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<strong data-count="created">2</strong>' in html
    assert "dry run" in html
    assert Observation.objects.count() == 0


def test_an_import_writes_the_observations(curator_client, catalogue):
    response = curator_client.post(
        URL, upload("indicator_8-7-1.csv", b"Year,Value\n2019,12.5\n", country="KEN")
    )

    assert response.status_code == 200
    assert '<strong data-count="created">1</strong>' in response.content.decode()
    assert Observation.objects.get().value == 12.5


def test_a_bad_value_is_reported_with_file_row_and_column_and_nothing_is_written(
    curator_client, catalogue
):
    content = b"Year,Value\n2019,12.5\n2020,twelve\n"

    response = curator_client.post(URL, upload("indicator_8-7-1.csv", content, country="KEN"))

    html = response.content.decode()
    assert response.status_code == 200
    errors = html[html.index('id="import-errors"') :]
    assert "indicator_8-7-1.csv" in errors
    assert '<td class="num">2</td>' in errors  # data row 2
    assert "Value" in errors
    assert "nothing was written" in html
    assert Observation.objects.count() == 0


def test_a_file_in_an_unknown_layout_is_refused_with_the_expected_columns(
    curator_client, catalogue
):
    response = curator_client.post(URL, upload("data.csv", b"foo,bar\n1,2\n"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "unknown layout" in html
    assert "TIME_PERIOD" in html


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("indicator_8-7-1.csv", b"\x00\x01\x02\xff\xfe garbage \x00"),
        ("indicator_8-7-1.csv", b""),
        ("table.xlsx", b"PK\x03\x04 not really a workbook"),
        ("meta_8-7-1.yml", b"key: [unclosed"),
    ],
)
def test_broken_files_get_a_report_never_a_server_error(curator_client, catalogue, name, content):
    response = curator_client.post(URL, upload(name, content, country="KEN"))

    assert response.status_code == 200
    assert Observation.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ", "not a CSV, XLSX or YAML file"),
        ("table.xlsx", b"Year,Value\n", "not an XLSX workbook"),
    ],
)
def test_files_of_another_kind_are_refused_before_reading(
    curator_client, catalogue, name, content, message
):
    response = curator_client.post(URL, upload(name, content))

    assert response.status_code == 200
    assert message in response.content.decode()


def test_files_over_the_size_limit_are_refused(curator_client, catalogue, monkeypatch):
    monkeypatch.setattr(views, "MAX_UPLOAD_FILE_BYTES", 10)

    response = curator_client.post(
        URL, upload("indicator_8-7-1.csv", b"Year,Value\n2019,12.5\n", country="KEN")
    )

    assert response.status_code == 200
    assert "indicator_8-7-1.csv: larger than 10" in response.content.decode()
    assert Observation.objects.count() == 0


def test_an_unknown_indicator_option_is_reported(curator_client, catalogue):
    response = curator_client.post(
        URL, upload("data.csv", b"Year,Value\n2019,1\n", indicator="99.9.9", country="KEN")
    )

    assert response.status_code == 200
    assert "unknown indicator code" in response.content.decode()
