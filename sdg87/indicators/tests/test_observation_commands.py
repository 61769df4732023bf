"""`sdg87 import-observations` and `sdg87 export-observations` as contracts.md defines them."""

from __future__ import annotations

import json

import pytest

from sdg87 import cli
from sdg87.indicators.models import ImportBatch, Observation
from sdg87.indicators.tests.import_support import FIXTURES, load_indicator_reference, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    load_indicator_reference()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_prints_the_json_summary_contracts_name(reference, capsys):
    code, out, _err = run(capsys, "import-observations", str(FIXTURES / "sdmx_gha.csv"), "--json")

    document = json.loads(out)
    assert code == 0
    assert {"created", "updated", "unchanged", "rejected"} <= set(document)
    assert (document["created"], document["rejected"], document["dry_run"]) == (8, 2, False)
    assert document["errors"] == []
    assert document["files"][0]["format"] == "sdmx-csv"


def test_a_second_import_is_all_unchanged(reference, capsys):
    path = str(FIXTURES / "open_sdg_nga" / "indicator_8-7-1.csv")
    run(capsys, "import-observations", path, "--country", "NGA")

    code, out, _err = run(capsys, "import-observations", path, "--country", "NGA", "--json")

    assert code == 0
    assert json.loads(out)["unchanged"] == 8


def test_invalid_input_exits_2_names_file_row_and_column_and_writes_nothing(
    reference, capsys, tmp_path
):
    path = write(tmp_path / "indicator_8-7-1.csv", "Year,Sex,Value\n2019,,4\n2020,,four\n")

    code, out, err = run(capsys, "import-observations", str(path), "--country", "KEN", "--json")

    document = json.loads(out)
    assert code == 2
    assert document["error"]["code"] == "invalid_input"
    assert (
        document["errors"][0] | {"file": str(path), "row": 2, "line": 3, "column": "Value"}
        == (document["errors"][0])
    )
    assert f"{path} row 2 (line 3), column 'Value'" in err
    assert Observation.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_dry_run_writes_nothing(reference, capsys):
    code, out, _err = run(
        capsys, "import-observations", str(FIXTURES / "tidy_phl.csv"), "--dry-run"
    )

    assert code == 0
    assert out.startswith("dry run, nothing written: 5 created")
    assert Observation.objects.count() == 0


def test_unknown_options_exit_2(reference, capsys):
    path = str(FIXTURES / "tidy_phl.csv")

    assert run(capsys, "import-observations", path, "--indicator", "1.2.3.4")[0] == 2
    assert run(capsys, "import-observations", path, "--country", "ZZZ")[0] == 2
    assert run(capsys, "import-observations", str(FIXTURES / "nothing.csv"))[0] == 2


def test_export_writes_a_file_that_imports_back(reference, capsys, tmp_path):
    run(capsys, "import-observations", str(FIXTURES / "sdmx_gha.csv"))
    target = tmp_path / "gha.xlsx"

    code, _out, err = run(
        capsys,
        "export-observations",
        "8.7.1",
        "--country",
        "GHA",
        "--format",
        "xlsx",
        "--out",
        str(target),
    )
    again = run(capsys, "import-observations", str(target), "--json")

    assert code == 0
    assert "6 observations of 8.7.1" in err
    assert json.loads(again[1])["unchanged"] == 6


def test_export_to_standard_output_is_csv_by_default(reference, capsys):
    run(capsys, "import-observations", str(FIXTURES / "tidy_phl.csv"))

    code, out, _err = run(capsys, "export-observations", "gsi-prevalence")

    assert code == 0
    assert out.splitlines()[0].startswith("indicator,area,area_name,year,period,value")
    assert out.splitlines()[1].startswith("gsi-prevalence,PHL,Philippines,2021,2021,7.8,")


def test_export_of_an_unknown_indicator_or_country_exits_2(reference, capsys):
    assert run(capsys, "export-observations", "9.9.9")[0] == 2
    assert run(capsys, "export-observations", "8.7.1", "--country", "ZZZ")[0] == 2
