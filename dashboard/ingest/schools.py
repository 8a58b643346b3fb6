"""The Get Information About Schools (GIAS) establishment extract: the authoritative school list,
with districts and positions (British National Grid converted to WGS84 with pyproj)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.ingest.files import LoadError, Problems, parse_date, read_table

KENT_BOX = (50.85, 51.55, 0.0, 1.5)  # lat min, lat max, lon min, lon max
GIAS_REQUIRED = {
    "URN", "LA (code)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)", "OpenDate", "CloseDate",
    "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge", "AdmissionsPolicy (name)",
    "DistrictAdministrative (code)", "Easting", "Northing",
}  # fmt: skip


def gias_phase(phase: str, kind: str, low: int | None, high: int | None) -> str:
    """Product phase from GIAS phase and type (reference section 2)."""
    k = kind.lower()
    if "pupil referral" in k or "alternative provision" in k:
        return "Alternative provision"
    if "special" in k:
        return "Special"
    if "16" in k or "further education" in k or "sixth form" in k or phase == "16 plus":
        return "Post-16"
    mapping = {"Nursery": "Nursery", "Primary": "Primary", "Middle deemed primary": "Primary",
               "Secondary": "Secondary", "Middle deemed secondary": "Secondary",
               "All-through": "All-through"}  # fmt: skip
    if phase in mapping:
        return mapping[phase]
    if low is not None and high is not None:  # independent schools with no phase
        if high <= 11:
            return "Primary"
        if low >= 11:
            return "Secondary"
        return "All-through"
    return "Independent specialist or work-based training"


def read_gias(path: Path, la: str, districts: set[str]) -> pd.DataFrame:
    """Settings from a GIAS extract (Windows-1252), positions converted from British National
    Grid to WGS84 with pyproj."""
    from pyproj import Transformer

    header, rows = read_table(path, "cp1252")
    idx = {h: i for i, h in enumerate(header)}
    problems = Problems(path.name)
    to_wgs84 = Transformer.from_crs(27700, 4326, always_xy=True)
    out = []
    for line, values in enumerate(rows, start=2):
        if len(values) != len(header):
            problems.add(line, "(row)", f"{len(values)} fields", f"expected {len(header)}")
            continue
        get = lambda col, values=values: values[idx[col]].strip()  # noqa: E731
        if la != "all" and get("LA (code)") != la:
            continue
        urn = get("URN")
        if not urn.isdigit():
            problems.add(line, "URN", urn, "is not a number")
            continue
        district = get("DistrictAdministrative (code)") or None  # blank: district unknown
        if la != "all" and district is not None and district not in districts:
            problems.add(line, "DistrictAdministrative (code)", district or "",
                         "is not a district of this authority")  # fmt: skip
            continue
        try:
            low = int(get("StatutoryLowAge")) if get("StatutoryLowAge") else None
            high = int(get("StatutoryHighAge")) if get("StatutoryHighAge") else None
            opened, closed = parse_date(get("OpenDate")), parse_date(get("CloseDate"))
        except ValueError as exc:
            problems.add(line, "OpenDate/CloseDate/ages", str(exc), "cannot be read")
            continue
        lat = lon = None
        if get("Easting") and get("Northing"):
            lon, lat = to_wgs84.transform(float(get("Easting")), float(get("Northing")))
        phase = gias_phase(get("PhaseOfEducation (name)"), get("TypeOfEstablishment (name)"),
                           low, high)  # fmt: skip
        group = get("EstablishmentTypeGroup (name)")
        kind = get("TypeOfEstablishment (name)")
        sector = ("Independent" if group == "Independent schools"
                  else "Further education" if group == "Colleges"
                  else "Non-maintained" if "non-maintained" in kind.lower()
                  else "State-funded")  # fmt: skip
        selective = get("AdmissionsPolicy (name)") == "Selective"
        admissions = ("Selective" if selective and phase in ("Secondary", "All-through")
                      else "Non-selective" if phase in ("Secondary", "All-through")
                      else "Not applicable")  # fmt: skip
        resourced = "ResourcedProvisionOnRoll" in idx and get("ResourcedProvisionOnRoll") not in (
            "", "0")  # fmt: skip
        number = get("EstablishmentNumber")
        out.append({
            "urn": int(urn),
            "laestab": int(get("LA (code)") + number.zfill(4)) if number.isdigit() else None,
            "name": get("EstablishmentName"), "establishment_type": kind, "phase": phase,
            "admissions_policy": admissions, "district_code": district,
            "la_code": get("LA (code)"), "latitude": lat, "longitude": lon,
            "open_date": opened, "close_date": closed, "age_low": low, "age_high": high,
            "sector": sector, "resourced_provision": resourced, "is_fictional": False,
        })  # fmt: skip
    problems.raise_if_any()
    frame = pd.DataFrame(out)
    if frame.empty:
        raise LoadError(f"{path.name}: no establishments for LA {la}")
    dupes = frame[frame["urn"].duplicated()]["urn"].tolist()
    if dupes:
        raise LoadError(f"{path.name}: duplicate URNs {dupes[:10]}")
    return frame
