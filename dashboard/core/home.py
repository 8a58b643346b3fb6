"""The home authority: the one local authority a running dashboard is about.

Every page names it, its districts fill the district filter, its statistical neighbours and
published figures fill the context pages, and its figures are the comparator for its own
areas and settings. Kent (886) is the default; any English authority can be the home one:

- a database built by `python -m dashboard.ingest … --la 881` records 881 as its home
  (metadata `la_code`), so the app opened on it is Essex's;
- `KENT_DASHBOARD_LA=881` chooses an authority of a national database (loaded with
  `--la all`) without rebuilding anything.

One process serves one database, so the home authority is a process-wide value: the entry
script resolves it from the database on every run (`use`) and plain modules read it with
`current()`, rather than every function taking it as an argument. A code that names no
authority in the database is refused with a message, never replaced by Kent in silence.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

ENV = "KENT_DASHBOARD_LA"


@dataclass(frozen=True)
class Home:
    code: str  # DfE LA code, e.g. 886
    name: str  # as DfE names it, e.g. Kent
    region: str = ""  # its region's name, e.g. South East

    @property
    def possessive(self) -> str:
        """'Kent's' — for captions such as "Kent's figure for the same phase"."""
        return f"{self.name}'" if self.name.endswith("s") else f"{self.name}'s"


KENT = Home("886", "Kent", "South East")
_current = KENT


def current() -> Home:
    """The home authority of the database this process serves (Kent until told otherwise)."""
    return _current


def use(home: Home) -> None:
    global _current
    _current = home


class UnknownHome(ValueError):
    """The configured home authority is not in the database."""


def resolve(metadata: Mapping[str, str], authorities: pd.DataFrame,
            environ: Mapping[str, str] = os.environ) -> Home:  # fmt: skip
    """The home authority: `KENT_DASHBOARD_LA` if set, else the one the database was loaded
    for, else Kent. `authorities` has la_code, la_name and region_name."""
    raw = environ.get(ENV, "").strip()
    code = raw or metadata.get("la_code") or KENT.code
    rows = authorities[authorities["la_code"].astype(str) == code]
    if rows.empty:
        where = f"{ENV}={raw}" if raw else f"the database's home authority {code}"
        raise UnknownHome(
            f"{where} is not an authority in this database. Use a DfE LA code the database "
            f"holds (for example {', '.join(sorted(authorities['la_code'].astype(str))[:3])}), "
            f"or load that authority's files with `--la {code}`."
        )
    row = rows.iloc[0]
    return Home(code, str(row["la_name"]), str(row.get("region_name") or ""))
