"""The only code that writes databases: build into a temporary file, then swap it in atomically.

A failed build leaves the existing database exactly as it was, and readers holding the old file
open keep a consistent view until they reconnect.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import json
import logging
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.core.config import DATA_DIR, SCHEMA_VERSION, disclosure_rules
from dashboard.core.filters import MAINSTREAM, PHASE_OPTIONS, year_label
from dashboard.ingest.files import LoadError
from dashboard.statistics import suppression
from dashboard.store import db, sql

log = logging.getLogger("dashboard.ingest")
LOCK_WAIT = 600.0  # seconds a load waits for another load of the same database to finish
# (database, thread) pairs holding the lock: re-entrant for the thread that holds it, while
# another thread, like another process, waits for it
_held: set[tuple[Path, int]] = set()

REFERENCE_DIR = DATA_DIR / "reference"

PHASES = pd.DataFrame(
    [
        ("Nursery", 1, True, True),
        ("Primary", 2, True, True),
        ("Secondary", 3, True, True),
        ("All-through", 4, True, True),
        ("Special", 5, False, True),
        ("Alternative provision", 6, False, True),
        ("Post-16", 7, True, True),
        ("Independent specialist or work-based training", 8, False, False),
    ],
    columns=["phase", "sort_order", "is_mainstream", "in_school_census"],
)

MEASURE_INPUTS = pd.DataFrame(
    [
        ("sen_support", "Pupils on SEN support", "Pupils on roll", False),
        ("ehcp", "Pupils with an EHC plan", "Pupils on roll", False),
        ("overall_absence", "Sessions missed", "Possible sessions", False),
        ("persistent_absence", "Persistently absent enrolments", "Enrolments", False),
        ("suspensions", "Suspensions", "Pupils on roll", True),
        ("suspended_pupils", "Pupils with one or more suspensions", "Pupils on roll", False),
        ("perm_exclusions", "Permanent exclusions", "Pupils on roll", True),
        # intake (census): what an expected value is modelled on, not a measure of its own
        ("fsm", "Pupils eligible for free school meals", "Pupils on roll", False),
        (
            "eal",
            "Pupils with English as an additional language",
            "Pupils whose first language is recorded",
            False,
        ),
    ],
    columns=["input", "numerator_label", "denominator_label", "counts_events"],
)

YEAR_NOTES = {
    201516: "Persistent absence threshold lowered from 15% to 10% of sessions from this year.",
    201920: "COVID-19: schools closed to most pupils from March 2020; summer 2020 absence "
    "was not collected; suspensions and exclusions depressed.",
    202021: "COVID-19: restrictions and closures (January–March 2021); absence and "
    "exclusion figures not comparable with other years.",
    202122: "'Fixed-period exclusion' renamed 'suspension' (definition unchanged).",
}


# Authority × year blocks read and decided together: small enough to keep a national build's
# memory flat, large enough that each worker's share is worth sending.
PROTECT_CHUNK = 40


def protect_workers(chunks: int) -> int:
    """Processes that decide blocks side by side: one per core, at most one per chunk, set
    with KENT_DASHBOARD_PROTECT_WORKERS (1 decides in this process)."""
    wanted = os.environ.get("KENT_DASHBOARD_PROTECT_WORKERS", "")
    workers = int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    return max(1, min(workers, chunks))


def _held_blocks(stored: str | None, edition: str) -> dict[str, str]:
    """The block digests stored with the decisions, if made by this edition of the method
    with these rules (any other edition's decisions are all made again)."""
    try:
        held = json.loads(stored or "{}")
    except ValueError:
        return {}
    if not isinstance(held, dict) or held.get("edition") != edition:
        return {}
    blocks = held.get("blocks")
    return blocks if isinstance(blocks, dict) else {}


def phase_choices() -> pd.DataFrame:
    """Which phase and admissions policy each phase choice holds (table phase_choices)."""
    return pd.DataFrame(
        [(opt.key, phase, policy) for opt in (*PHASE_OPTIONS, MAINSTREAM)
         for phase in opt.phases for policy in opt.admissions],
        columns=["phase_key", "phase", "admissions_policy"],
    )  # fmt: skip


def academic_years(codes: list[int]) -> pd.DataFrame:
    rows = []
    for code in sorted(codes):
        start = int(str(code)[:4])
        rows.append(
            (code, year_label(code), pd.Timestamp(start + 1, 1, 18).date(), YEAR_NOTES.get(code))
        )
    return pd.DataFrame(rows, columns=["year_code", "label", "census_date", "note"])


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / name, dtype=str, keep_default_na=False)


_PROVENANCE: dict[str, str] = {}


@contextlib.contextmanager
def provenance(notes: dict[Path, str]) -> Iterator[None]:
    """While loading, record where each file came from (publication, release, address,
    retrieval time) in its `sources` row; `refresh` knows this, a plain `ingest` does not."""
    _PROVENANCE.update({str(Path(f).resolve()): n for f, n in notes.items()})
    try:
        yield
    finally:
        for f in notes:
            _PROVENANCE.pop(str(Path(f).resolve()), None)


class Build:
    """An open build: tables are appended by name, sources registered with their checksums."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._next_source = 1
        self.loaded_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)

    def append(self, table: str, df: pd.DataFrame) -> None:
        if len(df):
            self.con.append(table, df, by_name=True)

    def add_source(
        self,
        dataset: str,
        publisher: str,
        vintage: str,
        rows: int,
        *,
        file: Path | None = None,
        is_fictional: bool,
        notes: str | None = None,
    ) -> int:
        found = _PROVENANCE.get(str(Path(file).resolve())) if file else None
        if found:
            notes = f"{notes}; {found}" if notes else found
        checksum = sha256_of(file) if file else None
        if file and checksum:  # the same file loaded again keeps its one sources row
            again = self.con.execute(
                sql.load("source_of_file"),
                {"dataset": dataset, "sha256": checksum, "vintage": vintage},
            ).fetchall()
            if again:
                return int(again[0][0])
        source_id = self._next_source
        self._next_source += 1
        self.append(
            "sources",
            pd.DataFrame(
                [
                    {
                        "source_id": source_id,
                        "dataset": dataset,
                        "publisher": publisher,
                        "vintage": vintage,
                        "file_name": file.name if file else None,
                        "sha256": checksum,
                        "row_count": rows,
                        "loaded_at": self.loaded_at,
                        "is_fictional": is_fictional,
                        "notes": notes,
                    }
                ]
            ),
        )
        return source_id

    def set_metadata(self, **items: str) -> None:
        self.append("metadata", pd.DataFrame({"key": list(items), "value": list(items.values())}))

    def protect(self) -> bool:
        """Decide disclosure control for every authority × year whose facts a load changed,
        so every view reads one set of decisions (dashboard/statistics/suppression.py). Runs
        as the last step of every build and load, inside the same transaction. Blocks are
        independent (every published figure sums settings of one authority and one year), so a block
        whose facts are unchanged keeps its decisions: a boundaries, population, links,
        inspections or awards load decides nothing; a year's load decides that year. Returns
        whether anything was decided."""
        rules = disclosure_rules()
        facts_count, digest = self.con.execute(sql.load("disclosure_fingerprint")).fetchall()[0]
        edition = f"min_count={rules.min_count}:method={suppression.METHOD}"
        fingerprint = f"{facts_count}:{digest}:{edition}"
        held = self.con.execute(sql.load("metadata")).df()
        meta = dict(zip(held["key"], held["value"], strict=True))
        if meta.get("disclosure_inputs") == fingerprint:
            return False
        blocks = {f"{la}:{year}": f"{n}:{d}" for la, year, n, d in
                  self.con.execute(sql.load("disclosure_blocks")).fetchall()}  # fmt: skip
        previous = _held_blocks(meta.get("disclosure_blocks"), edition)
        redo = sorted(b for b, d in blocks.items() if previous.get(b) != d)
        gone = sorted(set(previous) - set(blocks))
        self.con.execute(sql.load("write_stage_blocks"), {"blocks": redo + gone})
        self.con.execute(sql.load("write_clear_suppression_blocks"))
        chunks = [redo[i : i + PROTECT_CHUNK] for i in range(0, len(redo), PROTECT_CHUNK)]
        for decisions in suppression.decide_each(map(self._block_facts, chunks), rules.min_count,
                                                 workers=protect_workers(len(chunks))):  # fmt: skip
            self.append("suppressed_cells", decisions.cells)
            self.append("suppressed_groups", decisions.groups)
        self.append("phase_choices", phase_choices())
        self.con.execute(sql.load("write_authority_inputs"))
        self.set_metadata(
            disclosure_min_count=str(rules.min_count),
            disclosure_inputs=fingerprint,
            disclosure_blocks=json.dumps({"edition": edition, "blocks": blocks}),
        )
        log.info("disclosure control decided %d of %d authority-years", len(redo), len(blocks))
        return True

    def _block_facts(self, blocks: list[str]) -> pd.DataFrame:
        """The facts of some authority × year blocks: read a few at a time, so a national
        database's five million facts are never in memory at once."""
        self.con.execute(sql.load("write_stage_blocks"), {"blocks": blocks})
        return self.con.execute(sql.load("disclosure_block_facts")).df()

    def load_reference_tables(
        self, year_codes: list[int], authorities: pd.DataFrame | None = None
    ) -> None:
        """Districts, phases, years, measure inputs, published figures, the pilot register,
        and the authorities with their regions (England's, or `authorities` for a demo world
        of fictional ones)."""
        districts = read_reference("districts.csv")[["district_code", "district_name", "la_code"]]
        self.append("districts", districts)
        self.append("phases", PHASES)
        self.append("academic_years", academic_years(year_codes))
        self.append("measure_inputs", MEASURE_INPUTS)
        self.load_authorities(authorities)

        bench_path = REFERENCE_DIR / "published_figures.csv"
        bench = pd.read_csv(bench_path, dtype={"area_code": str, "note": str})
        bench["note"] = bench["note"].where(bench["note"].notna(), None)
        self.add_source(
            "Published figures (England, South East, Kent)",
            "DfE and Ofsted, as cited per row",
            "per row",
            len(bench),
            file=bench_path,
            is_fictional=False,
            notes="Real published figures; each row names its source and vintage.",
        )
        self.append("published_figures", bench)

        pilot_path = REFERENCE_DIR / "pilot_awards_2015.csv"
        with pilot_path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        source_id = self.add_source(
            "Kent SEND Workforce Reform Pilot award register",
            "Kent County Council pilot evaluation",
            "2014–15",
            len(rows),
            file=pilot_path,
            is_fictional=False,
            notes="Published names and awards only; "
            "URNs are attached only after a confirmed match.",
        )
        self.append(
            "pilot_awards",
            pd.DataFrame(
                {
                    "register_row": range(1, len(rows) + 1),
                    "setting_name_as_published": [r["setting_name_as_published"] for r in rows],
                    "pilot_phase_group": [r["pilot_phase_group"] for r in rows],
                    "scheme": [r["scheme"] for r in rows],
                    "level": [r["level"] or None for r in rows],
                    "notes": [r["notes"] or None for r in rows],
                    "urn": pd.array([None] * len(rows), dtype="Int64"),
                    "source_id": source_id,
                }
            ),
        )
        self.load_authority_context()

    def load_authorities(self, fictional: pd.DataFrame | None) -> None:
        if fictional is not None:
            sid = self.add_source("Fictional demo authorities and their regions", "generated",
                                  "demo", len(fictional), is_fictional=True)  # fmt: skip
            self.append("authorities", fictional.assign(is_fictional=True, source_id=sid))
            return
        path = REFERENCE_DIR / "authorities.csv"
        table = read_reference("authorities.csv")
        sid = self.add_source(
            "English local authorities and their regions",
            "Department for Education (EHC plans release, June 2025)",
            "January 2025",
            len(table),
            file=path,
            is_fictional=False,
            notes="Derived from data/reference/ehcp/caseload_headline_all_areas.csv by "
            "data/extract_authorities.py; Open Government Licence v3.0.",
        )
        self.append("authorities", table.assign(is_fictional=False, source_id=sid))

    def load_authority_context(self) -> None:
        """DfE's published LAIT figures for Kent, its statistical neighbours, the South East and
        England, and every authority's statistical neighbours (data/reference/lait, written
        by data/extract_lait.py): small official aggregates, real in every build."""
        folder = REFERENCE_DIR / "lait"
        items_path, series_path = folder / "items.csv", folder / "series.csv"
        items = pd.read_csv(items_path, keep_default_na=False, na_values=[])
        series = pd.read_csv(series_path, dtype={"la_code": str, "missing_reason": str},
                             keep_default_na=False, na_values=[""])  # fmt: skip
        source_id = self.add_source(
            "Local Authority Interactive Tool (LAIT) data store: inclusion items",
            "Department for Education",
            "LAIT data store, April 2026",
            len(series),
            file=series_path,
            is_fictional=False,
            notes="Published authority, region and England figures; Open Government Licence "
            "v3.0. Percentages as LAIT publishes them, without numerators or denominators.",
        )
        self.append("authority_items", items.assign(source_id=source_id))
        self.append("authority_series", series.assign(source_id=source_id))
        neighbours_path = folder / "statistical_neighbours_may2025.csv"
        neighbours = pd.read_csv(neighbours_path, dtype={"la_code": str,
                                                         "neighbour_la_code": str})  # fmt: skip
        neighbours_id = self.add_source(
            "Children's services statistical neighbours",
            "Department for Education",
            "May 2025",
            len(neighbours),
            file=neighbours_path,
            is_fictional=False,
            notes="Ten nearest authorities by context, not performance; Open Government "
            "Licence v3.0.",
        )
        self.append(
            "statistical_neighbours",
            neighbours[["la_code", "la_name", "rank", "neighbour_la_code", "closeness"]].assign(
                vintage="May 2025", source_id=neighbours_id
            ),
        )


@contextlib.contextmanager
def exclusive(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold `<path>.lock` while one load reads and rewrites the database, so two loads of the
    same file run one after the other and each reports truthfully what it loaded. A second
    load says it is waiting, then waits up to `wait` seconds (LOCK_WAIT) before refusing.
    Re-entrant within a process; the operating system releases it if the process dies."""
    path = Path(path).resolve()
    me = (path, threading.get_ident())
    if me in _held:
        yield
        return
    wait = LOCK_WAIT if wait is None else wait
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    with lock.open("a+") as fh:
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "unknown"
                if time.monotonic() >= deadline:
                    raise LoadError(
                        f"{path.name}: another load of this database (process {holder}) is still "
                        f"running after {wait:g} s; try again when it has finished"
                    ) from None
                if not told:
                    log.warning(
                        "another load of %s (process %s) is running; waiting for it to finish",
                        path.name,
                        holder,
                    )
                    told = True
                time.sleep(0.1)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        _held.add(me)
        try:
            yield
        finally:
            _held.discard(me)
            fh.truncate(0)
            fcntl.flock(fh, fcntl.LOCK_UN)


def require_current(path: Path) -> None:
    """Refuse to write into a file the app would refuse to read (not DuckDB, no metadata, an
    older schema, missing tables): the message says what is wrong and nothing is written."""
    status = db.check(Path(path))
    if not status.ok:
        raise LoadError(f"{status.problem} Nothing was written. Rebuild it, or load into a new "
                        "database with --db.")  # fmt: skip


def _swap_in(path: Path, prepare: Callable[[Path], None], work: Callable[[Build], None]) -> Path:
    """Write into `<path>.tmp` (prepared by `prepare`), then replace `path` in one rename;
    on any failure remove the copy and leave `path` exactly as it was. Runs under the
    database's lock; a `.tmp` found then was left by a load that was killed, and is removed."""
    path = _target(Path(path))
    try:
        with exclusive(path):
            return _swap_in_locked(path, prepare, work)
    except OSError as exc:  # a read-only folder, a full disk: say so, leave the file as it was
        raise LoadError(
            f"{path}: the load could not be written beside it ({exc.strerror or exc}); the "
            "database was left as it was"
        ) from None


def _target(path: Path) -> Path:
    """The file a load replaces: a symbolic link's target (the link itself stays a link), and
    never a file its owner made read-only."""
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.stat().st_mode & 0o222:
        mode = stat.filemode(path.stat().st_mode)
        raise LoadError(
            f"{path}: the database is read-only (mode {mode}); make it writable or load into "
            "another file with --db; nothing was written"
        )
    return path


def _swap_in_locked(
    path: Path, prepare: Callable[[Path], None], work: Callable[[Build], None]
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        if stale.exists():
            size = stale.stat().st_size
            stale.unlink()
            log.warning(
                "removed %s (%.1f MB), left by an earlier load that was interrupted",
                stale.name,
                size / 1e6,
            )
    try:
        prepare(tmp)
        con = duckdb.connect(str(tmp))
        try:
            con.execute("begin transaction")
            build = Build(con)
            work(build)
            build.protect()
            con.execute("commit")
            con.execute("checkpoint")
        finally:
            con.close()
        _keep_identity(path, tmp)
        os.replace(tmp, path)
    except duckdb.Error as exc:  # a damaged copy: say so rather than show DuckDB's stack
        tmp.unlink(missing_ok=True)
        first = str(exc).strip().splitlines()[0][:200]
        raise LoadError(
            f"{path}: the load could not be written ({type(exc).__name__}: {first}); "
            "the database was left as it was"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _keep_identity(path: Path, tmp: Path) -> None:
    """The new file takes the old one's mode and, where allowed, its owner and group, so a
    load by an administrator does not lock the app's own account out of its database."""
    if not path.exists():
        return
    old = path.stat()
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    with contextlib.suppress(PermissionError):
        os.chown(tmp, old.st_uid, old.st_gid)


def build_database(path: Path, fill: Callable[[Build], None], **metadata: str) -> Path:
    """Create a complete database at `path` from scratch via `fill`, replacing any old file only
    once everything has been written and checked."""

    def work(build: Build) -> None:
        build.con.execute(sql.load("schema"))
        build.set_metadata(
            schema_version=SCHEMA_VERSION,
            built_at=build.loaded_at.isoformat(timespec="seconds") + "Z",
            **metadata,
        )
        fill(build)

    return _swap_in(path, lambda tmp: None, work)


def update_database(path: Path, change: Callable[[Build], None]) -> Path:
    """Apply `change` to a copy of an existing database and swap the copy in atomically, so a
    failure at any point leaves the original exactly as it was."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no database to update (build one first)")
    require_current(path)

    def work(build: Build) -> None:
        build._next_source = int(build.con.execute(sql.load("next_source_id")).fetchall()[0][0])
        change(build)

    def copy(tmp: Path) -> None:
        shutil.copyfile(path, tmp)

    return _swap_in(path, copy, work)
