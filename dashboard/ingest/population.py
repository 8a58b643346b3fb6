"""ONS mid-year population estimates by single year of age, as Nomis serves them (dataset
NM_2002_1, `.data.csv` with `select=date_name,geography_code,geography_name,c_age_name,
obs_value`).

EHC plans cover children and young people aged 0 to 25, so a caseload is only comparable
between areas of different sizes per 1,000 of that population. Only single years of age are
kept (aggregates such as "All Ages" or "Aged 16 - 64" are left out, and counted), and an area's
year is refused unless it holds every age from 0 to 25: a rate on a partial population would
be silently too high."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.ingest.files import BadValue, Problems, decimal, read_table

NOMIS_REQUIRED = {"DATE_NAME", "GEOGRAPHY_CODE", "GEOGRAPHY_NAME", "C_AGE_NAME", "OBS_VALUE"}
AGES = range(0, 26)  # the EHC plan population: birth to the 26th birthday
COLUMNS = ["area_code", "area_name", "mid_year", "age", "persons"]
_SINGLE_AGE = re.compile(r"aged?\s+(\d{1,2})(?:\s+years?)?", re.IGNORECASE)
_UNDER_ONE = re.compile(r"aged?\s+under\s+1(?:\s+year)?", re.IGNORECASE)
_GSS = re.compile(r"[EWSNK]\d{8}")


def single_age(name: str) -> int | None:
    """The age a C_AGE_NAME names when it is one year of age ("Age 7", "Aged 7", "Aged under
    1 year" → 0); None for a band ("Aged 16 - 64", "All Ages", "Aged 90+")."""
    t = " ".join(name.split())
    if _UNDER_ONE.fullmatch(t):
        return 0
    found = _SINGLE_AGE.fullmatch(t)
    return int(found[1]) if found else None


def read_population(path: Path) -> tuple[pd.DataFrame, int]:
    """(persons aged 0–25 by area × mid-year × age, rows of other ages or bands left out).
    Every bad cell is reported with its line and column, and nothing is returned if any."""
    header, rows = read_table(path)
    idx = {h.strip().upper(): i for i, h in enumerate(header)}
    problems = Problems(path.name)
    out: dict[tuple[str, int, int], tuple[str, float]] = {}
    first_line: dict[tuple[str, int, int], int] = {}
    other = 0
    for values in rows:
        line = values.line

        def get(col: str, values=values) -> str:
            return values[idx[col]].strip()

        age = single_age(get("C_AGE_NAME"))
        if age is None or age not in AGES:
            other += 1
            continue
        code = get("GEOGRAPHY_CODE")
        if not _GSS.fullmatch(code):
            problems.add(line, "GEOGRAPHY_CODE", code, "is not an ONS area code such as E07000105")
            continue
        year_text = get("DATE_NAME")
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4):
            why = "is not a year (mid-year estimates are named by year, e.g. 2024)"
            problems.add(line, "DATE_NAME", year_text, why)
            continue
        try:
            persons = decimal(get("OBS_VALUE"))
        except BadValue as exc:
            problems.add(line, "OBS_VALUE", get("OBS_VALUE"), str(exc))
            continue
        key = (code, int(year_text), age)
        if key in out:
            problems.add(line, "C_AGE_NAME", get("C_AGE_NAME"),
                         f"repeats {code}, {year_text}, age {age} (first on line "
                         f"{first_line[key]}); ask for one gender (gender=0) and one measure "
                         "(measures=20100)")  # fmt: skip
            continue
        out[key] = (get("GEOGRAPHY_NAME"), persons)
        first_line[key] = line
    frame = pd.DataFrame(
        [(c, n, y, a, p) for (c, y, a), (n, p) in sorted(out.items())], columns=COLUMNS
    )
    if not problems.items:
        for (code, year), group in frame.groupby(["area_code", "mid_year"]):
            missing = sorted(set(AGES) - set(group["age"]))
            if missing:
                line = min(first_line[(code, year, a)] for a in group["age"])
                problems.add(line, "C_AGE_NAME", f"{code} {year}",
                             f"lacks age(s) {_ages(missing)}: the 0–25 population needs every "
                             "age from 0 to 25 (c_age=101...126 in the Nomis query)")  # fmt: skip
    if frame.empty and not problems.items:
        problems.add(1, "C_AGE_NAME", "", "no row is a single year of age from 0 to 25")
    problems.raise_if_any()
    return frame, other


def _ages(ages: list[int]) -> str:
    shown = ", ".join(map(str, ages[:6]))
    return shown + (" …" if len(ages) > 6 else "")
