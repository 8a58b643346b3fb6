"""Command line for loading data into a dashboard database.

    python -m dashboard.ingest boundaries FILE [--db PATH]
    python -m dashboard.ingest ehcp FILE... [--la 886|all] [--db PATH]

Loading DfE, Ofsted and GIAS files is not built yet; see the README."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.config import database_path
from dashboard.ingest.boundaries import BoundaryError, load_boundaries
from dashboard.ingest.ees import IngestError
from dashboard.ingest.ehcp import load_ehcp_files


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
    args = ap.parse_args(argv)
    db_path = args.db or database_path()
    try:
        if args.command == "boundaries":
            n = load_boundaries(db_path, args.file)
            print(f"loaded boundaries for {n} districts into {db_path}")
        else:
            for name, rows in load_ehcp_files(db_path, args.files, args.la).items():
                print(f"loaded {rows:,} values from {name}")
    except (BoundaryError, IngestError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("the database was not changed", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
