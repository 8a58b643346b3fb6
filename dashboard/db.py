"""Read-only access to the dashboard database: named queries, bound parameters, a cursor each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from dashboard import sql
from dashboard.config import SCHEMA_VERSION

REBUILD_COMMAND = (
    "make demo-db   (or: .venv/bin/python data/generate_demo.py --out data/demo.duckdb)"
)


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open read-only: the app never writes, and many readers can share the file."""
    return duckdb.connect(str(path), read_only=True)


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None):
    """Execute queries/<name>.sql with bound parameters on a fresh cursor."""
    cur = con.cursor()
    try:
        return cur.execute(sql.load(name), params or {}).df()
    finally:
        cur.close()


def version(path: Path) -> str:
    """Changes whenever the file is rebuilt; cache keys include it so reloads see new data."""
    st = path.stat()
    return f"{st.st_mtime_ns}-{st.st_size}"


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
    try:
        con = connect(path)
    except duckdb.Error as exc:
        return DatabaseStatus(
            False,
            f"The database file {path} cannot be opened as DuckDB ({type(exc).__name__}).",
            REBUILD_COMMAND,
        )
    try:
        meta = run(con, "metadata")
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
    return DatabaseStatus(True)
