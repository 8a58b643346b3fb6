"""Reading public files cell by cell, collecting every problem with its file, line and column
so an analyst can fix them all in one pass; nothing is written while any problem stands."""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from dashboard.statistics.disclosure import SOURCE_SYMBOLS

MAX_REPORTED = 20
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year quirk absorbed)
# Dates in school files: the oldest schools GIAS records opened in the 1800s; a year outside
# these is a typo or a placeholder (0001-01-01, 9999-12-31), not a date to compute with
FIRST_YEAR, LAST_YEAR = 1800, 2100


# The national school-level files are a few hundred megabytes; a file far larger is the wrong
# file, refused before it is read rather than after it has filled the memory.
MAX_FILE_ENV = "KENT_DASHBOARD_MAX_FILE_MB"
MAX_FILE_MB = 1024


def max_file_bytes() -> int:
    raw = os.environ.get(MAX_FILE_ENV, "").strip()
    try:
        return int(float(raw) * 1e6) if raw else MAX_FILE_MB * 1_000_000
    except ValueError:
        raise LoadError(f"{MAX_FILE_ENV}={raw!r} is not a number of megabytes") from None


class LoadError(ValueError):
    """One or more problems in input files; the message lists each (file, line, column)."""


@dataclass
class Problems:
    file: str
    items: list[str] = field(default_factory=list)

    def add(self, line: int, column: str, value: str, why: str) -> None:
        shown = value if len(value) <= 60 else value[:57] + "…"
        self.items.append(f"{self.file}, line {line}, column {column}: {shown!r} {why}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_REPORTED]
            more = len(self.items) - len(shown)
            raise LoadError(
                f"{len(self.items)} problem(s); nothing was loaded:\n  "
                + "\n  ".join(shown)
                + (f"\n  … and {more} more" if more else "")
            )


MAX_FIELD = 131_072  # csv's default field limit: a longer field is a broken file, not data
MAX_DIGITS = 12  # no count, identifier or session total in these files needs more
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # ASCII digits only: no sign, exponent, separator
_INTEGER = re.compile(r"[0-9]+(?:\.0+)?")  # 120 or 120.0, never 120.7


class Row(list):
    """The cells of one record, with the physical line of the file it starts on (a quoted cell
    may span lines and blank lines are skipped, so the position in the list is not the line)."""

    line: int

    def __init__(self, values: list[str], line: int) -> None:
        super().__init__(values)
        self.line = line


# The first bytes of files that are not text, whatever their names say
_PACKED = {
    b"\x1f\x8b": "a gzip-compressed file: unpack it (gunzip) and load the CSV inside",
    b"PK\x03\x04": "a zip archive (or an Excel workbook named .csv): unpack it, or name an "
    "Excel workbook .xlsx",
    b"%PDF": "a PDF document, not a table",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook: save it as .xlsx or CSV",
}
_UTF16 = (b"\xff\xfe", b"\xfe\xff")
# UTF-8 read as Windows-1252 and saved again as UTF-8 ("Ã©" for "é", "â€™" for "’")
MOJIBAKE = re.compile("[ÂÃ][\u0080-\u00bf]|â€[\u0080-\u00bf\u2018-\u203a™œ]")


def _refuse_packed(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(4)
    for magic, what in _PACKED.items():
        if head.startswith(magic):
            raise LoadError(f"{path.name}: is {what}")


def sniff_encoding(path: Path) -> str:
    """'utf-8-sig' for UTF-8 (with or without a byte-order mark), 'utf-16' for a file with a
    UTF-16 byte-order mark, else 'cp1252' (GIAS and the performance tables publish
    Windows-1252). Decided from the whole file: a Windows-1252 file is rarely valid UTF-8 once
    it holds any accented letter, and plain ASCII reads the same either way."""
    return _sniff(path)[0]


def _sniff(path: Path) -> tuple[str, bool]:
    """(encoding, whether the text holds double-encoded UTF-8), in one pass over the file: the
    search runs over the text the UTF-8 check decodes anyway, so a clean file costs nothing
    more and only a flagged one is searched row by row for the line and field."""
    with path.open("rb") as fh:
        if fh.read(2) in _UTF16:  # Excel's "Unicode text": a byte-order mark says which order
            return "utf-16", True  # read it whole; rows are checked as they are read
    decoder = codecs.getincrementaldecoder("utf-8")()
    flagged = False
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                text = decoder.decode(chunk)
                if not flagged and ("Ã" in text or "Â" in text or "â€" in text):  # fast test first
                    flagged = bool(MOJIBAKE.search(text))
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252", False
    return "utf-8-sig", flagged


def read_table(path: Path, encoding: str | None = None) -> tuple[list[str], Iterator[Row]]:
    """Header and rows of a CSV (encoding sniffed: UTF-8 with or without BOM, else
    Windows-1252) or the first sheet of an XLSX workbook, every cell as text. CSV rows are
    streamed, so a national file is never held in memory whole. Each row knows its line,
    blank rows are dropped, and a row with fewer fields than the header, or extra fields that
    are not blank, is refused by line once the file has been read (a cut or shifted row would
    otherwise put values under the wrong columns)."""
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if path.is_dir():
        raise LoadError(f"{path}: is a folder, not a file")
    if not path.is_file():  # a FIFO or a device such as /dev/zero would never end
        raise LoadError(f"{path}: is not a regular file (a pipe or a device); save it as a file")
    limit = max_file_bytes()
    if path.stat().st_size > limit:
        raise LoadError(
            f"{path.name}: {path.stat().st_size / 1e6:,.0f} MB is larger than any official "
            f"school-level file ({limit / 1e6:,.0f} MB at most; set {MAX_FILE_ENV} in MB to "
            "allow more); is this the right file?"
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        records: Iterator[Row] = iter([Row(r, i) for i, r in enumerate(_read_xlsx(path), 1)])
    else:
        _refuse_packed(path)
        sniffed, flagged = _sniff(path) if encoding is None else (encoding, True)
        records = _read_csv(path, sniffed, check=flagged)
    first = next(records, None)
    if first is None:
        raise LoadError(f"{path.name}, line 1: the file is empty")
    header = [h.strip() for h in first]
    return header, _shaped(records, header, path.name)


def _shaped(records: Iterator[Row], header: list[str], name: str) -> Iterator[Row]:
    problems = Problems(name)
    width = len(header)
    for r in records:
        if not any(c.strip() for c in r):
            continue
        if len(r) < width or any(c.strip() for c in r[width:]):
            problems.add(r.line, "(row)", f"{len(r)} fields", f"the header has {width}")
            continue
        yield r if len(r) == width else Row(r[:width], r.line)
    problems.raise_if_any()


def _read_csv(path: Path, encoding: str, check: bool = True) -> Iterator[Row]:
    start = 1
    check = check and encoding.startswith("utf")
    try:
        with path.open(encoding=encoding, newline="") as fh:
            reader = csv.reader(fh)
            for values in reader:
                if check:
                    _refuse_mojibake(path, values, start)
                yield Row(values, start)
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{path.name}: not {encoding} text (byte {exc.object[exc.start]:#04x}); save it as "
            "UTF-8 or Windows-1252"
        ) from None
    except csv.Error as exc:
        limit = "longer than 131,072 characters" if "field larger" in str(exc) else str(exc)
        raise LoadError(
            f"{path.name}, line {start}: a field is {limit}; is this the right file?"
        ) from None


def _refuse_mojibake(path: Path, values: list[str], line: int) -> None:
    for i, cell in enumerate(values, start=1):
        if MOJIBAKE.search(cell):
            raise LoadError(
                f"{path.name}, line {line}, field {i}: {cell[:60]!r} holds characters of UTF-8 "
                "read as Windows-1252 and saved again (double-encoded); download the file "
                "again, or open it as UTF-8 before saving"
            )


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
    except Exception as exc:  # a damaged sheet fails inside openpyxl while it streams
        raise LoadError(f"{path.name}: cannot be read as an Excel workbook ({exc})") from None
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


class BadValue(ValueError):
    """A cell that is not what its column holds; the message says why, for Problems.add."""


def decimal(text: str) -> float:
    """A finite, non-negative number written plainly: ASCII digits with an optional decimal
    point. Signs, exponents ('1e400'), 'inf', 'nan', other scripts' digits and thousands
    separators ('1,2,3,4') are refused rather than guessed at."""
    t = text.strip()
    if "," in t:
        raise BadValue("has a comma: write numbers without thousands separators")
    if not _DECIMAL.fullmatch(t):
        raise BadValue("is not a number (digits 0–9, with an optional decimal point)")
    if len(t.split(".")[0]) > MAX_DIGITS:
        raise BadValue(f"has more than {MAX_DIGITS} digits")
    return float(t)


def whole(text: str) -> int:
    """A non-negative whole number (a count of pupils, sessions or events)."""
    t = text.strip()
    v = decimal(t)
    if not _INTEGER.fullmatch(t):
        raise BadValue("is not a whole number (a count cannot have a fraction)")
    return int(v)


def identifier(text: str, max_digits: int = 9) -> int:
    """A URN, LAESTAB or row number: ASCII digits only, at most `max_digits` of them."""
    t = text.strip()
    if not t.isascii() or not t.isdigit():
        raise BadValue("is not a number")
    if len(t) > max_digits:
        raise BadValue(f"has more than {max_digits} digits")
    return int(t)


def laestab(la: str, estab: str) -> int | None:
    """LA code and establishment number as one LAESTAB (886 and 2062 → 8862062), or None when
    either is not a plain number of the right length."""
    la, estab = la.strip(), estab.strip()
    ok = la.isascii() and la.isdigit() and len(la) == 3 and estab.isascii() and estab.isdigit()
    return int(la + estab.zfill(4)) if ok and len(estab) <= 4 else None


def _value_or_symbol(text: str, read) -> tuple[float | None, str | None]:
    """(value, None) read by `read`, or (None, reason) for a DfE symbol; blank counts as `x`."""
    t = text.strip()
    if t in SOURCE_SYMBOLS or t == "":
        return None, t or "x"
    try:
        return float(read(t)), None
    except BadValue as exc:
        raise BadValue(f"{exc}, nor one of DfE's symbols ({', '.join(SOURCE_SYMBOLS)})") from None


def count(text: str) -> tuple[float | None, str | None]:
    """A whole count or a DfE symbol: (value, None) or (None, reason)."""
    return _value_or_symbol(text, whole)


def estimate(text: str) -> tuple[float | None, str | None]:
    """A count that the publisher may have estimated (old exclusions releases publish grossed-up
    figures such as 1.11818), or a DfE symbol: like `count`, but a fraction is kept."""
    return _value_or_symbol(text, decimal)


def percent(text: str) -> tuple[float | None, str | None]:
    """A percentage 0–100 or a DfE symbol."""
    t = text.strip()
    if t in SOURCE_SYMBOLS or t == "":
        return None, t or "x"
    v = decimal(t)
    if v > 100:
        raise BadValue("is not a percentage between 0 and 100")
    return v, None


def parse_date(text: str) -> date | None:
    """Dates as public files write them: DD-MM-YYYY (GIAS), DD/MM/YYYY (MI, EES), ISO, with or
    without a time, compact YYYYMMDD, or an Excel serial number (performance-tables spine)."""
    t = text.strip()
    if not t:
        return None
    if t.isascii() and t.isdigit() and len(t) <= 5:
        day = EXCEL_EPOCH + timedelta(days=int(t))
        if day.year > LAST_YEAR:
            raise ValueError(f"{t} (a year outside {FIRST_YEAR}–{LAST_YEAR})")
        return day
    for fmt in (
        "%d-%m-%Y",
        "%d/%m/%Y",
        "%Y-%m-%d",
        "%Y-%m-%d %H:%M:%S",
        "%Y%m%d",
        "%d/%m/%Y %H:%M:%S",
    ):
        try:
            day = datetime.strptime(t, fmt).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"{t} (a year outside {FIRST_YEAR}–{LAST_YEAR})")
        return day
    raise ValueError(t)
