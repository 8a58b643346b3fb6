"""Ingestion benchmark: a national-size GIAS extract and school census (synthesised in the
real formats from the test fixtures) loaded with `dashboard.ingest`, against a baseline
measured in the same run: pandas reading the same two files with no checks at all.

    python bench/ingest.py [--settings 24000] [--repeats 3] [--memory-mb 200]
                                                              → bench/INGEST.md

Memory: a census of about --memory-mb megabytes (far beyond a real national census, which is
about 2 MB, as an adversarial tester loaded) is loaded in a child process and its peak
resident memory is set beside pandas merely reading the same file, also in a child process.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.ingest.load import load_files  # noqa: E402

FIX = ROOT / "tests" / "fixtures"


def synthesise(folder: Path, n: int) -> tuple[Path, Path]:
    """n Kent-like establishments (GIAS, Windows-1252, 133 quoted columns) and their census
    rows (UTF-8 with BOM), cycling the fixture rows with fresh URNs and numbers."""
    with (FIX / "gias_kent_fixture.csv").open(encoding="cp1252", newline="") as fh:
        gias_rows = list(csv.reader(fh))
    header, body = gias_rows[0], gias_rows[1:]
    iu, ie = header.index("URN"), header.index("EstablishmentNumber")
    gias = folder / "edubasealldata.csv"
    with gias.open("w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(header)
        for i in range(n):
            row = list(body[i % len(body)])
            row[iu], row[ie] = str(200000 + i), str(1000 + i)
            w.writerow(row)
    with (FIX / "census_kent_fixture.csv").open(encoding="utf-8-sig", newline="") as fh:
        census_rows = list(csv.reader(fh))
    census = folder / "england_census.csv"
    with census.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(census_rows[0])
        for i in range(n):
            row = list(census_rows[1 + i % 3])
            row[0], row[2] = str(200000 + i), str(1000 + i)
            w.writerow(row)
    return gias, census


def big_census(path: Path, megabytes: int) -> int:
    """A census CSV of about `megabytes` MB with fresh URNs; returns its number of rows."""
    with (FIX / "census_kent_fixture.csv").open(encoding="utf-8-sig", newline="") as fh:
        src = list(csv.reader(fh))
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(src[0])
        while fh.tell() < megabytes * 1_000_000:
            for _ in range(10_000):
                row = list(src[1 + n % 3])
                row[0], row[2] = str(100000 + n), str(1000 + n % 9000)
                w.writerow(row)
                n += 1
    return n


def child_peak_mb(code: str) -> tuple[float, float]:
    """(peak resident MB, seconds) of `python -c code` run in a fresh child process."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(peak, before) / 1024, time.perf_counter() - start


def memory_rows(folder: Path, megabytes: int) -> list[str]:
    census = folder / "england_census_big.csv"
    n = big_census(census, megabytes)
    size = census.stat().st_size / 1e6
    base_mb, base_s = child_peak_mb(f"import pandas as pd; pd.read_csv({str(census)!r}, dtype=str)")
    load_mb, load_s = child_peak_mb(
        "from dashboard.ingest.load import load_files; "
        f"load_files({str(folder / 'big.duckdb')!r}, [{str(census)!r}], year='2018/19', "
        "progress=False)"
    )
    return [
        "",
        f"Memory: a census of {n:,} rows ({size:.0f} MB) loaded into a new database, each in a "
        "fresh child process (peak resident set size).",
        "",
        "| step | peak memory (MB) | × file size | seconds |",
        "| --- | --- | --- | --- |",
        f"| baseline: pandas reads the file as text | {base_mb:,.0f} | {base_mb / size:.1f} "
        f"| {base_s:.1f} |",
        f"| load: read, check and write | {load_mb:,.0f} | {load_mb / size:.1f} | {load_s:.1f} |",
        "",
        "Rows are streamed from the file and kept as columns, not one dictionary per row; what "
        "remains is the checked values themselves and DuckDB's write.",
    ]


def median_s(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--settings", type=int, default=24000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--memory-mb", type=int, default=200, help="census size for memory (0: skip)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gias, census = synthesise(folder, args.settings)

        def baseline() -> None:
            pd.read_csv(gias, encoding="cp1252", dtype=str)
            pd.read_csv(census, encoding="utf-8-sig", dtype=str)

        def first_load() -> None:
            db = folder / "fresh.duckdb"
            db.unlink(missing_ok=True)
            load_files(db, [gias, census], year="2018/19", progress=False)

        again = folder / "again.duckdb"
        load_files(again, [gias, census], year="2018/19", progress=False)
        results = {
            "baseline: pandas reads both files, no checks": median_s(baseline, args.repeats),
            "first load into a new database": median_s(first_load, args.repeats),
            "the same files again (idempotent upsert)": median_s(
                lambda: load_files(again, [gias, census], year="2018/19", progress=False),
                args.repeats,
            ),
        }
        sizes = gias.stat().st_size + census.stat().st_size
        memory = memory_rows(folder, args.memory_mb) if args.memory_mb else []
    base = results["baseline: pandas reads both files, no checks"]
    lines = [
        "# Ingestion benchmark",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/ingest.py "
        f"--settings {args.settings} --repeats {args.repeats} --memory-mb {args.memory_mb}`: "
        "a synthetic GIAS extract and "
        f"census of {args.settings:,} settings each ({sizes / 1e6:.0f} MB together), medians "
        "of the repeats. The baseline is measured in the same run.",
        "",
        "| step | median (s) | × baseline |",
        "| --- | --- | --- |",
        *[f"| {k} | {v:.2f} | {v / base:.1f} |" for k, v in results.items()],
        "",
        "A load reads every cell, checks it, converts coordinates, writes a copy of the database "
        "and swaps it in; the ratio is the price of those guarantees over a bare parse.",
        *memory,
    ]
    out = ROOT / "bench" / "INGEST.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
