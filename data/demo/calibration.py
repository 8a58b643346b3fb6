"""Calibration of the fictional demo: years, seed, phase counts, district profiles, the phases'
relative levels, SEN multipliers, and which published Kent series each measure aims at
(targets.py). Change a number here, not in the makers."""

from __future__ import annotations

from datetime import date
from typing import Any

from dashboard.figures.inspections import FIVE_POINT_ORDER

SEED = 20251123
GENERATOR_VERSION = "3"  # 3: intake (free school meals, EAL) per setting and year
FIRST_YEAR, LAST_YEAR = 2015, 2024  # academic years 2015/16 .. 2024/25
YEAR_CODES = [int(f"{y}{(y + 1) % 100:02d}") for y in range(FIRST_YEAR, LAST_YEAR + 1)]
URN_BASE = 990000  # real URNs are six digits well below this range
LAST_INSPECTION_DAY = date(2026, 10, 31)
KEY_JUDGEMENTS_START = date(2024, 9, 1)
REPORT_CARD_START = date(2025, 11, 10)

PHASE_COUNTS = {
    "Primary": 452,
    "Secondary": 100,
    "Special": 24,
    "Alternative provision": 9,
    "Nursery": 5,
    "All-through": 4,
    "Post-16": 6,
}
SELECTIVE_SECONDARIES = 32

# Relative size of each district's school estate and its (fictional) need/deprivation index.
DISTRICT_PROFILE = {
    "E07000105": (1.00, 1.00),  # Ashford
    "E07000106": (1.05, 1.00),  # Canterbury
    "E07000107": (0.85, 0.95),  # Dartford
    "E07000108": (0.95, 1.12),  # Dover
    "E07000109": (0.80, 1.05),  # Gravesham
    "E07000110": (1.15, 0.95),  # Maidstone
    "E07000111": (0.95, 0.82),  # Sevenoaks
    "E07000112": (0.85, 1.12),  # Folkestone and Hythe
    "E07000113": (1.05, 1.22),  # Swale
    "E07000114": (1.00, 1.30),  # Thanet
    "E07000115": (1.00, 0.85),  # Tonbridge and Malling
    "E07000116": (0.90, 0.78),  # Tunbridge Wells
}

# Phase parameters: pupils (median, spread), and each measure's level relative to the other
# phases (SEN support, EHCP, absence, persistent absence as a multiple of absence, suspensions
# and permanent exclusions per pupil; None where a measure does not apply), age range,
# establishment types. Kent's published series set the level of each year (targets.py); these
# numbers only share it out between phases, and give the level of a phase LAIT does not publish.
PHASE_PARAMS: dict[str, dict[str, Any]] = {
    "Primary": dict(
        pupils=(290, 0.45, 40, 700),
        sen=0.105,
        ehcp=0.0095,
        absence=0.040,
        pa=2.05,
        susp=0.012,
        perm=0.00008,
        ages=(4, 11),
        types=[
            "Community school",
            "Voluntary aided school",
            "Voluntary controlled school",
            "Academy converter",
            "Academy sponsor led",
            "Foundation school",
        ],
        kind=["Primary School", "Community Primary School", "CE Primary School", "Primary Academy"],
    ),
    "Secondary": dict(
        pupils=(1050, 0.30, 400, 2000),
        sen=0.085,
        ehcp=0.013,
        absence=0.055,
        pa=2.5,
        susp=0.095,
        perm=0.0007,
        ages=(11, 18),
        types=["Academy converter", "Academy sponsor led", "Foundation school", "Community school"],
        kind=["School", "Academy", "High School"],
    ),
    "Special": dict(
        pupils=(170, 0.35, 50, 360),
        sen=0.5,
        ehcp=0.965,
        absence=0.095,
        pa=2.2,
        susp=0.06,
        perm=0.0002,
        ages=(3, 19),
        types=[
            "Community special school",
            "Academy special converter",
            "Foundation special school",
        ],
        kind=["School", "Special School"],
    ),
    "Alternative provision": dict(
        pupils=(45, 0.40, 12, 120),
        sen=0.40,
        ehcp=0.16,
        absence=0.24,
        pa=2.4,
        susp=0.30,
        perm=0.002,
        ages=(11, 16),
        types=["Pupil referral unit", "Academy alternative provision converter"],
        kind=["Learning Centre", "Education Centre"],
    ),
    "Nursery": dict(
        pupils=(90, 0.30, 35, 160),
        sen=0.08,
        ehcp=0.015,
        absence=None,
        pa=None,
        susp=None,
        perm=None,
        ages=(2, 5),
        types=["Local authority nursery school"],
        kind=["Nursery School"],
    ),
    "All-through": dict(
        pupils=(1500, 0.20, 900, 2200),
        sen=0.095,
        ehcp=0.016,
        absence=0.05,
        pa=2.3,
        susp=0.07,
        perm=0.0005,
        ages=(4, 18),
        types=["Academy converter", "Free schools"],
        kind=["Academy", "School"],
    ),
    "Post-16": dict(
        pupils=(600, 0.40, 200, 1500),
        sen=0.06,
        ehcp=0.02,
        absence=None,
        pa=None,
        susp=None,
        perm=None,
        ages=(16, 19),
        types=["Academy 16-19 converter", "Free schools 16 to 19"],
        kind=["Sixth Form College", "16-19 Academy"],
    ),
}

# The published Kent series the demo aims at (see targets.py): LAIT item → (input, phase), where
# "all" is every phase the item covers (targets.ALL_SCHOOLS or targets.CENSUS).
PUBLISHED_TARGETS = {
    "SEN_TotStat": ("ehcp", "all"),
    "SEN_TotSENSuP": ("sen_support", "all"),
    "PriTotAbs": ("overall_absence", "Primary"),
    "SecTotAbs": ("overall_absence", "Secondary"),
    "total_absence_special": ("overall_absence", "Special"),
    "SFPriPerAbNew": ("persistent_absence", "Primary"),
    "SFSecPerAbNew": ("persistent_absence", "Secondary"),
    "SpecPerAbNew": ("persistent_absence", "Special"),
    "TotFixedEx": ("suspensions", "all"),
    "Total_ Pup_FixedEx": ("suspended_pupils", "all"),
    "TotPermEx": ("perm_exclusions", "all"),
}
ABSENCE_NOT_COLLECTED = {201920}  # summer 2020: no full-year absence was collected
# LAIT rounds the permanent exclusion rate to 0.01%; a published 0.00 means under 0.005%, so
# the demo aims at half that rather than at none.
ZERO_PUBLISHED_FLOOR = 0.000025
# Fictional authorities of a national-scale demo sit around Kent: each measure's level is
# Kent's times exp(N(0, sd)), drawn once per authority.
AUTHORITY_SPREAD = {"ehcp": 0.15, "sen_support": 0.12, "absence": 0.08, "suspensions": 0.3,
                    "perm_exclusions": 0.35}  # fmt: skip

# Outcome multipliers by SEN status (relative to pupils with no SEN).
ABSENCE_BY_SEN = {"ehcp": 2.0, "sen_support": 1.55, "no_sen": 1.0}
PA_BY_SEN = {"ehcp": 2.6, "sen_support": 1.9, "no_sen": 1.0}
SUSPENSION_BY_SEN = {"ehcp": 3.6, "sen_support": 3.2, "no_sen": 1.0}

STEMS_A = [
    "Quill",
    "Teasel",
    "Umber",
    "Marram",
    "Kestrel",
    "Sorrel",
    "Fennick",
    "Bracken",
    "Wimble",
    "Dapple",
    "Yarrow",
    "Otter",
    "Plover",
    "Cinder",
    "Tansy",
    "Gorsey",
    "Hobble",
    "Lanter",
    "Mistle",
    "Nettlin",
    "Pebbly",
    "Rushly",
    "Sedgely",
    "Thistly",
    "Vetchly",
    "Wherry",
    "Burdock",
    "Campion",
    "Dunlin",
    "Eyebright",
]
STEMS_B = [
    "wold",
    "tarn",
    "holt",
    "mead",
    "cote",
    "shaw",
    "combe",
    "dell",
    "reach",
    "fold",
    "brook",
    "moor",
    "crest",
    "lea",
    "glen",
    "hythe",
    "gate",
    "stow",
    "haven",
    "ridge",
    "more",
    "bourne",
    "thorpe",
]

FIVE_POINT = {5 - i: label for i, label in enumerate(FIVE_POINT_ORDER)}
KEY_JUDGEMENTS = [
    "Quality of education",
    "Behaviour and attitudes",
    "Personal development",
    "Leadership and management",
]
REPORT_CARD_AREAS = [
    "Inclusion",
    "Curriculum and teaching",
    "Achievement",
    "Attendance and behaviour",
    "Personal development and well-being",
    "Leadership and governance",
]
