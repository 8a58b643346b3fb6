"""Setting-level public files: the GIAS establishment extract and the performance-tables school
census download. Every file is read and validated completely before anything is written; a
load then happens in one atomic update of a copy of the database."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from dashboard import sql
from dashboard.config import DATA_DIR
from dashboard.disclosure import SOURCE_SYMBOLS
from dashboard.ingest.awards import read_awards
from dashboard.ingest.writer import Build, build_database, update_database

KENT_BOX = (50.85, 51.55, 0.0, 1.5)  # lat min, lat max, lon min, lon max
GIAS_REQUIRED = {
    "URN", "LA (code)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (name)", "OpenDate", "CloseDate",
    "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge", "AdmissionsPolicy (name)",
    "DistrictAdministrative (code)", "Easting", "Northing",
}  # fmt: skip
CENSUS_REQUIRED = {"URN", "LA", "ESTAB", "SCHOOLTYPE", "NOR", "TSENELSE", "TSENELK"}
AWARDS_REQUIRED = {"urn", "scheme", "level", "award_date", "expiry_date"}
KINDS = {
    "GIAS establishment extract": GIAS_REQUIRED,
    "performance-tables census": CENSUS_REQUIRED,
    "quality-mark awards template": AWARDS_REQUIRED,
}
MAX_REPORTED = 20
CENSUS_PHASES = {
    "State-funded nursery": "Nursery",
    "State-funded primary": "Primary",
    "State-funded secondary": "Secondary",
    "State-funded special school": "Special",
    "Non-maintained special school": "Special",
    "Pupil referral unit": "Alternative provision",
}


class LoadError(ValueError):
    """One or more problems in input files; the message lists each (file, line, column)."""


@dataclass
class Problems:
    file: str
    items: list[str] = field(default_factory=list)

    def add(self, line: int, column: str, value: str, why: str) -> None:
        self.items.append(f"{self.file}, line {line}, column {column}: {value!r} {why}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_REPORTED]
            more = len(self.items) - len(shown)
            raise LoadError(
                f"{len(self.items)} problem(s); nothing was loaded:\n  "
                + "\n  ".join(shown)
                + (f"\n  … and {more} more" if more else "")
            )


def _read(path: Path, encoding: str) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise LoadError(f"{path.name}, line 1: the file is empty")
    return [h.strip() for h in rows[0]], rows[1:]


def detect_kind(path: Path) -> str:
    """Which kind a file is, from its header; a clear error when it is none of them."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            header, _ = _read(path, encoding)
            break
        except UnicodeDecodeError:
            continue
    cols = set(header)
    for kind, required in KINDS.items():
        if required <= cols:
            return kind
    best = max(KINDS, key=lambda k: len(KINDS[k] & cols))
    missing = sorted(KINDS[best] - cols)
    raise LoadError(
        f"{path.name}, line 1: unknown header. Closest kind: {best}; missing columns "
        f"{', '.join(missing)}; unexpected columns {', '.join(sorted(cols - KINDS[best])[:10])}"
    )


def _date(text: str) -> date | None:
    t = text.strip()
    if not t:
        return None
    return datetime.strptime(t, "%d-%m-%Y").date()


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

    header, rows = _read(path, "cp1252")
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
        district = get("DistrictAdministrative (code)") or None
        if la != "all" and district not in districts:
            problems.add(line, "DistrictAdministrative (code)", district or "",
                         "is not a district of this authority")  # fmt: skip
            continue
        try:
            low = int(get("StatutoryLowAge")) if get("StatutoryLowAge") else None
            high = int(get("StatutoryHighAge")) if get("StatutoryHighAge") else None
            opened, closed = _date(get("OpenDate")), _date(get("CloseDate"))
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


def _count(text: str) -> tuple[float | None, str | None]:
    t = text.strip()
    if t in SOURCE_SYMBOLS or t == "":
        return None, t or "x"
    return float(t), None


def read_census(path: Path, year_code: int, la: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SEN support and EHC plan counts (with pupils on roll) from england_census.csv, which does
    not state its year: the caller must. Returns (placeholder settings, facts)."""
    header, rows = _read(path, "utf-8-sig")
    idx = {h: i for i, h in enumerate(header)}
    problems = Problems(path.name)
    settings, facts = [], []
    for line, values in enumerate(rows, start=2):
        get = lambda col, values=values: values[idx[col]].strip()  # noqa: E731
        if get("LA") == "NAT" or (la != "all" and get("LA") != la):
            continue
        urn = get("URN")
        if not urn.isdigit():
            problems.add(line, "URN", urn, "is not a number")
            continue
        parsed = {}
        for col in ("NOR", "TSENELSE", "TSENELK"):
            try:
                parsed[col] = _count(get(col))
            except ValueError:
                problems.add(line, col, get(col), "is neither a number nor a DfE symbol")
        if len(parsed) < 3:
            continue
        (nor, nor_r), (ehcp, ehcp_r), (sens, sens_r) = (parsed[c] for c in
                                                        ("NOR", "TSENELSE", "TSENELK"))  # fmt: skip
        for col, v in (("TSENELSE", ehcp), ("TSENELK", sens)):
            if v is not None and nor is not None and v > nor:
                problems.add(line, col, str(v), f"is more than pupils on roll ({nor:g})")
        school_type = get("SCHOOLTYPE")
        settings.append({
            "urn": int(urn), "laestab": int(get("LA") + get("ESTAB").zfill(4))
            if get("ESTAB").isdigit() else None,
            "name": f"URN {urn} (name not loaded: load a GIAS extract)",
            "establishment_type": school_type,
            "phase": CENSUS_PHASES.get(school_type,
                                       "Independent specialist or work-based training"),
            "admissions_policy": "Not applicable", "district_code": None, "la_code": get("LA"),
            "latitude": None, "longitude": None, "open_date": None, "close_date": None,
            "age_low": None, "age_high": None,
            "sector": "Independent" if "Independent" in school_type else "State-funded",
            "resourced_provision": False, "is_fictional": False,
        })  # fmt: skip
        for input_, (v, r) in (("ehcp", (ehcp, ehcp_r)), ("sen_support", (sens, sens_r))):
            reason = r or nor_r
            facts.append({"urn": int(urn), "year_code": year_code, "input": input_,
                          "breakdown": "all", "numerator": v if reason is None else None,
                          "denominator": nor if reason is None else None,
                          "missing_reason": reason})  # fmt: skip
    problems.raise_if_any()
    return pd.DataFrame(settings), pd.DataFrame(facts)


REAL_YEARS = [int(f"{y}{(y + 1) % 100:02d}") for y in range(2006, 2026)]


def create_database(path: Path) -> Path:
    """An empty real-data database: schema and reference tables, not demo."""

    def fill(b: Build) -> None:
        b.load_reference_tables(REAL_YEARS)

    return build_database(path, fill, is_demo="false", builder="python -m dashboard.ingest",
                          la_code="886")  # fmt: skip


def _known_urns(path: Path) -> set[int]:
    from dashboard import db

    con = db.connect(path)
    try:
        return set(db.run(con, "all_urns")["urn"])
    finally:
        con.close()


def _is_demo(path: Path) -> bool:
    from dashboard import db

    con = db.connect(path)
    try:
        meta = db.run(con, "metadata")
    finally:
        con.close()
    return dict(zip(meta["key"], meta["value"], strict=True)).get("is_demo") == "true"


def load_files(db_path: Path, files: list[Path], la: str = "886", year: str | None = None):
    """Validate every file, then load them all in one atomic update."""
    from dashboard.filters import parse_year

    db_path = Path(db_path)
    if not db_path.exists():
        create_database(db_path)
    elif _is_demo(db_path):
        raise LoadError(f"{db_path} is the demo database of fictional settings; load real files "
                        "into a database of their own, e.g. --db data/kent.duckdb")  # fmt: skip
    districts = set(pd.read_csv(DATA_DIR / "reference" / "districts.csv")["district_code"])
    parsed = []
    for f in map(Path, files):
        kind = detect_kind(f)
        if kind == "GIAS establishment extract":
            parsed.append((f, kind, read_gias(f, la, districts), None))
        elif kind == "quality-mark awards template":
            known = _known_urns(db_path) | {u for _, k, s, _ in parsed
                                            if k != "quality-mark awards template"
                                            for u in s["urn"]}  # fmt: skip
            problems = Problems(f.name)
            awards = read_awards(f, known, problems)
            problems.raise_if_any()
            parsed.append((f, kind, awards, None))
        else:
            code = parse_year(year) if year else None
            if code is None:
                raise LoadError(f"{f.name}: this file does not state its academic year; "
                                "give it with --year, e.g. --year 2018/19")  # fmt: skip
            settings, facts = read_census(f, code, la)
            parsed.append((f, kind, settings, facts))

    def change(b: Build) -> None:
        for f, kind, settings, facts in parsed:
            sid = b.add_source(kind, "Department for Education", year or "as extracted",
                               len(settings) + (0 if facts is None else len(facts)), file=f,
                               is_fictional=False)  # fmt: skip
            staged = settings.assign(source_id=sid)
            if kind == "quality-mark awards template":
                b.con.register("staged_awards", staged)
                b.con.execute(sql.load("write_upsert_awards"))
                b.con.unregister("staged_awards")
                continue
            b.con.register("staged_settings", staged)
            if facts is None:  # GIAS is authoritative for a setting's details
                b.con.execute(sql.load("write_upsert_settings"))
            else:  # the census only adds settings GIAS has not supplied
                b.con.execute(sql.load("write_insert_new_settings"))
                b.con.register("staged_facts", facts.assign(source_id=sid))
                b.con.execute(sql.load("write_upsert_facts"))
                b.con.unregister("staged_facts")
            b.con.unregister("staged_settings")

    update_database(db_path, change)
    return [(str(f), kind, len(s)) for f, kind, s, _ in parsed]
