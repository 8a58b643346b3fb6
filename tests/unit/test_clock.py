"""Everything that depends on "today" reads `dashboard.core.clock`, and behaves right on every kind
of day: the last day of an academic year, the first of the next, a leap day, a day years ahead.
These tests run at each date through the clock (`KENT_DASHBOARD_TODAY`), and again with the
system clock moved by faketime in `make test`'s clock step."""

from __future__ import annotations

import ast
import io
from datetime import date
from pathlib import Path

import pytest

from dashboard.core import clock
from dashboard.ingest import load
from dashboard.ingest.files import LoadError
from dashboard.views import exports

pytestmark = pytest.mark.clock

ROOT = Path(__file__).resolve().parents[2]
DATES = [date(2026, 8, 31), date(2026, 9, 1), date(2028, 2, 29), date(2030, 9, 1)]


@pytest.fixture(params=DATES, ids=[d.isoformat() for d in DATES])
def today(request, monkeypatch) -> date:
    """The dashboard's today, at each of the dates above in turn."""
    monkeypatch.setenv(clock.ENV, request.param.isoformat())
    return request.param


def test_the_academic_year_turns_on_the_first_of_september(today):
    start = clock.academic_year_start(clock.today())
    assert start == (today.year if today.month >= 9 else today.year - 1)


def test_the_newest_year_a_file_may_hold_is_the_one_after_the_current(today):
    start = clock.academic_year_start(today) + 1
    newest = f"{start}/{(start + 1) % 100:02d}"
    after = f"{start + 1}/{(start + 2) % 100:02d}"
    assert load._year(newest, Path("f.csv")) == start * 100 + (start + 1) % 100
    with pytest.raises(LoadError, match="is in the future"):
        load._year(after, Path("f.csv"))


def test_the_briefing_pack_is_dated_by_the_dashboards_today(today):
    from pptx import Presentation

    pack = exports.briefing_pack([], "Briefing", exports.about(), True)  # its title slide
    text = "\n".join(
        s.text_frame.text
        for slide in Presentation(io.BytesIO(pack)).slides
        for s in slide.shapes
        if s.has_text_frame
    )
    assert f"{today:%d %B %Y}" in text


def test_nothing_reads_the_system_date_but_the_clock():
    """`date.today()` or `datetime.today()` anywhere else would make a page or a load depend
    on the day it runs; timestamps of when a load ran (`datetime.now`) are records, not dates
    to compute with, and are allowed."""
    offenders = []
    for folder in ("dashboard", "pages", "data"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "clock.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "today"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("date", "datetime")
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


def test_without_a_fixed_date_the_clock_is_the_systems(monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.today() == date.today()
