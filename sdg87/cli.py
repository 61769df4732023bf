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
    server.serve(
        host=host, port=port, workers=args.workers, background_worker=not args.no_task_worker
    )
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


def cmd_remove_examples(args: argparse.Namespace) -> int:
    from sdg87.pathfinders.services.examples import examples_remove
    from sdg87.setup import check_database_ready

    check_database_ready()
    removed = examples_remove()
    if args.json:
        _print_json({"removed": removed})
    else:
        sys.stderr.write(
            "removed the example content: "
            + ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in removed.items())
            + "\n"
        )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from sdg87.core.backup import backup
    from sdg87.setup import check_database_ready

    check_database_ready()
    result = backup(args.file)
    if args.json:
        _print_json(result.as_dict())
    else:
        sys.stderr.write(
            f"backed up the {result.engine} database to {result.file} ({result.bytes} bytes)\n"
        )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from sdg87.core.backup import restore

    result = restore(args.file)
    if args.json:
        _print_json(result.as_dict())
    else:
        sys.stderr.write(f"restored the {result.engine} database from {result.file}\n")
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sdg87 manage", *args.rest])
    return EXIT_OK


def cmd_progress(args: argparse.Namespace) -> int:
    from sdg87.indicators import progress_service

    result = progress_service.indicator_progress(
        indicator_code=args.indicator, country_iso3=args.country
    )
    document = progress_service.progress_document(result)
    if args.json:
        _print_json(document)
    else:
        sys.stdout.write(_progress_text(document))
    return EXIT_OK


def _number(value: Any, digits: int = 2, suffix: str = "") -> str:
    return "-" if value is None else f"{value:.{digits}f}{suffix}"


def _percent(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.2f} %"


def _breakdown_text(breakdown: dict[str, str] | None) -> str:
    """Where the source has no total, which breakdown stands for it."""
    if not breakdown:
        return ""
    named = ", ".join(f"{key}={value}" for key, value in sorted(breakdown.items()))
    return f"; no total published, breakdown used as headline: {named}"


def _progress_text(document: dict[str, Any]) -> str:
    """A small table per series and method, then the indicator-level status of each method."""
    goal = document["goal"]
    target = (
        f"target {goal['target_value']:g} by {goal['target_year']}"
        if goal["target_value"] is not None
        else "no numeric target"
    )
    direction = "increase" if goal["direction"] == "up" else "decrease"
    lines = [
        f"{document['indicator']} {document['indicator_title']}",
        f"{document['country_name']} ({document['country']}); desired: {direction}; {target}",
    ]
    methods = document["methods"]
    if not document["series"]:
        lines.append(f"No data: {methods['open_sdg']['reason']}.")
    for index, item in enumerate(document["series"]):
        lines += [
            "",
            f"Series {item['series'] or '-'}, unit {item['unit'] or '-'}: "
            f"{item['observations']} observations, {item['first_year']}-{item['last_year']}"
            + _breakdown_text(item.get("breakdown")),
            f"  {'method':<9} {'status':<26} {'base':<13} {'latest':<13} {'CAGR':>9} "
            f"{'measure':>10} {'score':>6}",
        ]
        for key, title, measure in (("open_sdg", "Open SDG", None), ("unsd", "UNSD", "Q")):
            result = methods[key]["series"][index]
            status = result["status"] + (f" ({result['reason']})" if result["reason"] else "")
            symbol = measure or result.get("progress_measure") or ""
            value = result.get("progress_ratio" if measure else "progress_value")
            lines.append(
                f"  {title:<9} {status:<26} "
                f"{_number(result['base_year'], 0)} {_number(result['base_value'], 3):<8} "
                f"{_number(result['current_year'], 0)} {_number(result['current_value'], 3):<8} "
                f"{_percent(result['cagr']):>9} {symbol + ' ' + _number(value, 3):>10} "
                f"{_number(result['score']):>6}"
            )
        outlook = item["outlook"]
        if outlook["target_value"] is not None:
            lines.append(
                f"  Years to target at the current rate: {_number(outlook['years_to_target'], 1)}"
                f" (exponential), {_number(outlook['years_to_target_linear'], 1)} (linear)"
            )
            lines.append(
                f"  Annual rate now required: {_percent(outlook['required_annual_rate'])} a year"
                f" ({_number(outlook['required_annual_change'], 3)} a year)"
            )
    lines.append("")
    for key in ("open_sdg", "unsd"):
        method = methods[key]
        reason = f" ({method['reason']})" if method["reason"] else ""
        robust = "" if method["robust"] is None else f", robust to bounds: {method['robust']}"
        lines.append(
            f"{method['name']}: {method['label']} [{method['status']}{reason}], "
            f"score {_number(method['score'])}{robust}"
        )
    return "\n".join(lines) + "\n"


def cmd_import_ratifications(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sdg87.instruments.services import ratifications_import
    from sdg87.setup import check_database_ready

    check_database_ready()
    summary = ratifications_import(
        path=Path(args.file),
        source=args.source,
        instrument=args.instrument,
        as_of=args.as_of,
        dry_run=args.dry_run,
    ).as_dict()
    if args.json:
        _print_json(summary)
    else:
        prefix = "dry run, nothing written: " if args.dry_run else ""
        sys.stdout.write(
            f"{prefix}{summary['created']} created, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['rejected']} rejected, "
            f"{summary['skipped']} skipped (rows that record no ratification)\n"
        )
    return EXIT_OK


def cmd_harvest(args: argparse.Namespace) -> int:
    from sdg87.core.models import AuditSource
    from sdg87.library import harvest, tasks
    from sdg87.setup import check_database_ready

    check_database_ready()
    if args.background:
        queued = tasks.harvest_enqueue(url=args.url, protocol=args.protocol)
        document = {"task": queued.pk, "status": queued.status, "label": queued.label}
        if args.json:
            _print_json(document)
        else:
            sys.stdout.write(f"queued as background task {queued.pk}: run `sdg87 worker`\n")
        return EXIT_OK
    line = _ProgressLine(sys.stderr)
    summary = harvest.harvest_run(
        url=args.url, protocol=args.protocol, progress=line, audit_source=AuditSource.CLI
    ).as_dict()
    line.close()
    if args.json:
        _print_json(summary)
    else:
        resumed = ", resumed an interrupted run" if summary["resumed"] else ""
        sys.stdout.write(
            f"{summary['records_seen']} records in {summary['pages']} pages{resumed}: "
            f"{summary['created']} created, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['rejected']} rejected, "
            f"{summary['withdrawn']} withdrawn\n"
        )
    return EXIT_OK


class _ProgressLine:
    """Progress on stderr: rewritten in place on a terminal, one line per update otherwise."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.written = False

    def __call__(self, current: int, total: int | None = None, message: str = "") -> None:
        count = f"{current}/{total}" if total else str(current)
        text = f"harvest: {count} {message}".rstrip()
        self.stream.write(f"\r\x1b[K{text}" if self.tty else f"{text}\n")
        self.stream.flush()
        self.written = True

    def close(self) -> None:
        if self.tty and self.written:
            self.stream.write("\n")


def cmd_worker(args: argparse.Namespace) -> int:
    from sdg87.core.tasks import worker_run
    from sdg87.setup import check_database_ready

    check_database_ready()
    worker_run(interval=args.interval, batch=args.batch, verbose=args.verbose)
    return EXIT_OK


def cmd_import_observations(args: argparse.Namespace) -> int:
    from sdg87.indicators.services import ObservationImportError, observations_import
    from sdg87.setup import check_database_ready

    check_database_ready()
    bar = _ImportProgress(sys.stderr)
    try:
        report = observations_import(
            files=args.files,
            format=args.format,
            indicator=args.indicator,
            country=args.country,
            source=args.source,
            dry_run=args.dry_run,
            progress=bar,
        )
    except ObservationImportError as error:
        bar.close()
        document = error.report.as_dict()
        one_line = re.sub(r"\s*\n\s*", " ", error.message.strip())
        if args.json:
            document["error"] = {"code": "invalid_input", "message": one_line}
            _print_json(document)
        sys.stderr.write(f"sdg87: error: {one_line}\n")
        for problem in document["errors"][1:20]:
            sys.stderr.write(f"  {problem['message']}\n")
        if document["error_count"] > 20:
            sys.stderr.write(f"  … {document['error_count'] - 20} more\n")
        sys.stderr.write("nothing was written\n")
        return EXIT_INVALID
    bar.close()
    document = report.as_dict()
    summary = (
        f"{'dry run, nothing written: ' if report.dry_run else ''}{report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.rejected} rejected"
    )
    if args.json:
        _print_json(document)
        sys.stderr.write(f"import-observations: {summary} ({report.seconds:.1f} s)\n")
        return EXIT_OK
    lines = [summary]
    for item in document["files"]:
        lines.append(
            f"  {item['name']} ({item['format']}): {item['rows']} rows, {item['created']} "
            f"created, {item['updated']} updated, {item['unchanged']} unchanged, "
            f"{item['rejected']} rejected"
        )
        lines += [f"    skipped {count}: {reason}" for reason, count in item["skipped"].items()]
        lines += [f"    note: {warning}" for warning in item["warnings"]]
    metadata = document["metadata"]
    if any(metadata.values()):
        lines.append(
            f"  national metadata: {metadata['created']} created, {metadata['updated']} "
            f"updated, {metadata['unchanged']} unchanged"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


class _ImportProgress:
    """A progress bar on stderr while importing, only when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.written = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.tty:
            return
        share = done / total if total else 0.0
        filled = int(self.WIDTH * share)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r\x1b[K[{bar}] {share:4.0%} {phase} ({done}/{total})")
        self.stream.flush()
        self.written = True

    def close(self) -> None:
        if self.tty and self.written:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.written = False


def cmd_export_observations(args: argparse.Namespace) -> int:
    from sdg87.indicators import selectors
    from sdg87.setup import check_database_ready

    check_database_ready()
    indicator = selectors.indicator_get(args.indicator)
    observations = selectors.observation_list(indicator=indicator, country=args.country)
    export = selectors.observations_export(
        observations, fmt=args.format, indicator=indicator, country=args.country
    )
    if args.out is None:
        if args.format == "xlsx" and sys.stdout.isatty():
            raise CliError("an XLSX file is binary: write it with --out FILE", EXIT_INVALID)
        sys.stdout.buffer.write(export.content)
        sys.stdout.flush()
        return EXIT_OK
    from pathlib import Path

    target = Path(args.out)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(export.content)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CliError(f"{args.out}: cannot write the file ({error.strerror})") from None
    sys.stderr.write(
        f"export-observations: {observations.count()} observations of {indicator.code} "
        f"written to {args.out}\n"
    )
    return EXIT_OK


def cmd_import_resources(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from sdg87.core.errors import InvalidInput
    from sdg87.library.services import import_source, resources_import_file
    from sdg87.setup import check_database_ready

    check_database_ready()
    path = Path(args.file)
    started = time.monotonic()
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty:
            sys.stderr.write(f"\r\x1b[Kimport-resources: {done}/{total}")
            sys.stderr.flush()

    try:
        report = resources_import_file(path, file_format=args.format, progress=progress)
    except InvalidInput as error:
        if tty:
            sys.stderr.write("\r\x1b[K")
        problems = error.details.get("errors", []) if isinstance(error.details, dict) else []
        one_line = re.sub(r"\s*\n\s*", " ", error.message.strip())
        if args.json:
            _print_json(
                {
                    "file": str(path),
                    "created": 0,
                    "updated": 0,
                    "unchanged": 0,
                    "rejected": len({problem.get("line") for problem in problems}) or 1,
                    "errors": problems,
                    "error": {
                        "code": "invalid_input",
                        "message": one_line,
                        "details": error.details,
                    },
                }
            )
        sys.stderr.write(f"sdg87: error: {one_line}\n")
        for problem in problems[1:20]:
            sys.stderr.write(
                f"  line {problem.get('line')}, field {problem.get('field') or '-'}: "
                f"{problem.get('message')}\n"
            )
        if len(problems) > 20:
            sys.stderr.write(f"  … {len(problems) - 20} more\n")
        return EXIT_INVALID
    if tty:
        sys.stderr.write("\r\x1b[K")
    document = {
        "file": str(path),
        "source": import_source(path),
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "suggestions": report.suggestions,
        "duplicates": report.duplicates,
        "seconds": round(time.monotonic() - started, 2),
    }
    if args.json:
        _print_json(document)
    else:
        sys.stdout.write(
            f"{path.name}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.rejected} rejected "
            f"(source {document['source']}; {report.suggestions} tag suggestions, "
            f"{report.duplicates} suspected duplicates)\n"
        )
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from sdg87.library.search import resource_search
    from sdg87.setup import check_database_ready

    check_database_ready()
    if args.limit < 1 or args.limit > 1000:
        raise CliError("--limit must be between 1 and 1000", EXIT_INVALID, {"field": "limit"})
    result = resource_search(
        query=args.query, language=args.lang, page_size=args.limit, with_facets=False
    )
    if args.json:
        _print_json(
            {
                "count": result.count,
                "results": [
                    {
                        "id": hit.id,
                        "title": hit.title,
                        "language": hit.language,
                        "year": hit.year,
                        "score": hit.score,
                    }
                    for hit in result.hits
                ],
            }
        )
        return EXIT_OK
    if not result.hits:
        sys.stdout.write("No resource matches this search.\n")
        return EXIT_OK
    shown = len(result.hits)
    sys.stdout.write(f"{result.count} resources match; the best {shown}:\n")
    for rank, hit in enumerate(result.hits, start=1):
        year = hit.year if hit.year is not None else "-"
        details = f"{hit.language}, {year}, id {hit.id}, score {hit.score:.3f}"
        sys.stdout.write(f"{rank:>3}. {hit.title}  [{details}]\n")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": cmd_serve,
    "setup": cmd_setup,
    "load-data": cmd_load_data,
    "progress": cmd_progress,
    "import-ratifications": cmd_import_ratifications,
    "harvest": cmd_harvest,
    "import-resources": cmd_import_resources,
    "search": cmd_search,
    "import-observations": cmd_import_observations,
    "export-observations": cmd_export_observations,
    "worker": cmd_worker,
    "remove-examples": cmd_remove_examples,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "manage": cmd_manage,
}


def _add_command(
    sub: argparse._SubParsersAction, name: str, summary: str
) -> argparse.ArgumentParser:
    return sub.add_parser(
        name, help=summary, description=summary[:1].upper() + summary[1:] + ".", epilog=EPILOG
    )


def _iso_date(value: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


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
    serve.add_argument(
        "--no-task-worker",
        action="store_true",
        help="do not start the background task worker (run `sdg87 worker` separately)",
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

    examples = _add_command(
        sub,
        "remove-examples",
        "delete the example pathfinder roadmaps and reports that load-data ships (and the "
        "observations their approval wrote); set PATHFINDER_EXAMPLES=false to keep them out",
    )
    examples.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    backup = _add_command(
        sub,
        "backup",
        "copy the whole database to FILE while the platform runs (SQLite online backup API, "
        "or pg_dump on PostgreSQL); FILE is replaced only once the copy is complete",
    )
    backup.add_argument("file", metavar="FILE", help="the backup file to write")
    backup.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    restore = _add_command(
        sub,
        "restore",
        "replace the whole database with a backup made by `sdg87 backup` (checked first; all "
        "or nothing), then apply migrations",
    )
    restore.add_argument("file", metavar="FILE", help="the backup file to read")
    restore.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    progress = _add_command(
        sub,
        "progress",
        "assess a country's progress on an indicator by the Open SDG and UNSD methods",
    )
    progress.add_argument("indicator", metavar="INDICATOR", help="indicator code, e.g. 8.7.1")
    progress.add_argument(
        "--country", required=True, metavar="ISO3", help="ISO 3166-1 alpha-3 code, e.g. KGZ"
    )
    progress.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    ratifications = _add_command(
        sub,
        "import-ratifications",
        "import a NORMLEX / UN Treaty Collection style CSV of ratifications "
        "(all or nothing, idempotent; format in docs/ratifications.md)",
    )
    ratifications.add_argument("file", metavar="FILE", help="the CSV file")
    ratifications.add_argument(
        "--source",
        metavar="TEXT",
        help='source name for rows without a `source` column, e.g. "ILO NORMLEX"',
    )
    ratifications.add_argument(
        "--instrument",
        metavar="CODE",
        help="instrument code for a file without an `instrument` column, e.g. C182",
    )
    ratifications.add_argument(
        "--as-of",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="date the file's statuses hold at (default: today); ILO ratifications "
        "less than 12 months old then are not yet in force",
    )
    ratifications.add_argument(
        "--dry-run", action="store_true", help="check and count, but write nothing"
    )
    ratifications.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    observations_import = _add_command(
        sub,
        "import-observations",
        "import observation files: Open SDG CSV and metadata YAML, SDMX-CSV, or the tidy "
        "CSV/XLSX template of docs/import-template.md (all or nothing, idempotent)",
    )
    observations_import.add_argument(
        "files", nargs="+", metavar="FILE", help="files to import, in one transaction"
    )
    observations_import.add_argument(
        "--format",
        choices=["auto", "open-sdg", "sdmx-csv", "csv", "xlsx"],
        default="auto",
        help="file format (default: auto, from the extension and the header row)",
    )
    observations_import.add_argument(
        "--indicator",
        metavar="CODE",
        help="indicator for files that do not name one (e.g. 8.7.1); Open SDG files name "
        "it in the file name indicator_8-7-1.csv",
    )
    observations_import.add_argument(
        "--country",
        metavar="ISO3",
        help="whose national file it is, for files without a country column",
    )
    observations_import.add_argument(
        "--source", metavar="TEXT", help="source for rows that do not name one"
    )
    observations_import.add_argument(
        "--dry-run", action="store_true", help="validate and count, but write nothing"
    )
    observations_import.add_argument(
        "--json", action="store_true", help="print the import report as JSON on stdout"
    )

    observations_export = _add_command(
        sub,
        "export-observations",
        "export an indicator's observations as the tidy CSV template, SDMX-CSV or XLSX "
        "(re-importable)",
    )
    observations_export.add_argument(
        "indicator", metavar="INDICATOR", help="indicator code, e.g. 8.7.1"
    )
    observations_export.add_argument(
        "--country", metavar="ISO3", help="only this country's observations"
    )
    observations_export.add_argument(
        "--format", choices=["csv", "sdmx-csv", "xlsx"], default="csv", help="default: csv"
    )
    observations_export.add_argument(
        "--out", metavar="FILE", help="write to FILE (default: standard output)"
    )

    resources_import = _add_command(
        sub,
        "import-resources",
        "import library resources from a JSONL or CSV file (published, source import:<file "
        "name>; re-importing updates by id)",
    )
    resources_import.add_argument("file", metavar="FILE", help="the JSONL or CSV file")
    resources_import.add_argument(
        "--format",
        choices=["auto", "jsonl", "csv"],
        default="auto",
        help="file format (default: auto, from the name, else the content)",
    )
    resources_import.add_argument(
        "--json", action="store_true", help="print a JSON summary on stdout"
    )

    search = _add_command(
        sub,
        "search",
        "search the library (published resources; a query in English, French or Spanish also "
        "finds documents in the other two languages)",
    )
    search.add_argument("query", metavar="QUERY", help='words, "a phrase", OR, -word, prefix*')
    search.add_argument(
        "--lang",
        choices=["en", "fr", "es"],
        default=None,
        help="language the query is written in (default: guessed)",
    )
    search.add_argument(
        "--limit", type=int, default=10, metavar="N", help="number of results (default: 10)"
    )
    search.add_argument(
        "--json", action="store_true", help="print the count and results as JSON on stdout"
    )

    harvest = _add_command(
        sub,
        "harvest",
        "harvest an OAI-PMH repository (Dublin Core) or an RSS/Atom feed into the library "
        "(incremental, idempotent; an interrupted run resumes)",
    )
    harvest.add_argument("url", metavar="URL", help="OAI-PMH base URL or feed URL (http/https)")
    harvest.add_argument(
        "--protocol", required=True, choices=["oai-pmh", "rss"], help="how to harvest the URL"
    )
    harvest.add_argument(
        "--background",
        action="store_true",
        help="queue the harvest for the background worker instead of running it now",
    )
    harvest.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    worker = _add_command(
        sub, "worker", "run the background task worker (harvests, imports, re-indexing)"
    )
    worker.add_argument("--batch", action="store_true", help="run the tasks waiting now, then exit")
    worker.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="how often to look for new tasks when idle (default: 1)",
    )
    worker.add_argument("--verbose", action="store_true", help="log each task started and finished")

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
