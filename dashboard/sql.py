"""SQL lives in queries/*.sql; this module finds it by name so Python never holds SQL text."""

from __future__ import annotations

import re
from functools import cache

from dashboard.config import QUERIES_DIR

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def names() -> list[str]:
    """Every query file's name, without the .sql suffix."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


@cache
def load(name: str) -> str:
    """Text of queries/<name>.sql; names are checked so a caller cannot walk the filesystem."""
    if not _NAME.match(name):
        raise ValueError(f"invalid query name: {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise KeyError(f"no query file queries/{name}.sql")
    return path.read_text(encoding="utf-8")


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
