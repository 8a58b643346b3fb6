"""Command line for loading data into a dashboard database (also installed as `kent-ingest`).

    python -m dashboard.ingest ingest FILE... [--db PATH] [--la 886|all] [--year 2018/19] [--check]
    python -m dashboard.ingest status [--db PATH]
    python -m dashboard.ingest match-pilot [--db PATH] [--out FILE] [--confirm FILE]
    python -m dashboard.ingest refresh [--db PATH] [--config data/sources.toml] [--only NAME]
        [--plan] [--from-dir DIR]
    python -m dashboard.ingest boundaries FILE [--db PATH]
    python -m dashboard.ingest ehcp FILE... [--la 886|all] [--db PATH]

`ingest` recognises each file from its header: GIAS extract, performance-tables spine, census
and absence downloads, Explore Education Statistics school-level files (with their .meta.csv),
Ofsted inspections management information (CSV or XLSX), inspection rating histories, the
quality-mark awards template, EHC plan release files and district boundaries. Every file is
checked before anything is written, and the whole load is one atomic update. Loaders write
data/kent.duckdb unless --db (or KENT_DASHBOARD_DB) names another database; the app reads that
file as soon as it exists."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from dashboard.core.config import DATA_DIR, REAL_DATABASE, database_path
from dashboard.ingest.boundaries import BoundaryError, load_boundaries
from dashboard.ingest.ees import IngestError
from dashboard.ingest.ehcp import load_ehcp_files
from dashboard.ingest.files import LoadError
from dashboard.ingest.load import load_files
from dashboard.ingest.pilot_match import load_confirmed, write_match_file
from dashboard.ingest.refresh import DEFAULT_CONFIG, plan, refresh
from dashboard.ingest.status import status_report


def _report(staged) -> None:
    for s in staged:
        print(f"loaded {s.file.name} ({s.kind}): {s.summary}")
        for note in s.notes:
            print(f"  note: {note}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m dashboard.ingest",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("ingest", help="load public files and templates (kind read from header)")
    g.add_argument("files", type=Path, nargs="+")
    g.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"a real-data database, created if new (default {REAL_DATABASE.name} in "
        "data/, or KENT_DASHBOARD_DB)",
    )
    g.add_argument("--la", default="886",
                   help="DfE LA code to keep (886, Kent, by default; 881 for Essex), or all; a new "
                   "database records it as the dashboard's home authority (all: Kent)")  # fmt: skip
    g.add_argument("--year", default=None, help="academic year for files that do not state it")
    g.add_argument(
        "--check", action="store_true", help="read and check the files, report, and write nothing"
    )
    s = sub.add_parser("status", help="what is loaded, from which files, and what is missing")
    s.add_argument("--db", type=Path, default=None)
    m = sub.add_parser("match-pilot", help="propose URNs for the pilot register, for review")
    m.add_argument("--db", type=Path, default=None)
    m.add_argument("--out", type=Path, default=DATA_DIR / "pilot_matches.csv")
    m.add_argument(
        "--confirm",
        type=Path,
        default=None,
        help="load the URNs marked confirmed in this reviewed match file",
    )
    r = sub.add_parser("refresh", help="download the official files, then ingest them")
    r.add_argument("--db", type=Path, default=None)
    r.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    r.add_argument("--downloads", type=Path, default=DATA_DIR / "downloads")
    r.add_argument("--only", action="append", help="download only this entry (repeatable)")
    r.add_argument("--la", default="886",
                   help="the home authority's DfE LA code (886, Kent, by default)")  # fmt: skip
    r.add_argument("--plan", action="store_true",
                   help="say what each kind would fetch (publication, release, addresses); "
                   "download nothing")  # fmt: skip
    r.add_argument(
        "--years",
        type=int,
        default=None,
        help="keep only the newest N years of each release (default: every year)",
    )
    r.add_argument("--from-dir", type=Path, default=None,
                   help="take the files from this folder (downloaded by hand) instead")  # fmt: skip
    b = sub.add_parser("boundaries", help="load district boundaries (GeoJSON, GeoPackage, shp)")
    b.add_argument("file", type=Path)
    b.add_argument("--db", type=Path, default=None)
    e = sub.add_parser("ehcp", help="load DfE EHC plan release files (EES tidy CSV)")
    e.add_argument("files", type=Path, nargs="+")
    e.add_argument("--la", default="all", help="DfE LA code to keep (e.g. 886), or all")
    e.add_argument("--db", type=Path, default=None)
    args = ap.parse_args(argv)
    # waits for another load and removed leftovers are told on stderr as notes
    logging.basicConfig(level=logging.INFO, format="note: %(message)s", stream=sys.stderr)
    # loaders write a real-data database; status, boundaries and ehcp work on whatever the
    # app reads (boundaries and EHC plan figures may go into the demo database too)
    writes_real = args.command in ("ingest", "refresh", "match-pilot")
    db_path = args.db or (
        Path(os.environ.get("KENT_DASHBOARD_DB", REAL_DATABASE)) if writes_real else database_path()
    )
    try:
        if args.command == "ingest" and args.check:
            for staged in load_files(db_path, args.files, args.la, args.year, check_only=True):
                print(f"checked {staged.file.name} ({staged.kind}): would load {staged.summary}")
                for note in staged.notes:
                    print(f"  note: {note}")
            print("no problems found; nothing was written")
        elif args.command == "ingest":
            _report(load_files(db_path, args.files, args.la, args.year))
        elif args.command == "refresh" and args.plan:
            for p in plan(args.config, args.only, la=args.la, years=args.years):
                print(p.describe())
            print("nothing was downloaded or loaded")
        elif args.command == "refresh":
            _report(refresh(db_path, args.config, args.downloads, args.la, args.only,
                            from_dir=args.from_dir, years=args.years))  # fmt: skip
        elif args.command == "match-pilot" and args.confirm:
            n = load_confirmed(db_path, args.confirm)
            print(f"attached confirmed URNs to {n} pilot register lines in {db_path}")
        elif args.command == "match-pilot":
            proposed = write_match_file(db_path, args.out)
            counts = proposed.drop_duplicates("register_row")["match"].value_counts()
            print(
                f"wrote {args.out}: {len(proposed)} candidate rows for "
                f"{proposed['register_row'].nunique()} register lines "
                f"({counts.get('exact', 0)} with an exact name match, "
                f"{counts.get('none', 0)} with no candidate)"
            )
            print(
                "Review it: put 'yes' in the confirmed column of the right candidate, then run "
                f"match-pilot --db {db_path} --confirm {args.out}"
            )
        elif args.command == "boundaries":
            n = load_boundaries(db_path, args.file)
            print(f"loaded boundaries for {n} districts into {db_path}")
        elif args.command == "ehcp":
            for name, rows in load_ehcp_files(db_path, args.files, args.la).items():
                print(f"loaded {rows:,} values from {name}")
        else:
            print(status_report(db_path))
    except (BoundaryError, IngestError, LoadError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("the database was not changed", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the database was not changed", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not the user's file: still no stack unless asked for
        if os.environ.get("KENT_DASHBOARD_DEBUG"):
            raise
        print(
            f"error: an unexpected problem ({type(exc).__name__}: {str(exc)[:300]}); the "
            "database was not changed (every write is all or nothing). Please report it, with "
            "the output of the same command run with KENT_DASHBOARD_DEBUG=1",
            file=sys.stderr,
        )
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
