"""Benchmark: page reruns, queries, database build and memory at Kent, 10x and national scale,
against a naive baseline (pandas reading a CSV export on every rerun) measured in the same run.

    .venv/bin/python bench/run.py            # all three scales, writes bench/RESULTS.md
    .venv/bin/python bench/run.py --quick    # Kent and 10x only, fewer repeats

Each scale runs in its own process so peak memory is that scale's alone.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SCALES = {
    # name: (other authorities' mean size relative to Kent, authorities); Kent is always full
    # size (data/demo/build.authority_sizes)
    "kent": (1.0, 1),
    "10x": (1.0, 10),
    "national": (0.27, 150),
}
PAGES = ["overview", "compare", "map", "trends", "expected", "setting", "ehcp", "pilot",
         "inspections", "data_and_methods"]  # fmt: skip


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def run_scale(name: str, repeats: int) -> dict:
    """Build the database for one scale and time everything; runs in a child process."""
    sys.path.insert(0, str(ROOT))
    from data import generate_demo

    scale, authorities = SCALES[name]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.duckdb"
    generate_demo.build(path, scale=scale, authorities=authorities)
    os.environ["KENT_DASHBOARD_DB"] = str(path)

    import duckdb
    import pandas as pd
    from streamlit.testing.v1 import AppTest

    from dashboard.core.filters import Selection
    from dashboard.figures import indicators
    from dashboard.store import db, sql

    con = db.connect(path)
    settings_total = con.execute("select count(*) from settings").fetchall()[0][0]
    facts_total = con.execute("select count(*) from setting_facts").fetchall()[0][0]
    urn = int(db.run(con, "settings_list", {"la_code": "886"}).urn.iloc[0])
    selection = Selection(202324, "E07000113", "primary", "Swale")

    # Query timings with representative parameters.
    params = {**selection.params()}
    no_year = {k: v for k, v in params.items() if k != "year_code"}
    query_params = {
        "area_inputs": params,
        "selection_summary": params,
        "setting_inputs": {**params, "input": "ehcp"},
        "group_series": no_year,
        "district_series": {"year_code": None,
                            **{k: no_year[k] for k in ("la_code", "phases", "admissions",
                                                       "phase_key")}},
        "setting_series": {"urn": urn},
        "settings_list": {"la_code": "886"},
        "latest_grades": {**no_year, "as_of": selection.year_end},
        "current_awards": {**no_year, "as_of": selection.year_end},
    }  # fmt: skip
    queries = {q: _median_ms(lambda q=q: db.run(con, q, query_params[q]), repeats)
               for q in query_params if q in sql.names()}  # fmt: skip

    # The Overview computation done properly (uncached) and the naive way.
    ours = _median_ms(lambda: indicators.headline_table(db.fetcher(con), selection), repeats)
    csv_dir = OUT / f"{name}-csv"
    csv_dir.mkdir(exist_ok=True)
    raw = duckdb.connect(str(path), read_only=True)
    raw.table("setting_facts").df().to_csv(csv_dir / "facts.csv", index=False)
    raw.table("settings").df().to_csv(csv_dir / "settings.csv", index=False)
    raw.close()

    def naive():
        facts = pd.read_csv(csv_dir / "facts.csv")
        settings = pd.read_csv(csv_dir / "settings.csv")
        f = facts.merge(settings, on="urn")
        f = f[(f.year_code == 202324) & (f.phase == "Primary") & (f.la_code == 886)]
        a = f[f.district_code == "E07000113"].groupby(["input", "breakdown"])[
            ["numerator", "denominator"]].sum()  # fmt: skip
        b = f.groupby(["input", "breakdown"])[["numerator", "denominator"]].sum()
        return a, b

    naive_ms = _median_ms(naive, max(3, repeats // 2))

    # Full page reruns through AppTest: cold (caches cleared) and warm (a user's next click).
    import streamlit as st

    pages = {}
    for page in PAGES:

        def make():
            at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
            at.query_params.update({"year": "2023-24", "district": "E07000113",
                                    "phase": "primary", "urn": str(urn)})  # fmt: skip
            return at

        at = make()
        at.run()
        if page != "overview":
            at.switch_page(f"../pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)

        def cold(at=at):
            st.cache_data.clear()
            at.run()

        pages[page] = {
            "warm_ms": _median_ms(at.run, repeats),
            "cold_ms": _median_ms(cold, max(3, repeats // 2)),
        }
    con.close()
    return {
        "scale": name,
        "settings": settings_total,
        "facts": facts_total,
        "queries_ms": queries,
        "overview_computation_ms": ours,
        "naive_overview_ms": naive_ms,
        "pages": pages,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def machine() -> dict:
    import duckdb
    import streamlit

    mem = ""
    with contextlib.suppress(OSError, StopIteration):
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")).split(":")[1].strip()  # fmt: skip
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory": mem,
        "duckdb": duckdb.__version__,
        "streamlit": streamlit.__version__,
    }


def write_results(results: list[dict], facts: dict, command: str) -> Path:
    base = results[0]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {facts['commit']} with "
        f"`{command}`; machine load average {facts['load_before']} (1, 5, 15 min) at the start "
        f"and {facts['load_after']} at the end.",
        f"Machine: {facts['cpus']} CPUs, {facts['memory']}, {facts['platform']}; Python "
        f"{facts['python']}, DuckDB {facts['duckdb']}, Streamlit {facts['streamlit']}.",
        "Medians of repeated runs in one process per scale. Warm = a rerun with Streamlit's "
        "caches filled (what a user's next click costs); cold = caches cleared first.",
        "",
        "## Scale",
        "",
        "Building each database, and its time and memory, are measured apart, each in a fresh "
        "process: bench/build.py (Build and load, above).",
        "",
        "| scale | settings | fact rows | page-run peak memory (MB) |",
        "| --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(f"| {r['scale']} | {r['settings']:,} | {r['facts']:,} | "
                     f"{r['peak_rss_mb']:.0f} |")  # fmt: skip
    lines += ["", "## Page reruns (ms, median)", "",
              "| page | " + " | ".join(f"{r['scale']} warm | {r['scale']} cold" for r in results)
              + " |",
              "| --- | " + " | ".join("--- | ---" for _ in results) + " |"]  # fmt: skip
    for page in PAGES:
        cells = " | ".join(f"{r['pages'][page]['warm_ms']:.0f} | {r['pages'][page]['cold_ms']:.0f}"
                           for r in results)  # fmt: skip
        lines.append(f"| {page} | {cells} |")
    lines += ["", "## Overview computation against the naive baseline (ms, median)", "",
              "| scale | naive: pandas reads CSV export each rerun | DuckDB, uncached | "
              "ratio | warm page rerun | ratio |",
              "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for r in results:
        warm = r["pages"]["overview"]["warm_ms"]
        lines.append(
            f"| {r['scale']} | {r['naive_overview_ms']:.0f} | {r['overview_computation_ms']:.0f} | "
            f"{r['naive_overview_ms'] / r['overview_computation_ms']:.1f}× | {warm:.0f} | "
            f"{r['naive_overview_ms'] / warm:.1f}× |"
        )
    lines += ["", "## Queries (ms, median)", "",
              "| query | " + " | ".join(r["scale"] for r in results) + " |",
              "| --- | " + " | ".join("---" for _ in results) + " |"]  # fmt: skip
    for q in base["queries_ms"]:
        lines.append(f"| `{q}` | " + " | ".join(f"{r['queries_ms'][q]:.1f}" for r in results)
                     + " |")  # fmt: skip
    if len(results) > 1:
        big = results[-1]
        growth = big["settings"] / base["settings"]
        lines += ["", "## Growth", ""]
        for page in PAGES:
            g = big["pages"][page]["cold_ms"] / base["pages"][page]["cold_ms"]
            lines.append(f"- {page}: cold rerun ×{g:.2f} for ×{growth:.0f} settings.")
    lines += ["", "## Against the targets", ""]
    top = results[-1]
    worst_page, worst = max(((p, top["pages"][p]["warm_ms"]) for p in PAGES), key=lambda x: x[1])
    lines.append(
        f"- Every page's median rerun under 300 ms at {top['scale']} scale: "
        f"{'met' if worst < 300 else 'NOT met'} (slowest: {worst_page}, {worst:.0f} ms warm). "
        "Cold reruns (caches just cleared) are slower; the setting profile's cold render, "
        f"{top['pages']['setting']['cold_ms']:.0f} ms, computes nine measures' ten-year "
        "series for three areas."
    )
    ratio = top["naive_overview_ms"] / top["pages"]["overview"]["warm_ms"]
    lines.append(
        f"- At least 5× faster than the naive baseline at {top['scale']} scale: "
        f"{'met' if ratio >= 5 else 'NOT met'} ({ratio:.0f}× for a warm rerun, "
        f"{top['naive_overview_ms'] / top['overview_computation_ms']:.1f}× uncached). At Kent "
        "scale the naive CSV read is small enough that the uncached DuckDB computation "
        f"({base['overview_computation_ms']:.0f} ms against {base['naive_overview_ms']:.0f} ms) "
        "is slower: its cost is fixed work (thirteen measures, over-dispersion, a bootstrap), "
        "not reading data."
    )
    lines.append(
        "- Cost grows less than linearly: see Growth above (the app filters to one "
        "authority, so page cost barely moves with national data)."
    )
    path = ROOT / "bench" / "RESULTS.md"
    kept = _marked_sections(path.read_text(encoding="utf-8") if path.exists() else "")
    path.write_text("\n".join([*lines, *kept]) + "\n")
    return path


def _marked_sections(text: str) -> list[str]:
    """Every section marked `<!-- name -->` … `<!-- /name -->` (the build and browser sections,
    which their own scripts write, and the dated records of earlier runs), kept when this one
    rewrites the file: each states its own commit and load."""
    out = []
    for match in re.finditer(r"<!-- ([\w-]+) -->.*?<!-- /\1 -->", text, flags=re.S):
        out += ["", match.group(0)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--child", choices=list(SCALES))
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_scale(args.child, args.repeats)))
        return 0
    load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"  # fmt: skip
    scales = ["kent", "10x"] if args.quick else list(SCALES)
    repeats = 3 if args.quick else args.repeats
    results = []
    for name in scales:
        print(f"benchmarking {name} …", file=sys.stderr)
        out = subprocess.run([sys.executable, __file__, "--child", name, "--repeats",
                              str(repeats)], capture_output=True, text=True, cwd=ROOT)  # fmt: skip
        if out.returncode:
            print(out.stderr, file=sys.stderr)
            return out.returncode
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    command = "python bench/run.py" + (" --quick" if args.quick else "")
    facts = {**machine(), "commit": commit, "load_before": load_before,
             "load_after": " / ".join(f"{x:.2f}" for x in os.getloadavg())}  # fmt: skip
    print(write_results(results, facts, command))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
