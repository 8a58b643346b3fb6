"""`status`: what a database holds, from which files (with checksums), and what is missing."""

from __future__ import annotations

from pathlib import Path

from dashboard.figures.coverage import measure_coverage
from dashboard.store import db


def status_report(path: Path) -> str:
    check = db.check(Path(path))
    if not check.ok:
        return f"{check.problem}\nFix: {check.fix}"
    con = db.connect(Path(path))
    try:
        meta = dict(db.run(con, "metadata").values)
        sources = db.run(con, "sources")
        loaded = db.run(con, "load_status")
        counts = db.run(con, "loaded_counts")
    finally:
        con.close()
    lines = [
        f"Database {path}: schema {meta.get('schema_version')}, "
        f"{'DEMO (fictional settings)' if meta.get('is_demo') == 'true' else 'real data'}, "
        f"built {meta.get('built_at')}",
        "",
        "Sources:",
    ]
    for r in sources.itertuples():
        lines.append(
            f"  [{r.source_id}] {r.dataset} — {r.publisher}, {r.vintage}; "
            f"{r.row_count:,} rows; file {r.file_name or '(generated)'} "
            f"sha256 {(r.sha256 or '')[:12]}; loaded {r.loaded_at}"
        )
    lines += ["", "Holdings:"]
    lines += [f"  {r.item}: {r.n:,}" for r in counts.itertuples()]
    lines += ["", "Measure inputs by year (settings with a value / withheld):"]
    whole = loaded[loaded["breakdown"] == "all"]
    if whole.empty:
        lines.append("  none loaded")
    for inp, part in whole.groupby("input", sort=False):
        years = ", ".join(f"{r.year} {r.with_value}/{r.withheld}" for r in part.itertuples())
        lines.append(f"  {inp}: {years}")
    held = dict(zip(counts["item"], counts["n"], strict=True))
    lines += ["", "Measures (years with figures, or what to load):"]
    for r in measure_coverage(loaded, held).itertuples():
        lines.append(
            f"  {r.measure}: {r.years}" if r.years else f"  {r.measure}: MISSING — {r.needs}"
        )
    return "\n".join(lines)
