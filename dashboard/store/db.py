"""Read-only access to the dashboard database: named queries, bound parameters, a cursor each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.core.config import SCHEMA_VERSION
from dashboard.store import sql
from dashboard.store.fetch import Fetch

REBUILD_COMMAND = (
    "make demo-db   (or: .venv/bin/python data/generate_demo.py --out data/demo.duckdb)"
)


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open read-only: the app never writes, and many readers can share the file."""
    return duckdb.connect(str(path), read_only=True)


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None):
    """Execute queries/<name>.sql with bound parameters on a fresh cursor. Parameters the
    query does not name are left out; a parameter it names but is not given is still an
    error from DuckDB."""
    wanted = sql.parameters(name)
    bound = {k: v for k, v in (params or {}).items() if k in wanted}
    cur = con.cursor()
    try:
        return cur.execute(sql.load(name), bound).df()
    finally:
        cur.close()


def fetcher(con: duckdb.DuckDBPyConnection) -> Fetch:
    """The rows-by-query-name function domain code takes (dashboard/store/fetch.py), over `con`."""

    def fetch(name: str, params: dict[str, Any] | None = None, /) -> pd.DataFrame:
        return run(con, name, params)

    return fetch


def version(path: Path) -> str:
    """Changes whenever the file is rebuilt; cache keys include it so reloads see new data."""
    st = path.stat()
    return f"{st.st_mtime_ns}-{st.st_size}"


@cache
def schema_tables() -> frozenset[str]:
    """Every table queries/build/schema.sql creates: a database missing one is incomplete."""
    return frozenset(re.findall(r"(?im)^\s*create\s+table\s+(\w+)", sql.load("schema")))


@dataclass(frozen=True)
class DatabaseStatus:
    ok: bool
    problem: str = ""
    fix: str = ""


def check(path: Path) -> DatabaseStatus:
    """Say plainly what is wrong with the database file, and what command fixes it."""
    if not path.exists():
        return DatabaseStatus(False, f"The database file {path} does not exist.", REBUILD_COMMAND)
    if path.stat().st_size == 0:
        return DatabaseStatus(False, f"The database file {path} is empty.", REBUILD_COMMAND)
    if path.is_dir():
        return DatabaseStatus(False, f"{path} is a folder, not a database file.", REBUILD_COMMAND)
    try:
        con = connect(path)
    except (duckdb.Error, OSError) as exc:  # random bytes, a truncated file, SQLite…
        return DatabaseStatus(
            False,
            f"The database file {path} cannot be opened as DuckDB ({type(exc).__name__}).",
            REBUILD_COMMAND,
        )
    try:
        meta = run(con, "metadata")
        tables = set(run(con, "table_names")["table_name"])
    except duckdb.Error:
        return DatabaseStatus(
            False, f"The database file {path} has no dashboard metadata table.", REBUILD_COMMAND
        )
    finally:
        con.close()
    found = dict(zip(meta["key"], meta["value"], strict=True)).get("schema_version")
    if found != SCHEMA_VERSION:
        return DatabaseStatus(
            False,
            f"The database {path} has schema version {found or 'unknown'}; "
            f"this version of the dashboard needs {SCHEMA_VERSION}.",
            REBUILD_COMMAND,
        )
    missing = sorted(schema_tables() - tables)
    if missing:
        return DatabaseStatus(
            False,
            f"The database {path} is stamped schema {found} but lacks the table(s) "
            f"{', '.join(missing)}; it is incomplete or was changed by hand.",
            REBUILD_COMMAND,
        )
    return DatabaseStatus(True)
