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
import os
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
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not every child's
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"benchmark child failed ({child.returncode}): {code[:200]}")
    return usage.ru_maxrss / 1024, time.perf_counter() - start


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


KENT_DISTRICTS = [f"E07000{c}" for c in range(105, 117)]


def national_files(folder: Path, authorities: int = 150, per_authority: int = 160) -> list[Path]:
    """England-shaped files for one year, in the real formats: a GIAS extract of every
    authority (Kent, LA 886, with about 600 settings in its 12 real districts; the others
    fictional, each with its own district), the census, a school-level EES absence file keyed
    by URN and a suspensions file keyed by LAESTAB only (so the LAESTAB bridge runs), each EES
    file with its .meta.csv."""
    with (FIX / "gias_kent_fixture.csv").open(encoding="cp1252", newline="") as fh:
        gias_rows = list(csv.reader(fh))
    head, body = gias_rows[0], gias_rows[1:]
    col = {c: head.index(c) for c in ("URN", "LA (code)", "LA (name)", "EstablishmentNumber",
                                      "EstablishmentName", "DistrictAdministrative (code)",
                                      "DistrictAdministrative (name)")}  # fmt: skip
    schools: list[tuple] = []  # (urn, la, estab, district)
    for k in range(authorities):
        la = "886" if k == 0 else str(201 + k)
        count = 600 if la == "886" else per_authority
        for j in range(count):
            district = KENT_DISTRICTS[j % 12] if la == "886" else f"E06{900000 + k:06d}"
            schools.append((300000 + len(schools), la, str(2000 + j), district))
    gias = folder / "edubasealldata20261101.csv"
    with gias.open("w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(head)
        for i, (urn, la, estab, district) in enumerate(schools):
            row = list(body[1 + i % (len(body) - 1)])  # primary, secondary, special rows
            row[col["URN"]], row[col["LA (code)"]] = str(urn), la
            row[col["LA (name)"]] = "Kent" if la == "886" else f"Authority {la}"
            row[col["EstablishmentNumber"]], row[col["EstablishmentName"]] = estab, f"School {urn}"
            row[col["DistrictAdministrative (code)"]] = district
            row[col["DistrictAdministrative (name)"]] = (
                "" if la == "886" else f"District of authority {la}"
            )
            w.writerow(row)
    census = folder / "england_census.csv"
    with (FIX / "census_kent_fixture.csv").open(encoding="utf-8-sig", newline="") as fh:
        census_rows = list(csv.reader(fh))
    with census.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(census_rows[0])
        for i, (urn, la, estab, _) in enumerate(schools):
            row = list(census_rows[1 + i % 2])
            row[0], row[1], row[2] = str(urn), la, estab
            w.writerow(row)
    lead = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name",
            "old_la_code", "new_la_code", "la_name"]  # fmt: skip
    files = [gias, census]
    for name, keys, cols, meta in (
        ("absence_school", ["school_urn"], ["enrolments", "sess_possible", "sess_overall",
                                            "enrolments_pa_10_exact"], FIX /
         "absence_school_sen_fixture.meta.csv"),
        ("suspensions_school", ["school_laestab"], ["headcount", "perm_excl", "susp",
                                                    "one_plus_susp"], FIX /
         "suspensions_school_fixture.meta.csv"),
    ):  # fmt: skip
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(lead + keys + cols)
            for i, (urn, la, estab, _) in enumerate(schools):
                key = str(urn) if keys == ["school_urn"] else f"{la}{int(estab):04d}"
                values = ([200, 76000, 3800, 25] if name.startswith("absence")
                          else [200, i % 2, 8 + i % 5, 5])  # fmt: skip
                w.writerow(["202324", "Academic year", "School", "E92000001", "England", la, "",
                            "", key, *values])  # fmt: skip
        with meta.open(encoding="utf-8") as fh:
            meta_rows = [r for r in csv.reader(fh) if r[0] in ("col_name", *cols)]
        with path.with_name(f"{name}.meta.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(meta_rows)
        files.append(path)
    return files


def national_rows(folder: Path) -> list[str]:
    files = national_files(folder)
    size = sum(f.stat().st_size for f in files) / 1e6
    with files[1].open(encoding="utf-8-sig") as fh:
        settings = sum(1 for _ in fh) - 1
    names = ", ".join(repr(str(f)) for f in files)
    base_mb, base_s = child_peak_mb(
        "import pandas as pd; "
        f"[pd.read_csv(f, dtype=str, encoding='cp1252' if 'edubase' in f else 'utf-8') "
        f"for f in [{names}]]"
    )
    load_mb, load_s = child_peak_mb(
        "from dashboard.ingest.load import load_files; "
        f"s = load_files({str(folder / 'national.duckdb')!r}, [{names}], la='all', "
        "year='2023/24', progress=False); "
        "print([x.summary for x in s])"
    )
    return [
        "",
        f"National: a GIAS extract, census, EES absence and suspensions files for one year, "
        f"{settings:,} settings in 150 authorities (Kent with 600 in its 12 districts; "
        f"{size:.0f} MB "
        "together), loaded in one `--la all` command into a new database, in a fresh child "
        "process; the suspensions file is keyed by LAESTAB only, so every row is bridged.",
        "",
        "| step | peak memory (MB) | seconds |",
        "| --- | --- | --- |",
        f"| baseline: pandas reads the four files as text | {base_mb:,.0f} | {base_s:.1f} |",
        f"| load: read, check, bridge and write, every authority | {load_mb:,.0f} | {load_s:.1f} |",
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
    load_before = os.getloadavg()
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
        memory += national_rows(folder)
    base = results["baseline: pandas reads both files, no checks"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "dashboard", "queries"],
                           cwd=ROOT, capture_output=True, text=True).stdout.strip()  # fmt: skip
    lines = [
        "# Ingestion benchmark",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit}"
        f"{' with uncommitted changes' if dirty else ''}, machine load average "
        f"{load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} (1, 5, 15 min) at "
        f"the start, on {os.cpu_count()} cores, with `python bench/ingest.py "
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
        "and swaps it in; the ratio is the price of those guarantees over a bare parse. "
        "Loading the same files again changes no figure, so disclosure control keeps its "
        "decisions (it is decided again only when its inputs change).",
        *memory,
        "",
        "Before the round of 2026-12-01 the same 200 MB census peaked at about 4.0 GB (20× the "
        "file) on this machine (`/usr/bin/time -v`, one run), holding every row as a list and "
        "every value as a dictionary; streaming rows and keeping columns brought it to the "
        "figure above. What remains is mostly the checked values held as Python objects and "
        "the staged frames; reading with a vectorised parser and checking whole columns at once "
        "would bring it nearer the pandas baseline. A real national census is about 24,000 rows "
        "(2 MB): the national load above. A file larger than 1 GB is refused before it is read "
        "(`KENT_DASHBOARD_MAX_FILE_MB`).",
    ]
    out = ROOT / "bench" / "INGEST.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
