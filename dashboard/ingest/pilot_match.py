"""`match-pilot`: propose URNs for the 2014–15 pilot register's published names, for a person to
review. Names in the evaluation are written loosely ("Kingsnorth CEP School", "Invicta Girls
Grammar School"), so matching is on normalised names and is never trusted without review:
only rows marked confirmed in the reviewed file are ever loaded."""

from __future__ import annotations

import csv
import re
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd

from dashboard.ingest.files import LoadError, Problems, read_table
from dashboard.ingest.writer import Build, update_database
from dashboard.store import db, sql

COLUMNS = [
    "register_row",
    "setting_name_as_published",
    "pilot_phase_group",
    "candidate_urn",
    "candidate_name",
    "candidate_phase",
    "candidate_district",
    "match",
    "score",
    "confirmed",
]
YES = {"yes", "y", "true", "1", "confirmed"}
POSSIBLE = 0.8  # similarity of normalised names below which no candidate is proposed
CANDIDATES = 3


def normalise(name: str) -> str:
    """Lower case, apostrophes dropped (Girls' → girls), 'The' dropped, Church of England
    spellings unified (CEP, CE Primary, C of E, CofE)."""
    s = name.lower().replace("’", "'").replace("'", "")
    s = s.replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    s = re.sub(r"\b(c of e|cofe|church of england)\b", "ce", s)
    s = re.sub(r"\bcep\b", "ce primary", s)
    s = re.sub(r"\bprimary school\b", "primary", s)
    return " ".join(t for t in s.split() if t != "the")


def propose(register: pd.DataFrame, settings: pd.DataFrame) -> pd.DataFrame:
    """Up to three candidate settings per register line, best first, each marked exact
    (same normalised name) or possible (similar name); lines with none get one empty row."""
    names = [
        (normalise(n), r)
        for n, r in zip(settings["name"], settings.itertuples(index=False), strict=True)
    ]
    out = []
    for reg in register.itertuples(index=False):
        target = normalise(reg.setting_name_as_published)
        scored = sorted(
            ((SequenceMatcher(None, target, n).ratio(), n == target, s) for n, s in names),
            key=lambda t: (t[1], t[0]),
            reverse=True,
        )
        picks = [t for t in scored[:CANDIDATES] if t[1] or t[0] >= POSSIBLE]
        base = {
            "register_row": reg.register_row,
            "setting_name_as_published": reg.setting_name_as_published,
            "pilot_phase_group": reg.pilot_phase_group,
        }
        if not picks:
            out.append(
                {
                    **base,
                    "candidate_urn": "",
                    "candidate_name": "",
                    "candidate_phase": "",
                    "candidate_district": "",
                    "match": "none",
                    "score": "",
                    "confirmed": "",
                }
            )
        for score, exact, s in picks:
            out.append(
                {
                    **base,
                    "candidate_urn": int(s.urn),
                    "candidate_name": s.name,
                    "candidate_phase": s.phase,
                    "candidate_district": s.district_name or "district unknown",
                    "match": "exact" if exact else "possible",
                    "score": f"{score:.2f}",
                    "confirmed": "",
                }
            )
    return pd.DataFrame(out, columns=COLUMNS)


def _read_state(db_path: Path) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    con = db.connect(db_path)
    try:
        register = db.run(con, "pilot_register")
        settings = db.run(con, "setting_names")
        meta = dict(db.run(con, "metadata").values)
    finally:
        con.close()
    return register, settings, meta.get("is_demo") == "true"


def write_match_file(db_path: Path, out: Path) -> pd.DataFrame:
    """Write the reviewable match file; confirmations already in `out` are kept."""
    register, settings, demo = _read_state(db_path)
    if demo:
        raise LoadError(
            f"{db_path} is the demo database: its settings are fictional, so real "
            "pilot settings must never be matched to them"
        )
    if settings.empty:
        raise LoadError(f"{db_path}: no settings loaded; load a GIAS extract first")
    proposed = propose(register, settings)
    if out.exists():
        old = pd.read_csv(out, dtype=str, keep_default_na=False)
        kept = {
            (r.register_row, r.candidate_urn)
            for r in old.itertuples()
            if r.confirmed.strip().lower() in YES
        }
        proposed["confirmed"] = [
            "yes" if (str(r.register_row), str(r.candidate_urn)) in kept else ""
            for r in proposed.itertuples()
        ]
    out.parent.mkdir(parents=True, exist_ok=True)
    proposed.to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL)
    return proposed


def load_confirmed(db_path: Path, reviewed: Path) -> int:
    """Attach the URNs marked confirmed in a reviewed match file (the file is the whole truth:
    a line no longer confirmed loses its URN); every row is checked first and any problem
    leaves the database as it was. Returns the number of register lines matched."""
    register, settings, demo = _read_state(db_path)
    if demo:
        raise LoadError(
            f"{db_path} is the demo database; pilot settings are matched only in a "
            "database of real settings"
        )
    header, rows = read_table(reviewed)
    missing = sorted(set(COLUMNS) - set(header))
    if missing:
        raise LoadError(
            f"{reviewed.name}, line 1: not a match file (missing columns "
            f"{', '.join(missing)}); write one with `match-pilot`"
        )
    idx = {h: i for i, h in enumerate(header)}
    names = dict(zip(register["register_row"], register["setting_name_as_published"], strict=True))
    urns = set(settings["urn"])
    problems = Problems(reviewed.name)
    chosen: dict[int, tuple[int, int]] = {}
    for values in rows:
        line = values.line
        get = lambda col, values=values: values[idx[col]].strip()  # noqa: E731
        if get("confirmed").lower() not in YES:
            continue
        row, urn = get("register_row"), get("candidate_urn")
        if not (row.isascii() and row.isdigit() and len(row) <= 6) or int(row) not in names:
            problems.add(line, "register_row", row, "is not a line of the pilot register")
            continue
        if names[int(row)] != get("setting_name_as_published"):
            problems.add(
                line,
                "setting_name_as_published",
                get("setting_name_as_published"),
                f"is not the name on register line {row} ({names[int(row)]!r})",
            )
            continue
        if not (urn.isascii() and urn.isdigit() and len(urn) <= 9) or int(urn) not in urns:
            problems.add(line, "candidate_urn", urn, "is not a loaded setting")
            continue
        if int(row) in chosen:
            problems.add(
                line,
                "confirmed",
                get("confirmed"),
                f"confirms a second URN for register line {row} (first on line "
                f"{chosen[int(row)][1]})",
            )
            continue
        chosen[int(row)] = (int(urn), line)
    problems.raise_if_any()
    staged = pd.DataFrame(
        {
            "register_row": pd.array(list(chosen), dtype="int64"),
            "urn": pd.array([u for u, _ in chosen.values()], dtype="int64"),
        }
    )

    def change(b: Build) -> None:
        b.add_source(
            "Reviewed pilot register matches",
            "Local authority review",
            "as reviewed",
            len(staged),
            file=reviewed,
            is_fictional=False,
        )
        b.con.register("staged_pilot_matches", staged)
        b.con.execute(sql.load("write_pilot_matches"))
        b.con.unregister("staged_pilot_matches")

    update_database(db_path, change)
    return len(staged)
