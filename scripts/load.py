"""`make load`: the platform under load on loopback, with locust and wrk, on the full bundled data.

1. A fresh SQLite database in a temporary folder, set up with the bundled data (the document
   corpus too, unless --no-corpus), served by gunicorn (`sdg87 serve`) with the bench settings
   (config/settings/bench.py: the platform plus a plain Django reference endpoint).
2. The realistic mix of benchmarks/load/locustfile.py (visitors and API clients) for
   --duration with --users concurrent users.
3. Two saturation phases of --saturation seconds each, with wrk (a C load generator, so that
   the client takes little of the CPU it shares with the server) holding --users connections
   busy, no think time: the series API, then the same rows through the plain Django reference
   view; their throughputs compared. Both rotate over the same list: every indicator x country
   pair with observations in the database (also written to a JSON file that the locustfile
   reads, ``LOAD_SERIES_KEYS``), in random order (benchmarks/load/saturate.lua), so that
   neither measures one hot key.
4. A report in Markdown (--out, default benchmarks/load.md) with the command, the machine, the
   per-request statistics and the targets of issue 7 (0 errors, page p95 <= 300 ms, search API
   p95 <= 50 ms, series API >= 2x the reference), each marked met or not met.

Exit status: 1 when any request failed (errors are never acceptable); targets not met are
reported, not failures, so the short CI run checks the errors only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"
WRK_SCRIPT = ROOT / "benchmarks" / "load" / "saturate.lua"
SERIES_PATH = "/api/v1/indicators/{indicator}/observations?country={country}&page_size=1000"
REFERENCE_PATH = "/bench/reference/observations?indicator={indicator}&country={country}"
NO_WRK = "load: wrk is needed for the saturation phases (apt-get install wrk)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("w") as handle:
        result = subprocess.run(
            command, env=env, stdout=handle, stderr=subprocess.STDOUT, check=False
        )
    if result.returncode != 0:
        sys.stderr.write(log.read_text()[-3000:])
        raise SystemExit(f"load: {' '.join(command)} failed")


def wait_until_up(url: str, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"load: the server did not answer on {url}")


def series_keys(database: Path, destination: Path) -> int:
    """Every (indicator code, ISO3) pair with observations, written as JSON for the locustfile;
    returns how many."""
    with sqlite3.connect(database) as connection:
        pairs = connection.execute(
            "SELECT DISTINCT i.code, o.area_code FROM indicators_observation o"
            " JOIN indicators_indicator i ON i.id = o.indicator_id"
            " WHERE o.country_id IS NOT NULL ORDER BY 1, 2"
        ).fetchall()
    destination.write_text(json.dumps([list(pair) for pair in pairs]), encoding="utf-8")
    return len(pairs)


def saturation_paths(keys: Path, template: str, destination: Path) -> Path:
    """One request path per indicator x country pair of ``keys`` (the JSON that
    ``series_keys`` writes), for wrk."""
    pairs = json.loads(keys.read_text(encoding="utf-8"))
    destination.write_text(
        "".join(
            template.format(
                indicator=urllib.parse.quote(str(indicator), safe=""),
                country=urllib.parse.quote(str(country), safe=""),
            )
            + "\n"
            for indicator, country in pairs
        ),
        encoding="utf-8",
    )
    return destination


def parse_wrk(output: str) -> dict[str, float]:
    """The measures of benchmarks/load/saturate.lua's JSON line: requests per second, errors
    (connection, read, write, timeout, and answers other than 2xx/3xx) and latencies in ms."""
    line = next((line for line in output.splitlines() if line.startswith("SATURATION ")), None)
    if line is None:
        raise SystemExit(f"load: wrk printed no result:\n{output[-2000:]}")
    data = json.loads(line.removeprefix("SATURATION "))
    seconds = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": data["requests"] / seconds if seconds else 0.0,
        "errors": sum(data[key] for key in ("connect", "read", "write", "status", "timeout")),
        "p50": data["p50_us"] / 1000,
        "p95": data["p95_us"] / 1000,
        "p99": data["p99_us"] / 1000,
    }


def wrk(host: str, paths: Path, connections: int, seconds: int) -> dict[str, float]:
    """wrk with ``connections`` busy connections for ``seconds`` over the paths in ``paths``."""
    program = shutil.which("wrk")
    if program is None:
        raise SystemExit(NO_WRK)
    threads = max(1, min(os.cpu_count() or 1, connections))
    command = [program, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(WRK_SCRIPT), host, "--", str(paths)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"load: wrk failed:\n{result.stderr[-2000:]}")
    return parse_wrk(result.stdout)


def locust(
    host: str, users: int, seconds: int, classes: list[str], prefix: Path, env: dict[str, str]
) -> list[dict[str, str]]:
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
    with Path(f"{prefix}_stats.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def number(row: dict[str, str], key: str) -> float:
    value = row.get(key, "") or "0"
    return float(value) if value != "N/A" else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconds of the mix")
    parser.add_argument("--saturation", type=int, default=30, help="seconds of each phase")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--no-corpus", action="store_true", help="skip the document corpus")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "load.md"))
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help="copy this SQLite database, already set up (`sdg87 setup` with the same code), "
        "instead of setting one up (quicker comparisons; the report says so)",
    )
    parser.add_argument(
        "--settings",
        default="config.settings.bench",
        help="Django settings module of the server (default config.settings.bench; another one "
        "must mount the reference view too, e.g. by importing it)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:  # before minutes of set-up and mix
        raise SystemExit(NO_WRK)

    work = Path(tempfile.mkdtemp(prefix="sdg87-load."))
    database = work / "load.sqlite3"
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": args.settings,
        "LIBRARY_LOAD_CORPUS": "false" if args.no_corpus else "true",
        "PYTHONUNBUFFERED": "1",
    }
    server = None
    try:
        started = time.monotonic()
        if args.database is not None:
            sys.stderr.write(f"load: copying the set-up database {args.database}…\n")
            source, copy = sqlite3.connect(args.database), sqlite3.connect(database)
            source.backup(copy)  # a consistent copy, write-ahead log included
            source.close()
            copy.close()
            # Not empty: `setup` only applies migrations and collects static files.
            run([str(BIN / "sdg87"), "setup"], env, work / "setup.log")
        else:
            sys.stderr.write("load: setting up the database with the bundled data…\n")
            run([str(BIN / "sdg87"), "setup"], env, work / "setup.log")
        setup_seconds = time.monotonic() - started
        env["LOAD_SERIES_KEYS"] = str(work / "series_keys.json")
        pairs = series_keys(database, work / "series_keys.json")
        serve = [str(BIN / "sdg87"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        serve += ["--no-task-worker"]
        if args.workers:
            serve += ["--workers", str(args.workers)]
        log = (work / "server.log").open("w")
        server = subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until_up(f"{host}/healthz")
        for path in ("/en/", "/api/v1/resources?q=child", "/api/v1/indicators/8.7.1/observations"):
            urllib.request.urlopen(host + path, timeout=30).read()

        sys.stderr.write(f"load: mix, {args.users} users for {args.duration} s…\n")
        mix = locust(host, args.users, args.duration, ["Visitor", "ApiClient"], work / "mix", env)
        sys.stderr.write(
            f"load: saturation with wrk, series API then reference, {args.saturation} s each…\n"
        )
        keys = Path(env["LOAD_SERIES_KEYS"])
        series = wrk(
            host,
            saturation_paths(keys, SERIES_PATH, work / "series_paths.txt"),
            args.users,
            args.saturation,
        )
        reference = wrk(
            host,
            saturation_paths(keys, REFERENCE_PATH, work / "reference_paths.txt"),
            args.users,
            args.saturation,
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        server_log = (work / "server.log").read_text() if (work / "server.log").exists() else ""
        shutil.rmtree(work, ignore_errors=True)

    rows = [row for row in mix if row["Name"] != "Aggregated"]
    total = next(row for row in mix if row["Name"] == "Aggregated")
    errors = int(number(total, "Failure Count"))
    series_rps, reference_rps = series["rps"], reference["rps"]
    series_errors = int(series["errors"] + reference["errors"])
    page_p95 = max((number(r, "95%") for r in rows if r["Name"].startswith("page:")), default=0)
    search = next((r for r in rows if r["Name"] == "api: search"), None)
    search_p95 = number(search, "95%") if search else 0.0
    ratio = series_rps / reference_rps if reference_rps else 0.0
    server_errors = server_log.count("Internal Server Error") + server_log.count("Traceback")

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        "# Load benchmark",
        "",
        f"Command: `make load` (`{' '.join(['python', 'scripts/load.py', *sys.argv[1:]])}`), "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node() or 'this machine'} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}), SQLite, gunicorn "
        f"({args.workers or 'default'} workers), locust (the mix) and wrk (saturation) on the "
        "same machine over loopback. "
        f"Data: the bundled data{' without the document corpus' if args.no_corpus else ''} "
        + (
            f"(a copy of the set-up database {args.database.name}, {setup_seconds:.0f} s)."
            if args.database is not None
            else f"(set-up {setup_seconds:.0f} s)."
        ),
        "",
        f"Mix: {args.users} concurrent users (visitors 3 : API clients 2, "
        f"benchmarks/load/locustfile.py) for {args.duration} s.",
        "",
        "| request | count | failures | median ms | p95 ms | p99 ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in [*rows, total]:
        lines.append(
            f"| {row['Name']} | {int(number(row, 'Request Count'))} | "
            f"{int(number(row, 'Failure Count'))} | {number(row, '50%'):.0f} | "
            f"{number(row, '95%'):.0f} | {number(row, '99%'):.0f} | "
            f"{number(row, 'Requests/s'):.1f} |"
        )
    lines += [
        "",
        f"Saturation (wrk, {args.users} connections, no think time, {args.saturation} s each, "
        f"the same {pairs} indicator × country pairs in random order for both, every row of a "
        "pair in one response; benchmarks/load/saturate.lua):",
        "",
        "| endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {int(phase['requests']):,} | {int(phase['errors'])} | "
            f"{phase['rps']:.1f} | {phase['p50']:.1f} | {phase['p95']:.1f} | {phase['p99']:.1f} |"
            for name, phase in (
                ("series API", series),
                ("plain Django reference view", reference),
            )
        ),
        "",
        f"Series API {series_rps:.1f} req/s against the reference's {reference_rps:.1f}: "
        f"ratio {ratio:.2f}.",
        "",
        "| target (issue 7) | measured | verdict |",
        "|---|---|---|",
        f"| 0 errors | {errors} in the mix, {series_errors} in saturation, "
        f"{server_errors} server errors logged | "
        f"{verdict(errors == 0 and series_errors == 0 and server_errors == 0)} |",
        f"| page p95 ≤ 300 ms | worst page p95 {page_p95:.0f} ms | {verdict(page_p95 <= 300)} |",
        f"| search API p95 ≤ 50 ms | {search_p95:.0f} ms | {verdict(search_p95 <= 50)} |",
        f"| series API ≥ 2× reference | {ratio:.2f}× | {verdict(ratio >= 2)} |",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    sys.stdout.write("\n".join(lines) + "\n")
    return 1 if (errors or series_errors or server_errors) else 0


if __name__ == "__main__":
    raise SystemExit(main())
