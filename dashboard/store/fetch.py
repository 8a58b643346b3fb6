"""How domain code gets rows: a function from a query name and its parameters to a frame.

The loader layer supplies one: `db.fetcher(con)` for tools, tests and comparators, and
`cache.fetch` in the app, which caches every query on the database version. So the modules
that compute and word figures (indicators, comparison, trends, profile, quality marks) never
open a database or import DuckDB, and a test can hand them any rows it likes."""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd


class Fetch(Protocol):
    def __call__(self, name: str, params: dict[str, Any] | None = None, /) -> pd.DataFrame:
        """The rows of queries/<name>.sql with `params` bound."""
        ...
