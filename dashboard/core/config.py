"""Paths and settings, read from the environment so tests can point elsewhere."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUERIES_DIR = PROJECT_ROOT / "queries"
DATA_DIR = PROJECT_ROOT / "data"
CATALOGUE_PATH = Path(__file__).resolve().parent / "measures.toml"

# Bump when queries/build/schema.sql changes shape; the app refuses older databases.
SCHEMA_VERSION = "10"

DEMO_NOTICE = "Demo data — fictional settings and figures"


REAL_DATABASE = DATA_DIR / "kent.duckdb"  # where the README's loading steps put real data
DEMO_DATABASE = DATA_DIR / "demo.duckdb"


def database_path() -> Path:
    """The database the app reads: `KENT_DASHBOARD_DB` if set, else the real-data database
    once one has been loaded, else the embedded demo. Checked on every rerun, so a first
    load replaces the demo in a running app."""
    if "KENT_DASHBOARD_DB" in os.environ:
        return Path(os.environ["KENT_DASHBOARD_DB"])
    return REAL_DATABASE if REAL_DATABASE.exists() else DEMO_DATABASE


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds for disclosure control (reference section 5).

    DfE's convention is the default; an authority publishing its own unpublished counts
    can raise `min_count` (e.g. to 5) with `KENT_DASHBOARD_MIN_COUNT`.
    """

    min_count: int = 3  # counts of 1 .. min_count-1 become "c"; zero may be shown
    min_denominator: int = 10  # rates on fewer than this many pupils get the "u" flag


def disclosure_rules() -> DisclosureRules:
    return DisclosureRules(
        min_count=int(os.environ.get("KENT_DASHBOARD_MIN_COUNT", DisclosureRules.min_count)),
        min_denominator=int(
            os.environ.get("KENT_DASHBOARD_MIN_DENOMINATOR", DisclosureRules.min_denominator)
        ),
    )
