"""The quality-mark awards template (data/templates/quality_mark_awards.csv): the authority's
own register of IQM and CPLD awards, one row per award."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.ingest.files import BadValue, identifier, read_table

LEVELS = {
    "IQM": {"Standard", "Centre of Excellence", "Flagship"},
    "CPLD": {"Bronze", "Silver", "Gold", "Single level"},
}
COLUMNS = ["urn", "scheme", "level", "award_date", "expiry_date"]


def read_awards(path: Path, known_urns: set[int], problems) -> pd.DataFrame:
    """Rows of the template, each checked; problems are collected, not raised one by one."""
    header, rows = read_table(path)
    out, seen = [], set()
    for values in rows:
        line, r = values.line, dict(zip(header, values, strict=True))
        urn, scheme, level = r["urn"].strip(), r["scheme"].strip(), r["level"].strip()
        try:
            number = identifier(urn)
        except BadValue as exc:
            problems.add(line, "urn", urn, str(exc))
            continue
        if number not in known_urns:
            problems.add(line, "urn", urn, "is not a loaded setting (load a GIAS extract first)")
        if scheme not in LEVELS:
            problems.add(line, "scheme", scheme, "is not IQM or CPLD")
        elif level not in LEVELS[scheme]:
            problems.add(line, "level", level, f"is not a {scheme} level "
                         f"({', '.join(sorted(LEVELS[scheme]))})")  # fmt: skip
        try:
            awarded = date.fromisoformat(r["award_date"].strip())
            expiry = date.fromisoformat(r["expiry_date"].strip()) if r["expiry_date"].strip() \
                else None  # fmt: skip
        except ValueError:
            problems.add(line, "award_date/expiry_date", f"{r['award_date']} {r['expiry_date']}",
                         "is not a date like 2024-03-31")  # fmt: skip
            continue
        if expiry is not None and expiry <= awarded:
            problems.add(line, "expiry_date", str(expiry), "is not after the award date")
        key = (urn, scheme, awarded)
        if key in seen:
            problems.add(line, "urn", urn, f"has this {scheme} award twice")
        seen.add(key)
        out.append({"urn": number, "scheme": scheme, "level": level, "award_date": awarded,
                    "expiry_date": expiry})  # fmt: skip
    return pd.DataFrame(out, columns=COLUMNS)
