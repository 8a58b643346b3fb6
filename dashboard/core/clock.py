"""Today's date, read in one place. Pages and loaders that need "today" (inspections as at today,
the newest GIAS extract, the guard against years from the future) call `today()` instead of the
system clock, so a test or a reproducible export can fix the date with KENT_DASHBOARD_TODAY
(YYYY-MM-DD) rather than depending on the day it runs."""

from __future__ import annotations

import os
from datetime import date

ENV = "KENT_DASHBOARD_TODAY"


def today() -> date:
    """The date the dashboard treats as today: KENT_DASHBOARD_TODAY when set, else the system's."""
    fixed = os.environ.get(ENV, "").strip()
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise ValueError(f"{ENV}={fixed!r} is not a date written YYYY-MM-DD") from None
    return date.today()


def academic_year_start(day: date) -> int:
    """The calendar year in which the academic year holding `day` began (it starts 1 September)."""
    return day.year if day.month >= 9 else day.year - 1
