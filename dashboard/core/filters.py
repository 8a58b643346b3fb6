"""Global filters (academic year, district, phase) as plain data: parsing from the URL,
validation with fallbacks, and the bound parameters every query takes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from dashboard.core import home

ALL_PHASES = (
    "Nursery",
    "Primary",
    "Secondary",
    "All-through",
    "Special",
    "Alternative provision",
    "Post-16",
    "Independent specialist or work-based training",
)
ALL_ADMISSIONS = ("Selective", "Non-selective", "Not applicable")
ALL_DISTRICTS = "all"


@dataclass(frozen=True)
class PhaseOption:
    key: str
    label: str
    phases: tuple[str, ...]
    admissions: tuple[str, ...]
    published_phase: str | None  # phase name used by published figures, if comparable


PHASE_OPTIONS: tuple[PhaseOption, ...] = (
    PhaseOption("all", "All phases", ALL_PHASES, ALL_ADMISSIONS, "All schools"),
    PhaseOption("primary", "Primary", ("Primary",), ALL_ADMISSIONS, "Primary"),
    PhaseOption("secondary", "Secondary (all)", ("Secondary",), ALL_ADMISSIONS, "Secondary"),
    PhaseOption(
        "secondary-selective",
        "Secondary — selective (grammar)",
        ("Secondary",),
        ("Selective",),
        None,
    ),
    PhaseOption(
        "secondary-non-selective",
        "Secondary — non-selective",
        ("Secondary",),
        ("Non-selective", "Not applicable"),
        None,
    ),
    PhaseOption("all-through", "All-through", ("All-through",), ALL_ADMISSIONS, None),
    PhaseOption("special", "Special", ("Special",), ALL_ADMISSIONS, "Special"),
    PhaseOption(
        "alternative-provision",
        "Alternative provision (PRU/AP)",
        ("Alternative provision",),
        ALL_ADMISSIONS,
        None,
    ),
    PhaseOption("nursery", "Nursery", ("Nursery",), ALL_ADMISSIONS, None),
    PhaseOption("post-16", "Post-16", ("Post-16",), ALL_ADMISSIONS, None),
)
PHASES_BY_KEY = {p.key: p for p in PHASE_OPTIONS}

# Mainstream phases: not a sidebar choice, but a group some figures sum over (the share of
# pupils with EHC plans placed in mainstream settings).
MAINSTREAM_PHASES = ("Nursery", "Primary", "Secondary", "All-through", "Post-16")
MAINSTREAM = PhaseOption("mainstream", "Mainstream phases", MAINSTREAM_PHASES, ALL_ADMISSIONS, None)

DEFAULT_PHASE = "all"

# Comparators published for "all state-funded schools" compare with an all-phase selection.
ALL_PHASE_PUBLISHED = ("All schools", "All state-funded schools")


def year_label(year_code: int) -> str:
    """202324 → '2023/24'."""
    s = str(year_code)
    return f"{s[:4]}/{s[4:]}"


def year_slug(year_code: int) -> str:
    """URL form: 202324 → '2023-24' (a slash would be escaped in links)."""
    s = str(year_code)
    return f"{s[:4]}-{s[4:]}"


_YEAR = re.compile(r"([0-9]{4})[-/]?([0-9]{2})")  # ASCII digits only: not '²' or '٢'


def parse_year(text: str) -> int | None:
    """Accept '2023-24', '2023/24' or '202324' (ASCII digits); anything else is None."""
    found = _YEAR.fullmatch(text.strip())
    return int(found[1] + found[2]) if found else None


def parse_urn(text: str | None) -> int | None:
    """A URN from a URL: one to nine ASCII digits, else None (never an exception, however long
    or exotic the text)."""
    t = (text or "").strip()
    return int(t) if t.isascii() and t.isdigit() and len(t) <= 9 else None


@dataclass(frozen=True)
class Selection:
    year_code: int
    district: str = ALL_DISTRICTS  # ONS code, or "all"
    phase: str = DEFAULT_PHASE  # a PhaseOption key
    # the area's name (an authority's own name when whole); the home authority's by default
    district_name: str = field(default_factory=lambda: home.current().name)
    # the authority: the home one (dashboard/core/home.py), or another (comparison of authorities)
    la_code: str = field(default_factory=lambda: home.current().code)

    @property
    def phase_option(self) -> PhaseOption:
        return PHASES_BY_KEY[self.phase]

    @property
    def is_whole_authority(self) -> bool:
        return self.district == ALL_DISTRICTS

    @property
    def year_label(self) -> str:
        return year_label(self.year_code)

    @property
    def year_end(self) -> date:
        """31 August at the end of the academic year: 'as at' date for inspections and awards."""
        return date(int(str(self.year_code)[:4]) + 1, 8, 31)

    @property
    def area_label(self) -> str:
        mine = home.current()
        return (
            mine.name
            if self.is_whole_authority and self.la_code == mine.code
            else (self.district_name)
        )

    @property
    def label(self) -> str:
        return f"{self.area_label} · {self.phase_option.label} · {self.year_label}"

    def params(self) -> dict:
        """Bound parameters shared by the selection queries."""
        opt = self.phase_option
        return {
            "year_code": self.year_code,
            "la_code": self.la_code,
            "districts": [] if self.is_whole_authority else [self.district],
            "any_district": self.is_whole_authority,
            "phases": list(opt.phases),
            "admissions": list(opt.admissions),
            "phase_key": self.phase,
        }

    def authority(self) -> Selection:
        """The whole authority for the same phases and year: the like-for-like comparator."""
        if self.is_whole_authority:
            return self
        mine = home.current()
        name = mine.name if self.la_code == mine.code else f"authority {self.la_code}"
        return Selection(self.year_code, ALL_DISTRICTS, self.phase, name, self.la_code)

    def with_year(self, year_code: int) -> Selection:
        return Selection(year_code, self.district, self.phase, self.district_name, self.la_code)

    def query_params(self) -> dict[str, str]:
        """The URL form of this selection; parse_query_params reads it back."""
        return {"year": year_slug(self.year_code), "district": self.district, "phase": self.phase}


def parse_query_params(
    params: Mapping[str, str | list[str]],
    years: list[int],
    districts: Mapping[str, str],
) -> tuple[Selection, list[str]]:
    """A Selection from URL parameters; anything unknown falls back to its default and is
    reported in plain words, never raised. `years` newest first; `districts` code → name."""
    messages: list[str] = []

    def first(key: str) -> str | None:
        v = params.get(key)
        if isinstance(v, list):
            v = v[0] if v else None
        return None if v is None else str(v)[:200]

    default_year = years[0]
    year = default_year
    raw = first("year")
    if raw is not None:
        parsed = parse_year(raw)
        if parsed in years:
            year = parsed
        else:
            messages.append(
                f"Academic year {raw!r} is not in the data; showing {year_label(default_year)}."
            )

    name = home.current().name
    district, district_name = ALL_DISTRICTS, name
    raw = first("district")
    if raw is not None and raw.strip().lower() not in ("", ALL_DISTRICTS, name.lower()):
        by_name = {name.lower(): code for code, name in districts.items()}
        code = raw.strip().upper() if raw.strip().upper() in districts else None
        code = code or by_name.get(raw.strip().lower())
        if code:
            district, district_name = code, districts[code]
        else:
            messages.append(f"District {raw!r} is not a {name} district; showing all of {name}.")

    phase = DEFAULT_PHASE
    raw = first("phase")
    if raw is not None:
        if raw.strip().lower() in PHASES_BY_KEY:
            phase = raw.strip().lower()
        else:
            messages.append(f"Phase {raw!r} is not recognised; showing all phases.")

    return Selection(year, district, phase, district_name), messages
