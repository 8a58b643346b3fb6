"""The Get Information About Schools (GIAS) establishment extract: the authoritative school list,
with districts and positions (British National Grid converted to WGS84 with pyproj)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.ingest.files import (
    BadValue,
    LoadError,
    Problems,
    decimal,
    identifier,
    laestab,
    parse_date,
    read_table,
    whole,
)

KENT_BOX = (50.85, 51.55, 0.0, 1.5)  # lat min, lat max, lon min, lon max
# Great Britain's National Grid extent, and a box around England (with its islands) for
# authorities whose own box is not recorded: a position outside is a typing or unit error.
GRID_MAX = (700_000, 1_300_000)
ENGLAND_BOX = (49.8, 55.9, -6.5, 1.8)
AUTHORITY_BOXES = {"886": KENT_BOX}


def authority_box(la: str) -> tuple[float, float, float, float]:
    """The box a setting of authority `la` must lie in (Kent's own; England's for others)."""
    return AUTHORITY_BOXES.get(la, ENGLAND_BOX)


GIAS_REQUIRED = {
    "URN", "LA (code)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)", "OpenDate", "CloseDate",
    "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge", "AdmissionsPolicy (name)",
    "DistrictAdministrative (code)", "Easting", "Northing",
}  # fmt: skip


_DISTRICT_CODE = re.compile(r"E0[6789]\d{6}")  # GSS codes: unitary, district, met., London


def is_extract(path: Path) -> bool:
    """Whether a file is a GIAS establishment extract (its header holds every column read);
    a file that is not a table at all (boundaries, an archive) is not one."""
    try:
        header, _ = read_table(path)
    except LoadError:
        return False
    return set(header) >= GIAS_REQUIRED


def districts_in_extract(path: Path, la: str) -> set[str]:
    """The ONS district codes the extract gives an authority's schools, open or closed (the
    areas its population is summed from). Blanks and codes that are not districts are left
    out: a school with no district is placed in none."""
    header, rows = read_table(path)
    idx = {h: i for i, h in enumerate(header)}
    la_col, district_col = idx["LA (code)"], idx["DistrictAdministrative (code)"]
    found = set()
    for values in rows:
        if values[la_col].strip() == la:
            code = values[district_col].strip()
            if _DISTRICT_CODE.fullmatch(code):
                found.add(code)
    return found


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


def _position(get, la: str, transform) -> tuple[float | None, float | None]:
    """(latitude, longitude) from Easting and Northing, or (None, None) when both are blank;
    BadValue for a number that is not a grid reference or a place outside the authority."""
    east, north = get("Easting"), get("Northing")
    if not east and not north:
        return None, None
    if not east or not north:
        raise BadValue("has only one of Easting and Northing")
    e, n = decimal(east), decimal(north)
    if e > GRID_MAX[0] or n > GRID_MAX[1]:
        raise BadValue("is outside the British National Grid")
    lon, lat = transform(e, n)
    lat_min, lat_max, lon_min, lon_max = authority_box(la)
    if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
        where = "Kent" if la == "886" else "England"
        raise BadValue(f"places the school at {lat:.3f}, {lon:.3f}, outside {where}")
    return lat, lon


def districts_named(settings: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    """Districts the settings name that are not in `known`: code, name (from GIAS's
    DistrictAdministrative (name), else the code) and the DfE LA code most of its settings have."""
    rows = settings[settings["district_code"].notna() & ~settings["district_code"].isin(known)]
    if rows.empty:
        return pd.DataFrame(columns=["district_code", "district_name", "la_code"])
    out = (
        rows.groupby("district_code")
        .agg(
            district_name=("district_name", lambda s: s.dropna().mode().iat[0] if s.notna().any()
                           else None),
            la_code=("la_code", lambda s: s.mode().iat[0]),
        )
        .reset_index()
    )  # fmt: skip
    out["district_name"] = out["district_name"].fillna(out["district_code"])
    return out


def read_gias(path: Path, la: str, districts: set[str], home_la: str = "886") -> pd.DataFrame:
    """Settings from a GIAS extract (Windows-1252 as published, or UTF-8 if re-saved: the
    encoding is sniffed), positions converted from British National Grid to WGS84 with pyproj
    and checked against the authority's bounding box."""
    from pyproj import Transformer

    header, rows = read_table(path)
    idx = {h: i for i, h in enumerate(header)}
    problems = Problems(path.name)
    to_wgs84 = Transformer.from_crs(27700, 4326, always_xy=True)
    out = []
    for values in rows:
        line = values.line
        get = lambda col, values=values: values[idx[col]].strip()  # noqa: E731
        if la != "all" and get("LA (code)") != la:
            continue
        try:
            urn = identifier(get("URN"))
        except BadValue as exc:
            problems.add(line, "URN", get("URN"), str(exc))
            continue
        district = get("DistrictAdministrative (code)") or None  # blank: district unknown
        # the home authority's districts are known; a school of it elsewhere is an error,
        # while other authorities' districts come from the extract itself
        if la == home_la and district is not None and district not in districts:
            problems.add(line, "DistrictAdministrative (code)", district or "",
                         "is not a district of this authority")  # fmt: skip
            continue
        ages = []
        for col in ("StatutoryLowAge", "StatutoryHighAge"):
            try:
                age = whole(get(col)) if get(col) else None
            except BadValue as exc:
                problems.add(line, col, get(col), str(exc))
                continue
            if age is not None and age > 25:
                problems.add(line, col, get(col), "is not an age of a pupil (0–25)")
                continue
            ages.append(age)
        dates = []
        for col in ("OpenDate", "CloseDate"):
            try:
                dates.append(parse_date(get(col)))
            except ValueError:
                problems.add(line, col, get(col), "is not a date like 01-09-2010")
        try:
            lat, lon = _position(get, get("LA (code)") if la == "all" else la,
                                 to_wgs84.transform)  # fmt: skip
        except BadValue as exc:
            problems.add(line, "Easting/Northing", f"{get('Easting')} {get('Northing')}", str(exc))
            continue
        if len(ages) < 2 or len(dates) < 2:
            continue
        (low, high), (opened, closed) = ages, dates
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
            "urn": urn,
            "laestab": laestab(get("LA (code)"), number),
            "name": get("EstablishmentName"), "establishment_type": kind, "phase": phase,
            "admissions_policy": admissions, "district_code": district,
            "district_name": (get("DistrictAdministrative (name)") or None)
            if "DistrictAdministrative (name)" in idx else None,
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
