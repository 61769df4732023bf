"""`.env.example` documents every environment variable the code reads, and only those.

The names are found by parsing the code (not by importing it): calls such as ``env.get("NAME")``,
``env.get_int("NAME", …)`` in the settings, ``get("NAME")`` inside ``config/env.py``, and
``os.environ.get("NAME")`` / ``os.getenv("NAME")`` / ``os.environ["NAME"]`` anywhere.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_MODULE = ROOT / "config" / "env.py"
ENV_READERS = {"get", "get_bool", "get_int", "get_list"}
ENVIRON_READERS = {"get", "setdefault", "pop"}
NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def project_modules() -> Iterator[Path]:
    yield ROOT / "manage.py"
    for package in ("config", "sdg87"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            if not parts & {"tests", "migrations"}:
                yield path


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def environment_reads(path: Path) -> Iterator[tuple[str, str]]:
    """``(name, how)`` for each environment variable read in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                yield node.slice.value, "os.environ[]"
            continue
        if not isinstance(node, ast.Call):
            continue
        name = _first_string(node)
        if name is None or not NAME.match(name):
            continue
        function = node.func
        if isinstance(function, ast.Attribute):
            receiver = function.value
            if _is_os_environ(receiver) and function.attr in ENVIRON_READERS:
                yield name, f"os.environ.{function.attr}"
            elif (
                isinstance(receiver, ast.Name) and receiver.id == "os" and function.attr == "getenv"
            ):
                yield name, "os.getenv"
            elif (
                isinstance(receiver, ast.Name)
                and receiver.id == "env"
                and function.attr in ENV_READERS
            ):
                yield name, f"env.{function.attr}"
        elif isinstance(function, ast.Name) and path == ENV_MODULE and function.id in ENV_READERS:
            yield name, function.id


def names_read_by_the_code() -> set[str]:
    return {name for path in project_modules() for name, _how in environment_reads(path)}


def names_in_env_example() -> dict[str, int]:
    names: dict[str, int] = {}
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        match = re.match(r"^([A-Z][A-Z0-9_]*)=", line)
        if match:
            names[match.group(1)] = number
    return names


def test_the_parser_finds_the_variables_we_know_are_read():
    found = names_read_by_the_code()

    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "HOST", "PORT"} <= found


def test_every_variable_the_code_reads_is_in_env_example():
    missing = sorted(names_read_by_the_code() - names_in_env_example().keys())

    assert not missing, f".env.example lacks {', '.join(missing)}: add each with a comment"


def test_env_example_lists_only_variables_the_code_reads():
    stale = sorted(names_in_env_example().keys() - names_read_by_the_code())

    assert not stale, f".env.example lists {', '.join(stale)}, which no code reads"


def test_every_variable_in_env_example_has_a_comment_above_it():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    uncommented = []
    for name, number in names_in_env_example().items():
        above = number - 2
        while above >= 0 and re.match(r"^[A-Z][A-Z0-9_]*=", lines[above]):
            above -= 1  # a group of related variables shares one comment
        if above < 0 or not lines[above].startswith("# "):
            uncommented.append(name)

    assert not uncommented, f"no comment explains {', '.join(uncommented)} in .env.example"


def test_only_config_env_reads_the_environment():
    # Setting the default settings module (manage.py, wsgi.py) is Django's bootstrap, not a read.
    offenders = [
        f"{path.relative_to(ROOT)}: {how}({name!r})"
        for path in project_modules()
        if path != ENV_MODULE
        for name, how in environment_reads(path)
        if not (how == "os.environ.setdefault" and name == "DJANGO_SETTINGS_MODULE")
        and not how.startswith("env.")
    ]

    assert not offenders, "read the environment through config.env instead: " + "; ".join(offenders)
