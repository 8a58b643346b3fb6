"""Command line for loading data into a dashboard database.

    python -m dashboard.ingest boundaries FILE [--db PATH]

Loading DfE, Ofsted and GIAS files is not built yet; see the README."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.config import database_path
from dashboard.ingest.boundaries import BoundaryError, load_boundaries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dashboard.ingest", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("boundaries", help="load district boundaries (GeoJSON, GeoPackage, shp)")
    b.add_argument("file", type=Path)
    b.add_argument("--db", type=Path, default=None)
    args = ap.parse_args(argv)
    db_path = args.db or database_path()
    try:
        n = load_boundaries(db_path, args.file)
    except (BoundaryError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"loaded boundaries for {n} districts into {db_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
