"""The ``sdg87`` console script.

Exit codes (docs/cli.md): 0 success, 2 invalid input (the message names
file, row/line and field), 1 any other failure. Nothing is written when a
command fails. ``--json`` prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_FAILURE, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.details = details


def _setup_django() -> None:
    from config import env

    env.use_default_settings_module()
    import django

    django.setup()


def _print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


# --- commands ---------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from config import env
    from sdg87.core import server

    host = args.host if args.host is not None else env.server_host()
    port = args.port if args.port is not None else env.server_port()
    server.serve(host=host, port=port, workers=args.workers)
    return EXIT_OK


def cmd_setup(args: argparse.Namespace) -> int:
    from sdg87 import setup

    report = setup.platform_setup(load_data=not args.no_data, out=sys.stderr)
    if args.json:
        _print_json(report)
    return EXIT_OK


def cmd_load_data(args: argparse.Namespace) -> int:
    from sdg87 import loading
    from sdg87.setup import check_database_ready

    check_database_ready()

    report = loading.load_bundled_data(out=None if args.json else sys.stderr)
    if args.json:
        _print_json(report)
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sdg87 manage", *args.rest])
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": cmd_serve,
    "setup": cmd_setup,
    "load-data": cmd_load_data,
    "manage": cmd_manage,
}


def _add_command(
    sub: argparse._SubParsersAction, name: str, summary: str
) -> argparse.ArgumentParser:
    return sub.add_parser(
        name, help=summary, description=summary[:1].upper() + summary[1:] + ".", epilog=EPILOG
    )


EPILOG = "Exit codes: 0 success, 2 invalid input, 1 other failure."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sdg87",
        description="sdg87: the open platform for SDG Target 8.7.",
        epilog=EPILOG,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    serve = _add_command(
        sub, "serve", "serve the platform with gunicorn (static files by WhiteNoise)"
    )
    # Defaults come from HOST and PORT when the command runs (config.env), not when the
    # parser is built, so that --help reads the same everywhere.
    serve.add_argument(
        "--host", default=None, help="address to listen on (default: $HOST, else 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=int, default=None, help="TCP port to listen on (default: $PORT, else 8000)"
    )
    serve.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: 2×cores+1, at most 5)"
    )

    setup = _add_command(
        sub,
        "setup",
        "migrate, collect static files, load the bundled data when the database is empty, "
        "create an admin",
    )
    setup.add_argument("--no-data", action="store_true", help="do not load the bundled data")
    setup.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    load = _add_command(sub, "load-data", "load the bundled reference and real data (idempotent)")
    load.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    manage = _add_command(sub, "manage", "run a Django management command (for operators)")
    manage.add_argument(
        "rest", nargs=argparse.REMAINDER, metavar="ARGS", help="the command and its arguments"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    wants_json = bool(getattr(args, "json", False))
    try:
        from config.env import ConfigurationError

        try:
            _setup_django()
        except ConfigurationError as exc:
            raise CliError(f"configuration: {exc}", EXIT_FAILURE) from None
        return _run(args)
    except CliError as exc:
        return _fail(exc.message, exc.exit_code, exc.details, wants_json)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_FAILURE, None, wants_json)


def _run(args: argparse.Namespace) -> int:
    from django.db import Error as DatabaseError

    from config.env import ConfigurationError
    from sdg87.core.errors import DomainError

    try:
        return COMMANDS[args.command](args)
    except DomainError as exc:
        raise CliError(exc.message, exc.exit_code, exc.details) from None
    except ConfigurationError as exc:
        raise CliError(f"configuration: {exc}", EXIT_FAILURE) from None
    except DatabaseError as exc:
        raise CliError(_database_failure(exc), EXIT_FAILURE) from None


def _database_failure(exc: Exception) -> str:
    """One line that says what went wrong with the database and what to do about it."""
    from django.db import connection

    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = lines[0] if lines else type(exc).__name__
    if connection.vendor == "sqlite" and "unable to open database file" in reason:
        return (
            f"database: cannot open the SQLite file {connection.settings_dict['NAME']} ({reason}):"
            " check DATABASE_URL, or run `sdg87 setup` to create it"
        )
    if re.search(r"no such table|relation \S+ does not exist", reason):
        return f"database: {reason}: the database is not set up, run `sdg87 setup` first"
    return f"database: {reason}"


def _fail(message: str, exit_code: int, details: Any, wants_json: bool) -> int:
    one_line = re.sub(r"\s*\n\s*", " ", message.strip())
    sys.stderr.write(f"sdg87: error: {one_line}\n")
    if wants_json:
        code = "invalid_input" if exit_code == EXIT_INVALID else "failure"
        _print_json({"error": {"code": code, "message": one_line, "details": details or {}}})
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
