"""Neutral labels for exports shown to a room: a presenter showing a district's picture to
headteachers may not want any school named. Every setting name in a figure or table becomes
"Setting A", "Setting B"… (in the order the table lists them, so a chart and its CSV agree),
and URNs are left out. Pure functions: the component applies them when the user asks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

URN_COLUMNS = ("urn", "predecessor_urn", "code")  # `code` holds URNs in settings comparisons
NOTE = ("Setting names replaced with neutral labels (Setting A, B…) and URNs left out, at the "
        "presenter's choice.")  # fmt: skip


def letters(i: int) -> str:
    """0 → A, 25 → Z, 26 → AA: spreadsheet-style column letters."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


class Labels:
    """Names → neutral labels, handed out in the order names are first met."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = {str(n) for n in known if isinstance(n, str) and n.strip()}
        self.given: dict[str, str] = {}
        ordered = sorted(self.known, key=len, reverse=True)  # longest first: no partial hits
        # A name is replaced only where it stands as words of its own: a setting called "e"
        # or "Comp" must not turn "comparator" into "Setting Aarator".
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
            if ordered
            else None
        )

    def label(self, name: str) -> str:
        if name not in self.given:
            self.given[name] = f"Setting {letters(len(self.given))}"
        return self.given[name]

    def text(self, value: str) -> str:
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self.label(m.group(0)), value)


def table(frame: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The table with every setting name replaced (row order decides the letters) and any URN
    column left out."""
    out = frame.drop(columns=[c for c in URN_COLUMNS if c in frame.columns and
                              _holds_urns(frame[c])])  # fmt: skip
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [labels.text(v) if isinstance(v, str) else v for v in out[col]]
    return out


def file_name(name: str) -> str:
    """A download's file name with any URN in it left out: `profile-140013-ks2.csv` becomes
    `profile-ks2.csv`."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    parts = [p for p in re.split(r"[-_]", stem) if p and not re.fullmatch(r"\d{5,7}", p)]
    return "-".join(parts) + (f".{ext}" if ext else "")


def _holds_urns(column: pd.Series) -> bool:
    values = column.dropna().astype(str)
    return bool(len(values)) and bool(values.str.fullmatch(r"\d{5,7}").all())


def figure(fig: dict, labels: Labels) -> dict:
    """A Plotly figure (as JSON) with every setting name replaced in every text it holds, and
    its customdata (where URNs ride for click-through) left out."""

    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items() if k != "customdata"}
        if isinstance(node, list | tuple):
            return [clean(v) for v in node]
        if isinstance(node, np.ndarray) and node.dtype.kind in "OUS":  # arrays of labels
            return [clean(v) for v in node.tolist()]
        if isinstance(node, str):
            return labels.text(node)
        return node

    return clean(fig)


def meta(meta: Any, labels: Labels) -> Any:
    """An ExportMeta with names replaced in every text it carries, and the choice noted."""
    from dataclasses import fields, replace

    changes: dict[str, Any] = {}
    for f in fields(meta):
        value = getattr(meta, f.name)
        if isinstance(value, str):
            changes[f.name] = labels.text(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            changes[f.name] = tuple(labels.text(v) for v in value)
    changes["notes"] = (*changes.get("notes", meta.notes), NOTE)
    return replace(meta, **changes)
