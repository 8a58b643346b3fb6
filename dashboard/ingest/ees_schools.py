"""School-level Explore Education Statistics "tidy" files: exclusions and suspensions, absence
and SEN, each with its `.meta.csv`. Indicators are matched by column name (older and newer
releases name them differently); rows are keyed by URN where the file has it, otherwise by
LAESTAB, bridged to URNs later through the loaded school list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.ingest.files import (
    BadValue,
    LoadError,
    Problems,
    count,
    estimate,
    identifier,
    read_table,
)
from dashboard.statistics.disclosure import SOURCE_SYMBOLS
from dashboard.store import sql

# measure input → (numerator column names, denominator column names), newest names first
INDICATORS = {
    "perm_exclusions": (("perm_excl",), ("headcount",)),
    "suspensions": (("susp", "fixed_excl"), ("headcount",)),
    "suspended_pupils": (("one_plus_susp", "one_plus_fixed"), ("headcount",)),
    "overall_absence": (("sess_overall",), ("sess_possible",)),
    "persistent_absence": (("enrolments_pa_10_exact", "enrolments_pa10"), ("enrolments",)),
    "ehcp": (("ehc_plan", "ehc_plans", "ehcp"), ("total_pupils", "headcount", "pupils")),
    "sen_support": (("sen_support",), ("total_pupils", "headcount", "pupils")),
}
COUNTS_EVENTS = {"perm_exclusions", "suspensions"}
BREAKDOWN_COLUMNS = ("sen_status", "sen_provision", "characteristic", "breakdown")
BREAKDOWNS = {
    "total": "all",
    "all pupils": "all",
    "all": "all",
    "sen support": "sen_support",
    "ehc plan": "ehcp",
    "ehcp": "ehcp",
    "education, health and care plan": "ehcp",
    "statement or ehc plan": "ehcp",
    "no sen": "no_sen",
    "no identified sen": "no_sen",
    "no special educational need": "no_sen",
}
REQUIRED = {"time_period", "geographic_level"}
WHOLE_YEAR = {"Academic year", "Full academic year"}
# Filters that describe the school, not its pupils: every value is the whole school's figure.
SCHOOL_FILTERS = {
    "school_type", "academy_type", "academy_open_date", "phase_type_grouping", "education_phase",
    "establishment_type", "establishment_type_group", "type_of_establishment", "school_phase",
    "denomination", "religious_character", "admissions_policy", "urban_rural", "school_name",
}  # fmt: skip
TOTALS = {"total", "all pupils", "all", "all schools", "total (all pupils)"}
# Columns of EES's data standard that name places, time or the school: they are in every file
# and never in its .meta.csv
STANDARD_COLUMNS = {
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "lad_code",
    "lad_name", "pcon_code", "pcon_name", "ward_code", "ward_name", "urn", "laestab", "estab",
    "school_postcode", "trust_id", "trust_name", "sponsor_id", "sponsor_name",
    "opportunity_area_code", "opportunity_area_name", "english_devolved_area_code",
    "english_devolved_area_name", "local_enterprise_partnership_code",
    "local_enterprise_partnership_name", "rsc_region_lead_name", "provider_ukprn",
    "provider_name", "institution_name",
}  # fmt: skip
_NUMBER_LIKE = re.compile(r"-?[0-9][0-9.,]*%?")
# Sub-populations a file can be about without a filter column saying so: its name, or its
# metadata's labels, say it (EES publishes four-year-olds, PRU-only and termly files).
SUBPOPULATIONS = [
    ("four-year-olds in reception", re.compile(r"\b(four|4) ?years? ?olds?\b|\breception\b")),
    ("pupil referral units only", re.compile(r"\bpupil referral units?\b|\bprus?\b")),
    ("a single term", re.compile(r"\b(autumn|spring|summer) terms?\b|\bhalf terms?\b")),
    ("boys or girls only", re.compile(r"\b(boys|girls)\b")),
]
NEEDED = "all pupils of each school over the full academic year"


def _words(text: str) -> str:
    """Lower case with every run of non-letters-or-digits a single space, so that
    'absence_4yearolds.csv' and 'Autumn-term' read as words."""
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "


def population_problem(path: Path, meta: list[tuple[str, str, str]]) -> str | None:
    """Why a file is about a sub-population (from its name and its metadata's labels), or None.
    `meta` is (col_name, col_type, label) for each row of the .meta.csv."""
    text = _words(path.name[: -len(".csv")] if path.name.endswith(".csv") else path.name)
    text += " ".join(_words(label) for _, _, label in meta)
    for population, pattern in SUBPOPULATIONS:
        if pattern.search(text):
            return (
                f"{path.name}: this file is about {population} (its name or its .meta.csv "
                f"says so); the dashboard's measures need {NEEDED}, so it was not loaded"
            )
    return None


def breakdown_of(value: str) -> str | None:
    """Our breakdown for a characteristic as EES files write it, e.g. "SEN support",
    "SEN provision - EHC plan", "Total"; None for characteristics the dashboard does not use."""
    v = value.strip().lower()
    return BREAKDOWNS.get(v) or BREAKDOWNS.get(v.split(" - ", 1)[-1].strip())


KEY_ALIASES = {"school_urn": "urn", "school_laestab": "laestab"}  # EES's current standard


def normalise(name: str) -> str:
    """Column names compared case- and space-insensitively; EES's `school_urn` and
    `school_laestab` (current data standard) are the `urn` and `laestab` of older files."""
    n = name.strip().lower().replace(" ", "_")
    return KEY_ALIASES.get(n, n)


def is_academic_year(period: str) -> bool:
    """'201617' (2016/17) and the like; not '201618' or '2016'."""
    return (
        period.isascii()
        and period.isdigit()
        and len(period) == 6
        and 1990 <= int(period[:4]) <= 2100
        and int(period[4:]) == (int(period[:4]) + 1) % 100
    )


def looks_like(header: list[str]) -> bool:
    cols = {normalise(h) for h in header}
    return cols >= REQUIRED and bool({"laestab", "urn"} & cols) and bool(indicators(cols))


def indicators(cols: set[str]) -> dict[str, tuple[str, str]]:
    """Measure inputs this file carries: input → (numerator column, denominator column)."""
    found = {}
    for input_, (nums, dens) in INDICATORS.items():
        num = next((c for c in nums if c in cols), None)
        den = next((c for c in dens if c in cols), None)
        if num and den:
            found[input_] = (num, den)
    return found


@dataclass
class SchoolRows:
    key: str  # "urn" or "laestab"
    facts: pd.DataFrame  # key, year_code, input, breakdown, numerator, denominator, reason
    school_rows: int
    skipped_breakdowns: int  # rows for other characteristics or for single terms
    estimated: int = 0  # numerators published as fractions (grossed-up estimates), kept as such
    undeclared: list[str] = field(default_factory=list)  # worded columns not in the .meta.csv


def meta_path(path: Path) -> Path:
    name = path.name[: -len(".csv")] if path.name.lower().endswith(".csv") else path.name
    for candidate in (path.with_name(name + ".meta.csv"),):
        if candidate.exists():
            return candidate
    # the exclusions release names its data file *_kent.csv after filtering; match the stem
    matches = [m for m in path.parent.glob("*.meta.csv") if name.startswith(m.name[:-9])]
    if len(matches) == 1:
        return matches[0]
    raise LoadError(
        f"{path.name}: its metadata file {name}.meta.csv is missing; download the "
        "data file together with its .meta.csv from Explore Education Statistics"
    )


def check_meta(path: Path, header: list[str]) -> list[tuple[str, str, str]]:
    """The .meta.csv must describe this file: every indicator and filter it lists must be a
    column of the data file. Returns its (col_name, col_type, label) rows."""
    mpath = meta_path(path)
    mheader, mrows = read_table(mpath)
    if "col_name" not in mheader or "col_type" not in mheader:
        raise LoadError(
            f"{mpath.name}, line 1: not an Explore Education Statistics metadata "
            "file (no col_name / col_type columns)"
        )
    cols = {normalise(h) for h in header}
    i, t = mheader.index("col_name"), mheader.index("col_type")
    label = mheader.index("label") if "label" in mheader else None
    rows = list(mrows)
    missing = [(r.line, r[i]) for r in rows if normalise(r[i]) not in cols]
    if missing:
        line, name = missing[0]
        raise LoadError(
            f"{mpath.name}, line {line}, column col_name: {name!r} is not a column "
            f"of {path.name}; is this the metadata of another file?"
        )
    return [(normalise(r[i]), r[t].strip(), r[label] if label is not None else "") for r in rows]


def read_school_file(path: Path, la: str, latest: int | None = None) -> SchoolRows:
    """Every school row of the authority, validated; facts keyed by URN or LAESTAB. Years
    after `latest` (a year code such as 202728) are refused as typing errors."""
    header, rows = read_table(path)
    meta = check_meta(path, header)
    if why := population_problem(path, meta):
        raise LoadError(why)
    names = [normalise(h) for h in header]
    idx = {n: i for i, n in enumerate(names)}
    found = indicators(set(names))
    key = "urn" if "urn" in idx else "laestab"
    split = next((c for c in BREAKDOWN_COLUMNS if c in idx), None)
    # filters on pupils (sex, year group, FSM…): only their totals are whole-school figures
    pupil_filters = [
        c for c, kind, _ in meta
        if kind.lower() == "filter" and c in idx and c not in SCHOOL_FILTERS
        and c not in BREAKDOWN_COLUMNS
    ]  # fmt: skip
    # A column the .meta.csv does not describe, that is not one of the standard ones and holds
    # words rather than numbers, is a filter whatever the metadata says (a `sex` column left
    # out of it must not make a girls-only row the whole school's figure): only its totals load.
    declared = {c for c, _, _ in meta} | {c for pair in found.values() for c in pair}
    undeclared = [
        c for c in idx
        if c not in declared and c not in STANDARD_COLUMNS and c not in SCHOOL_FILTERS
        and c not in BREAKDOWN_COLUMNS
    ]  # fmt: skip
    worded: set[str] = set()
    seen_values: dict[str, set[str]] = {c: set() for c in [*pupil_filters, *undeclared]}
    terms: set[str] = set()
    problems = Problems(path.name)
    facts, seen, school_rows, skipped, estimated = [], set(), 0, 0, 0
    for values in rows:
        line = values.line
        get = lambda col, values=values: values[idx[col]].strip()  # noqa: E731
        if get("geographic_level") != "School":
            continue
        if la != "all" and "old_la_code" in idx and get("old_la_code") != la:
            continue
        if "time_identifier" in idx and get("time_identifier") not in WHOLE_YEAR:
            terms.add(get("time_identifier"))
            skipped += 1  # termly figures (autumn, spring…) would double-count the year
            continue
        partial = False
        for c in pupil_filters:
            seen_values[c].add(get(c))
            partial |= get(c).strip().lower() not in TOTALS
        for c in undeclared:
            v = get(c)
            if v and not _NUMBER_LIKE.fullmatch(v) and v not in SOURCE_SYMBOLS:
                worded.add(c)
                seen_values[c].add(v)
                partial |= v.lower() not in TOTALS
        if partial:
            skipped += 1  # one sex, one year group…: not the whole school
            continue
        breakdown = "all"
        if split:
            chosen = breakdown_of(get(split))
            if chosen is None:
                skipped += 1  # other characteristics (sex, year group…) are not used
                continue
            breakdown = chosen
        ident, period = get(key), get("time_period")
        try:
            number = identifier(ident)
        except BadValue as exc:
            problems.add(line, header[idx[key]], ident, str(exc))
            continue
        if not is_academic_year(period):
            problems.add(line, "time_period", period, "is not an academic year like 201617")
            continue
        if latest is not None and int(period) > latest:
            problems.add(line, "time_period", period, "is in the future; check the year")
            continue
        if (ident, period, breakdown) in seen:
            problems.add(line, header[idx[key]], ident, f"appears twice for {period} ({breakdown})")
            continue
        seen.add((ident, period, breakdown))
        school_rows += 1
        for input_, (num_col, den_col) in found.items():
            parsed = {}
            # pupils and sessions are whole; old releases publish some event counts as
            # grossed-up estimates (fractions), which are kept as published and noted
            for col, read in ((num_col, estimate), (den_col, count)):
                try:
                    parsed[col] = read(get(col))
                except BadValue as exc:
                    problems.add(line, header[idx[col]], get(col), str(exc))
            if len(parsed) < 2:
                continue
            (num, num_r), (den, den_r) = parsed[num_col], parsed[den_col]
            if num is not None and not num.is_integer():
                if input_ not in COUNTS_EVENTS:
                    why = "is not a whole number (a count of pupils or sessions)"
                    problems.add(line, header[idx[num_col]], get(num_col), why)
                    continue
                estimated += 1
            if den == 0:
                den, den_r = None, den_r or "x"  # no pupils recorded: no rate can be formed
            if num is not None and den is not None and num > den and input_ not in COUNTS_EVENTS:
                problems.add(
                    line,
                    header[idx[num_col]],
                    get(num_col),
                    f"is more than {header[idx[den_col]]} ({den:g})",
                )
                continue
            reason = num_r or den_r
            facts.append(
                {
                    key: number,
                    "year_code": int(period),
                    "input": input_,
                    "breakdown": breakdown,
                    "numerator": None if reason else num,
                    "denominator": None if reason else den,
                    "missing_reason": reason,
                }
            )
    problems.raise_if_any()
    if not school_rows:
        for c, held in seen_values.items():
            if held and not {v.strip().lower() for v in held} & TOTALS:
                shown = ", ".join(sorted(held)[:4])
                raise LoadError(
                    f"{path.name}: its school rows are for {c} = {shown} only, with no total; "
                    f"the dashboard's measures need {NEEDED}, so it was not loaded"
                )
        if terms:
            raise LoadError(
                f"{path.name}: its school rows are for {', '.join(sorted(terms))} only; the "
                f"dashboard's measures need {NEEDED}, so it was not loaded"
            )
        raise LoadError(f"{path.name}: no school rows for LA {la}")
    return SchoolRows(
        key, pd.DataFrame(facts), school_rows, skipped, estimated, undeclared=sorted(worded)
    )


def bridge(facts: pd.DataFrame, settings: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """URNs for facts keyed by LAESTAB, chosen for each year in one set-based query
    (queries/build/stage_bridge_laestab.sql): the setting open on that year's January census day,
    else the one open for most of the year. Returns (facts with urn, LAESTABs no loaded
    setting carries)."""
    import duckdb

    keys = facts[["laestab", "year_code"]].drop_duplicates().astype("int64")
    cand = settings.dropna(subset=["laestab"]).astype({"laestab": "int64", "urn": "int64"})
    cand = cand.assign(
        open_date=pd.to_datetime(cand["open_date"]).dt.date,
        close_date=pd.to_datetime(cand["close_date"]).dt.date,
    )[["urn", "laestab", "open_date", "close_date"]]
    con = duckdb.connect()
    try:
        con.register("staged_keys", keys)
        con.register("staged_settings", cand)
        chosen = con.execute(sql.load("stage_bridge_laestab")).df()
    finally:
        con.close()
    unmatched = sorted(set(keys["laestab"]) - set(chosen["laestab"]))
    chosen = chosen.dropna(subset=["urn"]).astype({"urn": "int64"})
    out = facts.astype({"laestab": "int64", "year_code": "int64"}).merge(
        chosen, on=["laestab", "year_code"], how="inner"
    )
    return out.drop(columns=["laestab"]), [int(u) for u in unmatched]
