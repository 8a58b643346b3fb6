"""`status`: what a database holds, from which files (with checksums), and what is missing."""

from __future__ import annotations

from pathlib import Path

from dashboard import catalogue, db


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
    lines += [f"  {line}" for line in measure_coverage(loaded, held)]
    return "\n".join(lines)


# what to load for each input, and for the area measures not built from one input
HINTS = {
    "sen_support": "england_census or a school-level SEN file",
    "ehcp": "england_census or a school-level SEN file",
    "overall_absence": "england_abs or a school-level absence file",
    "persistent_absence": "england_abs or a school-level absence file",
    "suspensions": "a school-level suspensions and exclusions file",
    "suspended_pupils": "a school-level suspensions and exclusions file",
    "perm_exclusions": "a school-level suspensions and exclusions file",
}
AREA_NEEDS = {  # measure id → (holding in loaded_counts or "input:<input>", what to load)
    "good_or_better_pct": (
        "inspections: overall_effectiveness",
        "Ofsted management information or a rating history",
    ),
    "quality_mark_pct": ("quality-mark awards", "the quality-mark awards template"),
    "ehcp_concentration": ("input:ehcp", HINTS["ehcp"]),
    "ehcp_mainstream_pct": ("input:ehcp", HINTS["ehcp"]),
}


def _years(part) -> str:
    return ", ".join(dict.fromkeys(part.loc[part["with_value"] > 0, "year"]))


def measure_coverage(loaded, held: dict[str, int]) -> list[str]:
    """One line per catalogue measure: the years it can be shown for, or what it lacks."""
    out = []
    for m in catalogue.load():
        name = m.title + (" (pilot)" if m.is_pilot else "")
        need = AREA_NEEDS.get(m.id, (f"input:{m.input}", HINTS.get(m.input or "", "")))
        if m.compare_breakdowns:  # needs the input split by SEN status
            part = loaded[
                (loaded["input"] == m.input)
                & loaded["breakdown"].isin(["sen_support", "ehcp", "no_sen"])
            ]
            years = _years(part)
            what = (
                f"{m.input.replace('_', ' ')} by SEN status (a school-level file with SEN "
                "breakdowns)"
            )
        elif need[0].startswith("input:"):
            inp = need[0][len("input:") :]
            years = _years(loaded[(loaded["input"] == inp) & (loaded["breakdown"] == "all")])
            what = need[1]
        else:
            years = "loaded" if held.get(need[0], 0) else ""
            what = need[1]
        out.append(f"{name}: {years}" if years else f"{name}: MISSING — load {what}")
    return out
