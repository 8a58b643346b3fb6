"""SQL lives in queries/; this module finds it by name so Python never holds SQL text.

Read queries (what the app runs, read-only) sit in queries/*.sql; build statements (the
schema, loaders' writes and staging, disclosure control's input) sit in queries/build/*.sql
and only the writers in dashboard/ingest use them. A name belongs to one folder only."""

from __future__ import annotations

import re
from functools import cache

from dashboard.core.config import QUERIES_DIR

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


BUILD_DIR = QUERIES_DIR / "build"


def names() -> list[str]:
    """Every read query's name (queries/*.sql), without the .sql suffix."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def build_names() -> list[str]:
    """Every build statement's name (queries/build/*.sql)."""
    return sorted(p.stem for p in BUILD_DIR.glob("*.sql"))


@cache
def load(name: str) -> str:
    """Text of queries/<name>.sql or queries/build/<name>.sql; names are checked so a caller
    cannot walk the filesystem."""
    if not _NAME.match(name):
        raise ValueError(f"invalid query name: {name!r}")
    for folder in (QUERIES_DIR, BUILD_DIR):
        path = folder / f"{name}.sql"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise KeyError(f"no query file queries/{name}.sql or queries/build/{name}.sql")


_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def parameters(name: str) -> frozenset[str]:
    """The $names a query binds (comments excluded), so a caller may pass one shared
    dictionary of selection parameters to queries that each use some of them."""
    code = "\n".join(line.split("--", 1)[0] for line in load(name).splitlines())
    return frozenset(_PARAMETER.findall(code))


def header(name: str) -> str:
    """The leading comment block: purpose, grain and parameters."""
    lines = []
    for line in load(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return "\n".join(lines)
