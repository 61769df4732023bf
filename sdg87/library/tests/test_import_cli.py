"""``sdg87 import-resources FILE [--format auto|jsonl|csv] [--json]`` as the contract says."""

from __future__ import annotations

import json
import shutil

import pytest

from sdg87 import cli
from sdg87.library.models import Resource
from sdg87.library.tests.resources_support import FIXTURES, library_reference

__all__ = ["library_reference"]
pytestmark = pytest.mark.usefixtures("library_reference")


def run(capsys, *args):
    code = cli.main(["import-resources", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_jsonl_file_of_unseen_documents_imports_with_the_summary_fields(capsys, tmp_path):
    path = shutil.copy(FIXTURES / "unseen_mixed.jsonl", tmp_path / "unseen.jsonl")
    code, out, _err = run(capsys, path, "--json")
    assert code == 0
    summary = json.loads(out)
    assert {key: summary[key] for key in ("created", "updated", "unchanged", "rejected")} == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert set(Resource.objects.values_list("source", flat=True)) == {"import:unseen.jsonl"}


def test_french_and_spanish_documents_without_language_are_detected(capsys, tmp_path):
    path = shutil.copy(FIXTURES / "unseen_mixed.jsonl", tmp_path / "unseen.jsonl")
    run(capsys, path)
    languages = dict(Resource.objects.values_list("source_record_id", "language"))
    assert languages == {"fr-1": "fr", "es-1": "es", "42": "en"}


def test_a_second_import_of_the_same_file_creates_nothing(capsys, tmp_path):
    path = shutil.copy(FIXTURES / "unseen_mixed.jsonl", tmp_path / "unseen.jsonl")
    run(capsys, path, "--json")
    code, out, _err = run(capsys, path, "--json")
    assert code == 0
    summary = json.loads(out)
    assert (summary["created"], summary["unchanged"]) == (0, 3)
    assert Resource.objects.count() == 3


def test_a_csv_file_imports_with_countries_and_extra_fields(capsys, tmp_path):
    path = shutil.copy(FIXTURES / "unseen.csv", tmp_path / "unseen.csv")
    code, _out, _err = run(capsys, path, "--format", "csv")
    assert code == 0
    resource = Resource.objects.get(source_record_id="c-1")
    assert sorted(country.iso3 for country in resource.countries.all()) == ["MWI", "ZMB"]
    assert resource.extra == {"funder": "Example Fund"}
    assert Resource.objects.get(source_record_id="c-2").language == "fr"


def test_a_bad_line_exits_2_names_line_and_field_and_imports_nothing(capsys, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "a", "title": "Fine"}\n{"id": "b", "title": "Bad year", "year": 3000}\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, path, "--json")
    assert code == 2
    assert "bad.jsonl: line 2, field year" in err
    document = json.loads(out)
    assert document["created"] == 0
    assert document["errors"][0] == {
        "line": 2,
        "field": "year",
        "message": document["errors"][0]["message"],
    }
    assert Resource.objects.count() == 0


def test_a_missing_file_exits_2(capsys, tmp_path):
    code, _out, err = run(capsys, tmp_path / "nope.jsonl")
    assert code == 2
    assert "no such file" in err


def test_the_plain_summary_names_the_counts(capsys, tmp_path):
    path = shutil.copy(FIXTURES / "unseen.csv", tmp_path / "unseen.csv")
    code, out, _err = run(capsys, path)
    assert code == 0
    assert "2 created, 0 updated, 0 unchanged, 0 rejected" in out
