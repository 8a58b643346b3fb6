"""Inspection history helpers and the "likely next inspection" estimate.

The estimate applies the guidance Ofsted HMI presented to Kent headteachers in June 2023
(reference: ofsted-next-inspection-2023.md). It is an estimate, only for settings whose latest
inspection fell under the framework then in force, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

GUIDANCE = (
    "Ofsted HMI guidance presented at Kent County Council headteacher briefings, June 2023 "
    "(framework then in force)"
)
FOUR_POINT = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
SATISFACTORY_UNTIL = date(2012, 9, 1)  # grade 3 was "Satisfactory" before this date
SATISFACTORY = "Satisfactory (grade 3 before September 2012)"


def inspection_frames(
    inspections: list, judgements: list, key: str = "inspection_id"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Inspection and judgement rows typed as the database holds them (nullable grade and
    flags), keyed by `key`; shared by the demo generator and the Ofsted loaders."""
    ins = pd.DataFrame(
        inspections,
        columns=[
            key,
            "urn",
            "inspection_date",
            "inspection_type",
            "framework",
            "overall_effectiveness",
            "safeguarding_met",
            "graded_follow_up_recommended",
        ],
    )
    ins = ins.astype(
        {
            "overall_effectiveness": "Int64",
            "safeguarding_met": "boolean",
            "graded_follow_up_recommended": "boolean",
        }
    )
    jud = pd.DataFrame(judgements, columns=[key, "area", "grade", "grade_label", "scale"])
    return ins, jud


def overall_label(grade: int, day: date) -> str:
    """The overall effectiveness grade as it was published on that day: grade 3 meant
    "Satisfactory" until August 2012 and "Requires improvement" after."""
    if grade == 3 and pd.Timestamp(day) < pd.Timestamp(SATISFACTORY_UNTIL):
        return SATISFACTORY
    return FOUR_POINT[grade]


FRAMEWORK_LABELS = {
    "overall_effectiveness": "Overall effectiveness (to August 2024)",
    "key_judgements": "Key judgements (September 2024 – November 2025)",
    "report_card": "Report cards (from November 2025)",
}


@dataclass(frozen=True)
class Estimate:
    applies: bool
    text: str
    rule: str = ""
    source: str = GUIDANCE


def _years(d: date, years: float) -> date:
    return (pd.Timestamp(d) + pd.DateOffset(months=round(12 * years))).date()


def _end_of_academic_year(start_year: int) -> date:
    return date(start_year + 1, 8, 31)


def next_inspection(history: pd.DataFrame, open_date: date | None) -> Estimate:
    """Estimate when the setting was likely to be inspected next, or say why not.

    history: one row per inspection (inspection_date, framework, inspection_type,
    overall_effectiveness, graded_follow_up_recommended). `open_date` may come as a date, a
    pandas Timestamp or NaT, as the database returns it."""
    if open_date is not None:
        open_date = None if pd.isna(open_date) else pd.Timestamp(open_date).date()
    if history.empty:
        if open_date is None:
            return Estimate(False, "No estimate: no inspection and no opening date recorded.")
        start = open_date.year if open_date.month >= 9 else open_date.year - 1
        if open_date < date(2020, 9, 1):
            due = _end_of_academic_year(start + 4)
            rule = "New schools opened before September 2020: by the end of the 5th academic year."
        else:
            due = _end_of_academic_year(start + 2)
            rule = "New schools opened after September 2020: by the end of the 3rd academic year."
        return Estimate(True, f"By {due:%d %B %Y} (estimate).", rule)

    history = history.sort_values("inspection_date")
    last = history.iloc[-1]
    last_date = pd.Timestamp(last["inspection_date"]).date()
    if last["framework"] != "overall_effectiveness":
        return Estimate(
            False,
            "No estimate: the latest inspection was under a framework introduced after the June "
            "2023 guidance, which does not cover it.",
        )
    graded = history[history["overall_effectiveness"].notna()]
    if graded.empty:
        return Estimate(False, "No estimate: no graded inspection on record.")
    grade = int(graded.iloc[-1]["overall_effectiveness"])
    covid_gap = date(2020, 4, 1) <= last_date < date(2021, 4, 1)
    if covid_gap:
        return Estimate(
            False,
            "No estimate: the guidance gives no rule for inspections between April 2020 and "
            "April 2021, when routine inspection was suspended (COVID-19).",
        )
    after_2021 = last_date >= date(2021, 4, 1)

    if (
        grade <= 2
        and last["inspection_type"] == "ungraded"
        and bool(last.get("graded_follow_up_recommended"))
    ):
        if last_date < date(2021, 9, 1):
            return Estimate(
                True,
                "Before September 2023 (estimate).",
                "Good or outstanding; ungraded inspection before September 2021 "
                "recommended a graded inspection.",
            )
        lo, hi = _years(last_date, 1), _years(last_date, 2)
        return Estimate(
            True,
            f"Between {lo:%B %Y} and {hi:%B %Y} (estimate).",
            "Good or outstanding; ungraded inspection after September 2021 "
            "recommended a graded inspection: within 1 to 2 years.",
        )
    if grade <= 2:
        if last_date < date(2018, 9, 1):
            return Estimate(
                True,
                "Before July 2024 (estimate).",
                "Good or outstanding, last inspected before September 2018.",
            )
        if last_date < date(2020, 4, 1):
            return Estimate(
                True,
                "Before September 2025 (estimate).",
                "Good or outstanding, last inspected before April 2020.",
            )
        return Estimate(
            True,
            f"Around {_years(last_date, 4):%B %Y} (estimate).",
            "Good or outstanding, last inspected after April 2021: about 4 years "
            "after the last inspection.",
        )
    if grade == 3:
        if last_date < date(2020, 1, 1):
            return Estimate(
                True,
                "Before January 2024 (estimate).",
                "Requires improvement, last inspected before January 2020.",
            )
        if not after_2021:
            return Estimate(
                True,
                "Before January 2025 (estimate).",
                "Requires improvement, last inspected before April 2020.",
            )
        return Estimate(
            True,
            f"By {_years(last_date, 2.5):%B %Y} (estimate).",
            "Requires improvement, last inspected after April 2021: within 2.5 years.",
        )
    if not after_2021:
        return Estimate(
            True, "Before July 2024 (estimate).", "Inadequate, last inspected before April 2020."
        )
    return Estimate(
        True,
        f"By {_years(last_date, 2.5):%B %Y} (estimate).",
        "Inadequate, last inspected after April 2021: within 2.5 years.",
    )


def staleness_note(rows: pd.DataFrame, as_of: date) -> str | None:
    """A warning when the newest inspection held is over a year before the date asked about:
    the loaded records have probably stopped, not the inspections."""
    if rows.empty or rows["inspection_date"].isna().all():
        return None
    latest = pd.Timestamp(rows["inspection_date"].max()).date()
    if (as_of - latest).days <= 365:
        return None
    return (
        f"The newest inspection held for these settings is dated {latest:%d %B %Y}, more than "
        f"a year before {as_of:%d %B %Y}: the loaded inspection records have probably stopped "
        "there, so later inspections are missing. Load Ofsted's current management "
        "information (see the README, 'Use your own data')."
    )


def history_tables(inspections: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One table per framework, never merged onto one scale."""
    out: dict[str, pd.DataFrame] = {}
    if inspections.empty:
        return out
    for framework, part in inspections.groupby("framework", sort=False):
        base = part.drop_duplicates("inspection_id").set_index("inspection_id")
        table = pd.DataFrame(
            {
                "Date": pd.to_datetime(base["inspection_date"]).dt.date,
                "Type": base["inspection_type"],
            }
        )
        if framework == "overall_effectiveness":
            table["Overall effectiveness"] = [
                overall_label(int(g), d) if pd.notna(g) else "Not graded"
                for g, d in zip(base["overall_effectiveness"], base["inspection_date"], strict=True)
            ]
            table["Graded inspection recommended"] = base["graded_follow_up_recommended"].map(
                lambda v: "Yes" if v is True else ("No" if v is False else "")
            )
        if framework == "report_card":
            table["Safeguarding"] = base["safeguarding_met"].map(
                lambda v: "Met" if v is True else ("Not met" if v is False else "")
            )
        areas = part.dropna(subset=["area"])
        if not areas.empty:
            wide = areas.pivot(index="inspection_id", columns="area", values="grade_label")
            table = table.join(wide)
        out[FRAMEWORK_LABELS[framework]] = table.sort_values("Date", ascending=False).fillna("")
    return out


FIVE_POINT_ORDER = [
    "Exceptional",
    "Strong standard",
    "Expected standard",
    "Needs attention",
    "Urgent improvement",
]


def latest_distributions(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Latest outcome per setting under each framework, as counts and shares, never merged.

    Returns {framework label: DataFrame(area, grade_label, settings, share)}."""
    out: dict[str, pd.DataFrame] = {}
    ins = rows.dropna(subset=["inspection_id"]).sort_values("inspection_date")
    oe = ins[(ins["framework"] == "overall_effectiveness") & ins["overall_effectiveness"].notna()]
    oe = oe.drop_duplicates("inspection_id").groupby("urn").last()
    if not oe.empty:
        labels = pd.Series(
            [
                overall_label(int(g), d)
                for g, d in zip(oe["overall_effectiveness"], oe["inspection_date"], strict=True)
            ]
        )
        order = list(FOUR_POINT.values())
        if (labels == SATISFACTORY).any():  # only where such old grades are still the latest
            order.insert(3, SATISFACTORY)
        counts = labels.value_counts().reindex(order, fill_value=0)
        out[FRAMEWORK_LABELS["overall_effectiveness"]] = _shares("Overall effectiveness", counts)
    for framework, order in (
        ("key_judgements", list(FOUR_POINT.values())),
        ("report_card", FIVE_POINT_ORDER),
    ):
        part = ins[(ins["framework"] == framework) & ins["area"].notna()]
        if part.empty:
            continue
        latest_id = part.groupby("urn")["inspection_id"].last()
        part = part[part["inspection_id"].isin(latest_id)]
        frames = [
            _shares(area, g["grade_label"].value_counts().reindex(order, fill_value=0))
            for area, g in part.groupby("area")
        ]
        if framework == "report_card":
            sg = ins[ins["inspection_id"].isin(latest_id)].drop_duplicates("inspection_id")
            sg_counts = sg["safeguarding_met"].map({True: "Met", False: "Not met"}).value_counts()
            frames.append(
                _shares("Safeguarding", sg_counts.reindex(["Met", "Not met"], fill_value=0))
            )
        out[FRAMEWORK_LABELS[framework]] = pd.concat(frames, ignore_index=True)
    return out


def _shares(area: str, counts: pd.Series) -> pd.DataFrame:
    total = counts.sum()
    return pd.DataFrame(
        {
            "area": area,
            "grade_label": counts.index,
            "settings": counts.values,
            "share": counts.values / total if total else 0.0,
        }
    )


def time_since(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Each setting's latest inspection (any framework) and the years since it."""
    ins = rows.dropna(subset=["inspection_id"]).drop_duplicates("inspection_id")
    latest = ins.sort_values("inspection_date").groupby("urn").last()
    names = rows.drop_duplicates("urn").set_index("urn")
    out = names[["name"]].join(latest[["inspection_date", "framework"]])
    days = (pd.Timestamp(as_of) - pd.to_datetime(out["inspection_date"])).dt.days
    out["years_since"] = days / 365.25
    return out.reset_index()


ESTIMATE_COLUMNS = ["urn", "name", "estimate", "applies", "rule"]


def estimates(rows: pd.DataFrame) -> pd.DataFrame:
    """The June 2023 estimate for every setting where its rules apply (the same columns when
    the selection holds no settings)."""
    out = []
    for urn, g in rows.groupby("urn"):
        history = g.dropna(subset=["inspection_id"]).drop_duplicates("inspection_id")
        open_date = g["open_date"].iloc[0]
        est = next_inspection(
            history, None if pd.isna(open_date) else pd.Timestamp(open_date).date()
        )
        out.append(
            {
                "urn": urn,
                "name": g["name"].iloc[0],
                "estimate": est.text,
                "applies": est.applies,
                "rule": est.rule,
            }
        )
    return pd.DataFrame(out, columns=ESTIMATE_COLUMNS).astype({"applies": bool})
