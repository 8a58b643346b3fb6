"""Read DfE Explore Education Statistics "tidy" files at authority level (EHC plans release)
into long rows, by column name (never position), validating as we go.

Releases differ: earlier ones put old_la_code before new_la_code, and percentage columns vary
in case (AP_PRU_total_pc, PC_plans_issued_20_weeks_ex); names are matched case-insensitively.

Releases up to 2022 have another layout for the caseload: `sen2_age_caseload.csv`, one row per
age band with statements (`Total_st`), EHC plans (`Total_ehc`) and both (`Total_all`), for
January 2010 onwards, labelled by calendar year. Its `Total` rows are read as the headline
caseload: `Total_all` is the number of plans and statements together (the series DfE carries
across the 2014–2018 transition), keyed by the academic year the January falls in, as the
newer releases key it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.ingest.files import BadValue, LoadError, estimate, read_table

ID_COLUMNS = {
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "new_la_code", "old_la_code", "la_name", "breakdown_topic",
    "breakdown",
}  # fmt: skip
REQUIRED = {"time_period", "time_identifier", "geographic_level", "breakdown_topic", "breakdown",
            "country_code"}  # fmt: skip
DATASETS = {  # a column only that file kind has → dataset name
    "ehcplans": "caseload",
    "total_all": "caseload",  # releases to 2022: statements and EHC plans by age
    "new_ehc_plans": "newplans",
    "requests_received_in_year": "requests",
    "plans_issued_den": "timeliness",
    "assess_in_year": "assessments",
}
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "authority"}
OLD_CASELOAD = {"characteristic_age", "total_all", "total_ehc", "total_st"}
OLD_INDICATORS = {"total_all": "ehcplans", "total_ehc": "ehc_plans", "total_st": "statements"}
HEADLINE = "All EHC plans"  # the newer releases' headline breakdown topic and breakdown


class IngestError(ValueError):
    """A problem in an input file, naming the file, line and column."""


def _number(text: str, file: Path, line: int, column: str) -> tuple[float | None, str | None]:
    try:
        return estimate(text)  # counts and percentages, or a DfE symbol
    except BadValue as exc:
        t = text.strip()
        shown = t if len(t) <= 60 else t[:57] + "…"
        raise IngestError(f"{file.name}, line {line}, column {column}: {shown!r} {exc}") from None


def read_ehcp_file(path: Path, la: str = "all") -> tuple[str, pd.DataFrame]:
    """(dataset, long rows) from one EHC plans release file. `la` keeps one authority (by
    DfE code) with national and regional rows, or all authorities."""
    path = Path(path)
    try:
        header, table = read_table(path)
    except LoadError as exc:
        raise IngestError(str(exc)) from None
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    old_layout = set(names) >= OLD_CASELOAD
    missing = (REQUIRED - {"breakdown_topic", "breakdown"} if old_layout else REQUIRED) - set(names)
    if missing:
        raise IngestError(f"{path.name}, line 1: missing column(s) {', '.join(sorted(missing))}"
                          " — is this an Explore Education Statistics file?")  # fmt: skip
    dataset = next((d for col, d in DATASETS.items() if col in names), None)
    if dataset is None:
        raise IngestError(f"{path.name}, line 1: not an EHC plans file this loader knows "
                          f"(expected one of the columns {', '.join(DATASETS)})")  # fmt: skip
    dupes = {n for n in names if names.count(n) > 1}
    indicators = [n for n in dict.fromkeys(names) if n not in ID_COLUMNS and n not in dupes]
    if old_layout:  # counts only; the percentages are of each age band's share
        indicators = [n for n in indicators if n in OLD_INDICATORS]
    rows = []
    for values in table:
        line = values.line
        rec = dict(zip(names, values, strict=True))
        level = LEVELS.get(rec["geographic_level"])
        if level is None:
            continue  # other geographies (e.g. parliamentary constituency) are not used
        if level == "authority" and la != "all" and rec.get("old_la_code") != la:
            continue
        if not (rec["time_period"].isascii() and rec["time_period"].isdigit()):
            raise IngestError(f"{path.name}, line {line}, column time_period: "
                              f"{rec['time_period']!r} is not a DfE time period")  # fmt: skip
        period, period_type = int(rec["time_period"]), rec["time_identifier"]
        topic, breakdown = rec.get("breakdown_topic"), rec.get("breakdown")
        if old_layout:
            if rec["characteristic_age"].strip() != "Total":
                continue  # age bands: the newer releases' age breakdown is not comparable
            if len(rec["time_period"]) != 4:
                raise IngestError(f"{path.name}, line {line}, column time_period: "
                                  f"{rec['time_period']!r} is not a calendar year")  # fmt: skip
            # January of calendar year Y falls in academic year (Y-1)/Y
            period = (period - 1) * 100 + period % 100
            period_type, topic, breakdown = "Academic year", HEADLINE, HEADLINE
        if level == "national":
            code, name = rec["country_code"], rec.get("country_name") or "England"
        elif level == "regional":
            code, name = rec.get("region_code", ""), rec.get("region_name", "")
        else:
            code, name = rec.get("new_la_code", ""), rec.get("la_name", "")
        if not code:
            raise IngestError(f"{path.name}, line {line}: no area code for a {level} row")
        for ind in indicators:
            col = names.index(ind)
            value, reason = _number(values[col], path, line, header[col].strip())
            rows.append({
                "dataset": dataset, "area_code": code, "area_name": name,
                "area_level": level, "region_code": rec.get("region_code") or None,
                "la_code": rec.get("old_la_code") or None,
                "period_code": period, "period_type": period_type,
                "breakdown_topic": topic, "breakdown": breakdown,
                "indicator": OLD_INDICATORS.get(ind, ind) if old_layout else ind,
                "value": value, "missing_reason": reason,
            })  # fmt: skip
    if not rows:
        raise IngestError(f"{path.name}: no national, regional or authority rows to load")
    return dataset, pd.DataFrame(rows)
