"""The GIAS links file (links_edubasealldata): which setting replaced which.

A school that converts to an academy, amalgamates or re-opens gets a new URN, and its figures
would stop at the conversion. GIAS records the pair twice, once from each side: the new
setting's row says its `LinkURN` is a "Predecessor", the old one's says "Successor". Both are
read as one (setting, predecessor) pair; links of other kinds (federations, sixth-form centre
links, "Merged - …" capacity changes) do not make one setting out of two and are left out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.ingest.files import BadValue, Problems, identifier, parse_date, read_table

LINKS_REQUIRED = {"URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"}
COLUMNS = ["urn", "predecessor_urn", "link_type", "link_date"]


def read_links(path: Path) -> tuple[pd.DataFrame, int]:
    """(one row per setting × predecessor, rows of other link types left out). Every bad
    value is reported with its line and column, and nothing is returned if there is one."""
    header, rows = read_table(path)
    idx = {h: i for i, h in enumerate(header)}
    problems = Problems(path.name)
    pairs: dict[tuple[int, int], tuple[str, object]] = {}
    other = 0
    for values in rows:
        line = values.line

        def get(col: str, values=values) -> str:
            return values[idx[col]].strip()

        kind = get("LinkType")
        if kind.startswith("Predecessor"):
            newer_col, older_col = "URN", "LinkURN"
        elif kind.startswith("Successor"):
            newer_col, older_col = "LinkURN", "URN"
        else:
            other += 1
            continue
        try:
            newer, older = identifier(get(newer_col)), identifier(get(older_col))
        except BadValue as exc:
            bad = newer_col if not get(newer_col).isdigit() else older_col
            problems.add(line, bad, get(bad), str(exc))
            continue
        if newer == older:
            problems.add(line, "LinkURN", get("LinkURN"), "links a setting to itself")
            continue
        try:
            when = parse_date(get("LinkEstablishedDate"))
        except ValueError:
            problems.add(line, "LinkEstablishedDate", get("LinkEstablishedDate"),
                         "is not a date (GIAS writes DD-MM-YYYY)")  # fmt: skip
            continue
        # the pair's own side ("Predecessor") names the link as the newer setting sees it
        label = kind if kind.startswith("Predecessor") else kind.replace("Successor", "Predecessor")
        held = pairs.get((newer, older))
        if held is None or kind.startswith("Predecessor"):
            pairs[(newer, older)] = (label, when)
    problems.raise_if_any()
    out = pd.DataFrame(
        [(n, o, label, when) for (n, o), (label, when) in sorted(pairs.items())], columns=COLUMNS
    )
    out["link_date"] = pd.to_datetime(out["link_date"]).dt.date
    return out, other
