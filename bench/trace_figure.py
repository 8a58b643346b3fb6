"""Trace one figure through the code: which files and lines run to give a user one measure's
figure on Compare (districts), the Overview card, Trends and the setting profile, at this
commit and at a base commit, and whether any call climbs back up the layers.

Why: a review traced `suspension_rate` through 30 files to find where its verdict was decided
(issue 31). This makes the trace repeatable instead of a reading exercise: every view is asked
through the same functions the pages ask (the cache for Compare, Trends and the profile; the
Overview's `indicators.area_figures` for the card), each in a fresh process, with `sys.settrace`
recording the lines run under `dashboard/` and the named queries run.

    .venv/bin/python bench/trace_figure.py                 # this checkout against c15b0a7
    .venv/bin/python bench/trace_figure.py --base <commit> --measure ehcp_pct

The base commit is checked out as a detached worktree under the system's temporary folder and
its own demo database is built there (about a minute). The result goes to bench/TRACE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
OUT = ROOT / "bench" / "TRACE.md"
BASE = "c15b0a7"  # the last commit before issue 31's work began

# Where each module of the flat layout before issue 31 now lives: its layer.
LAYERS = ["app", "ui", "views", "figures", "statistics", "store", "core", "ingest"]
FLAT = {
    "core": {"config", "home", "clock", "catalogue", "filters", "safe_text"},
    "store": {"db", "sql", "fetch"},
    "statistics": {"stats", "engine", "disclosure", "suppression"},
    "figures": {"indicators", "comparators", "comparison", "trends", "profile", "quality_marks",
                "ehcp", "context", "inspections", "coverage", "geography", "groups"},
    "views": {"presentation", "exports", "export_meta", "anonymise", "charts"},
    "ui": {"cache", "components", "signin"},
    "app": {"app"},
    "ingest": {"ingest"},
}  # fmt: skip

# The child: imports first (module-level lines are not the figure's), then one view at a time.
CHILD = r"""
import json, os, sys, threading, pathlib, importlib, inspect, warnings, logging
warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)
tree = pathlib.Path(os.getcwd()).resolve()
sys.path.insert(0, str(tree))
# the project's editable install maps `dashboard` to this checkout; the tree traced wins
sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f).lower()
                 and "editable" not in getattr(f, "__module__", "").lower()]
view, measure_id = sys.argv[1], sys.argv[2]

def first(*names):
    for n in names:
        try:
            return importlib.import_module(n)
        except ImportError:
            continue
    raise ImportError(names)

cache = first("dashboard.ui.cache", "dashboard.cache")
filters = first("dashboard.core.filters", "dashboard.filters")
indicators = first("dashboard.figures.indicators", "dashboard.indicators")
catalogue = first("dashboard.core.catalogue", "dashboard.catalogue")
assert str(tree) in cache.__file__, cache.__file__
year = max(cache.years())
district = sorted(cache.districts())[0]
name = cache.districts()[district]
urn = int(cache.settings_list().query("phase == 'Primary'")["urn"].iloc[0])
measure = catalogue.get(measure_id)

def run():
    if view == "compare":
        sel = filters.Selection(year, "all", "primary")
        n = len(inspect.signature(cache.compare).parameters)
        args = [measure_id, sel, "districts", None, 0.95, False] + [None] * (n - 6)
        return cache.compare(*args)
    if view == "overview":
        sel = filters.Selection(year, district, "primary", name)
        return indicators.area_figures(cache.fetch, sel, [measure])
    if view == "trends":
        return cache.trend(measure_id, ["primary"], [district], False)
    if view == "profile":
        return cache.profile_series(urn, measure_id)
    raise SystemExit(view)

lines, sql, edges = set(), set(), set()
root = str(tree / "dashboard") + os.sep
def local(frame, event, arg):
    if event == "line":
        lines.add((frame.f_code.co_filename, frame.f_lineno))
    return local

def tracer(frame, event, arg):
    f = frame.f_code.co_filename
    if not f.startswith(root):
        return None
    if frame.f_code.co_name in ("query", "run") and isinstance(frame.f_locals.get("name"), str):
        sql.add(frame.f_locals["name"])  # a named query in queries/, as the loader runs it
    lines.add((f, frame.f_lineno))
    back = frame.f_back
    while back is not None and not back.f_code.co_filename.startswith(root):
        back = back.f_back  # a call through a library (pandas apply, a cache wrapper)
    if back is not None and back.f_code.co_filename != f:
        edges.add((back.f_code.co_filename, f, frame.f_code.co_name))
    return local

threading.settrace(tracer)
sys.settrace(tracer)
run()
sys.settrace(None)
rel = lambda f: os.path.relpath(f, tree)
print(json.dumps({
    "lines": sorted([rel(f), n] for f, n in lines),
    "sql": sorted(sql),
    "edges": sorted([rel(a), rel(b), fn] for a, b, fn in edges),
}))
"""

VIEWS = ["compare", "overview", "trends", "profile"]


def layer(path: str) -> str:
    """The layer of a file, in either layout."""
    parts = Path(path).with_suffix("").parts  # ('dashboard', 'figures', 'comparison')
    if len(parts) > 2 and parts[1] in LAYERS:
        return parts[1]
    name = parts[1] if len(parts) > 1 else parts[0]
    return next((k for k, names in FLAT.items() if name in names), "?")


def climbs(edges: list[list[str]], fetch: bool) -> list[list[str]]:
    """Calls from a module to one in a higher layer. The Fetch the cache hands down (the rows'
    only way in, typed by the Protocol in store/fetch.py: figures never import the cache) is
    counted apart, `fetch=True`; every other such call is a walk back up."""
    out = []
    for a, b, fn in edges:
        la, lb = layer(a), layer(b)
        upward = la in LAYERS and lb in LAYERS and LAYERS.index(lb) < LAYERS.index(la)
        if upward and (fn == "fetch") == fetch:
            out.append([a, b, fn])
    return out


def trace(tree: Path, db: Path, measure: str) -> dict:
    got = {}
    env = {**os.environ, "KENT_DASHBOARD_DB": str(db), "PYTHONPATH": str(tree)}
    for view in VIEWS:
        run = subprocess.run([PYTHON, "-c", CHILD, view, measure], cwd=tree, env=env,
                             capture_output=True, text=True, timeout=900)  # fmt: skip
        if run.returncode:
            raise RuntimeError(f"{view} at {tree}: {run.stderr[-2000:]}")
        got[view] = json.loads(run.stdout.strip().splitlines()[-1])
    return got


def summary(tree: Path, got: dict) -> dict:
    files: dict[str, set[int]] = {}
    per_view = {}
    sql: set[str] = set()
    edges: list[list[str]] = []
    for view, g in got.items():
        mine = {f for f, _ in g["lines"]}
        per_view[view] = (len(mine), len(g["lines"]), len(g["sql"]))
        for f, n in g["lines"]:
            files.setdefault(f, set()).add(n)
        sql |= set(g["sql"])
        edges += g["edges"]
    source = {f: len((tree / f).read_text().splitlines()) for f in files}
    return {
        "per_view": per_view,
        "files": {f: (len(n), source[f]) for f, n in sorted(files.items())},
        "sql": sorted(sql),
        "climbs": sorted({tuple(e) for e in climbs(edges, fetch=False)}),
        "fetch": sorted({tuple(e) for e in climbs(edges, fetch=True)}),
    }


def base_tree(commit: str) -> tuple[Path, Path]:
    tree = Path(tempfile.gettempdir()) / f"trace-{commit}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT,
                       check=True, capture_output=True)  # fmt: skip
    db = tree / "data" / "demo.duckdb"
    if not db.exists():
        subprocess.run([PYTHON, "data/generate_demo.py", "--out", str(db)], cwd=tree, check=True,
                       env={**os.environ, "PYTHONPATH": str(tree)})  # fmt: skip
    return tree, db


def table(name: str, s: dict) -> list[str]:
    run_lines = sum(n for n, _ in s["files"].values())
    total = sum(t for _, t in s["files"].values())
    out = [f"### {name}", "",
           f"{len(s['files'])} Python files ({total:,} lines in those files), {run_lines:,} "
           f"distinct lines run, {len(s['sql'])} named queries run.", "",
           "| view | files | lines run | queries |", "| --- | ---: | ---: | ---: |"]  # fmt: skip
    out += [f"| {v} | {f} | {n:,} | {q} |" for v, (f, n, q) in s["per_view"].items()]
    out += ["", "| file | layer | lines run | lines in file |", "| --- | --- | ---: | ---: |"]
    out += [f"| `{f}` | {layer(f)} | {n:,} | {t:,} |" for f, (n, t) in s["files"].items()]
    out += ["", "Queries: " + ", ".join(f"`{q}`" for q in s["sql"]), ""]
    out += [
        "Rows reach the figures through the Fetch the cache hands down: "
        + ", ".join(f"`{a}`" for a, _, _ in s["fetch"])
        + ".",
        "",
    ]
    if s["climbs"]:
        out += ["Calls from a lower layer up to a higher one:", ""]
        out += [f"- `{a}` → `{b}` ({fn})" for a, b, fn in s["climbs"]]
    else:
        out += ["No call goes from a lower layer up to a higher one."]
    return [*out, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--measure", default="suspension_rate")
    args = parser.parse_args()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                          capture_output=True).stdout.strip()  # fmt: skip
    dirty = subprocess.run(["git", "status", "--porcelain", "dashboard", "queries"], cwd=ROOT,
                           text=True, capture_output=True).stdout.strip()  # fmt: skip
    here_db = Path(tempfile.gettempdir()) / f"trace-head-{head}.duckdb"
    if not here_db.exists():
        subprocess.run([PYTHON, "data/generate_demo.py", "--out", str(here_db)], cwd=ROOT,
                       check=True)  # fmt: skip
    base, base_db = base_tree(args.base)
    load = os.getloadavg()
    now = summary(ROOT, trace(ROOT, here_db, args.measure))
    before = summary(base, trace(base, base_db, args.measure))
    lines = [
        f"# Trace of `{args.measure}`", "",
        f"Made by `bench/trace_figure.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at "
        f"{head}{' (with uncommitted changes)' if dirty else ''} against {args.base}; "
        f"Python {platform.python_version()}, load average {load[0]:.1f} on "
        f"{os.cpu_count()} cores (the trace counts lines, so load does not change it).", "",
        "Each view asks for one figure the way its page does: Compare, districts, primary, "
        "the latest year (`cache.compare`); the Overview card for the first district "
        "(`indicators.area_figures`); Trends for that district (`cache.trend`); the profile "
        "of the first primary setting (`cache.profile_series`). Lines are those run under "
        "`dashboard/` after import; a file counts once however many views run it.", "",
    ]  # fmt: skip
    lines += table(f"Now ({head})", now) + table(f"Before ({args.base})", before)
    OUT.write_text("\n".join(lines))
    print(OUT.read_text())


if __name__ == "__main__":
    main()
