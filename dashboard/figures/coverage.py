"""Which measures a database can show, for which years, and what to load for the rest; read by
the `status` command and the Data and methods page."""

from __future__ import annotations

import pandas as pd

from dashboard.core import catalogue

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


def _years(loaded: pd.DataFrame, input_: str, breakdowns: list[str]) -> str:
    """Years in which every one of `breakdowns` (a list of alternatives per position: any of
    them will do) has a value for the input, oldest first."""
    with_value = loaded[(loaded["input"] == input_) & (loaded["with_value"] > 0)]
    years = None
    for options in breakdowns:
        have = set(with_value.loc[with_value["breakdown"].isin(options.split("|")), "year"])
        years = have if years is None else years & have
    return year_runs(sorted(years or ()))


def year_runs(labels: list[str]) -> str:
    """'2006/07 to 2016/17, 2018/19' from sorted year labels: consecutive years as one run."""
    runs: list[list[str]] = []
    for label in labels:
        if runs and int(label[:4]) == int(runs[-1][-1][:4]) + 1:
            runs[-1].append(label)
        else:
            runs.append([label])
    return ", ".join(r[0] if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)


def measure_coverage(loaded: pd.DataFrame, held: dict[str, int]) -> pd.DataFrame:
    """One row per catalogue measure: the years it can be shown for, or what to load.

    loaded: the `load_status` query; held: `loaded_counts` as {item: count}."""
    out = []
    for m in catalogue.load():
        name = m.title + (" (pilot)" if m.is_pilot else "")
        if m.compare_breakdowns and m.input:  # pupils with SEN and without, in the same year
            years = _years(loaded, m.input, ["sen_support|ehcp", "no_sen"])
            what = (
                f"{m.input.replace('_', ' ')} by SEN status (a school-level file with SEN "
                "breakdowns)"
            )
        elif m.input:
            years, what = _years(loaded, m.input, ["all"]), HINTS.get(m.input, m.source)
        elif m.id in AREA_NEEDS:
            need, what = AREA_NEEDS[m.id]
            if need.startswith("input:"):
                years = _years(loaded, need[len("input:") :], ["all"])
            else:
                years = "loaded" if held.get(need, 0) else ""
        else:  # an area measure this table does not know: say so rather than guess
            years, what = "", f"({m.source}; not tracked here)"
        out.append({"measure": name, "years": years, "needs": "" if years else f"load {what}"})
    return pd.DataFrame(out, columns=["measure", "years", "needs"])
