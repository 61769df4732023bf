"""docs/cli.md is generated from the commands' --help and must match the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from sdg87.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date():
    generator = load_generator()
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")

    assert committed == generator.render(), (
        "docs/cli.md is out of date: run `.venv/bin/python scripts/gen_cli_docs.py`"
    )


def test_cli_reference_has_a_section_for_every_command():
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")

    missing = [name for name in COMMANDS if f"## `sdg87 {name}`" not in committed]
    assert not missing


def test_cli_reference_states_the_exit_codes():
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")

    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in committed
