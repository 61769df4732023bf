"""The ``sdg87`` console script.

Exit codes (docs/cli.md): 0 success, 2 invalid input (the message names
file, row/line and field), 1 any other failure. Nothing is written when a
command fails. ``--json`` prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_INVALID = 2


class CommandFailed(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_FAILURE, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.details = details


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def _print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


# --- commands ---------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from sdg87.core import server

    server.serve(host=args.host, port=args.port, workers=args.workers)
    return EXIT_OK


def cmd_setup(args: argparse.Namespace) -> int:
    from sdg87 import setup

    report = setup.platform_setup(load_data=not args.no_data, out=sys.stderr)
    if args.json:
        _print_json(report)
    return EXIT_OK


def cmd_load_data(args: argparse.Namespace) -> int:
    from sdg87 import loading

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sdg87",
        description="sdg87: the open platform for SDG Target 8.7.",
        epilog="Exit codes: 0 success, 2 invalid input, 1 other failure.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    serve = sub.add_parser("serve", help="serve the platform with gunicorn (static files by WhiteNoise)")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000") or 8000))
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: 2×cores+1, at most 5)")

    setup = sub.add_parser("setup", help="migrate, collect static files, load the bundled data when the database is empty, create an admin")
    setup.add_argument("--no-data", action="store_true", help="do not load the bundled data")
    setup.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    load = sub.add_parser("load-data", help="load the bundled reference and real data (idempotent)")
    load.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    manage = sub.add_parser("manage", help="run a Django management command (for operators)")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
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
            raise CommandFailed(f"configuration: {exc}", EXIT_FAILURE) from None
        return _run(args)
    except CommandFailed as exc:
        return _fail(exc.message, exc.exit_code, exc.details, wants_json)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_FAILURE, None, wants_json)


def _run(args: argparse.Namespace) -> int:
    from django.db.utils import DatabaseError, OperationalError

    from config.env import ConfigurationError
    from sdg87.core.errors import DomainError

    try:
        return COMMANDS[args.command](args)
    except DomainError as exc:
        raise CommandFailed(exc.message, exc.exit_code, exc.details) from None
    except ConfigurationError as exc:
        raise CommandFailed(f"configuration: {exc}", EXIT_FAILURE) from None
    except OperationalError as exc:
        raise CommandFailed(f"database: {exc}".strip(), EXIT_FAILURE) from None
    except DatabaseError as exc:
        raise CommandFailed(f"database: {exc}".strip(), EXIT_FAILURE) from None


def _fail(message: str, exit_code: int, details: Any, wants_json: bool) -> int:
    sys.stderr.write(f"sdg87: error: {message}\n")
    if wants_json:
        _print_json({"error": {"code": "invalid_input" if exit_code == EXIT_INVALID else "failure",
                               "message": message, "details": details or {}}})
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
