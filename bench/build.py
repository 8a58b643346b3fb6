"""Build and load benchmark: what building a database and deciding disclosure control cost, at
Kent and at national scale, each in a fresh child process (its own time and peak memory).

    python bench/build.py [--repeats 3] [--national-repeats 1]   → bench/RESULTS.md (## Build)

Measured:
- the Kent demo build (600 settings, ten years), and the national demo build (150 authorities,
  ten years; `data/generate_demo.py --authorities 150 --scale 0.27`);
- on the national database: a boundaries load (no facts change: disclosure control keeps every
  decision), and one year's facts changed in every authority (what a one-year `--la all` load
  asks of disclosure control: that year's 150 blocks decided again, the other 1,350 kept);
- as a baseline in the same run, each database's facts read back into pandas (the least any
  build that decides from the facts must do).

Medians over the repeats (a single national build by default: it is the slow one); the commit
and the machine's load average are written beside the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- build -->", "<!-- /build -->"


def child(code: str, env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak resident MB) of `python -c code` in a fresh child process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not every child's
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"benchmark child failed: {code[:200]}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def build_code(path: Path, authorities: int, scale: float) -> str:
    return (f"from data import generate_demo; generate_demo.build("
            f"{str(path)!r}, scale={scale}, authorities={authorities})")  # fmt: skip


def read_back_code(path: Path) -> str:
    return (f"import duckdb; c = duckdb.connect({str(path)!r}, read_only=True); "
            "c.execute('select f.*, s.la_code, s.district_code, s.phase from setting_facts f "
            "join settings s using (urn)').df()")  # fmt: skip


def boundaries_code(path: Path, folder: Path) -> str:
    return (f"from tests.conftest import write_boundary_fixture; "
            f"from dashboard.ingest.boundaries import load_boundaries; "
            f"load_boundaries({str(path)!r}, write_boundary_fixture("
            f"__import__('pathlib').Path({str(folder / 'b.geojson')!r})))")  # fmt: skip


def one_year_code(path: Path, year: int) -> str:
    """Change one fact of `year` in every authority, then load: every block of that year
    is decided again."""
    return (
        f"import duckdb; c = duckdb.connect({str(path)!r}); "
        f'c.execute("update setting_facts set numerator = numerator + 1 where year_code = '
        f"{year} and input = 'suspensions' and breakdown = 'all' and urn in (select "
        f'min(urn) from settings group by la_code)"); c.close(); '
        f"from dashboard.ingest.writer import update_database; "
        f"update_database(__import__('pathlib').Path({str(path)!r}), lambda build: None)"
    )


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def measure(args) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kent = folder / "kent.duckdb"
        national = folder / "national.duckdb"
        runs: dict[str, list[tuple[float, float]]] = {"kent": [], "national": []}
        for name, path, authorities, scale, repeats in (
            ("kent", kent, 1, 1.0, args.repeats),
            ("national", national, 150, 0.27, args.national_repeats),
        ):
            for _ in range(repeats):
                path.unlink(missing_ok=True)
                runs[name].append(child(build_code(path, authorities, scale)))
            base = [child(read_back_code(path)) for _ in range(args.repeats)]
            build_s = median([s for s, _ in runs[name]])
            build_mb = max(mb for _, mb in runs[name])
            base_s = median([s for s, _ in base])
            rows.append(f"| {name} demo build (ten years) | {build_s:.1f} | {build_mb:,.0f} | "
                        f"{path.stat().st_size / 1e6:.0f} MB | {base_s:.1f} s, "
                        f"{max(mb for _, mb in base):,.0f} MB |")  # fmt: skip
        bound = [child(boundaries_code(national, folder)) for _ in range(args.repeats)]
        rows.append(f"| national: boundaries load (no fact changes) | "
                    f"{median([s for s, _ in bound]):.1f} | {max(m for _, m in bound):,.0f} | "
                    "– | – |")  # fmt: skip
        year = [child(one_year_code(national, 202324)) for _ in range(args.repeats)]
        rows.append(f"| national: one year's facts changed in all 150 authorities, loaded | "
                    f"{median([s for s, _ in year]):.1f} | {max(m for _, m in year):,.0f} | "
                    "– | – |")  # fmt: skip
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--national-repeats", type=int, default=1)
    args = ap.parse_args()
    load = os.getloadavg()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "dashboard", "queries", "data"],
                           cwd=ROOT, capture_output=True, text=True).stdout.strip()  # fmt: skip
    rows = measure(args)
    after = os.getloadavg()
    section = [
        START,
        "## Build and load: disclosure control at scale",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit}"
        f"{' with uncommitted changes' if dirty else ''} with `python bench/build.py "
        f"--repeats {args.repeats} --national-repeats {args.national_repeats}`, on "
        f"{os.cpu_count()} cores; machine load average {load[0]:.2f} / {load[1]:.2f} / "
        f"{load[2]:.2f} (1, 5, 15 min) at the start and {after[0]:.2f} / {after[1]:.2f} / "
        f"{after[2]:.2f} at the end. Each step runs in a fresh child process; seconds are "
        "medians of the repeats (the national build once unless asked), peak memory the "
        "largest. The baseline, measured in the same run, reads the database's facts back into "
        "pandas: the least a build that decides from them must do.",
        "",
        "| step | seconds | peak memory (MB) | database | baseline: facts read back |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
        "Disclosure control decides each authority × year on its own (every published figure "
        "sums one authority's settings in one year), forty blocks at a time, in one process "
        "per core; a load decides again only the blocks whose facts it changed.",
        END,
    ]
    text = RESULTS.read_text(encoding="utf-8")
    block = "\n".join(section)
    if START in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text,
                      flags=re.S)  # fmt: skip
    else:
        text = text.replace("<!-- browser -->", block + "\n\n<!-- browser -->", 1)
    RESULTS.write_text(text, encoding="utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
