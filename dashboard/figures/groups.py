"""Custom comparison groups: the groups officers and headteachers really compare in (a
peer-review triad, a cluster, a multi-academy trust, a local inclusion forum area), given as a
CSV of URN → group and compared like districts.

Why a group's figure can never reveal a suppressed number: it is summed from the settings'
*published* values only (published_facts), and a group with any member whose value is
suppressed has no figure at all. Every number it shows can therefore already be worked out
from figures the dashboard shows setting by setting, whichever groups anyone draws, so no
pair or chain of groups can difference a hidden value out (the risk with arbitrary groups).

A set of groups travels as a CSV (upload, edit, download) or inside a link (`groups=`, the
URNs compressed): a link carries URNs and names only, never a figure.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import zlib
from dataclasses import dataclass

from dashboard.core.safe_text import csv_text

MAX_ROWS = 5_000  # far more than any authority's settings; a bigger file is not a group list
MAX_BYTES = 1_000_000  # MAX_ROWS rows of URN and a long name fit many times over
MAX_GROUPS = 60
MAX_NAME = 60
MAX_LINK_URNS = 600  # a longer link is not reliably kept by browsers and mail clients
URN_COLUMNS = ("urn",)
GROUP_COLUMNS = ("group", "group_name", "cluster", "trust", "area", "forum")


class GroupsError(ValueError):
    """A group file or link that cannot be read; the message names the file, line and column."""


@dataclass(frozen=True)
class Groups:
    """Named groups of URNs, in the order first met."""

    source: str  # the file's name, or "link"
    members: tuple[tuple[str, tuple[int, ...]], ...]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.members]

    def urn_groups(self) -> list[tuple[int, str]]:
        """(urn, group) pairs: a setting may be in several groups."""
        return [(urn, name) for name, urns in self.members for urn in urns]

    def __len__(self) -> int:
        return len(self.members)


def _decode(data: bytes, filename: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GroupsError(f"{filename}: not a text file (neither UTF-8 nor Windows-1252)")


def _clean_name(raw: str) -> str:
    """A group's name as shown: printable text, single spaces, at most MAX_NAME characters.
    (Markdown and CSV escaping happen where it is shown: safe_text.)"""
    text = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(text.split())[:MAX_NAME]


def read_csv(data: bytes, filename: str, known_urns: set[int]) -> tuple[Groups, list[str]]:
    """Groups from a CSV with a URN column and a group column (header names in URN_COLUMNS and
    GROUP_COLUMNS, any case). Returns the groups and notes for the user (URNs not among the
    authority's settings are left out and listed). Raises GroupsError naming line and column."""
    if len(data) > MAX_BYTES:  # refused unread: parsing it whole would be the harm
        raise GroupsError(f"{filename}: {len(data) / 1e6:.1f} MB is far larger than any group "
                          f"list (at most {MAX_BYTES / 1e6:g} MB, {MAX_ROWS:,} rows)")  # fmt: skip
    text = _decode(data, filename)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise GroupsError(f"{filename}: the file is empty; it needs a header row: urn,group")
    header = [h.strip().lower() for h in rows[0]]
    urn_col = next((header.index(c) for c in URN_COLUMNS if c in header), None)
    group_col = next((header.index(c) for c in GROUP_COLUMNS if c in header), None)
    if urn_col is None or group_col is None:
        missing = "urn" if urn_col is None else "group"
        raise GroupsError(f"{filename}, line 1: no `{missing}` column (the header has "
                          f"{', '.join(repr(h) for h in header[:6]) or 'nothing'}); "
                          "the file needs columns urn,group")  # fmt: skip
    if len(rows) - 1 > MAX_ROWS:
        raise GroupsError(f"{filename}: {len(rows) - 1:,} rows; a group file holds at most "
                          f"{MAX_ROWS:,} (one row per setting and group)")  # fmt: skip
    groups: dict[str, list[int]] = {}
    unknown: list[str] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (max(urn_col, group_col) + 1 - len(row))
        raw_urn, raw_group = cells[urn_col].strip(), cells[group_col]
        if not (raw_urn.isascii() and raw_urn.isdigit() and len(raw_urn) <= 9):
            raise GroupsError(f"{filename}, line {line}, column {header[urn_col]}: "
                              f"{raw_urn[:20]!r} is not a URN (up to nine digits)")  # fmt: skip
        name = _clean_name(raw_group)
        if not name:
            raise GroupsError(f"{filename}, line {line}, column {header[group_col]}: "
                              "the group has no name")  # fmt: skip
        urn = int(raw_urn)
        if urn not in known_urns:
            unknown.append(raw_urn)
            continue
        members = groups.setdefault(name, [])
        if urn not in members:
            members.append(urn)
        if len(groups) > MAX_GROUPS:
            raise GroupsError(f"{filename}, line {line}: more than {MAX_GROUPS} groups; "
                              "compare fewer at once")  # fmt: skip
    notes = []
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        notes.append(f"{len(unknown)} URN(s) are not settings of this authority and are left "
                     f"out: {shown}.")  # fmt: skip
    if not groups:
        raise GroupsError(f"{filename}: no row names a setting of this authority")
    one = [n for n, urns in groups.items() if len(urns) == 1]
    if one:
        notes.append(f"{len(one)} group(s) hold one setting, so their figure is that setting's "
                     "own.")  # fmt: skip
    return Groups(filename, tuple((n, tuple(sorted(u))) for n, u in groups.items())), notes


def to_csv(groups: Groups) -> bytes:
    """The groups as a CSV the upload reads back (urn,group), for editing and sharing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["urn", "group"])
    for urn, name in groups.urn_groups():
        writer.writerow([urn, csv_text(name)])  # a name a spreadsheet would run stays text
    return out.getvalue().encode("utf-8")


def encode(groups: Groups) -> str | None:
    """A compact token for the link (`groups=`), or None when the groups hold too many URNs
    to travel safely in an address (share the CSV instead)."""
    if sum(len(u) for _, u in groups.members) > MAX_LINK_URNS:
        return None
    payload = json.dumps([[n, list(u)] for n, u in groups.members], separators=(",", ":"))
    return base64.urlsafe_b64encode(zlib.compress(payload.encode("utf-8"), 9)).decode("ascii")


def decode(token: str, known_urns: set[int]) -> tuple[Groups, list[str]]:
    """Groups from a link's token; anything malformed raises GroupsError (never a traceback),
    and a token that inflates beyond any real group list is refused."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        payload = inflater.decompress(raw, 200_000)
        if inflater.unconsumed_tail:
            raise GroupsError("the groups in this link are too large")
        if not inflater.eof:  # cut short: the compressed stream never ended
            raise ValueError("truncated")
        members = json.loads(payload.decode("utf-8"))
        rows = [("urn", "group")]
        for name, urns in members:
            if not isinstance(name, str) or not isinstance(urns, list):
                raise ValueError
            rows += [(str(int(u)), name) for u in urns]
    except GroupsError:
        raise
    except Exception as exc:  # any damage to a pasted link: say so plainly
        raise GroupsError("the groups in this link could not be read (the link may have been "
                          "cut short); upload the group CSV instead") from exc  # fmt: skip
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    got, notes = read_csv(text.getvalue().encode("utf-8"), "link", known_urns)
    return Groups("link", got.members), notes
