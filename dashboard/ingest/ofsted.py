"""Inspection outcomes: Ofsted's state-funded school inspections management information (CSV or
XLSX) under all three frameworks, and the simpler URN / Rating / Inspection Date history files
some analysts keep. Frameworks are never merged: the date decides which one an inspection
was carried out under, and its grades are kept on that framework's own scale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dashboard.figures import inspections
from dashboard.ingest.files import BadValue, Problems, identifier, parse_date, read_table

KEY_JUDGEMENTS_START = date(2024, 9, 1)
REPORT_CARD_START = date(2025, 11, 10)
FOUR_LABELS = inspections.FOUR_POINT  # grade → label, as the rest of the product shows them
FIVE_LABELS = {5 - i: label for i, label in enumerate(inspections.FIVE_POINT_ORDER)}
# label as written in source files → grade ("Satisfactory" was grade 3 until August 2012)
FOUR_POINT = {label.lower(): g for g, label in FOUR_LABELS.items()} | {"satisfactory": 3}
FIVE_POINT = {label.lower(): g for g, label in FIVE_LABELS.items()}
NOT_GRADED = {"", "null", "not judged", "not applicable", "na", "n/a", "9", "."}
# management-information column → area name used across the product
KEY_JUDGEMENT_COLUMNS = {
    "Quality of education": "Quality of education",
    "Behaviour and attitudes": "Behaviour and attitudes",
    "Personal development": "Personal development",
    "Effectiveness of leadership and management": "Leadership and management",
    "Early years provision (where applicable)": "Early years provision",
    "Sixth form provision (where applicable)": "Sixth form provision",
}
REPORT_CARD_COLUMNS = {
    "Inclusion": "Inclusion",
    "Curriculum and teaching": "Curriculum and teaching",
    "Achievement": "Achievement",
    "Attendance and behaviour": "Attendance and behaviour",
    "Personal development and well-being": "Personal development and well-being",
    "Leadership and governance": "Leadership and governance",
    "Early years": "Early years",
    "Post-16": "Post-16",
}
MI_REQUIRED = {"URN", "Inspection start date", "Overall effectiveness"}
HISTORY_REQUIRED = {"URN", "Rating", "Inspection Date"}


def framework_on(day: date) -> str:
    if day >= REPORT_CARD_START:
        return "report_card"
    if day >= KEY_JUDGEMENTS_START:
        return "key_judgements"
    return "overall_effectiveness"


def _grade(text: str, scale: dict[str, int], top: int) -> int | None:
    t = text.strip().lower()
    if t in NOT_GRADED:
        return None
    if t.isascii() and t.isdigit() and len(t) == 1 and 1 <= int(t) <= top:
        return int(t)
    if t in scale:
        return scale[t]
    raise ValueError(text)


def _inspected(
    path: Path, date_column: str, known_urns: set[int], problems: Problems, unknown: set[int]
):
    """(line, URN, inspection day, get) for rows of loaded settings with a readable date;
    URNs of settings not loaded are collected in `unknown`, problems in `problems`."""
    header, rows = read_table(path)
    idx = {h: i for i, h in enumerate(header)}
    for values in rows:
        line = values.line
        get = lambda col, values=values: values[idx[col]].strip() if col in idx else ""  # noqa: E731
        try:
            urn = identifier(get("URN"))
        except BadValue as exc:
            problems.add(line, "URN", get("URN"), str(exc))
            continue
        if urn not in known_urns:
            unknown.add(urn)
            continue
        try:
            day = parse_date(get(date_column))
        except ValueError:
            problems.add(line, date_column, get(date_column), "is not a date")
            continue
        if day is not None:  # blank: never inspected
            yield line, urn, day, get


def read_management_information(path: Path, known_urns: set[int]):
    """(inspections, judgements, URNs in the file that are not loaded settings)."""
    problems = Problems(path.name)
    held: list[dict] = []
    judgements: list[dict] = []
    unknown: set[int] = set()
    for line, urn, day, get in _inspected(
        path, "Inspection start date", known_urns, problems, unknown
    ):
        framework = framework_on(day)
        kind = (get("Inspection type grouping") or get("Inspection type") or "graded").lower()
        row_key = len(held) + 1
        grades, bad = {}, False
        columns = REPORT_CARD_COLUMNS if framework == "report_card" else KEY_JUDGEMENT_COLUMNS
        scale, top = (FIVE_POINT, 5) if framework == "report_card" else (FOUR_POINT, 4)
        for col, area in columns.items():
            try:
                g = _grade(get(col), scale, top)
            except ValueError:
                problems.add(line, col, get(col), f"is not a grade on the {top}-point scale")
                bad = True
                continue
            if g is not None:
                grades[area] = g
        try:
            overall = _grade(get("Overall effectiveness"), FOUR_POINT, 4)
        except ValueError:
            problems.add(
                line,
                "Overall effectiveness",
                get("Overall effectiveness"),
                "is not a grade on the 4-point scale",
            )
            continue
        if bad:
            continue
        if framework != "overall_effectiveness" and overall is not None:
            problems.add(
                line,
                "Overall effectiveness",
                get("Overall effectiveness"),
                f"is given for an inspection on {day:%d/%m/%Y}, after overall "
                "effectiveness grades ended (31 August 2024)",
            )
            continue
        if framework == "report_card" and not grades:
            problems.add(
                line,
                "Inspection start date",
                f"{day:%d/%m/%Y}",
                "is under report cards, but the row has no report-card grades",
            )
            continue
        safeguarding = get("Safeguarding") or get("Safeguarding standards")
        ungraded = "ungraded" in kind or "section 8" in kind
        outcome = get("Ungraded inspection overall outcome").lower()
        held.append(
            {
                "row_key": row_key,
                "urn": urn,
                "inspection_date": day,
                "inspection_type": "ungraded"
                if ungraded
                else ("report card" if framework == "report_card" else "graded"),
                "framework": framework,
                "overall_effectiveness": overall if framework == "overall_effectiveness" else None,
                "safeguarding_met": None
                if framework != "report_card" or not safeguarding
                else safeguarding.lower() == "met",
                "graded_follow_up_recommended": ("graded" in outcome or "s5 next" in outcome)
                if ungraded and outcome
                else None,
            }
        )
        labels = FIVE_LABELS if top == 5 else FOUR_LABELS
        for area, g in grades.items():
            judgements.append(
                {
                    "row_key": row_key,
                    "area": area,
                    "grade": g,
                    "grade_label": labels[g],
                    "scale": "five_point" if top == 5 else "four_point",
                }
            )
    problems.raise_if_any()
    return inspections.inspection_frames(held, judgements, "row_key"), sorted(unknown)


def read_rating_history(path: Path, known_urns: set[int]):
    """Graded outcomes only (URN, Rating, Inspection Date); 'Satisfactory' was grade 3 before
    September 2012."""
    problems = Problems(path.name)
    held: list[dict] = []
    unknown: set[int] = set()
    seen: set = set()
    for line, urn, day, get in _inspected(path, "Inspection Date", known_urns, problems, unknown):
        try:
            grade = _grade(get("Rating"), FOUR_POINT, 4)
        except ValueError:
            problems.add(line, "Rating", get("Rating"), "is not an Ofsted grade")
            continue
        if grade is None:
            continue
        if day >= KEY_JUDGEMENTS_START:
            problems.add(
                line,
                "Inspection Date",
                get("Inspection Date"),
                "is after overall effectiveness grades ended (31 August 2024)",
            )
            continue
        if (urn, day) in seen:
            problems.add(line, "URN", urn, f"has two ratings on {day:%d/%m/%Y}")
            continue
        seen.add((urn, day))
        held.append(
            {
                "row_key": len(held) + 1,
                "urn": urn,
                "inspection_date": day,
                "inspection_type": "graded",
                "framework": "overall_effectiveness",
                "overall_effectiveness": grade,
                "safeguarding_met": None,
                "graded_follow_up_recommended": None,
            }
        )
    problems.raise_if_any()
    return inspections.inspection_frames(held, [], "row_key"), sorted(unknown)
