"""Calibration of the fictional demo: years, seed, phase counts, district profiles, per-phase
rates and their year and SEN multipliers, chosen to sit near the published Kent figures in the
project reference. Change a number here, not in the makers."""

from __future__ import annotations

from datetime import date

from dashboard.inspections import FIVE_POINT_ORDER

SEED = 20251123
GENERATOR_VERSION = "1"
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

# Phase parameters: pupils (median, spread), SEN support %, EHCP %, absence %, PA multiplier,
# suspensions per pupil, permanent exclusions per pupil, age range, establishment types.
PHASE_PARAMS = {
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

# Kent-wide year effects, indexed from 2015/16.
EHCP_GROWTH = 1.075  # per year, compounding: EHC plan shares roughly double over the decade
SEN_GROWTH = 1.02
ABSENCE_YEAR = [1.0, 1.0, 1.02, 1.03, None, 1.15, 1.65, 1.62, 1.52, 1.47]
PA_YEAR = [1.0, 1.0, 1.0, 1.0, None, 1.2, 1.25, 1.22, 1.18, 1.15]
SUSPENSION_YEAR = [1.0, 0.95, 1.0, 1.05, 0.68, 0.78, 1.35, 1.65, 1.9, 2.0]

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
