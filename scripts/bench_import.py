"""Import throughput benchmark: ``make bench-import``.

    python scripts/bench_import.py                      # SQLite and PostgreSQL, 1.12 M rows
    python scripts/bench_import.py --backends sqlite --rows 200000

Generates an SDMX-CSV file in the shape of the real UN SDG series (countries × years × sex ×
age × urbanisation × series, for 8.7.1, 5.3.1 and 16.2.2), then, on each database:

1. imports it through ``observations_import`` (the service every interface uses: parsing,
   validation, duplicate and unit checks, comparison with stored rows, bulk write) into an
   empty observation table;
2. imports it again (every row unchanged);
3. as the baseline, reads the same file with ``csv.DictReader`` and writes it with the ORM's
   ``bulk_create`` (no validation) into an empty table.

Results (rows/s, the ratio to the baseline, the peak resident memory of the process) go to
``benchmarks/import.md`` and to standard output. SQLite runs on a temporary file database in
WAL mode (the platform's settings); PostgreSQL on a throwaway cluster from
``scripts/with-postgres.sh``. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "benchmarks" / "import.md"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

YEARS = range(2000, 2025)
SEXES = ("_T", "M", "F")
AGES = ("Y5T17", "Y5T11", "Y12T14", "Y15T17")
LOCATIONS = ("_T", "U", "R")
SHAPES = (
    # (series, unit, sexes, ages, locations)
    ("SL_TLF_CHLDEC", "PT", SEXES, AGES, LOCATIONS),
    ("SL_TLF_CHLDEA", "PT", SEXES, AGES, LOCATIONS),
    ("SP_DYN_MRBF15", "PT", ("F",), ("Y20T24",), LOCATIONS),
    ("SP_DYN_MRBF18", "PT", ("F",), ("Y20T24",), LOCATIONS),
    ("VC_HTF_DETV", "NUMBER", SEXES, ("_T", "Y0T17", "Y18T99"), ("_T",)),
    ("VC_HTF_DETVFL", "NUMBER", SEXES, ("_T", "Y0T17", "Y18T99"), ("_T",)),
    ("VC_HTF_DETVSX", "NUMBER", SEXES, ("_T", "Y0T17", "Y18T99"), ("_T",)),
)
HEADER = (
    "SERIES",
    "REF_AREA",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "SEX",
    "AGE",
    "URBANISATION",
    "OBS_STATUS",
    "UNIT_MULT",
)


# --- data ---------------------------------------------------------------------------------


def country_codes() -> list[str]:
    with (ROOT / "data" / "reference" / "countries.csv").open(encoding="utf-8") as handle:
        return [row["iso2"] for row in csv.DictReader(handle)]


def rows_per_country_year() -> int:
    return sum(len(sexes) * len(ages) * len(places) for _s, _u, sexes, ages, places in SHAPES)


def generate(path: Path, rows: int, seed: int = 87) -> int:
    """Write at least ``rows`` observations (whole country-years); returns how many."""
    codes = country_codes()
    per_year = rows_per_country_year()
    years_needed = -(-rows // per_year)
    country_years = [(code, year) for year in YEARS for code in codes]
    while len(country_years) < years_needed:  # more than 25 years × 249 countries requested
        extra = 2000 - len(country_years) // len(codes) - 1
        country_years += [(code, extra) for code in codes]
    generator = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for code, year in country_years[:years_needed]:
            for series, unit, sexes, ages, places in SHAPES:
                for sex in sexes:
                    for age in ages:
                        for place in places:
                            value = (
                                round(generator.uniform(0, 40), 1)
                                if unit == "PT"
                                else generator.randint(0, 5000)
                            )
                            writer.writerow(
                                (series, code, year, value, unit, sex, age, place, "A", 0)
                            )
                            written += 1
    return written


# --- one backend (a child process with DATABASE_URL set) -------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def server_cpu_seconds() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend process so far (a local server:
    read from /proc), None on SQLite or when it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _server_cpu_since(before: float | None) -> float | None:
    after = server_cpu_seconds()
    return None if before is None or after is None else after - before


BASELINE_RUNS = 3


def orm_baseline(data: Path, baseline_rows: int) -> dict:
    """``csv.DictReader`` + ``Observation.objects.bulk_create`` (batches of 5,000, no
    validation) of the first ``baseline_rows`` rows, in one transaction."""
    from django.db import transaction

    from sdg87.countries.models import Country
    from sdg87.indicators.models import Indicator, Observation

    indicators = dict(Indicator.objects.values_list("code", "id"))
    series_indicator = {
        series: indicators[code]
        for code, series_codes in Indicator.objects.values_list("code", "sdmx_series")
        for series in series_codes
    }
    countries = {
        iso2: (pk, iso3) for pk, iso2, iso3 in Country.objects.values_list("id", "iso2", "iso3")
    }
    server = server_cpu_seconds()
    started, cpu = time.perf_counter(), time.process_time()
    with data.open(encoding="utf-8", newline="") as handle, transaction.atomic():
        batch = []
        count = 0
        for row in csv.DictReader(handle):
            if count >= baseline_rows:
                break
            country_id, iso3 = countries[row["REF_AREA"]]
            dimensions = {
                name: row[name] for name in ("SEX", "AGE", "URBANISATION") if row[name] != "_T"
            }
            batch.append(
                Observation(
                    indicator_id=series_indicator[row["SERIES"]],
                    area_code=iso3,
                    country_id=country_id,
                    year=int(row["TIME_PERIOD"]),
                    period=row["TIME_PERIOD"],
                    series=row["SERIES"],
                    unit=row["UNIT_MEASURE"],
                    unit_multiplier=int(row["UNIT_MULT"]),
                    dimensions=dimensions,
                    dimensions_key="|".join(f"{k}={v}" for k, v in sorted(dimensions.items())),
                    value=float(row["OBS_VALUE"]),
                    observation_status=row["OBS_STATUS"],
                )
            )
            count += 1
            if len(batch) == 5000:
                Observation.objects.bulk_create(batch)
                batch = []
        if batch:
            Observation.objects.bulk_create(batch)
    return {
        "rows": count,
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "server_cpu": _server_cpu_since(server),
        "peak_rss_mb": peak_rss_mb(),
    }


def run_backend(data: Path, baseline_rows: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from sdg87.countries.services import countries_load_bundled
    from sdg87.framework.services import framework_load_bundled
    from sdg87.indicators.models import Observation
    from sdg87.indicators.services import indicators_load_bundled, observations_import

    data_dir = ROOT / "data"
    countries_load_bundled(data_dir)
    framework_load_bundled(data_dir)
    indicators_load_bundled(data_dir)
    result: dict = {
        "vendor": connection.vendor,
        "database": connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else ".".join(str(part) for part in divmod(connection.pg_version, 10000)),
    }

    phases = PhaseClock()
    server = server_cpu_seconds()
    started, cpu = time.perf_counter(), time.process_time()
    report = observations_import(files=[data], format="sdmx-csv", progress=phases)
    seconds = time.perf_counter() - started
    result["import"] = {
        "rows": report.created,
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "server_cpu": _server_cpu_since(server),
        "peak_rss_mb": peak_rss_mb(),
        "phases": phases.finish(),
    }
    if report.created != Observation.objects.count():
        raise SystemExit("the import did not write every row")

    server = server_cpu_seconds()
    started, cpu = time.perf_counter(), time.process_time()
    again = observations_import(files=[data], format="sdmx-csv")
    result["reimport"] = {
        "rows": again.unchanged,
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "server_cpu": _server_cpu_since(server),
        "peak_rss_mb": peak_rss_mb(),
    }

    result["progress"] = assess_everything()

    # Baseline: the plain ORM way, into an empty table; the fastest of BASELINE_RUNS runs
    # (the ratio to the import is then the least favourable of them).
    runs = []
    for _run in range(BASELINE_RUNS):
        with transaction.atomic():
            Observation.objects.all().delete()
        runs.append(orm_baseline(data, baseline_rows))
    result["baseline"] = min(runs, key=lambda run: run["seconds"])
    result["baseline"]["all_seconds"] = [run["seconds"] for run in runs]
    result["load_average"] = os.getloadavg()
    return result


class PhaseClock:
    """Wall-clock seconds per phase of an import, from the service's progress calls."""

    NAMES = {
        "reading": "read and validate",
        "checking": "duplicate and unit checks",
        "comparing": "compare with stored rows",
        "writing": "write",
        "updating": "write",
    }

    def __init__(self) -> None:
        self.current = "read and validate"
        self.since = time.perf_counter()
        self.totals: dict[str, float] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        name = self.NAMES.get(phase.split(" ", 1)[0], phase)
        if name != self.current:
            self._close()
            self.current = name

    def _close(self) -> None:
        now = time.perf_counter()
        self.totals[self.current] = self.totals.get(self.current, 0.0) + now - self.since
        self.since = now

    def finish(self) -> dict[str, float]:
        self._close()
        return self.totals


def assess_everything() -> dict:
    """Progress (both methods) for every country × indicator with data."""
    from sdg87.core.errors import DomainError
    from sdg87.indicators import progress_service
    from sdg87.indicators.models import Observation

    pairs = sorted(
        set(
            Observation.objects.filter(country__isnull=False)
            .values_list("indicator__code", "area_code")
            .distinct()
        )
    )
    refused = 0
    started, cpu = time.perf_counter(), time.process_time()
    for code, iso3 in pairs:
        try:
            progress_service.indicator_progress(indicator_code=code, country_iso3=iso3)
        except DomainError:
            refused += 1
    return {
        "pairs": len(pairs),
        "refused": refused,
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
    }


# --- orchestration -----------------------------------------------------------------------


def child_command(
    backend: str, data: Path, baseline_rows: int, workdir: Path
) -> tuple[list[str], dict]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(data),
        "--baseline-rows",
        str(baseline_rows),
    ]
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        return command, env
    env.pop("DATABASE_URL", None)
    return ["bash", str(ROOT / "scripts" / "with-postgres.sh"), *command], env


def rate(part: dict) -> float:
    return part["rows"] / part["seconds"] if part["seconds"] else 0.0


def markdown(
    results: dict[str, dict], rows: int, baseline_rows: int, generate_seconds: float
) -> str:
    targets = {"sqlite": 200_000, "postgresql": 300_000}
    lines = [
        "# Import benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `make bench-import` "
        f"(`scripts/bench_import.py`) on {platform.machine()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}.",
        "",
        f"Data: {rows:,} observations in one SDMX-CSV file, generated in the shape of the UN SDG "
        "series ({} countries × 25 years × sex × age × urbanisation × series, for 8.7.1 "
        "SL_TLF_CHLDEC/CHLDEA, 5.3.1 SP_DYN_MRBF15/18 and 16.2.2 VC_HTF_DETV/DETVFL/DETVSX); "
        f"written in {generate_seconds:.1f} s.".format(len(country_codes())),
        "",
        "- **import**: `observations_import` into an empty table — parsing, validation, "
        "duplicate and unit checks, comparison with the stored rows, bulk write "
        "(SQLite: rows staged narrow in temporary tables, then widened by one "
        "`INSERT … SELECT` per 50,000 rows; PostgreSQL: `COPY` text; the references to "
        "indicators, countries, regions and the batch checked once per statement, "
        "`sdg87/indicators/integrity.py`), one transaction;",
        "- **re-import**: the same file again (every row `unchanged`: stored rows fetched and "
        "compared, nothing written);",
        f"- **ORM baseline**: `csv.DictReader` + `Observation.objects.bulk_create` (batches of "
        f"5,000, no validation) of the first {baseline_rows:,} rows into an empty table; the "
        f"fastest of {BASELINE_RUNS} runs (the seconds of each are listed below), so the "
        "ratio to it is the least favourable.",
        "",
        "Peak memory is the peak resident set size of the benchmark process (Django included) "
        "after each step. *CPU s* is the CPU time of the Python process; *server CPU s*, for "
        "PostgreSQL, that of the server process serving its connection (the two run in "
        "parallel); *rows/s* is measured on the wall clock, so it drops when other work "
        "shares the machine: the load average during the run is given.",
        "",
        "| database | step | rows | seconds | CPU s | server CPU s | rows/s | × baseline | "
        "peak RSS (MB) | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for backend, result in results.items():
        if "error" in result:
            lines.append(f"| {backend} | failed: {result['error']} | | | | | | | |")
            continue
        baseline = rate(result["baseline"])
        load = ", ".join(f"{value:.1f}" for value in result.get("load_average", ()))
        label = f"{backend} {result['database']} (load {load})"
        for step, name in (
            ("import", "import"),
            ("reimport", "re-import"),
            ("baseline", "ORM baseline"),
        ):
            part = result[step]
            speed = rate(part)
            target = ""
            if step == "import":
                wanted = targets[backend]
                fast = "met" if speed >= wanted else "NOT met"
                ratio = "met" if speed >= 8 * baseline else "NOT met"
                target = f"≥ {wanted:,} rows/s: {fast}; ≥ 8× baseline: {ratio}"
            server = part.get("server_cpu")
            server_text = "" if server is None else f"{server:.2f}"
            lines.append(
                f"| {label} | {name} | {part['rows']:,} | {part['seconds']:.2f} | "
                f"{part.get('cpu', 0):.2f} | {server_text} | {speed:,.0f} | "
                f"{speed / baseline:.1f} | {part['peak_rss_mb']:.0f} | {target} |"
            )
    lines += ["", "ORM baseline runs (seconds; the fastest is in the table):", ""]
    for backend, result in results.items():
        runs = result.get("baseline", {}).get("all_seconds")
        if runs:
            lines.append(f"- {backend}: " + ", ".join(f"{seconds:.2f}" for seconds in runs))
    lines += ["", "Where the import's time goes (wall-clock seconds per phase):", ""]
    for backend, result in results.items():
        phases = result.get("import", {}).get("phases")
        if phases:
            parts = ", ".join(f"{name} {seconds:.1f}" for name, seconds in phases.items())
            written = result["import"]["rows"]
            alone = (
                f" (the write alone: {written / phases['write']:,.0f} rows/s)"
                if phases.get("write")
                else ""
            )
            lines.append(f"- {backend}: {parts}{alone}")
    lines += [
        "",
        "Progress assessment (`progress_service.indicator_progress`, both methods, every "
        "series) for every country × indicator of the imported data:",
        "",
        "| database | country × indicator pairs | seconds | CPU s | ms per pair |",
        "|---|---:|---:|---:|---:|",
    ]
    for backend, result in results.items():
        progress = result.get("progress")
        if not progress:
            continue
        per_pair = 1000 * progress["seconds"] / progress["pairs"] if progress["pairs"] else 0
        refused = f" ({progress['refused']} refused)" if progress["refused"] else ""
        lines.append(
            f"| {backend} | {progress['pairs']:,}{refused} | {progress['seconds']:.2f} | "
            f"{progress['cpu']:.2f} | {per_pair:.1f} |"
        )
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="at least this many rows")
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=200_000,
        help="rows written by the ORM baseline (default: 200,000; it is slow)",
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        result = run_backend(args.child, args.baseline_rows)
        print("BENCH-RESULT " + json.dumps(result))
        return 0

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="sdg87-bench-") as directory:
        workdir = Path(directory)
        data = workdir / "observations_sdmx.csv"
        started = time.perf_counter()
        rows = generate(data, args.rows)
        generate_seconds = time.perf_counter() - started
        baseline_rows = min(args.baseline_rows, rows)
        print(f"generated {rows:,} rows in {generate_seconds:.1f} s", file=sys.stderr)
        for backend in [name.strip() for name in args.backends.split(",") if name.strip()]:
            command, env = child_command(backend, data, baseline_rows, workdir)
            print(f"{backend}: running…", file=sys.stderr)
            completed = subprocess.run(
                command, env=env, cwd=ROOT, capture_output=True, text=True, check=False
            )
            found = [
                line for line in completed.stdout.splitlines() if line.startswith("BENCH-RESULT ")
            ]
            if completed.returncode != 0 or not found:
                tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
                results[backend] = {"error": " / ".join(tail) or f"exit {completed.returncode}"}
                print(f"{backend}: failed\n{completed.stderr}", file=sys.stderr)
                continue
            results[backend] = json.loads(found[-1].removeprefix("BENCH-RESULT "))
    text = markdown(results, rows, baseline_rows, generate_seconds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all("error" not in result for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
