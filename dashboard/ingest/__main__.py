"""Command line for loading data into a dashboard database.

    python -m dashboard.ingest boundaries FILE [--db PATH]
    python -m dashboard.ingest ehcp FILE... [--la 886|all] [--db PATH]
    python -m dashboard.ingest ingest FILE... --db PATH [--la 886|all] [--year 2018/19]
    python -m dashboard.ingest status [--db PATH]

Setting-level kinds so far: the GIAS establishment extract and the performance-tables school
census; the other kinds are not built yet (see the README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.config import database_path
from dashboard.ingest.boundaries import BoundaryError, load_boundaries
from dashboard.ingest.ees import IngestError
from dashboard.ingest.ehcp import load_ehcp_files
from dashboard.ingest.files import LoadError
from dashboard.ingest.load import load_files
from dashboard.ingest.status import status_report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dashboard.ingest", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("boundaries", help="load district boundaries (GeoJSON, GeoPackage, shp)")
    b.add_argument("file", type=Path)
    b.add_argument("--db", type=Path, default=None)
    e = sub.add_parser("ehcp", help="load DfE EHC plan release files (EES tidy CSV)")
    e.add_argument("files", type=Path, nargs="+")
    e.add_argument("--la", default="all", help="DfE LA code to keep (e.g. 886), or all")
    e.add_argument("--db", type=Path, default=None)
    g = sub.add_parser("ingest", help="load GIAS extracts and performance-tables census files")
    g.add_argument("files", type=Path, nargs="+")
    g.add_argument("--db", type=Path, required=True, help="a real-data database (created if new)")
    g.add_argument("--la", default="886")
    g.add_argument("--year", default=None, help="academic year for files that do not state it")
    s = sub.add_parser("status", help="what is loaded, from which files, and what is missing")
    s.add_argument("--db", type=Path, default=None)
    args = ap.parse_args(argv)
    db_path = args.db or database_path()
    try:
        if args.command == "boundaries":
            n = load_boundaries(db_path, args.file)
            print(f"loaded boundaries for {n} districts into {db_path}")
        elif args.command == "ehcp":
            for name, rows in load_ehcp_files(db_path, args.files, args.la).items():
                print(f"loaded {rows:,} values from {name}")
        elif args.command == "ingest":
            for staged in load_files(db_path, args.files, args.la, args.year):
                print(f"loaded {staged.file.name} ({staged.kind}): {staged.summary}")
                for note in staged.notes:
                    print(f"  note: {note}")
        else:
            print(status_report(db_path))
            return 0
    except (BoundaryError, IngestError, LoadError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("the database was not changed", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
