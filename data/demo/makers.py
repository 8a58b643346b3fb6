"""The makers of the fictional demo: settings with invented names in Kent's real districts,
their yearly facts, inspections under each framework, and quality-mark awards. Each takes a
seeded random generator so the same seed gives the same data."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from dashboard.figures.inspections import FOUR_POINT, inspection_frames
from dashboard.ingest.writer import read_reference
from data.demo.calibration import (
    ABSENCE_BY_SEN,
    ABSENCE_NOT_COLLECTED,
    AUTHORITY_SPREAD,
    DISTRICT_PROFILE,
    FIRST_YEAR,
    FIVE_POINT,
    KEY_JUDGEMENTS,
    KEY_JUDGEMENTS_START,
    LAST_INSPECTION_DAY,
    PA_BY_SEN,
    PHASE_COUNTS,
    PHASE_PARAMS,
    REPORT_CARD_AREAS,
    REPORT_CARD_START,
    SELECTIVE_SECONDARIES,
    STEMS_A,
    STEMS_B,
    SUSPENSION_BY_SEN,
    YEAR_CODES,
    ZERO_PUBLISHED_FLOOR,
)
from data.demo.targets import ALL_SCHOOLS, published_targets


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


KENT = "886"
FACT_COLUMNS = ["urn", "year_code", "input", "breakdown", "numerator", "denominator",
                "missing_reason"]  # fmt: skip
GROUPS = ("ehcp", "sen_support", "no_sen")
SPREAD_KEY = {"ehcp": "ehcp", "sen_support": "sen_support", "overall_absence": "absence",
              "persistent_absence": "absence", "suspensions": "suspensions",
              "suspended_pupils": "suspensions", "perm_exclusions": "perm_exclusions"}  # fmt: skip


def make_facts(
    rng: np.random.Generator, settings: pd.DataFrame, targets: dict | None = None
) -> pd.DataFrame:
    """Each setting's yearly census, absence and exclusion figures, whole and by SEN group.

    Every figure is drawn at random around its phase's level for the year, and the levels are
    scaled so that the authority's totals land on Kent's published series (targets.py); a
    fictional authority of a national-scale demo aims at Kent's series times its own factor.
    So the demo looks like Kent in aggregate without copying any school."""
    targets = published_targets() if targets is None else targets
    frames = [
        _authority_facts(rng, part, targets if la == KENT else _shifted(rng, targets))
        for la, part in settings.groupby("la_code", sort=False)
    ]
    facts = pd.concat(frames, ignore_index=True)
    facts["numerator"] = facts["numerator"].astype("Float64")
    facts["denominator"] = facts["denominator"].astype("Float64")
    return facts


def _shifted(rng: np.random.Generator, targets: dict) -> dict:
    factor = {k: math.exp(rng.normal(0, sd)) for k, sd in AUTHORITY_SPREAD.items()}
    return {
        key: {y: v * factor[SPREAD_KEY[key[0]]] for y, v in years.items()}
        for key, years in targets.items()
    }


def _level(targets: dict, key: tuple[str, str], year_code: int) -> float | None:
    """The published proportion for a year, else the nearest earlier published year's (the
    demo's newest year may be newer than the release), else the nearest later one's."""
    years = targets.get(key, {})
    if not years:
        return None
    if year_code in years:
        value = years[year_code]
    else:
        earlier = [y for y in years if y < year_code]
        value = years[max(earlier)] if earlier else years[min(years)]
    return value if value > 0 else ZERO_PUBLISHED_FLOOR


def _published(targets: dict, key: tuple[str, str], year_code: int) -> float:
    """A level the demo cannot be made without (the published series ship in data/reference)."""
    return _known(_level(targets, key, year_code), "/".join(key))


def _known(value: float | None, what: str) -> float:
    """A level the demo cannot be made without (the published series ship in data/reference)."""
    if value is None:
        raise ValueError(f"no published level for {what} in data/reference")
    return value


def _phase_level(targets: dict, inp: str, phase: str, year_code: int) -> float | None:
    """A phase's level: published, or (for a phase LAIT does not publish) secondary's level
    times the phase's ratio to secondary in PHASE_PARAMS."""
    if (got := _level(targets, (inp, phase), year_code)) is not None:
        return got
    param = "absence" if inp == "overall_absence" else "pa"
    own, sec = PHASE_PARAMS[phase][param], PHASE_PARAMS["Secondary"][param]
    if own is None:
        return None
    if inp == "overall_absence":
        return _known(_phase_level(targets, inp, "Secondary", year_code), inp) * own / sec
    absence = _known(_phase_level(targets, "overall_absence", phase, year_code), phase)
    sec_abs = _known(_phase_level(targets, "overall_absence", "Secondary", year_code), inp)
    sec_pa = _known(_phase_level(targets, inp, "Secondary", year_code), inp)
    return min(0.9, absence * (sec_pa / sec_abs) * own / sec)


def _group_mean(x: np.ndarray, weight: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
    """Each row's weighted mean of x over its group of keys."""
    df = pd.DataFrame({"x": x * weight, "w": weight, **{f"k{i}": k for i, k in enumerate(keys)}})
    sums = df.groupby([f"k{i}" for i in range(len(keys))])[["x", "w"]].transform("sum")
    return (sums["x"] / sums["w"].where(sums["w"] > 0)).fillna(0).to_numpy()


def _normalised(x: np.ndarray, weight: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
    """x divided by its weighted mean within each group of keys: the group's level is then
    set by the target alone, and x only spreads it between settings."""
    mean = _group_mean(x, weight, keys)
    return np.where(mean > 0, x / np.where(mean > 0, mean, 1), 0.0)


def _per_year(values: np.ndarray, year: np.ndarray) -> dict[int, float]:
    return pd.Series(values).groupby(year).sum().to_dict()


def _authority_facts(rng: np.random.Generator, s: pd.DataFrame, targets: dict) -> pd.DataFrame:
    n_years = len(YEAR_CODES)
    need = s["gen_need"].to_numpy(float)
    sel = (s["admissions_policy"] == "Selective").to_numpy()
    n = len(s)
    effect = {
        "sen": np.exp(rng.normal(0, 0.33, n)) * need**0.8 * np.where(sel, 0.35, 1.0),
        "ehcp": np.exp(rng.normal(0, 0.45, n)) * need**0.5 * np.where(sel, 0.3, 1.0),
        "abs": np.exp(rng.normal(0, 0.18, n)) * need**0.9 * np.where(sel, 0.75, 1.0),
        "susp": np.exp(rng.normal(0, 0.55, n)) * need**1.2 * np.where(sel, 0.2, 1.0),
    }
    size = s["gen_size"].to_numpy(float)[:, None] * np.cumprod(
        np.exp(rng.normal(0.0, 0.03, (n, n_years))), axis=1
    )
    open_ = np.array(
        [[_open_in(row, FIRST_YEAR + yi) for yi in range(n_years)] for row in s.itertuples()]
    )
    si, yi = np.nonzero(open_)
    phase = s["phase"].to_numpy()[si]
    yc = np.array(YEAR_CODES)[yi]
    pupils = np.maximum(5, np.round(size[si, yi])).astype(np.int64)
    urn = s["urn"].to_numpy()[si]
    rows = len(si)
    param = {k: np.array([PHASE_PARAMS[p][k] for p in phase], dtype=object) for k in
             ("sen", "ehcp", "absence", "pa", "susp", "perm")}  # fmt: skip
    pupils_by_year = _per_year(pupils, yc)

    # Census: EHC plans, then SEN support among the rest; both aim at the all-schools share.
    special = phase == "Special"
    extra = np.where(s["resourced_provision"].to_numpy()[si], rng.integers(8, 22, rows), 0)
    special_draw = np.where(
        special, rng.binomial(pupils, np.clip(0.965 + rng.normal(0, 0.012, rows), 0, 1)), 0
    )
    latent = _normalised(param["ehcp"].astype(float) * effect["ehcp"][si], pupils, [yi, phase])
    latent = np.where(special, 0.0, latent)
    fixed = _per_year(special_draw + extra, yc)
    spread = _per_year(pupils * latent, yc)
    wanted = {y: _published(targets, ("ehcp", "all"), y) * pupils_by_year[y] for y in set(yc)}
    scale = np.array([max(0.0, (wanted[y] - fixed[y]) / spread[y]) for y in yc])
    ehcp = np.where(special, special_draw, rng.binomial(pupils, np.clip(scale * latent, 0, 0.6)))
    ehcp = np.minimum(pupils, ehcp + extra)
    rest = pupils - ehcp
    latent = _normalised(param["sen"].astype(float) * effect["sen"][si], rest, [yi, phase])
    spread = _per_year(rest * latent, yc)
    scale = np.array(
        [_published(targets, ("sen_support", "all"), y) * pupils_by_year[y] / spread[y] for y in yc]
    )
    sen_support = rng.binomial(rest, np.clip(scale * latent, 0, 0.7))
    group_n = {"ehcp": ehcp, "sen_support": sen_support, "no_sen": pupils - ehcp - sen_support}

    out = [_rows(urn, yc, "sen_support", "all", sen_support, pupils),
           _rows(urn, yc, "ehcp", "all", ehcp, pupils)]  # fmt: skip
    out += _absence(rng, targets, urn, yc, yi, phase, pupils, group_n, effect["abs"][si])
    out += _exclusions(rng, targets, urn, yc, phase, pupils, group_n, effect["susp"][si])
    return pd.concat(out, ignore_index=True)


def _rows(urn, yc, inp, breakdown, numerator, denominator, reason=None) -> pd.DataFrame:
    return pd.DataFrame({
        "urn": urn, "year_code": yc, "input": inp, "breakdown": breakdown,
        "numerator": np.asarray(numerator, dtype=float) if numerator is not None else np.nan,
        "denominator": np.asarray(denominator, dtype=float) if denominator is not None else np.nan,
        "missing_reason": reason,
    })  # fmt: skip


def _absence(rng, targets, urn, yc, yi, phase, pupils, group_n, effect) -> list[pd.DataFrame]:
    applies = np.array([PHASE_PARAMS[p]["absence"] is not None for p in phase])
    collected = ~np.isin(yc, list(ABSENCE_NOT_COLLECTED))
    out = []
    for inp in ("overall_absence", "persistent_absence"):
        na = ~applies
        out.append(_rows(urn[na], yc[na], inp, "all", None, None, "z"))
        gap = applies & ~collected
        for brk in ("all", *GROUPS):
            out.append(_rows(urn[gap], yc[gap], inp, brk, None, None, "x"))
    m = applies & collected
    urn, yc, yi, phase, pupils = urn[m], yc[m], yi[m], phase[m], pupils[m]
    group_n = {g: v[m] for g, v in group_n.items()}
    rows = len(urn)
    level = {
        inp: np.array([_phase_level(targets, inp, p, y) for p, y in zip(phase, yc, strict=True)])
        for inp in ("overall_absence", "persistent_absence")
    }
    latent = _normalised(effect[m] * np.exp(rng.normal(0, 0.08, rows)), pupils, [yi, phase])
    base = level["overall_absence"] * latent
    mix = sum(ABSENCE_BY_SEN[g] * group_n[g] for g in GROUPS) / pupils
    pa_latent = _normalised(latent**1.3, pupils, [yi, phase])
    pa_mix = sum(PA_BY_SEN[g] * group_n[g] for g in GROUPS) / pupils
    pa_rate = {g: level["persistent_absence"] * pa_latent * PA_BY_SEN[g] / pa_mix for g in GROUPS}
    for _ in range(5):  # no rate passes 95%: share what the cap removed among the rest
        pa_rate = {g: np.minimum(0.95, r) for g, r in pa_rate.items()}
        whole = sum(pa_rate[g] * group_n[g] for g in GROUPS) / pupils
        achieved = _group_mean(whole, pupils, [yi, phase])
        factor = np.where(achieved > 0, level["persistent_absence"] / achieved, 1.0)
        pa_rate = {g: r * factor for g, r in pa_rate.items()}
    pa_rate = {g: np.minimum(0.95, r) for g, r in pa_rate.items()}
    missed_all = np.zeros(rows)
    possible_all = np.zeros(rows)
    pa_all = np.zeros(rows)
    for g in GROUPS:
        possible = group_n[g] * rng.integers(370, 381, rows)
        missed = rng.binomial(possible, np.minimum(0.9, base * ABSENCE_BY_SEN[g] / mix))
        pa = rng.binomial(group_n[g], pa_rate[g])
        out.append(_rows(urn, yc, "overall_absence", g, missed, possible))
        out.append(_rows(urn, yc, "persistent_absence", g, pa, group_n[g]))
        missed_all += missed
        possible_all += possible
        pa_all += pa
    out.append(_rows(urn, yc, "overall_absence", "all", missed_all, possible_all))
    out.append(_rows(urn, yc, "persistent_absence", "all", pa_all, pupils))
    return out


def _exclusions(rng, targets, urn, yc, phase, pupils, group_n, effect) -> list[pd.DataFrame]:
    """Suspensions and permanent exclusions: each year's total is the published rate times the
    pupils of the schools it covers, shared between settings and SEN groups at random in
    proportion to their (random, over-dispersed) propensity."""
    applies = np.array([PHASE_PARAMS[p]["susp"] is not None for p in phase])
    out = [
        _rows(urn[~applies], yc[~applies], inp, "all", None, None, "z")
        for inp in ("suspensions", "suspended_pupils", "perm_exclusions")
    ]
    urn, yc, phase, pupils = urn[applies], yc[applies], phase[applies], pupils[applies]
    group_n = {g: v[applies] for g, v in group_n.items()}
    effect = effect[applies]
    rows = len(urn)
    covered = np.isin(phase, ALL_SCHOOLS)
    covered_pupils = _per_year(np.where(covered, pupils, 0), yc)
    mix = sum(SUSPENSION_BY_SEN[g] * group_n[g] for g in GROUPS) / pupils
    year_noise = rng.gamma(2.0, 0.5, rows)
    phase_susp = np.array([PHASE_PARAMS[p]["susp"] for p in phase])
    phase_perm = np.array([PHASE_PARAMS[p]["perm"] for p in phase])

    def share(inp: str, weight: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        counts = {g: np.zeros(rows, dtype=np.int64) for g in GROUPS}
        cells = np.stack([weight[g] for g in GROUPS], axis=1)  # rows × groups
        for y in np.unique(yc):
            at = yc == y
            w = cells[at]
            total_w, covered_w = w.sum(), w[covered[at]].sum()
            if total_w <= 0:
                continue
            want = _published(targets, (inp, "all"), int(y)) * covered_pupils[y]
            drawn = rng.multinomial(round(want * total_w / covered_w), (w / total_w).ravel())
            drawn = drawn.reshape(w.shape)
            for j, g in enumerate(GROUPS):
                counts[g][at] = drawn[:, j]
        return counts

    weight = {g: group_n[g] * phase_susp * effect * year_noise * SUSPENSION_BY_SEN[g] / mix
              for g in GROUPS}  # fmt: skip
    events = share("suspensions", weight)
    weight = {g: group_n[g] * phase_perm * effect**0.5 * SUSPENSION_BY_SEN[g] / mix
              for g in GROUPS}  # fmt: skip
    perm = {g: np.minimum(group_n[g], v) for g, v in share("perm_exclusions", weight).items()}
    # Pupils suspended: one for each group with a suspension, plus each further suspension is
    # a new pupil with the probability that makes the year's total the published one.
    repeat = {}
    for y in np.unique(yc):
        at = (yc == y) & covered
        first = sum((events[g][at] > 0).sum() for g in GROUPS)
        more = sum(np.maximum(events[g][at] - 1, 0).sum() for g in GROUPS)
        want = _published(targets, ("suspended_pupils", "all"), int(y)) * covered_pupils[y]
        repeat[y] = float(np.clip((want - first) / more, 0, 1)) if more else 0.0
    q = np.array([repeat[y] for y in yc])
    totals: dict[str, Any] = {"suspensions": 0, "suspended_pupils": 0, "perm_exclusions": 0}
    for g in GROUPS:
        e = events[g]
        pupils_susp = np.where(e > 0, 1 + rng.binomial(np.maximum(e - 1, 0), q), 0)
        pupils_susp = np.minimum(group_n[g], pupils_susp)
        for inp, v in (("suspensions", e), ("suspended_pupils", pupils_susp),
                       ("perm_exclusions", perm[g])):  # fmt: skip
            out.append(_rows(urn, yc, inp, g, v, group_n[g]))
            totals[inp] = totals[inp] + v
    for inp, v in totals.items():
        out.append(_rows(urn, yc, inp, "all", v, pupils))
    return out


def _grade(rng: np.random.Generator, need: float, previous: int | None = None) -> int:
    p = np.array([0.15, 0.60, 0.20, 0.05])
    p[2:] *= need**2
    if previous is not None:  # grades are sticky
        p[previous - 1] += 0.5
    return int(rng.choice([1, 2, 3, 4], p=p / p.sum()))


def make_inspections(rng: np.random.Generator, settings: pd.DataFrame):
    inspections: list[tuple] = []
    judgements: list[tuple] = []

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
    rows: list[tuple] = []
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


# Intake: each phase's typical share of pupils eligible for free school meals and with English
# as an additional language (roughly England's, 2018/19–2024/25), before each setting's need.
INTAKE_FSM = {"Primary": 0.2, "Secondary": 0.18, "All-through": 0.18, "Special": 0.4,
              "Alternative provision": 0.45, "Nursery": 0.1, "Post-16": 0.14}  # fmt: skip
INTAKE_EAL = 0.12
SELECTIVE_FSM = 0.2  # grammar schools take far fewer pupils eligible for free school meals


def make_intake(
    rng: np.random.Generator, settings: pd.DataFrame, facts: pd.DataFrame
) -> pd.DataFrame:
    """Each setting's yearly free-school-meal and EAL counts over its pupils on roll.

    Drawn with their own generator after everything else, so adding them left every other
    demo figure as it was. Free-school-meal shares follow the setting's need (as deprivation
    and identified SEN go together in national data), so a model of SEN given intake has
    something to find; EAL shares vary by district and setting and are otherwise unrelated."""
    roll = facts.loc[(facts["input"] == "sen_support") & (facts["breakdown"] == "all"),
                     ["urn", "year_code", "denominator"]]  # fmt: skip
    s = settings.set_index("urn").loc[roll["urn"]]
    pupils = roll["denominator"].to_numpy(dtype=np.int64)
    n = len(settings)
    own_fsm = dict(zip(settings["urn"], np.exp(rng.normal(0, 0.3, n)), strict=True))
    own_eal = dict(zip(settings["urn"], np.exp(rng.normal(0, 0.8, n)), strict=True))
    districts = settings["district_code"].unique()
    area_eal = dict(zip(districts, np.exp(rng.normal(0, 0.5, len(districts))), strict=True))
    years = np.array(YEAR_CODES)
    drift = dict(zip(years, np.linspace(0.75, 1.1, len(years)), strict=True))  # FSM rose
    fsm_share = (
        s["phase"].map(INTAKE_FSM).fillna(0.2).to_numpy()
        * np.where(s["admissions_policy"].to_numpy() == "Selective", SELECTIVE_FSM, 1.0)
        * s["gen_need"].to_numpy(float) ** 1.5
        * roll["urn"].map(own_fsm).to_numpy()
        * roll["year_code"].map(drift).to_numpy()
    )
    eal_share = (
        INTAKE_EAL
        * s["district_code"].map(area_eal).fillna(1.0).to_numpy()
        * roll["urn"].map(own_eal).to_numpy()
    )
    urn, yc = roll["urn"].to_numpy(), roll["year_code"].to_numpy()
    fsm = rng.binomial(pupils, np.clip(fsm_share, 0, 0.85))
    eal = rng.binomial(pupils, np.clip(eal_share, 0, 0.9))
    return pd.concat([_rows(urn, yc, "fsm", "all", fsm, pupils),
                      _rows(urn, yc, "eal", "all", eal, pupils)], ignore_index=True)  # fmt: skip
