"""Build the embedded demo database: fictional settings in Kent's 12 real districts.

Deterministic: a fixed seed gives the same data on every run. Distributions are calibrated to the
approximate published figures in the project reference (rising EHC plan shares, near-universal
plans in special schools, COVID-19 gaps, higher suspension rates for pupils with SEN). No figure
is attached to a real school: names are invented and URNs sit in a range real schools do not use.

    python data/generate_demo.py --out data/demo.duckdb [--scale 10] [--authorities 150]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
if str(ROOT) not in sys.path:  # run as a script from a clean checkout
    sys.path.insert(0, str(ROOT))

from dashboard.ingest.writer import Build, build_database, read_reference  # noqa: E402
from dashboard.inspections import FIVE_POINT_ORDER, FOUR_POINT, inspection_frames  # noqa: E402

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


def district_table() -> pd.DataFrame:
    d = read_reference("districts.csv")
    d["centre_latitude"] = d["centre_latitude"].astype(float)
    d["centre_longitude"] = d["centre_longitude"].astype(float)
    return d


def _names(rng: np.random.Generator, n: int) -> list[str]:
    stems = [a + b for a in STEMS_A for b in STEMS_B]
    rng.shuffle(stems)
    if n > len(stems):  # national scale: number the stems, still obviously invented
        stems = [
            f"{s} {i // len(stems) + 1}" if i >= len(stems) else s
            for i, s in enumerate(stems * (n // len(stems) + 1))
        ][:n]
    return stems[:n]


def make_settings(
    rng: np.random.Generator, districts: pd.DataFrame, scale: float, la_code: str, urn_base: int
) -> pd.DataFrame:
    weights = np.array([DISTRICT_PROFILE.get(c, (1.0, 1.0))[0] for c in districts.district_code])
    weights = weights / weights.sum()
    rows = []
    counts = {p: max(1, round(c * scale)) for p, c in PHASE_COUNTS.items()}
    total = sum(counts.values())
    names = _names(rng, total)
    selective_left = round(SELECTIVE_SECONDARIES * scale)
    i = 0
    for phase, count in counts.items():
        params = PHASE_PARAMS[phase]
        if phase == "Special":  # spread special schools evenly: two per district at Kent scale
            district_idx = np.resize(np.arange(len(districts)), count)
        else:
            district_idx = rng.choice(len(districts), size=count, p=weights)
        for k in range(count):
            d = districts.iloc[district_idx[k]]
            selective = phase == "Secondary" and selective_left > 0 and rng.random() < 0.4
            if selective:
                selective_left -= 1
            med, spread, lo, hi = params["pupils"]
            size = float(np.clip(med * math.exp(rng.normal(0, spread)), lo, hi))
            if selective:
                size = float(np.clip(size, 700, 1400))
            opened = None
            closed = None
            r = rng.random()
            if r < 0.04:
                opened = date(int(rng.integers(2016, 2023)), 9, 1)
            elif r < 0.07:
                closed = date(int(rng.integers(2018, 2025)), 8, 31)
            kind = params["kind"][int(rng.integers(len(params["kind"])))]
            if selective:
                kind = "Grammar School" if rng.random() < 0.6 else "Girls' Grammar School"
            age_low, age_high = params["ages"]
            if phase == "Secondary" and rng.random() < 0.15:
                age_high = 16
            rows.append(
                {
                    "urn": urn_base + i + 1,
                    "laestab": int(f"{la_code}{9000 + i}") if i < 1000 else None,
                    "name": f"{names[i]} {kind}",
                    "establishment_type": params["types"][int(rng.integers(len(params["types"])))],
                    "phase": phase,
                    "admissions_policy": "Selective"
                    if selective
                    else (
                        "Non-selective"
                        if phase in ("Secondary", "All-through")
                        else "Not applicable"
                    ),
                    "district_code": d.district_code,
                    "la_code": la_code,
                    "latitude": round(float(d.centre_latitude + rng.normal(0, 0.035)), 5),
                    "longitude": round(float(d.centre_longitude + rng.normal(0, 0.05)), 5),
                    "open_date": opened or date(int(rng.integers(1950, 2012)), 9, 1),
                    "close_date": closed,
                    "age_low": age_low,
                    "age_high": age_high,
                    "sector": "State-funded",
                    "resourced_provision": bool(
                        phase in ("Primary", "Secondary") and rng.random() < 0.08
                    ),
                    "is_fictional": True,
                    "gen_size": size,
                    "gen_need": DISTRICT_PROFILE.get(d.district_code, (1.0, rng.uniform(0.8, 1.3)))[
                        1
                    ],
                }
            )
            i += 1
    return pd.DataFrame(rows)


def _open_in(setting: pd.Series, year: int) -> bool:
    start, end = date(year, 9, 1), date(year + 1, 8, 31)
    if setting.open_date and setting.open_date > start:
        return False
    return not (setting.close_date and setting.close_date < end)


def make_facts(rng: np.random.Generator, settings: pd.DataFrame) -> pd.DataFrame:
    out: dict[str, list] = {
        k: []
        for k in (
            "urn",
            "year_code",
            "input",
            "breakdown",
            "numerator",
            "denominator",
            "missing_reason",
        )
    }

    def add(urn, yc, inp, brk, num, den, reason=None):
        out["urn"].append(urn)
        out["year_code"].append(yc)
        out["input"].append(inp)
        out["breakdown"].append(brk)
        out["numerator"].append(num)
        out["denominator"].append(den)
        out["missing_reason"].append(reason)

    for s in settings.itertuples(index=False):
        p = PHASE_PARAMS[s.phase]
        sen_effect = math.exp(rng.normal(0, 0.33)) * (s.gen_need**0.8)
        ehcp_effect = math.exp(rng.normal(0, 0.45)) * (s.gen_need**0.5)
        abs_effect = math.exp(rng.normal(0, 0.18)) * (s.gen_need**0.9)
        susp_effect = math.exp(rng.normal(0, 0.55)) * (s.gen_need**1.2)
        if s.admissions_policy == "Selective":
            sen_effect *= 0.35
            ehcp_effect *= 0.3
            abs_effect *= 0.75
            susp_effect *= 0.2
        size = s.gen_size
        for yi, yc in enumerate(YEAR_CODES):
            if not _open_in(s, FIRST_YEAR + yi):
                continue
            size = size * math.exp(rng.normal(0.0, 0.03))
            pupils = max(5, round(size))
            # Census: EHC plans and SEN support.
            if s.phase == "Special":
                ehcp_p = min(1.0, p["ehcp"] + rng.normal(0, 0.012))
            else:
                ehcp_p = min(0.6, p["ehcp"] * ehcp_effect * EHCP_GROWTH**yi)
            extra_ehcp = int(rng.integers(8, 22)) if s.resourced_provision else 0
            ehcp = min(pupils, int(rng.binomial(pupils, max(ehcp_p, 0))) + extra_ehcp)
            sen_p = min(0.7, p["sen"] * sen_effect * SEN_GROWTH**yi)
            sen_support = int(rng.binomial(pupils - ehcp, sen_p))
            no_sen = pupils - ehcp - sen_support
            add(s.urn, yc, "sen_support", "all", sen_support, pupils)
            add(s.urn, yc, "ehcp", "all", ehcp, pupils)
            groups = {"ehcp": ehcp, "sen_support": sen_support, "no_sen": no_sen}

            # Absence (not applicable to nursery and post-16 settings).
            if p["absence"] is None:
                for inp in ("overall_absence", "persistent_absence"):
                    add(s.urn, yc, inp, "all", None, None, "z")
            elif ABSENCE_YEAR[yi] is None:
                for inp in ("overall_absence", "persistent_absence"):
                    for brk in ("all", *groups):
                        add(s.urn, yc, inp, brk, None, None, "x")
            else:
                base = p["absence"] * abs_effect * ABSENCE_YEAR[yi] * math.exp(rng.normal(0, 0.08))
                mix = sum(ABSENCE_BY_SEN[g] * n for g, n in groups.items()) / pupils
                tot_missed = tot_possible = tot_pa = 0
                for g, n in groups.items():
                    possible = n * int(rng.integers(370, 381))
                    rate = min(0.9, base * ABSENCE_BY_SEN[g] / mix)
                    missed = int(rng.binomial(possible, rate)) if possible else 0
                    pa_rate = min(
                        0.95, rate * p["pa"] * PA_YEAR[yi] * PA_BY_SEN[g] / ABSENCE_BY_SEN[g]
                    )
                    pa = int(rng.binomial(n, pa_rate)) if n else 0
                    add(s.urn, yc, "overall_absence", g, missed, possible)
                    add(s.urn, yc, "persistent_absence", g, pa, n)
                    tot_missed += missed
                    tot_possible += possible
                    tot_pa += pa
                add(s.urn, yc, "overall_absence", "all", tot_missed, tot_possible)
                add(s.urn, yc, "persistent_absence", "all", tot_pa, pupils)

            # Suspensions and permanent exclusions.
            if p["susp"] is None:
                for inp in ("suspensions", "suspended_pupils", "perm_exclusions"):
                    add(s.urn, yc, inp, "all", None, None, "z")
                continue
            mix = sum(SUSPENSION_BY_SEN[g] * n for g, n in groups.items()) / pupils
            year_f = SUSPENSION_YEAR[yi] * math.exp(rng.normal(0, 0.15))
            totals = {"suspensions": 0, "suspended_pupils": 0, "perm_exclusions": 0}
            for g, n in groups.items():
                lam = n * p["susp"] * susp_effect * year_f * SUSPENSION_BY_SEN[g] / mix
                events = int(rng.poisson(rng.gamma(2.0, lam / 2.0))) if lam > 0 else 0
                repeat = 1.6 + rng.random() * 1.2  # suspensions per suspended pupil
                pupils_susp = min(n, events, round(events / repeat) + (events > 0))
                perm_lam = n * p["perm"] * year_f * SUSPENSION_BY_SEN[g] / mix
                perm = min(n, int(rng.poisson(perm_lam)))
                add(s.urn, yc, "suspensions", g, events, n)
                add(s.urn, yc, "suspended_pupils", g, pupils_susp, n)
                add(s.urn, yc, "perm_exclusions", g, perm, n)
                totals["suspensions"] += events
                totals["suspended_pupils"] += pupils_susp
                totals["perm_exclusions"] += perm
            for inp, v in totals.items():
                add(s.urn, yc, inp, "all", v, pupils)

    facts = pd.DataFrame(out)
    facts["numerator"] = facts["numerator"].astype("Float64")
    facts["denominator"] = facts["denominator"].astype("Float64")
    return facts


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


def _grade(rng: np.random.Generator, need: float, previous: int | None = None) -> int:
    p = np.array([0.15, 0.60, 0.20, 0.05])
    p[2:] *= need**2
    if previous is not None:  # grades are sticky
        p[previous - 1] += 0.5
    return int(rng.choice([1, 2, 3, 4], p=p / p.sum()))


def make_inspections(rng: np.random.Generator, settings: pd.DataFrame):
    inspections, judgements = [], []

    def add_judgements(iid, areas, scale, grades_around, sixth_form, early_years):
        extra = []
        if early_years:
            extra.append("Early years" if scale == "five_point" else "Early years provision")
        if sixth_form:
            extra.append("Post-16" if scale == "five_point" else "Sixth form provision")
        for area in [*areas, *extra]:
            g = int(
                np.clip(
                    grades_around + rng.choice([-1, 0, 0, 0, 1]),
                    1,
                    4 if scale == "four_point" else 5,
                )
            )
            labels = FOUR_POINT if scale == "four_point" else FIVE_POINT
            judgements.append((iid, area, g, labels[g], scale))

    for s in settings.itertuples(index=False):
        if s.phase == "Post-16":
            continue  # inspected under the further-education framework; not modelled here
        day = (
            s.open_date + timedelta(days=int(rng.integers(400, 1000)))
            if s.open_date.year >= 2016
            else date(2011, 9, 1) + timedelta(days=int(rng.integers(0, 1450)))
        )
        grade = None
        sixth = s.age_high >= 18
        early = s.age_low <= 4
        while day <= LAST_INSPECTION_DAY and (s.close_date is None or day < s.close_date):
            if day.weekday() >= 5:
                day += timedelta(days=7 - day.weekday())
            iid = len(inspections) + 1
            if day < KEY_JUDGEMENTS_START:
                ungraded = grade is not None and grade <= 2 and rng.random() < 0.7
                if ungraded:
                    follow_up = bool(rng.random() < 0.15)
                    inspections.append(
                        (
                            iid,
                            s.urn,
                            day,
                            "ungraded",
                            "overall_effectiveness",
                            None,
                            None,
                            follow_up,
                        )
                    )
                    gap = (
                        int(rng.integers(365, 700)) if follow_up else int(rng.integers(1300, 1600))
                    )
                else:
                    grade = _grade(rng, s.gen_need, grade)
                    inspections.append(
                        (iid, s.urn, day, "graded", "overall_effectiveness", grade, None, None)
                    )
                    if day >= date(2019, 9, 1):
                        add_judgements(iid, KEY_JUDGEMENTS, "four_point", grade, sixth, early)
                    gap = (
                        int(rng.integers(1300, 1600)) if grade <= 2 else int(rng.integers(700, 900))
                    )
            elif day < REPORT_CARD_START:
                g = _grade(rng, s.gen_need, grade)
                inspections.append((iid, s.urn, day, "graded", "key_judgements", None, None, None))
                add_judgements(iid, KEY_JUDGEMENTS, "four_point", g, sixth, early)
                gap = int(rng.integers(1300, 1600)) if g <= 2 else int(rng.integers(700, 900))
            else:
                centre = {1: 4, 2: 3, 3: 2, 4: 2}[_grade(rng, s.gen_need, grade)]
                safeguarding = bool(rng.random() > 0.02)
                inspections.append(
                    (iid, s.urn, day, "report card", "report_card", None, safeguarding, None)
                )
                add_judgements(iid, REPORT_CARD_AREAS, "five_point", centre, sixth, early)
                gap = 1500
            day += timedelta(days=gap)
    return inspection_frames(inspections, judgements)


def make_awards(rng: np.random.Generator, settings: pd.DataFrame) -> pd.DataFrame:
    rows = []
    eligible = settings[settings.phase != "Post-16"]
    for s in eligible.itertuples(index=False):
        for scheme, share, levels, probs in (
            ("IQM", 0.07, ["Standard", "Centre of Excellence", "Flagship"], [0.7, 0.25, 0.05]),
            ("CPLD", 0.035, ["Bronze", "Silver", "Gold"], [0.6, 0.3, 0.1]),
        ):
            if rng.random() >= share:
                continue
            start = date(2016, 1, 1) + timedelta(days=int(rng.integers(0, 3300)))
            if s.open_date and start < s.open_date:
                start = s.open_date + timedelta(days=400)
            level = str(rng.choice(levels, p=probs))
            while start < date(2026, 7, 1) and (s.close_date is None or start < s.close_date):
                expiry = start + timedelta(days=3 * 365)
                rows.append((len(rows) + 1, s.urn, scheme, level, start, expiry))
                if rng.random() < 0.5:
                    break  # did not renew
                start = expiry - timedelta(days=int(rng.integers(0, 60)))
    return pd.DataFrame(
        rows, columns=["award_id", "urn", "scheme", "level", "award_date", "expiry_date"]
    )


def generate(
    scale: float = 1.0, authorities: int = 1, seed: int = SEED, progress: bool | None = False
) -> dict[str, pd.DataFrame]:
    """All demo tables as DataFrames; no database involved, so tests can check them directly.
    `progress=None` shows a progress bar on a terminal (a national-scale build takes ~30 s)."""
    bar = tqdm(
        total=4, desc="demo data", unit="step", disable=None if progress is None else not progress
    )
    rng = np.random.default_rng(seed)
    kent = district_table()
    parts = []
    for a in range(authorities):
        if a == 0:
            districts, la = kent, "886"
        else:  # fictional authorities for national-scale benchmarks: invented district codes
            districts = kent.copy()
            districts["district_code"] = [f"X{a:03d}{j:04d}" for j in range(len(kent))]
            districts["district_name"] = [
                f"Demo authority {a} district {j + 1}" for j in range(len(kent))
            ]
            la = f"{900 + a}"
            districts["la_code"] = la
        parts.append((districts, make_settings(rng, districts, scale, la, URN_BASE + a * 100000)))
    settings = pd.concat([p[1] for p in parts], ignore_index=True)
    bar.update()
    facts = make_facts(rng, settings)
    bar.update()
    inspections, judgements = make_inspections(rng, settings)
    bar.update()
    awards = make_awards(rng, settings)
    bar.update()
    bar.close()
    extra_districts = (
        pd.concat([p[0] for p in parts[1:]], ignore_index=True) if authorities > 1 else None
    )
    return {
        "settings": settings.drop(columns=["gen_size", "gen_need"]),
        "setting_facts": facts,
        "inspections": inspections,
        "inspection_judgements": judgements,
        "awards": awards,
        "extra_districts": extra_districts,
    }


def data_fingerprint(tables: dict[str, pd.DataFrame]) -> str:
    h = hashlib.sha256()
    for name in sorted(tables):
        df = tables[name]
        if df is not None:
            h.update(name.encode())
            h.update(pd.util.hash_pandas_object(df, index=False).values.tobytes())
    return h.hexdigest()


# Published, authority-level, OGL figures shipped in data/reference (see its README): the demo
# shows them as they are, so its EHC plans page and boundary map are real on a fresh clone.
OGL = "Open Government Licence v3.0"
EHCP_REFERENCE = [
    ("caseload_headline_all_areas.csv", "all"),
    ("caseload_kent_and_national.csv", "all"),
    ("timeliness_20_week_kent_and_national.csv", "all"),
    ("requests_kent_and_national.csv", "all"),
]
BOUNDARIES_REFERENCE = "kent_districts_dec2019.geojson"


def load_published_series(b: Build) -> None:
    """DfE's EHC plans release (June 2025: caseload January 2019–2025, requests and 20-week
    timeliness 2019–2024; England, regions and every authority at headline level, Kent and
    England by breakdown) and ONS's December 2019 boundaries of Kent's 12 districts."""
    from dashboard.ingest.boundaries import stage_boundaries
    from dashboard.ingest.ehcp import stage_ehcp

    for name, la in EHCP_REFERENCE:
        _, change = stage_ehcp(
            REFERENCE / "ehcp" / name, la,
            notes=f"Published figures, {OGL}; shipped in data/reference/ehcp (release of "
            "June 2025).",
        )  # fmt: skip
        change(b)
    codes = set(pd.read_csv(REFERENCE / "districts.csv")["district_code"])
    _, change = stage_boundaries(
        Path(), REFERENCE / BOUNDARIES_REFERENCE, codes,
        notes=f"ONS Local Authority Districts (December 2019), generalised; {OGL}; contains OS "
        "data © Crown copyright and database right 2019.",
    )  # fmt: skip
    change(b)


def build(
    out: Path,
    scale: float = 1.0,
    authorities: int = 1,
    seed: int = SEED,
    progress: bool | None = False,
) -> Path:
    tables = generate(scale, authorities, seed, progress)
    fingerprint = data_fingerprint(tables)

    def fill(b: Build) -> None:
        b.load_reference_tables(YEAR_CODES)
        if tables["extra_districts"] is not None:
            b.append(
                "districts",
                tables["extra_districts"][["district_code", "district_name", "la_code"]],
            )
        sid = b.add_source(
            "Fictional demo settings and indicators",
            "Kent inclusion dashboard project (generated)",
            f"generator v{GENERATOR_VERSION}, seed {seed}",
            sum(len(t) for k, t in tables.items() if k != "extra_districts" and t is not None),
            is_fictional=True,
            notes=f"Deterministic output; data fingerprint {fingerprint[:16]}. "
            "Settings, names and figures are invented; districts and benchmarks are real.",
        )
        for name in ("settings", "setting_facts", "inspections", "awards"):
            df = tables[name].copy()
            df["source_id"] = sid
            b.append(name, df)
        b.append("inspection_judgements", tables["inspection_judgements"])
        load_published_series(b)

    return build_database(
        out,
        fill,
        is_demo="true",
        builder=f"data/generate_demo.py (generator v{GENERATOR_VERSION}, seed {seed}, "
        f"scale {scale:g}, authorities {authorities})",
        data_fingerprint=fingerprint,
        la_code="886",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "demo.duckdb")
    ap.add_argument(
        "--scale", type=float, default=1.0, help="settings per authority relative to Kent"
    )
    ap.add_argument(
        "--authorities", type=int, default=1, help="1 = Kent only; 150 ≈ national scale"
    )
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    path = build(args.out, args.scale, args.authorities, args.seed, progress=None)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
