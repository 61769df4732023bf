from decimal import Decimal

import pytest

from sdg87.core.bundled_files import CsvRow, parents_first, read_csv
from sdg87.core.errors import InvalidInput


def make_row(**values: str) -> CsvRow:
    return CsvRow(file="reference/example.csv", row=4, line=5, values=values)


def test_read_csv_numbers_rows_from_the_first_data_row(tmp_path):
    path = tmp_path / "example.csv"
    path.write_text("code,name\nA,Alpha\nB,Beta\n", encoding="utf-8")

    rows = read_csv(path, data_dir=tmp_path, columns=["code", "name"])

    assert [(row.row, row.line, row.values["code"]) for row in rows] == [(1, 2, "A"), (2, 3, "B")]
    assert rows[0].file == "example.csv"


def test_read_csv_refuses_a_missing_column(tmp_path):
    path = tmp_path / "example.csv"
    path.write_text("code\nA\n", encoding="utf-8")

    with pytest.raises(InvalidInput) as caught:
        read_csv(path, data_dir=tmp_path, columns=["code", "name"])

    assert caught.value.details["field"] == "name"


def test_errors_name_file_row_line_and_field():
    with pytest.raises(InvalidInput) as caught:
        make_row(iso2="fr").matching("iso2", r"[A-Z]{2}", "2 capital letters")

    assert caught.value.details == {
        "file": "reference/example.csv",
        "field": "iso2",
        "row": 4,
        "line": 5,
    }
    assert caught.value.message.startswith("reference/example.csv row 4 (line 5), field 'iso2'")


@pytest.mark.parametrize(
    ("method", "value"),
    [("integer", "12a"), ("decimal", "many"), ("decimal", "-3"), ("boolean", "maybe")],
)
def test_typed_fields_refuse_malformed_values(method, value):
    with pytest.raises(InvalidInput):
        getattr(make_row(cell=value), method)("cell")


def test_typed_fields_parse_good_values():
    row = make_row(number="42", amount="49570000", flag="TRUE", day="1930-06-28", empty="")

    assert row.integer("number") == 42
    assert row.decimal("amount") == Decimal(49570000)
    assert row.boolean("flag") is True
    assert row.iso_date("day").year == 1930
    assert row.integer("empty", required=False) is None


def test_text_is_stored_with_composed_accents():
    decomposed = "E\u0301liminer"

    assert make_row(title=decomposed).text("title") == "\u00c9liminer"


def test_parents_first_orders_batches_by_depth():
    records = [
        {"key": "c", "parent": "b"},
        {"key": "a", "parent": ""},
        {"key": "b", "parent": "a"},
    ]

    batches = parents_first(records, key="key", parent="parent")

    assert [[r["key"] for r in batch] for batch in batches] == [["a"], ["b"], ["c"]]


def test_parents_first_refuses_a_cycle():
    records = [{"key": "a", "parent": "b"}, {"key": "b", "parent": "a"}]

    with pytest.raises(InvalidInput):
        parents_first(records, key="key", parent="parent")


@pytest.mark.django_db
def test_upsert_audits_created_and_updated_rows_with_before_and_after():
    from sdg87.core.bundled_files import upsert
    from sdg87.core.models import AuditEntry
    from sdg87.core.reports import LoadReport
    from sdg87.countries.models import Region

    record = {"m49": "999", "level": "region", "parent_id": None, "name_en": "Testland"}
    upsert(Region, key="m49", records=[record], report=LoadReport("regions"))
    created = AuditEntry.objects.get(object_type="countries.region", action="create")
    assert created.after["name_en"] == "Testland"
    assert created.before is None

    changed = {**record, "name_en": "Testlandia"}
    report = LoadReport("regions")
    upsert(Region, key="m49", records=[changed], report=report)
    assert report.updated == 1
    update = AuditEntry.objects.get(object_type="countries.region", action="update")
    assert update.before == {"name_en": "Testland"}
    assert update.after == {"name_en": "Testlandia"}

    upsert(Region, key="m49", records=[changed], report=LoadReport("regions"))
    assert AuditEntry.objects.filter(object_type="countries.region").count() == 2
