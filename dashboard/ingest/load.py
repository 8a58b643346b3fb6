"""`ingest FILE...`: recognise each file by its header, read and check every one of them, then
write them all in one atomic update of a copy of the database (all or nothing).

Files are taken in dependency order, whatever order they are named in: school lists first
(GIAS, then the spine), then the census (pupils on roll), then files that need those (absence
percentages, LAESTAB-keyed EES files, inspections, awards)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from dashboard.core import clock
from dashboard.core.config import DATA_DIR
from dashboard.core.filters import year_label
from dashboard.core.home import KENT
from dashboard.ingest import ees_schools, ofsted, perftables
from dashboard.ingest.awards import COLUMNS as AWARD_COLUMNS
from dashboard.ingest.awards import read_awards
from dashboard.ingest.boundaries import stage_boundaries
from dashboard.ingest.ees import DATASETS as EHCP_COLUMNS
from dashboard.ingest.ees import OLD_CASELOAD
from dashboard.ingest.ehcp import stage_ehcp
from dashboard.ingest.files import LoadError, Problems, read_table
from dashboard.ingest.links import LINKS_REQUIRED, read_links
from dashboard.ingest.population import NOMIS_REQUIRED, read_population
from dashboard.ingest.schools import GIAS_REQUIRED, districts_named, read_gias
from dashboard.ingest.writer import (
    Build,
    academic_years,
    build_database,
    exclusive,
    require_current,
    update_database,
)
from dashboard.store import db, sql

GIAS = "GIAS establishment extract"
SPINE = "performance-tables spine"
CENSUS = "performance-tables census"
ABSENCE = "performance-tables absence"
EES = "Explore Education Statistics school-level file"
MI = "Ofsted inspections management information"
HISTORY = "inspection rating history"
AWARDS = "quality-mark awards template"
EHCP = "EHC plans release (authority level)"
BOUNDARIES = "district boundaries"
LINKS = "GIAS links file"
POPULATION = "ONS mid-year population estimates (Nomis)"

SPINE_HEADER = {
    "URN",
    "LA",
    "ESTAB",
    "LAESTAB",
    "SCHNAME",
    "MINORGROUP",
    "NFTYPE",
    "ISPRIMARY",
    "ISSECONDARY",
    "OPENDATE",
    "CLOSEDATE",
    "ADMPOL",
}
CENSUS_HEADER = {"URN", "LA", "ESTAB", "SCHOOLTYPE", "NOR", "TSENELSE", "TSENELK"}
ABSENCE_HEADER = {"URN", "LA", "ESTAB", "PERCTOT"}
EES_HEADER = {"time_period", "time_identifier", "geographic_level", "laestab"}
EHCP_HEADER = {"time_period", "time_identifier", "geographic_level", "breakdown_topic", "breakdown"}
BOUNDARY_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp"}
REAL_YEARS = [int(f"{y}{(y + 1) % 100:02d}") for y in range(2006, 2026)]


def detect_kind(path: Path) -> str:
    """Which kind a file is, from its header (each kind's identifying columns are in KINDS);
    a clear error naming the columns missing and unexpected for the kinds it most resembles
    when it is none of them."""
    path = Path(path)
    if path.suffix.lower() in BOUNDARY_SUFFIXES:
        return BOUNDARIES
    header, _ = read_table(path)
    cols = set(header)
    lower = {ees_schools.normalise(h) for h in header}
    if ees_schools.looks_like(header):
        return EES
    if lower >= ees_schools.REQUIRED and {"laestab", "urn"} & lower:
        wanted = sorted({c for nums, _ in ees_schools.INDICATORS.values() for c in nums})
        raise LoadError(
            f"{path.name}, line 1: a school-level Explore Education Statistics file, but none "
            "of its columns is a count the dashboard reads with its denominator (it reads "
            f"{', '.join(wanted)}, each beside its pupils, enrolments or sessions column). "
            "Pupils on roll come with the SEN file (Total pupils), so a file of headcounts "
            "alone is not needed"
        )
    if (lower >= EHCP_HEADER and set(EHCP_COLUMNS) & lower) or lower >= OLD_CASELOAD:
        return EHCP  # the newer tidy layout, or the caseload by age of releases to 2022
    by_header = [k for k in KINDS.values() if k.header]
    for kind in by_header:
        if not kind.by_rule and kind.header <= cols:
            return kind.name

    folded = {h.casefold(): h for h in header}
    for kind in by_header:
        if not kind.by_rule and {h.casefold() for h in kind.header} <= set(folded):
            changed = sorted(h for h in kind.header if h not in cols)
            raise LoadError(
                f"{path.name}, line 1: the columns of a {kind.name}, but written in another case "
                f"({folded[changed[0].casefold()]!r} where the publisher writes {changed[0]!r}"
                f"{f', and {len(changed) - 1} more' if len(changed) > 1 else ''}); download it "
                "again, or restore the header as published"
            )

    def seen(kind: Kind) -> set[str]:
        return lower if kind.by_rule else cols

    best = sorted(by_header, key=lambda k: len(k.header & seen(k)), reverse=True)[:2]
    have = seen(best[0])
    missing = sorted(best[0].header - have)
    unexpected = sorted(have - best[0].header)
    raise LoadError(
        f"{path.name}, line 1: unknown header. Closest kind: {best[0].name} (then "
        f"{best[1].name}); missing columns {', '.join(missing)}; unexpected columns "
        f"{', '.join(unexpected[:10]) or 'none'}{' …' if len(unexpected) > 10 else ''}"
    )


@dataclass
class Staged:
    file: Path
    kind: str
    summary: str
    change: Callable[[Build], None]
    notes: list[str] = field(default_factory=list)
    facts: pd.DataFrame | None = None  # setting-level values, checked against other files


@dataclass
class Known:
    """What the database plus the files read so far in this batch say about settings."""

    settings: pd.DataFrame  # urn, laestab, open_date, close_date
    roll: dict[tuple[int, int], float]  # (urn, year) → pupils on roll (census)

    @property
    def urns(self) -> set[int]:
        return set(self.settings["urn"].astype(int))

    def add(self, frame: pd.DataFrame, authoritative: bool = False) -> None:
        """Settings read from a file: new ones are added; for known ones an authoritative
        list (GIAS) replaces what is known, any other only fills gaps."""
        cols = ["laestab", "open_date", "close_date"]
        new = frame.set_index("urn")[cols]
        old = self.settings.set_index("urn")[cols]
        merged = new.combine_first(old) if authoritative else old.combine_first(new)
        self.settings = merged.reset_index()


def _state(path: Path) -> tuple[dict[str, str], Known]:
    con = db.connect(path)
    try:
        meta = db.run(con, "metadata")
        settings = db.run(con, "setting_keys")
        roll = db.run(con, "pupils_on_roll")
    finally:
        con.close()
    return (
        dict(zip(meta["key"], meta["value"], strict=True)),
        Known(settings, {(int(u), int(y)): float(n) for u, y, n in roll.itertuples(index=False)}),
    )


def latest_year_code() -> int:
    """The newest academic year a file may hold: the one after the current academic year (a
    file published in advance, such as next year's GIAS openings). Anything later is a typo."""
    start = clock.academic_year_start(clock.today()) + 1
    return start * 100 + (start + 1) % 100


def _year(year: str | None, file: Path) -> int:
    from dashboard.core.filters import parse_year

    code = parse_year(year) if year else None
    if year and (code is None or not ees_schools.is_academic_year(str(code))):
        raise LoadError(f"{file.name}: --year {year!r} is not an academic year like 2018/19")
    if code is None:
        raise LoadError(
            f"{file.name}: this file does not state its academic year; give it "
            "with --year, e.g. --year 2018/19 (it is never guessed)"
        )
    if code > latest_year_code():
        raise LoadError(
            f"{file.name}: --year {year} is in the future (the latest possible is "
            f"{year_label(latest_year_code())}); check the year"
        )
    return code


def _write(b: Build, statement: str, **staged: pd.DataFrame) -> None:
    """Run a loader statement over staged frames registered under their keyword names."""
    for name, frame in staged.items():
        b.con.register(name, frame)
    try:
        b.con.execute(sql.load(statement))
    finally:
        for name in staged:
            b.con.unregister(name)


def _facts_change(
    kind: str,
    file: Path,
    vintage: str,
    facts: pd.DataFrame,
    settings: pd.DataFrame | None = None,
    settings_sql: str | None = None,
    notes: str | None = None,
) -> Callable[[Build], None]:
    def change(b: Build) -> None:
        rows = (0 if settings is None else len(settings)) + len(facts)
        sid = b.add_source(
            kind,
            "Department for Education",
            vintage,
            rows,
            file=file,
            is_fictional=False,
            notes=notes,
        )
        if settings is not None and not settings.empty:
            assert settings_sql, "settings rows need the statement that writes them"
            _write(b, settings_sql, staged_settings=settings.assign(source_id=sid))
        if not facts.empty:  # years beyond the table's range are added, with their labels
            years = academic_years(sorted(int(y) for y in facts["year_code"].unique()))
            _write(b, "write_add_years", staged_years=years)
            _write(b, "write_upsert_facts", staged_facts=facts.assign(source_id=sid))

    return change


@dataclass
class Batch:
    """What every file of one load is read against."""

    known: Known
    la: str
    districts: dict[str, str]  # every district known to this load → the LA it belongs to
    db_path: Path
    year: str | None = None  # academic year of the file being read, if it does not state it
    newest_years: int | None = None  # keep only each file's newest N years (refresh --years)


def gias_vintage(file: Path) -> str:
    """GIAS names its daily extract by date (edubasealldata20261101.csv): that is its vintage."""
    found = re.search(r"(20\d{2})(\d{2})(\d{2})", file.name)
    if found:
        try:
            return f"extract of {date(*map(int, found.groups())):%d %B %Y}"
        except ValueError:
            pass
    return "extract (date not in the file name)"


def _gias(file: Path, batch: Batch) -> Staged:
    # Kent's districts ship in data/reference, so a Kent school outside them is an error;
    # every other authority's districts are taken from the extract itself
    settings = read_gias(file, batch.la, set(batch.districts), KENT.code)
    new = len(set(settings["urn"]) - batch.known.urns)
    batch.known.add(settings, authoritative=True)
    new_districts = districts_named(settings, set(batch.districts))
    batch.districts |= dict(zip(new_districts["district_code"], new_districts["la_code"],
                                strict=True))  # fmt: skip
    settings = settings.drop(columns=["district_name"])
    change = _facts_change(
        GIAS, file, gias_vintage(file), pd.DataFrame(), settings, "write_upsert_settings"
    )

    def with_districts(b: Build) -> None:
        if not new_districts.empty:  # before the settings that refer to them
            _write(b, "write_insert_districts", staged_districts=new_districts)
        change(b)

    notes = (
        [
            f"{len(new_districts)} district(s) not in data/reference (Kent's) added, named as GIAS "
            "names them"
        ]
        if not new_districts.empty
        else []
    )
    summary = f"{len(settings):,} settings ({new:,} new)"
    return Staged(file, GIAS, summary, with_districts, notes)


def _spine(file: Path, batch: Batch) -> Staged:
    code = _year(batch.year, file)
    settings = perftables.read_spine(file, batch.la)
    batch.known.add(settings)
    change = _facts_change(
        SPINE, file, year_label(code), pd.DataFrame(), settings, "write_upsert_settings_from_list"
    )
    return Staged(file, SPINE, f"{len(settings):,} settings (names, types, LAESTAB)", change)


def _census(file: Path, batch: Batch) -> Staged:
    code = _year(batch.year, file)
    settings, facts = perftables.read_census(file, code, batch.la)
    new = len(set(settings["urn"]) - batch.known.urns)
    batch.known.add(settings)
    for r in facts[(facts["input"] == "ehcp") & facts["denominator"].notna()].itertuples():
        batch.known.roll[(r.urn, code)] = r.denominator
    change = _facts_change(
        CENSUS,
        file,
        f"January {code // 100 + 1} census",
        facts,
        settings,
        "write_insert_new_settings",
    )
    summary = f"{len(facts):,} values for {len(settings):,} schools ({new:,} new)"
    return Staged(file, CENSUS, summary, change, facts=facts)


def _absence(file: Path, batch: Batch) -> Staged:
    code = _year(batch.year, file)
    column, pct = perftables.read_absence(file, batch.la)
    if column == "PPERSABS15" and code >= 201516:
        raise LoadError(
            f"{file.name}: PPERSABS15 is the 15% persistent-absence threshold, "
            f"used before 2015/16, but --year {batch.year} is later; check the year"
        )
    roll = {u: n for (u, y), n in batch.known.roll.items() if y == code}
    if not roll:
        raise LoadError(
            f"{file.name}: this file gives percentages only; load the school census "
            "(england_census) for the same year first, or in the same command, so "
            "counts can be reconstructed from pupils on roll"
        )
    urns = batch.known.urns
    facts = perftables.absence_facts([r for r in pct if r["urn"] in urns], code, roll)
    note = (
        "Counts reconstructed from published percentages × January pupils on roll (census "
        f"of the same year) and {perftables.SESSIONS_PER_YEAR} possible sessions a year; "
        f"persistent absence threshold {column[-2:]}%."
    )
    notes = [note]
    if unknown := sum(r["urn"] not in urns for r in pct):
        notes.append(f"{unknown} schools not in any loaded school list were left out")
    change = _facts_change(ABSENCE, file, year_label(code), facts, notes=note)
    return Staged(file, ABSENCE, f"{len(facts):,} values", change, notes, facts=facts)


def _ees(file: Path, batch: Batch) -> Staged:
    got = ees_schools.read_school_file(file, batch.la, latest_year_code())
    facts, notes = newest(got.facts, "year_code", batch.newest_years), []
    if len(facts) < len(got.facts):
        notes.append(f"only the newest {batch.newest_years} academic year(s) kept (--years)")
    if got.key == "laestab":
        facts, unmatched = ees_schools.bridge(facts, batch.known.settings)
        if unmatched:
            notes.append(
                f"{len(unmatched)} LAESTAB(s) match no loaded setting and were left out "
                f"(e.g. {', '.join(map(str, unmatched[:5]))}); load a GIAS extract or "
                "spine that includes closed schools"
            )
    else:
        out = ~facts["urn"].isin(batch.known.urns)
        if out.any():
            notes.append(
                f"{facts.loc[out, 'urn'].nunique()} URN(s) are not loaded settings and "
                "were left out"
            )
        facts = facts[~out]
    if got.estimated:
        notes.append(
            f"{got.estimated} count(s) are published as fractions (the publisher's grossed-up "
            "estimates, e.g. 1.11818 exclusions) and were kept as published"
        )
    if got.undeclared:
        notes.append(
            f"column(s) {', '.join(got.undeclared)} are not described in the .meta.csv but hold "
            "categories, so they were read as filters: only their total rows were loaded"
        )
    if got.skipped_breakdowns:
        notes.append(
            f"{got.skipped_breakdowns} rows for breakdowns the dashboard does not use, "
            "or for single terms, were skipped"
        )
    years = sorted(facts["year_code"].unique()) if not facts.empty else []
    vintage = f"{year_label(years[0])}–{year_label(years[-1])}" if years else "no rows"
    change = _facts_change(
        EES,
        file,
        vintage,
        facts.drop(columns=["laestab"], errors="ignore"),
        notes="; ".join(notes) or None,
    )
    inputs = ", ".join(sorted(facts["input"].unique())) if not facts.empty else "nothing"
    return Staged(file, EES, f"{len(facts):,} values ({inputs})", change, notes, facts=facts)


def _inspections(file: Path, batch: Batch, kind: str) -> Staged:
    reader = ofsted.read_management_information if kind == MI else ofsted.read_rating_history
    (ins, jud), unknown = reader(file, batch.known.urns)
    notes = [f"{len(unknown)} URN(s) are not loaded settings and were left out"] if unknown else []
    publisher = "Ofsted" if kind == MI else "Third party, from Ofsted reports"
    last = ins["inspection_date"].max() if not ins.empty else None

    def change(b: Build) -> None:
        sid = b.add_source(
            kind,
            publisher,
            f"inspections to {last}" if last else "none",
            len(ins),
            file=file,
            is_fictional=False,
            notes="; ".join(notes) or None,
        )
        _write(
            b,
            "write_upsert_inspections",
            staged_inspections=ins.assign(source_id=sid),
            staged_judgements=jud,
        )

    summary = f"{len(ins):,} inspections, {len(jud):,} judgements"
    return Staged(file, kind, summary, change, notes)


def _awards(file: Path, batch: Batch) -> Staged:
    problems = Problems(file.name)
    awards = read_awards(file, batch.known.urns, problems)
    problems.raise_if_any()

    def change(b: Build) -> None:
        sid = b.add_source(
            AWARDS,
            "Local authority register",
            "as supplied",
            len(awards),
            file=file,
            is_fictional=False,
        )
        _write(b, "write_upsert_awards", staged_awards=awards.assign(source_id=sid))

    return Staged(file, AWARDS, f"{len(awards):,} awards", change)


def _links(file: Path, batch: Batch) -> Staged:
    """Predecessor links for the loaded settings (a national links file names every school in
    England: only links whose newer setting is loaded are kept)."""
    links, other = read_links(file)
    known = batch.known.urns
    keep = links[links["urn"].isin(known)]
    vintage = gias_vintage(file)

    def change(b: Build) -> None:
        sid = b.add_source(LINKS, "Department for Education (GIAS)", vintage, len(keep),
                           file=file, is_fictional=False)  # fmt: skip
        _write(b, "write_upsert_links", staged_links=keep.assign(source_id=sid))

    notes = (
        [f"{other:,} links of other kinds (not predecessor or successor) left out"] if other else []
    )
    if len(keep) < len(links):
        notes.append(f"{len(links) - len(keep):,} links for settings not loaded left out")
    return Staged(file, LINKS, f"{len(keep):,} predecessor links", change, notes)


def newest(frame: pd.DataFrame, column: str, n: int | None) -> pd.DataFrame:
    """The rows of the newest `n` distinct values of `column` (all rows when n is None)."""
    if not n or frame.empty:
        return frame
    keep = sorted(frame[column].unique())[-n:]
    return frame[frame[column].isin(keep)]


def _ehcp(file: Path, batch: Batch) -> Staged:
    # every authority, for like-for-like comparison
    rows, change = stage_ehcp(file, "all", newest_years=batch.newest_years)
    return Staged(file, EHCP, f"{len(rows):,} values", change)


def _population(file: Path, batch: Batch) -> Staged:
    """Population aged 0–25 by area and mid-year, for caseloads per 1,000; the newest
    `batch.newest_years` estimates only, when `refresh --years` asks for fewer."""
    rows, other = read_population(file)
    rows = newest(rows, "mid_year", batch.newest_years)
    years = sorted(rows["mid_year"].unique())
    vintage = f"mid-{years[0]}" + (f" to mid-{years[-1]}" if len(years) > 1 else "")
    notes = [f"{other:,} rows of other ages or age bands left out"] if other else []

    def change(b: Build) -> None:
        sid = b.add_source(POPULATION, "Office for National Statistics (via Nomis)", vintage,
                           len(rows), file=file, is_fictional=False,
                           notes="; ".join(notes) or None)  # fmt: skip
        _write(b, "write_upsert_population", staged_population=rows.assign(source_id=sid))

    areas = rows["area_code"].nunique()
    return Staged(file, POPULATION, f"{areas} areas, ages 0–25, {vintage}", change, notes)


def _boundaries(file: Path, batch: Batch) -> Staged:
    """Boundaries for the home authority's districts (every district when loading all of
    England): each must be in the file. Another authority's are not needed, so a file cut to
    the authority's own area loads; with no districts of its own in this load, the database's
    are used."""
    own = {c for c, la in batch.districts.items() if batch.la in ("all", str(la))}
    codes = own if own or not batch.db_path.exists() else None
    rows, change = stage_boundaries(batch.db_path, file, codes)
    return Staged(file, BOUNDARIES, f"{len(rows)} districts", change)


@dataclass(frozen=True)
class Kind:
    """One kind of file: the columns that identify it, its reader (reads and checks, writes
    nothing; returns the change to apply), and whether it holds setting-level rows (which a
    demo database refuses and a first load needs)."""

    name: str
    header: frozenset[str]
    read: Callable[[Path, Batch], Staged]
    setting_level: bool
    by_rule: bool = False  # matched on normalised names by its own rule (EES, EHC plans)


def _kind(name, header, read, setting_level, by_rule=False) -> tuple[str, Kind]:
    return name, Kind(name, frozenset(header), read, setting_level, by_rule)


# The registry, in load order: school lists, then the census (rolls), then files that need them.
KINDS: dict[str, Kind] = dict(
    [
        _kind(GIAS, GIAS_REQUIRED, _gias, True),
        _kind(SPINE, SPINE_HEADER, _spine, True),
        _kind(CENSUS, CENSUS_HEADER, _census, True),
        _kind(ABSENCE, ABSENCE_HEADER, _absence, True),
        _kind(EES, EES_HEADER, _ees, True, by_rule=True),
        _kind(LINKS, LINKS_REQUIRED, _links, True),
        _kind(MI, ofsted.MI_REQUIRED, lambda f, b: _inspections(f, b, MI), True),
        _kind(HISTORY, ofsted.HISTORY_REQUIRED, lambda f, b: _inspections(f, b, HISTORY), True),
        _kind(AWARDS, AWARD_COLUMNS, _awards, True),
        _kind(EHCP, EHCP_HEADER, _ehcp, False, by_rule=True),
        _kind(POPULATION, NOMIS_REQUIRED, _population, False),
        _kind(BOUNDARIES, (), _boundaries, False),
    ]
)
SETTING_LEVEL = {k.name for k in KINDS.values() if k.setting_level}


FACT_KEY = ["urn", "year_code", "input", "breakdown"]


def _refuse_conflicts(staged: list[Staged]) -> None:
    """Two files of one load that give the same setting, year and value different figures:
    which is right cannot be told, and the one named last would win without a word. The load
    is refused naming both files and the cell; the same figure in both is fine."""
    parts = [
        s.facts[[*FACT_KEY, "numerator", "denominator", "missing_reason"]].assign(file=i)
        for i, s in enumerate(staged)
        if s.facts is not None and not s.facts.empty
    ]
    if len(parts) < 2:
        return
    every = pd.concat(parts, ignore_index=True)
    shared = every[every.duplicated(FACT_KEY, keep=False)]
    if shared.empty:
        return
    values = shared.assign(
        shown=shared["numerator"].astype(str) + " of " + shared["denominator"].astype(str)
        + " " + shared["missing_reason"].fillna("").astype(str)
    )  # fmt: skip
    differing = values.groupby(FACT_KEY, sort=True).filter(
        lambda g: g["shown"].nunique() > 1 and g["file"].nunique() > 1
    )
    if differing.empty:
        return
    lines = []
    for key, g in list(differing.groupby(FACT_KEY, sort=True))[:5]:
        urn, year, name, breakdown = key
        a, b = g.iloc[0], g[g["file"] != g.iloc[0]["file"]].iloc[0]
        lines.append(
            f"{staged[a.file].file.name} and {staged[b.file].file.name} both give URN {urn}, "
            f"{year_label(int(year))}, {name} ({breakdown}): {_figure(a)} against {_figure(b)}"
        )
    count = differing.drop_duplicates(FACT_KEY).shape[0]
    raise LoadError(
        f"{count} value(s) differ between files of this load; which is right cannot be told, "
        "so nothing was loaded. Load one of each pair, or correct the other:\n  "
        + "\n  ".join(lines)
    )


def _figure(row) -> str:
    if pd.isna(row.numerator) or pd.isna(row.denominator):
        return f"withheld ({row.missing_reason})"
    return f"{row.numerator:g} of {row.denominator:g}"


def load_files(
    db_path: Path,
    files: list[Path],
    la: str = "886",
    year: str | None = None,
    progress: bool | None = None,
    file_years: dict[Path, str] | None = None,
    check_only: bool = False,
    newest_years: int | None = None,
    expected: dict[Path, tuple[str, frozenset[str]]] | None = None,
) -> list[Staged]:
    """Validate every file, then load them all in one atomic update; a problem in any file
    leaves the database exactly as it was (and a first load that fails leaves no database).
    `year` is the academic year of files that do not state it (`file_years` may give it per
    file); `check_only` stops after the checks; `expected` gives, per file, the download it
    came from and the kinds that download may deliver (a GIAS extract inside the SEN release
    must not overwrite school details). Returns what each file contributed."""
    file_years = {Path(f): y for f, y in (file_years or {}).items()}
    expected = {Path(f): e for f, e in (expected or {}).items()}
    db_path = Path(db_path)
    # an EES .meta.csv is read together with its data file, never on its own
    kinds = [
        (Path(f), detect_kind(Path(f)))
        for f in files
        if not Path(f).name.lower().endswith(".meta.csv")
    ]
    wrong = [
        f"{f.name} came with the `{expected[f][0]}` download, which delivers "
        f"{' or '.join(sorted(expected[f][1]))}, but it is a {kind}"
        for f, kind in kinds
        if f in expected and kind not in expected[f][1]
    ]
    if wrong:
        raise LoadError(
            "; ".join(wrong) + ". A release may have changed what it holds: check `members` "
            "for that download in the sources file; nothing was loaded"
        )
    if check_only:
        return _load(db_path, kinds, la, year, progress, file_years, check_only, newest_years)
    with exclusive(db_path):  # state read and write as one step: no load is lost to another
        return _load(db_path, kinds, la, year, progress, file_years, check_only, newest_years)


def _load(
    db_path: Path,
    kinds: list[tuple[Path, str]],
    la: str,
    year: str | None,
    progress: bool | None,
    file_years: dict[Path, str],
    check_only: bool,
    newest_years: int | None = None,
) -> list[Staged]:
    setting_level = any(k in SETTING_LEVEL for _, k in kinds)
    new_database = not db_path.exists()
    if new_database and not setting_level:
        raise LoadError(
            f"{db_path}: no database yet; load a school list (GIAS extract, spine or census) "
            "first, or build the demo with `make demo-db`"
        )
    meta: dict[str, str]
    if new_database:
        meta, known = (
            {},
            Known(pd.DataFrame(columns=["urn", "laestab", "open_date", "close_date"]), {}),
        )
    else:
        require_current(db_path)
        meta, known = _state(db_path)
    if setting_level and meta.get("is_demo") == "true":
        raise LoadError(
            f"{db_path} is the demo database of fictional settings; load real files "
            "into a database of their own, e.g. --db data/kent.duckdb"
        )
    shipped = pd.read_csv(DATA_DIR / "reference" / "districts.csv", dtype=str)
    districts = dict(zip(shipped["district_code"], shipped["la_code"], strict=True))
    batch = Batch(known, la, districts, db_path, newest_years=newest_years)
    kinds.sort(key=lambda fk: list(KINDS).index(fk[1]))  # the registry is in load order
    staged = []
    bar = tqdm(
        kinds,
        desc="checking files",
        unit="file",
        disable=None if progress is None else not progress,
    )
    for f, kind in bar:
        bar.set_postfix_str(f.name)
        batch.year = file_years.get(f, year)
        staged.append(KINDS[kind].read(f, batch))  # reads and checks; writes nothing
    _refuse_conflicts(staged)
    if check_only:
        return staged

    def change(b: Build) -> None:
        for s in tqdm(
            staged, desc="writing", unit="file", disable=None if progress is None else not progress
        ):
            s.change(b)

    if new_database:  # schema, reference tables and the files, in one build

        def fill(b: Build) -> None:
            b.load_reference_tables(REAL_YEARS)
            change(b)

        build_database(
            db_path,
            fill,
            is_demo="false",
            builder="python -m dashboard.ingest",
            la_code=KENT.code if la == "all" else la,  # the home authority (dashboard/core/home.py)
        )
    else:
        update_database(db_path, change)
    return staged
