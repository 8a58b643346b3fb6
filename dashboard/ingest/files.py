"""Reading public files cell by cell, collecting every problem with its file, line and column
so an analyst can fix them all in one pass; nothing is written while any problem stands."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from dashboard.disclosure import SOURCE_SYMBOLS

MAX_REPORTED = 20
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year quirk absorbed)


class LoadError(ValueError):
    """One or more problems in input files; the message lists each (file, line, column)."""


@dataclass
class Problems:
    file: str
    items: list[str] = field(default_factory=list)

    def add(self, line: int, column: str, value: str, why: str) -> None:
        self.items.append(f"{self.file}, line {line}, column {column}: {value!r} {why}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_REPORTED]
            more = len(self.items) - len(shown)
            raise LoadError(
                f"{len(self.items)} problem(s); nothing was loaded:\n  "
                + "\n  ".join(shown)
                + (f"\n  … and {more} more" if more else "")
            )


def read_table(path: Path, encoding: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV (UTF-8 with or without BOM, else Windows-1252) or the first
    sheet of an XLSX workbook, every cell as text."""
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    else:
        for enc in [encoding] if encoding else ["utf-8-sig", "cp1252"]:
            try:
                with path.open(encoding=enc, newline="") as fh:
                    rows = list(csv.reader(fh))
                break
            except UnicodeDecodeError:
                continue
        else:
            raise LoadError(f"{path.name}: neither UTF-8 nor Windows-1252 text")
    if not rows:
        raise LoadError(f"{path.name}, line 1: the file is empty")
    return [h.strip() for h in rows[0]], [r for r in rows[1:] if any(c.strip() for c in r)]


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad workbook
        raise LoadError(f"{path.name}: cannot be read as an Excel workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else _cell_text(v) for v in values])
    finally:
        book.close()
    width = max((i + 1 for r in rows[:1] for i, v in enumerate(r) if v), default=0)
    return [r[:width] + [""] * (width - len(r)) for r in rows]


def _cell_text(v: object) -> str:
    if isinstance(v, datetime):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def count(text: str) -> tuple[float | None, str | None]:
    """A count or a DfE symbol: (value, None) or (None, reason). Blank counts as `x`."""
    t = text.strip()
    if t in SOURCE_SYMBOLS or t == "":
        return None, t or "x"
    v = float(t.replace(",", ""))
    if v < 0 or v != v:
        raise ValueError(t)
    return v, None


def percent(text: str) -> tuple[float | None, str | None]:
    """A percentage 0–100 or a DfE symbol."""
    v, reason = count(text)
    if v is not None and v > 100:
        raise ValueError(text)
    return v, reason


def parse_date(text: str) -> date | None:
    """Dates as public files write them: DD-MM-YYYY (GIAS), DD/MM/YYYY (MI, EES), ISO, with or
    without a time, compact YYYYMMDD, or an Excel serial number (performance-tables spine)."""
    t = text.strip()
    if not t:
        return None
    if t.isdigit() and len(t) <= 5:
        return EXCEL_EPOCH + timedelta(days=int(t))
    for fmt in (
        "%d-%m-%Y",
        "%d/%m/%Y",
        "%Y-%m-%d",
        "%Y-%m-%d %H:%M:%S",
        "%Y%m%d",
        "%d/%m/%Y %H:%M:%S",
    ):
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValueError(t)
