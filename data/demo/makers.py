"""The makers of the fictional demo: settings with invented names in Kent's real districts,
their yearly facts, inspections under each framework, and quality-mark awards. Each takes a
seeded random generator so the same seed gives the same data."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard.ingest.writer import read_reference
from dashboard.inspections import FOUR_POINT, inspection_frames
from data.demo.calibration import (
    ABSENCE_BY_SEN,
    ABSENCE_YEAR,
    DISTRICT_PROFILE,
    EHCP_GROWTH,
    FIRST_YEAR,
    FIVE_POINT,
    KEY_JUDGEMENTS,
    KEY_JUDGEMENTS_START,
    LAST_INSPECTION_DAY,
    PA_BY_SEN,
    PA_YEAR,
    PHASE_COUNTS,
    PHASE_PARAMS,
    REPORT_CARD_AREAS,
    REPORT_CARD_START,
    SELECTIVE_SECONDARIES,
    SEN_GROWTH,
    STEMS_A,
    STEMS_B,
    SUSPENSION_BY_SEN,
    SUSPENSION_YEAR,
    YEAR_CODES,
)


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
