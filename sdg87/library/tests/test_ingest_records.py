"""Reading JSONL and CSV files of resources: every bad input names its line and field, and one
bad line refuses the whole file. Pure: no database."""

from __future__ import annotations

import datetime
import json

import pytest

from sdg87.core.errors import InvalidInput
from sdg87.library.ingest import read_records
from sdg87.library.tests.resources_support import FIXTURES

KNOWN = frozenset({"KEN", "UGA", "CIV", "GHA", "MWI", "ZMB", "NER", "BOL", "PER"})
TODAY = datetime.date(2025, 6, 1)


def read(content: str, name: str = "file.jsonl", **options):
    return read_records(
        content.encode("utf-8"), name=name, known_countries=KNOWN, today=TODAY, **options
    )


def jsonl(*rows) -> str:
    return "\n".join(row if isinstance(row, str) else json.dumps(row) for row in rows) + "\n"


def errors_of(content: str, name: str = "file.jsonl"):
    with pytest.raises(InvalidInput) as caught:
        read(content, name)
    return [(error["line"], error["field"]) for error in caught.value.details["errors"]]


def test_a_valid_jsonl_file_gives_one_record_per_line():
    records = read((FIXTURES / "unseen_mixed.jsonl").read_text(encoding="utf-8"))
    assert [record.id for record in records] == ["fr-1", "es-1", "42"]
    assert records[0].countries == ("CIV", "GHA")
    assert records[0].language == ""  # to be detected
    assert records[1].type == "research"  # "informe"
    assert records[2].url == "https://example.org/fishing"


def test_unknown_fields_are_kept_as_extra_metadata():
    records = read((FIXTURES / "unseen_mixed.jsonl").read_text(encoding="utf-8"))
    assert records[0].extra == {"publisher_note": "étude de terrain"}
    assert records[2].extra == {"tags": ["fishing", "sea"], "pages": 48}


def test_a_csv_file_splits_countries_on_semicolons():
    records = read((FIXTURES / "unseen.csv").read_text(encoding="utf-8"), "file.csv")
    assert records[0].countries == ("MWI", "ZMB")
    assert records[0].year == 2018
    assert records[0].extra == {"funder": "Example Fund"}
    assert records[1].countries == ("NER",)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"title": "no id"}, "id"),
        ({"id": "", "title": "empty id"}, "id"),
        ({"id": ["a"], "title": "list id"}, "id"),
        ({"id": "a"}, "title"),
        ({"id": "a", "title": "  "}, "title"),
        ({"id": "a", "title": 5.5}, "title"),
        ({"id": "a", "title": "t", "text": {"x": 1}}, "text"),
        ({"id": "a", "title": "t", "year": 3000}, "year"),
        ({"id": "a", "title": "t", "year": 1200}, "year"),
        ({"id": "a", "title": "t", "year": "soon"}, "year"),
        ({"id": "a", "title": "t", "year": True}, "year"),
        ({"id": "a", "title": "t", "countries": ["XXX"]}, "countries"),
        ({"id": "a", "title": "t", "countries": ["Kenya"]}, "countries"),
        ({"id": "a", "title": "t", "countries": 5}, "countries"),
        ({"id": "a", "title": "t", "url": "ftp://example.org/x"}, "url"),
        ({"id": "a", "title": "t", "url": "javascript:alert(1)"}, "url"),
        ({"id": "a", "title": "t", "url": "https://"}, "url"),
        ({"id": "a", "title": "t", "language": "klingon"}, "language"),
        ({"id": "a", "title": "t", "organisation": "x" * 300}, "organisation"),
    ],
)
def test_a_bad_field_is_named_with_its_line(row, field):
    content = jsonl({"id": "ok", "title": "fine"}, row)
    assert (2, field) in errors_of(content)


def test_bad_json_on_a_line_is_named_and_refuses_the_file():
    content = jsonl({"id": "a", "title": "t"}, "{not json", {"id": "b", "title": "u"})
    assert errors_of(content) == [(2, "")]


def test_a_line_that_is_not_an_object_is_refused():
    assert errors_of(jsonl({"id": "a", "title": "t"}, "[1, 2]")) == [(2, "")]


def test_every_bad_line_is_reported_not_only_the_first():
    content = jsonl({"id": "a"}, {"title": "b"}, {"id": "c", "title": "t", "year": 99999})
    assert errors_of(content) == [(1, "title"), (2, "id"), (3, "year")]


def test_the_message_names_the_file_line_and_field():
    with pytest.raises(InvalidInput, match=r"data\.jsonl: line 2, field year"):
        read(
            jsonl({"id": "a", "title": "t"}, {"id": "b", "title": "t", "year": 3000}), "data.jsonl"
        )


def test_a_repeated_id_in_one_file_is_refused():
    assert errors_of(jsonl({"id": "a", "title": "t"}, {"id": "a", "title": "u"})) == [(2, "id")]


def test_blank_lines_are_skipped_and_line_numbers_stay_true():
    content = '{"id": "a", "title": "t"}\n\n{"id": "b", "year": 2020}\n'
    assert errors_of(content) == [(3, "title")]


def test_a_csv_without_an_id_column_is_refused_on_line_1():
    assert errors_of("title,year\nA,2020\n", "file.csv") == [(1, "id")]


def test_csv_line_numbers_count_quoted_line_breaks():
    content = 'id,title,year\na,"two\nlines",2020\nb,t,not-a-year\n'
    assert errors_of(content, "file.csv") == [(4, "year")]


def test_a_csv_row_with_too_many_cells_is_refused():
    assert errors_of("id,title\na,t,extra\n", "file.csv") == [(2, "")]


def test_a_file_that_is_not_utf8_is_refused_with_its_line():
    with pytest.raises(InvalidInput) as caught:
        read_records(
            b'{"id": "a", "title": "t"}\n{"id": "b", "title": "\xff"}\n',
            name="f.jsonl",
            known_countries=KNOWN,
        )
    assert caught.value.details["errors"][0]["line"] == 2


def test_the_format_is_chosen_from_the_content_when_the_name_does_not_say():
    records = read(jsonl({"id": "a", "title": "t"}), "export.txt")
    assert records[0].id == "a"
    records = read("id,title\nb,u\n", "export.txt")
    assert records[0].id == "b"


def test_an_integer_id_becomes_text_and_countries_are_upper_cased():
    records = read(jsonl({"id": 7, "title": "t", "countries": ["ken", "UGA"], "year": "2019"}))
    assert records[0].id == "7"
    assert records[0].countries == ("KEN", "UGA")
    assert records[0].year == 2019


@pytest.mark.parametrize(
    ("given", "expected"), [("EN", "en"), ("fr-CA", "fr"), ("spa", "es"), ("Español", "es")]
)
def test_languages_given_in_other_forms_become_iso_639_1(given, expected):
    assert read(jsonl({"id": "a", "title": "t", "language": given}))[0].language == expected


def test_an_unknown_type_word_falls_back_to_research_and_is_kept():
    record = read(jsonl({"id": "a", "title": "t", "type": "podcast"}))[0]
    assert record.type == "research"
    assert record.extra["type_as_given"] == "podcast"


def test_the_content_hash_ignores_the_line_number():
    first = read(jsonl({"id": "a", "title": "t"}))[0]
    second = read("\n\n" + jsonl({"id": "a", "title": "t"}))[0]
    assert first.line != second.line
    assert first.content_hash() == second.content_hash()
