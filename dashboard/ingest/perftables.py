"""The "Find and compare school performance" downloads: england_census (SEN and intake counts),
england_spine (the school list, the URN–LAESTAB bridge) and england_abs (absence percentages).
None of them states its academic year, so the caller must."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.ingest.files import (
    BadValue,
    LoadError,
    Problems,
    count,
    identifier,
    laestab,
    parse_date,
    percent,
    read_table,
    whole,
)

CENSUS_PHASES = {
    "State-funded nursery": "Nursery",
    "State-funded primary": "Primary",
    "State-funded secondary": "Secondary",
    "State-funded special school": "Special",
    "Non-maintained special school": "Special",
    "Pupil referral unit": "Alternative provision",
}
SESSIONS_PER_YEAR = 380  # 190 school days × 2 sessions: the possible sessions of a full year
PLACEHOLDER = "URN {urn} (name not loaded: load a GIAS extract)"


PLACEHOLDER_CONSTANTS = {
    "admissions_policy": "Not applicable",
    "district_code": None,
    "latitude": None,
    "longitude": None,
    "open_date": None,
    "close_date": None,
    "age_low": None,
    "age_high": None,
    "resourced_provision": False,
    "is_fictional": False,
}


def _rows(path: Path, la: str, problems: Problems):
    """(line, URN, get) for each school row of the authority, each URN checked once; national
    rows (LA 'NAT') skipped, problems collected."""
    header, rows = read_table(path)
    idx = {h: i for i, h in enumerate(header)}
    seen: set[int] = set()
    for values in rows:
        line = values.line
        get = lambda col, values=values: values[idx[col]].strip() if col in idx else ""  # noqa: E731
        if "NAT" in (get("LA"), get("URN")) or (la != "all" and get("LA") != la):
            continue  # England's totals (URN or LA 'NAT'), or another authority
        try:
            urn = identifier(get("URN"))
        except BadValue as exc:
            problems.add(line, "URN", get("URN"), str(exc))
            continue
        if urn in seen:
            problems.add(line, "URN", get("URN"), "appears twice")
        else:
            seen.add(urn)
            yield line, urn, get


# The census's first-language columns: EAL, English, and unclassified. Together they are the
# pupils whose first language is recorded (compulsory school age and above), the EAL share's
# denominator; the free-school-meal count (NUMFSM) is over pupils on roll.
LANGUAGE_COLUMNS = ("NUMEAL", "NUMENGFL", "NUMUNCFL")


def _intake(line: int, get, nor: float | None, nor_r: str | None, problems: Problems) -> list:
    """The intake counts an expected value is modelled on: (input, count, denominator, reason)
    for free school meals and EAL. A file without the columns, or a symbol in them, gives a
    missing value with its reason, never a guess."""
    parsed: dict[str, tuple[float | None, str | None]] = {}
    for col in ("NUMFSM", *LANGUAGE_COLUMNS):
        try:
            parsed[col] = count(get(col))
        except BadValue as exc:
            problems.add(line, col, get(col), str(exc))
            parsed[col] = (None, "x")
    fsm, fsm_r = parsed["NUMFSM"]
    if fsm is not None and nor is not None and fsm > nor:
        problems.add(line, "NUMFSM", f"{fsm:g}", f"is more than pupils on roll ({nor:g})")
    language = [parsed[c] for c in LANGUAGE_COLUMNS]
    language_r = next((r for _, r in language if r is not None), None)
    recorded = None if language_r else sum(v for v, _ in language if v is not None)
    if recorded is not None and nor is not None and recorded > nor:
        problems.add(line, "NUMEAL", get("NUMEAL"), f"plus NUMENGFL and NUMUNCFL makes "
                     f"{recorded:g}, more than pupils on roll ({nor:g})")  # fmt: skip
    eal_r = language_r or ("z" if recorded == 0 else None)
    return [("fsm", fsm, nor, fsm_r or nor_r), ("eal", parsed["NUMEAL"][0], recorded, eal_r)]


def read_census(path: Path, year_code: int, la: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SEN support and EHC plan counts with pupils on roll, and the intake counts (free school
    meals, EAL) an expected value is modelled on. Returns (placeholder settings for
    schools no school list has supplied yet, facts)."""
    problems = Problems(path.name)
    settings: dict[str, list] = {k: [] for k in ("urn", "laestab", "establishment_type",
                                                "phase", "la_code", "sector")}  # fmt: skip
    facts: dict[str, list] = {k: [] for k in ("urn", "input", "numerator", "denominator",
                                             "missing_reason")}  # fmt: skip
    for line, urn, get in _rows(path, la, problems):
        parsed = {}
        for col in ("NOR", "TSENELSE", "TSENELK"):
            try:
                parsed[col] = count(get(col))
            except BadValue as exc:
                problems.add(line, col, get(col), str(exc))
        if len(parsed) < 3:
            continue
        (nor, nor_r), (ehcp, ehcp_r), (sens, sens_r) = (
            parsed[c] for c in ("NOR", "TSENELSE", "TSENELK")
        )
        for col, v in (("TSENELSE", ehcp), ("TSENELK", sens)):
            if v is not None and nor is not None and v > nor:
                problems.add(line, col, str(v), f"is more than pupils on roll ({nor:g})")
        school_type = get("SCHOOLTYPE")
        for key, value in (
            ("urn", urn),
            ("laestab", laestab(get("LA"), get("ESTAB"))),
            ("establishment_type", school_type or "Not recorded"),
            (
                "phase",
                CENSUS_PHASES.get(school_type, "Independent specialist or work-based training"),
            ),
            ("la_code", get("LA")),
            ("sector", "Independent" if "Independent" in school_type else "State-funded"),
        ):
            settings[key].append(value)
        counted = [
            ("ehcp", ehcp, nor, ehcp_r or nor_r),
            ("sen_support", sens, nor, sens_r or nor_r),
        ]
        counted += _intake(line, get, nor, nor_r, problems)
        for input_, v, n, reason in counted:
            for key, value in (
                ("urn", urn),
                ("input", input_),
                ("numerator", v if reason is None else None),
                ("denominator", n if reason is None else None),
                ("missing_reason", reason),
            ):
                facts[key].append(value)
    problems.raise_if_any()
    if not settings["urn"]:
        raise LoadError(f"{path.name}: no school rows for LA {la}; nothing to load")
    # columns, not a dict per row: a national census is millions of values
    frame = pd.DataFrame(settings)
    frame.insert(2, "name", [PLACEHOLDER.format(urn=u) for u in settings["urn"]])
    frame = frame.assign(**PLACEHOLDER_CONSTANTS)
    fact_frame = pd.DataFrame(facts).assign(year_code=year_code, breakdown="all")
    fact_frame["numerator"] = fact_frame["numerator"].astype("Float64")
    fact_frame["denominator"] = fact_frame["denominator"].astype("Float64")
    return frame, fact_frame


def spine_phase(get) -> str:
    """Product phase from the spine's type and phase flags (reference section 2)."""
    kind, group = get("NFTYPE").lower(), get("MINORGROUP")
    if "pupil referral" in kind or "alternative provision" in kind:
        return "Alternative provision"
    if "special" in kind or group == "Special School":
        return "Special"
    if group == "College" or "college" in kind:
        return "Post-16"
    if "nursery" in kind:
        return "Nursery"
    primary, secondary = get("ISPRIMARY") == "1", get("ISSECONDARY") == "1"
    if primary and secondary:
        return "All-through"
    if secondary:
        return "Secondary"
    if primary:
        return "Primary"
    if get("ISPOST16") == "1":
        return "Post-16"
    return "Independent specialist or work-based training"


def read_spine(path: Path, la: str) -> pd.DataFrame:
    """Settings from england_spine: names, types, phases, selective status, open and close
    dates (Excel serial numbers in the XLSX-derived files), and LAESTAB. No district or
    position: those wait for a GIAS extract."""
    problems = Problems(path.name)
    out = []
    for line, urn, get in _rows(path, la, problems):
        try:
            opened, closed = parse_date(get("OPENDATE")), parse_date(get("CLOSEDATE"))
        except ValueError as exc:
            problems.add(line, "OPENDATE/CLOSEDATE", str(exc), "is not a date")
            continue
        ages = []
        for col in ("AGEL", "AGEH"):
            try:
                ages.append(whole(get(col)) if get(col) else None)
            except BadValue as exc:
                problems.add(line, col, get(col), str(exc))
                ages.append(None)
        phase = spine_phase(get)
        group, kind = get("MINORGROUP"), get("NFTYPE")
        sector = (
            "Independent"
            if group == "Independent School"
            else "Further education"
            if group == "College"
            else "Non-maintained"
            if "non-maintained" in kind.lower()
            else "State-funded"
        )
        secondary = phase in ("Secondary", "All-through")
        admissions = (
            "Selective"
            if secondary and get("ADMPOL") == "Selective"
            else "Non-selective"
            if secondary
            else "Not applicable"
        )
        out.append(
            {
                "urn": urn,
                "laestab": laestab(get("LA"), get("ESTAB")),
                "name": get("SCHNAME") or PLACEHOLDER.format(urn=urn),
                "establishment_type": kind or group or "Not recorded",
                "phase": phase,
                "admissions_policy": admissions,
                "district_code": None,
                "la_code": get("LA"),
                "latitude": None,
                "longitude": None,
                "open_date": opened,
                "close_date": closed
                if closed is None or opened is None or closed >= opened
                else None,
                "age_low": ages[0],
                "age_high": ages[1],
                "sector": sector,
                "resourced_provision": False,
                "is_fictional": False,
            }
        )
    problems.raise_if_any()
    if not out:
        raise LoadError(f"{path.name}: no schools for LA {la}")
    return pd.DataFrame(out)


def read_absence(path: Path, la: str) -> tuple[str, list[dict]]:
    """Percentages from england_abs: overall absence (PERCTOT) and persistent absence at the
    10% threshold (PPERSABS10) or, in files before 2015/16, the 15% one (PPERSABS15).
    Returns (threshold column, one row per school with percentages and reasons)."""
    header, _ = read_table(path)
    pa_col = "PPERSABS10" if "PPERSABS10" in header else "PPERSABS15"
    problems = Problems(path.name)
    out = []
    for line, urn, get in _rows(path, la, problems):
        row = {"urn": urn, "la": get("LA"), "estab": get("ESTAB")}
        for col, key in (("PERCTOT", "overall"), (pa_col, "persistent")):
            try:
                row[key], row[f"{key}_reason"] = percent(get(col))
            except BadValue as exc:
                problems.add(line, col, get(col), str(exc))
        out.append(row)
    problems.raise_if_any()
    if not out:
        raise LoadError(f"{path.name}: no school rows for LA {la}; nothing to load")
    return pa_col, out


def absence_facts(pct: list[dict], year_code: int, roll: dict[int, float]) -> pd.DataFrame:
    """Counts reconstructed from published percentages: persistently absent ≈ % × pupils on
    roll (January census, standing in for enrolments); sessions missed ≈ % × roll × 380
    possible sessions. Schools with no census roll that year get 'x' (not available)."""
    facts = []
    for r in pct:
        nor = roll.get(r["urn"])
        for input_, key, den in (
            ("persistent_absence", "persistent", nor),
            ("overall_absence", "overall", None if nor is None else nor * SESSIONS_PER_YEAR),
        ):
            pc, why = r[key], r[f"{key}_reason"] or (None if den else "x")
            facts.append(
                {
                    "urn": r["urn"],
                    "year_code": year_code,
                    "input": input_,
                    "breakdown": "all",
                    "numerator": None if why else round(pc * den / 100),
                    "denominator": None if why else den,
                    "missing_reason": why,
                }
            )
    return pd.DataFrame(facts)
