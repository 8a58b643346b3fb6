"""An intruder who attacks everything the app publishes, at once, to recover hidden figures.

What the intruder copies down, for every year it attacks, every phase choice of the sidebar and
the whole authority, every district and every setting, using only the app's own functions (the
ones pages and CSVs are drawn from, never the suppression tables):

- the authority's figures for every measure under every phase choice (Overview, Trends,
  Compare by phases): numerator, denominator and, for the pilot measures, the second group's
  numerator and denominator;
- each district's figures (Compare by districts, Map; a district's Overview card and Trends
  line are the same computation, which tests/unit/test_one_figure.py asserts), and each
  district's EHC-plans-in-mainstream share;
- each setting's figures (Compare by settings, Setting profile, their CSVs).

What it knows besides: which settings are in which district and phase (GIAS publishes that); that
every count is a whole number and not negative; that a setting's pupils are those on SEN support,
those with an EHC plan and those with neither (so a pilot measure's SEN denominator is SEN
support + EHC plans, and its no-SEN denominator the rest of the roll); and that a count for all
pupils is the SEN count plus the no-SEN count. Where the demo's files make two published figures
the same count (the census roll and the exclusions file's roll), the intruder is told so: it is
an intruder who knows how the files are made.

It then asks an integer programme (scipy's HiGHS) for the least and the greatest value each hidden
figure could take. A hidden figure whose least and greatest values agree has been recovered,
whatever its value (a hidden 0 or 40 recovered is as much a failure as a hidden 1).

Pooled three-year figures are checked apart (`pooled_leaks`): a pooled figure shown where any of
its years is hidden would let a reader difference it against the visible years.

Not modelled: the EHC plan concentration measure (a share held by the top fifth of settings, not
a sum), session counts (overall absence: sessions are not people), inspection grades and awards
(public registers).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix

from dashboard.core import catalogue
from dashboard.core.filters import MAINSTREAM, PHASE_OPTIONS, PHASES_BY_KEY, Selection
from dashboard.figures import comparison, indicators
from dashboard.store import db, sql

Expr = frozenset  # of (variable, coefficient) pairs: a published figure as a sum of counts
POPULATION = {"sen_support": "S", "ehcp": "E"}
SPLIT = ("sen", "no_sen")
LINEAR_MODELS = ("binomial", "poisson", "difference", "ratio")


@dataclass
class Figure:
    """One published (or hidden) figure: where it was read, its expression, its value."""

    where: str
    expr: Expr
    value: float  # nan when hidden


@dataclass
class Attack:
    """What the intruder read and what it recovered."""

    shown: list[Figure] = field(default_factory=list)
    hidden: list[Figure] = field(default_factory=list)
    recovered: list[tuple[Figure, float]] = field(default_factory=list)
    implied: list[tuple[Figure, float]] = field(default_factory=list)
    truth: dict = field(default_factory=dict)

    def summary(self) -> str:
        small = sum(1 for _, v in self.recovered if 0 < v < 3)
        return (f"{len(self.recovered)} of {len(self.hidden)} hidden figures recovered "
                f"({small} of them true 1-2; {len(self.implied)} more only as the sum or part "
                "of figures shown); first: "
                + "; ".join(f"{f.where} = {v:g}" for f, v in self.recovered[:8]))  # fmt: skip


class Model:
    """The true counts of one year, as the variables the intruder reasons over."""

    def __init__(self, con, year: int, la_code: str) -> None:
        self.year = year
        self.settings = {
            r[0]: (r[1] or "", r[2], r[3])
            for r in con.execute(
                "select urn, district_code, phase, admissions_policy from settings "
                "where la_code = ?",
                [la_code],
            ).fetchall()
        }
        rows = con.execute(
            "select f.urn, f.input, f.breakdown, f.numerator, f.denominator from setting_facts f "
            "join settings s using (urn) where s.la_code = ? and f.year_code = ?",
            [la_code, year],
        ).fetchall()
        num: dict = defaultdict(float)
        den: dict = defaultdict(float)
        seen: set = set()
        for urn, input_, breakdown, n, d in rows:
            comp = "all" if breakdown == "all" else ("no_sen" if breakdown == "no_sen" else "sen")
            if n is not None:
                num[(urn, input_, comp)] += n
                seen.add((urn, input_, comp))
            if d is not None:
                den[(urn, input_, comp)] += d
        self.values: dict[tuple, float] = {}  # variable -> true value
        self.num: dict[tuple, Expr] = {}  # (urn, input, comp) -> numerator expression
        self.den: dict[tuple, Expr] = {}
        self.links: list[Expr] = []  # expressions that equal zero
        pop: dict[int, tuple[float, float, float]] = {}
        for urn in {u for u, _, _ in seen}:
            p = den.get((urn, "ehcp", "all"))
            if (urn, "sen_support", "all") in seen and (urn, "ehcp", "all") in seen and p:
                s, e = num[(urn, "sen_support", "all")], num[(urn, "ehcp", "all")]
                pop[urn] = (s, e, p - s - e)
                for name, v in zip("SEN", pop[urn], strict=True):
                    self.values[(urn, name)] = v
        for urn, input_, comp in sorted(seen):
            key = (urn, input_, comp)
            if input_ in POPULATION and comp == "all" and urn in pop:
                self.num[key] = Expr({((urn, POPULATION[input_]), 1.0)})
            else:
                self.values[(urn, input_, comp)] = num[key]
                self.num[key] = Expr({((urn, input_, comp), 1.0)})
            if key in den:
                self.den[key] = self._denominator(urn, input_, comp, den[key], pop)
        for urn, input_, comp in sorted(seen):
            if comp == "all" and all((urn, input_, c) in seen for c in SPLIT) \
                    and (urn, input_, "all") in self.values:  # fmt: skip
                self.links.append(Expr({((urn, input_, "all"), 1.0), ((urn, input_, "sen"), -1.0),
                                        ((urn, input_, "no_sen"), -1.0)}))  # fmt: skip

    def _denominator(self, urn, input_, comp, value, pop) -> Expr:
        """A denominator as population counts where it equals them, else a count of its own."""
        if urn in pop:
            s, e, n = pop[urn]
            as_pop = {"all": (("S", "E", "N"), s + e + n), "sen": (("S", "E"), s + e),
                      "no_sen": (("N",), n)}[comp]  # fmt: skip
            if math.isclose(as_pop[1], value):
                return Expr({((urn, v), 1.0) for v in as_pop[0]})
        var = (urn, input_, "den_" + comp)
        self.values[var] = value
        return Expr({(var, 1.0)})

    def members(self, geo: str, key: str) -> list[int]:
        opt = MAINSTREAM if key == MAINSTREAM.key else PHASES_BY_KEY[key]
        return [u for u, (d, phase, adm) in self.settings.items()
                if (geo == "all" or d == geo) and phase in opt.phases
                and adm in opt.admissions]  # fmt: skip

    def total(self, table: dict, urns: list[int], input_: str, comp: str) -> Expr:
        acc: dict = defaultdict(float)
        for u in urns:
            for var, coef in table.get((u, input_, comp), ()):
                acc[var] += coef
        return Expr(acc.items())

    def true(self, expr: Expr) -> float:
        return sum(c * self.values[v] for v, c in expr)


def _parts(measure) -> list[tuple[str, str, str]]:
    """(published column, numerator or denominator table, component) of a measure's figure."""
    if measure.model in ("difference", "ratio"):
        return [("numerator", "num", "sen"), ("denominator", "den", "sen"),
                ("numerator_b", "num", "no_sen"), ("denominator_b", "den", "no_sen")]  # fmt: skip
    return [("numerator", "num", "all"), ("denominator", "den", "all")]


def _record(att: Attack, model: Model, where: str, measure, urns, figure) -> None:
    """Add one unit's published (or hidden) figures to what the intruder knows."""
    shown = figure["flag"] in ("", "u")
    for column, table, comp in _parts(measure):
        expr = model.total(getattr(model, table), urns, measure.input, comp)
        if not expr:
            continue
        value = float(figure[column])
        if shown and not math.isnan(value):
            att.shown.append(Figure(f"{where} {column}", expr, value))
        elif figure["flag"] == "c" and (table == "num" or _own_count(expr)):
            att.hidden.append(Figure(f"{where} {column}", expr, math.nan))


def _own_count(expr: Expr) -> bool:
    """A denominator that is not made of the roll's pupil counts: a count of its own, which
    the intruder attacks. One made of them (the roll; pupils with SEN) is hidden beside a small
    numerator only so the numerator cannot be worked out from the rate; recovering the roll is
    no disclosure, and a hidden SEN count within it is attacked as the count it is."""
    return any(len(var) == 3 for var, _ in expr)


def collect(con, year: int, districts: list[str], la_code: str = "886") -> tuple[Model, Attack]:
    """Every figure the app publishes for one year, shown or hidden."""
    model = Model(con, year, la_code)
    att = Attack()
    fetch = _remembering(db.fetcher(con))
    measures = [m for m in catalogue.load() if m.model in LINEAR_MODELS and m.input
                and m.input != "overall_absence"]  # fmt: skip
    mainstream = catalogue.get("ehcp_mainstream_pct")
    for option in PHASE_OPTIONS:
        if not model.members("all", option.key):
            continue
        # intervals do not matter here: one over-dispersion estimate serves every area
        ods = indicators.overdispersions(
            fetch, Selection(year, "all", option.key, la_code=la_code), measures
        )
        whole = Selection(year, "all", option.key, la_code=la_code)
        figs = indicators.area_figures(fetch, whole, measures, ods)
        for m in measures:
            urns = model.members("all", option.key)
            _record(att, model, f"all/{option.key}/{m.id}", m, urns, figs[m.id].__dict__)
        # A district's Overview card is the same computation as its Compare row (asserted by
        # tests/unit/test_one_figure.py), read below from Compare. The mainstream share is for
        # all phases, whatever the phase chosen, and has no Compare row: read it per district.
        for geo in ["all", *districts] if option.key == "all" else []:
            sel = Selection(year, geo, option.key, la_code=la_code)
            f = indicators.area_figures(fetch, sel, [mainstream])[mainstream.id]
            label = f"{geo}/{mainstream.id}"
            ms = model.total(model.num, model.members(geo, MAINSTREAM.key), "ehcp", "all")
            al = model.total(model.num, model.members(geo, "all"), "ehcp", "all")
            for column, expr in (("numerator", ms), ("denominator", al)):
                if f.shown:
                    att.shown.append(Figure(f"{label} {column}", expr, float(getattr(f, column))))
                elif f.flag == "c" and expr:
                    att.hidden.append(Figure(f"{label} {column}", expr, math.nan))
        sel = Selection(year, "all", option.key, la_code=la_code)
        for m in measures:
            units = comparison.compare(fetch, m, sel, "districts").units
            for u in units.to_dict("records"):
                urns = model.members(u["unit"], option.key)
                _record(att, model, f"district {u['unit']}/{option.key}/{m.id}", m, urns, u)
            res = comparison.compare(fetch, m, sel, "settings")
            for u in res.units.to_dict("records"):
                urn = int(u["unit"])
                _record(att, model, f"setting {urn}/{m.id}", m, [urn], u)
    att.hidden = _distinct(att.hidden)
    att.shown = _distinct(att.shown)
    return model, att


def _remembering(fetch):
    """The app's fetch, answering a query asked again with the same parameters from memory:
    the pages ask the same questions many times, and the database does not change here."""
    memo: dict = {}

    def remembered(name: str, params: dict | None = None, /):
        wanted = sql.parameters(name)
        key = (name, repr(sorted((k, v) for k, v in (params or {}).items() if k in wanted)))
        if key not in memo:
            memo[key] = fetch(name, params)
        return memo[key].copy()

    return remembered


def _distinct(figures: list[Figure]) -> list[Figure]:
    seen: dict = {}
    for f in figures:
        seen.setdefault(f.expr, f)
    return list(seen.values())


def attack(model: Model, att: Attack, time_limit: float = 60.0) -> Attack:
    """Bound every hidden figure; record those whose bounds meet.

    Figures shown as themselves fix their counts at once; what is left falls apart into small
    independent systems (a district's hidden settings and groups), each solved on its own."""
    shown_exprs = {f.expr for f in att.shown}
    att.hidden = [f for f in att.hidden if f.expr not in shown_exprs]
    known: dict = {}
    equations = [(dict(f.expr), f.value) for f in att.shown] + [(dict(e), 0.0) for e in model.links]
    changed = True
    while changed:  # a figure with one unknown count gives that count
        changed = False
        rest = []
        for expr, value in equations:
            unknown = {v: c for v, c in expr.items() if v not in known}
            value = value - sum(c * known[v] for v, c in expr.items() if v in known)
            if len(unknown) == 1:
                ((v, c),) = unknown.items()
                known[v] = value / c
                changed = True
            elif unknown:
                rest.append((unknown, value))
        equations = rest
    for v, value in known.items():
        assert abs(value - model.values[v]) < 1e-6, f"published figures disagree at {v}"
    parent: dict = {}

    def find(v):
        while parent.setdefault(v, v) != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for expr, _ in equations:
        first, *others = expr
        for v in others:
            parent[find(v)] = find(first)
    targets = []
    for f in att.hidden:
        unknown = {v: c for v, c in f.expr if v not in known}
        value = sum(c * model.values[v] for v, c in f.expr)
        att.truth[f.where] = value
        if not unknown:
            att.recovered.append((f, value))
            continue
        first, *others = unknown
        for v in others:
            parent[find(v)] = find(first)
        targets.append((f, unknown, value))
    systems: dict = defaultdict(lambda: ([], []))
    for expr, value in equations:
        systems[find(next(iter(expr)))][0].append((expr, value))
    for f, unknown, value in targets:
        systems[find(next(iter(unknown)))][1].append((f, unknown, value))
    _bound(model, list(systems.values()), att, time_limit)
    _set_apart_implied(model, att, time_limit)
    return att


def _own_equations(model: Model, att: Attack) -> dict[int, list]:
    """Each setting's own published figures (and its all = SEN + no SEN), as equations."""
    own: dict[int, list] = defaultdict(list)
    pairs = [(f.expr, f.value) for f in att.shown] + [(e, 0.0) for e in model.links]
    for expr, value in pairs:
        urns = {var[0] for var, _ in expr}
        if len(urns) == 1:
            own[urns.pop()].append((dict(expr), value))
    return own


def _sum_of_shown(target: Figure, att: Attack, model: Model, is_zero) -> bool:
    """True when the hidden figure is a plain sum of shown figures (no subtraction), once the
    counts inside shown totals of 0 are taken as 0: Mainstream phases hidden beside a hidden
    all-phase total, though each mainstream phase is shown; a district's special schools' SEN
    suspensions when its special schools' suspensions are shown and no pupil without SEN in
    any special school was suspended."""
    support = {v for v, _ in target.expr}
    near = set(support)  # the counts whose zero matters here (asked one by one: it costs)
    alias: dict = {}
    for link in model.links:  # all = sen + no_sen: with one part a public 0, the other is all
        (whole,) = [v for v, c in link if c > 0]
        parts = [v for v, c in link if c < 0]
        if not any(v in support for v in parts):
            continue
        near.update(parts)
        for p, q in (parts, parts[::-1]):
            if is_zero(q):
                alias[p] = whole

    def plain(expr: Expr) -> dict:
        out: dict = defaultdict(float)
        for v, c in expr:
            if not (v in near and is_zero(v)):
                out[alias.get(v, v)] += c
        return {v: c for v, c in out.items() if c}

    goal = plain(target.expr)
    if not goal:
        return True
    support = set(goal)
    parts = [p for p in (plain(f.expr) for f in att.shown) if p and set(p) <= support]
    if not parts:
        return False
    variables = sorted(support, key=str)
    index = {v: i for i, v in enumerate(variables)}
    a = np.zeros((len(variables), len(parts)))
    for j, p in enumerate(parts):
        for v, c in p.items():
            a[index[v], j] = c
    b = np.zeros(len(variables))
    for v, c in goal.items():
        b[index[v]] = c
    res = linprog(np.zeros(len(parts)), A_eq=a, b_eq=b, bounds=(0, None), method="highs")
    return res.status == 0


def _set_apart_implied(model: Model, att: Attack, time_limit: float) -> None:
    """Move to `implied` the recoveries that disclose nothing beyond figures the app shows as
    themselves: a hidden figure that a setting's own shown figures fix (its total of 0 makes
    each part 0; a roll that is all EHC plans makes SEN support 0), with any count inside a
    shown total of 0 taken as 0 (no pupil without SEN suspended in any special school of the
    authority: then none in one district's either), a hidden group total every
    count of which the settings' own figures fix, and a hidden total that is a plain sum of
    shown totals. Every other recovery needs differencing or bounds, and is a leak."""
    own = _own_equations(model, att)
    # a shown total of 0 makes every count in it 0: public, whatever else is hidden
    zeros = {v for f in att.shown if f.value == 0 and all(c > 0 for _, c in f.expr)
             for v, _ in f.expr}  # fmt: skip
    fixed: dict = {}

    def settle(variables) -> None:
        """Whether each count is fixed by its own setting's figures: one system per setting
        (its own equations and public zeros), all bounded together."""
        by_setting: dict = defaultdict(list)
        for var in variables:
            if var not in fixed:
                by_setting[var[0]].append(var)
        systems: list = []
        asked: dict = {}
        for urn, vars_ in by_setting.items():
            equations = [(e, v) for e, v in own.get(urn, [])]
            equations += [({v: 1.0}, 0.0) for v in zeros if v[0] == urn]
            targets = []
            for var in vars_:
                figure = Figure(f"own {len(asked)}", Expr({(var, 1.0)}), math.nan)
                asked[figure.where] = var
                targets.append((figure, {var: 1.0}, model.values[var]))
            systems.append((equations, targets))
        probe = Attack()
        _bound(model, systems, probe, time_limit)
        for var in asked.values():
            fixed[var] = None
        for figure, _ in probe.recovered:
            var = asked[figure.where]
            fixed[var] = model.values[var]

    def own_value(var) -> float | None:
        if var not in fixed:
            settle([var])
        return fixed[var]

    wanted = {v for f, _ in att.recovered for v, _ in f.expr}
    wanted |= {v for link in model.links if any(u in wanted for u, _ in link) for v, _ in link}
    settle(wanted)

    leaks = []
    for f, value in att.recovered:
        if all(own_value(var) is not None for var, _ in f.expr) or _sum_of_shown(
            f, att, model, lambda v: v in zeros or own_value(v) == 0
        ):
            att.implied.append((f, value))
        else:
            leaks.append((f, value))
    att.recovered = leaks


class _Programme:
    """Equations over whole, non-negative counts, and the hidden figures to bound in them."""

    def __init__(self, model: Model, equations, targets, time_limit: float) -> None:
        variables = sorted({v for e, _ in equations for v in e}
                           | {v for _, u, _ in targets for v in u}, key=str)  # fmt: skip
        index = {v: i for i, v in enumerate(variables)}
        n = self.n = len(variables)
        rows, cols, vals, rhs = [], [], [], []
        for r, (expr, value) in enumerate(equations):
            for v, c in expr.items():
                rows.append(r)
                cols.append(index[v])
                vals.append(c)
            rhs.append(value)
        a = coo_matrix((vals, (rows, cols)), shape=(len(equations), n)).tocsr()
        truth = np.array([model.values[v] for v in variables])
        self.constraints = [LinearConstraint(a, rhs, rhs)] if equations else []
        self.bounds = Bounds(np.zeros(n), np.full(n, 1e7))
        self.integrality = np.ones(n)
        self.time_limit = time_limit
        self.vectors = []
        for _, unknown, _ in targets:
            v = np.zeros(n)
            for var, c in unknown.items():
                v[index[var]] = c
            self.vectors.append(v)
        self.true = np.array([v @ truth for v in self.vectors])

    def solve(self, obj: np.ndarray) -> np.ndarray:
        res = milp(obj, constraints=self.constraints, bounds=self.bounds,
                   integrality=self.integrality,
                   options={"time_limit": self.time_limit})  # fmt: skip
        assert res.status == 0, res.message
        return res.x

    def still_open(self) -> set[int]:
        """The figures no second solution has moved yet. A solution in which a figure differs
        from the truth proves it was not recovered: push all figures up, then down, with random
        weights, a few times."""
        rng = np.random.default_rng(0)
        open_ = set(range(len(self.vectors)))
        for _ in range(3):
            for sign in (-1.0, 1.0):
                if not open_:
                    break
                obj = np.zeros(self.n)
                for i in open_:
                    obj += sign * rng.uniform(0.5, 1.5) * self.vectors[i]
                x = self.solve(obj)
                open_ -= {i for i in open_ if abs(self.vectors[i] @ x - self.true[i]) > 0.5}
        return open_

    def pinned(self, i: int) -> bool:
        """True when the figure's least and greatest values agree."""
        low = self.vectors[i] @ self.solve(self.vectors[i])
        if abs(low - self.true[i]) > 0.5:
            return False
        high = self.vectors[i] @ self.solve(-self.vectors[i])
        return bool(high - low < 0.5)


def _bound(model: Model, systems: list, att: Attack, time_limit: float) -> None:
    """Bound every target of every independent system (equations, targets); record in `att`
    those whose bounds meet. The random pushes run over all systems at once, as one programme
    (they share no variable, so its solution is a solution of each): one solve for the many
    small systems of a year instead of one each. A figure still open is then bounded within its
    own system."""
    systems = [(eqs, tgts) for eqs, tgts in systems if tgts]
    if not systems:
        return
    flat = [(s, k) for s, (_, tgts) in enumerate(systems) for k in range(len(tgts))]
    whole = _Programme(model, [e for eqs, _ in systems for e in eqs],
                       [t for _, tgts in systems for t in tgts], time_limit)  # fmt: skip
    by_system: dict[int, list[int]] = defaultdict(list)
    for i in sorted(whole.still_open()):
        s, k = flat[i]
        by_system[s].append(k)
    for s, ks in by_system.items():
        eqs, tgts = systems[s]
        own = _Programme(model, eqs, tgts, time_limit)
        for k in ks:
            if own.pinned(k):
                att.recovered.append((tgts[k][0], tgts[k][2]))


def attack_year(con, year: int, la_code: str = "886") -> Attack:
    districts = [d for (d,) in con.execute(
        "select district_code from districts where la_code = ? order by 1", [la_code]
    ).fetchall()]  # fmt: skip
    model, att = collect(con, year, districts, la_code)
    return attack(model, att)


def pooled_leaks(con, years: list[int], la_code: str = "886") -> list[str]:
    """Pooled setting figures shown while one of their years is hidden for that setting."""
    fetch = db.fetcher(con)
    leaks = []
    measures = [m for m in catalogue.load() if m.model in LINEAR_MODELS and m.input
                and m.input != "overall_absence"]  # fmt: skip
    for option in PHASE_OPTIONS:
        for m in measures:
            sel = Selection(years[-1], "all", option.key, la_code=la_code)
            try:
                pooled = comparison.compare(fetch, m, sel, "settings", pooled=True,
                                            available_years=years)  # fmt: skip
            except ValueError:
                continue
            shown = {int(u) for u, f in zip(pooled.units["unit"], pooled.units["flag"],
                                             strict=True) if f in ("", "u")}  # fmt: skip
            for y in pooled.pooled_years:
                one = comparison.compare(
                    fetch, m, Selection(y, "all", option.key, la_code=la_code), "settings"
                )
                hidden = {int(u) for u, f in zip(one.units["unit"], one.units["flag"],
                                                  strict=True) if f == "c"}  # fmt: skip
                leaks += [f"{m.id} {u} pooled shown, {y} hidden" for u in shown & hidden]
    return leaks


def main(argv: list[str] | None = None) -> int:
    """Attack a built database (the national demo, say) for the authorities and years given;
    exit 1 if any hidden figure is recovered. Too slow for the test suite at national scale
    (10-25 s per authority-year); run it after changing disclosure control:

        python -m tests.intruder --db national.duckdb --la 886,9017 --years 201920,202324
        python -m tests.intruder --db national.duckdb --sample 40
    """
    import argparse
    import random
    import time
    from pathlib import Path

    ap = argparse.ArgumentParser(description=main.__doc__.splitlines()[0] if main.__doc__ else "")
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--la", default="886", help="authority codes, comma-separated")
    ap.add_argument("--years", default="", help="year codes, comma-separated (default: all)")
    ap.add_argument("--sample", type=int, default=0,
                    help="attack this many random authority-years (seed 1) instead")  # fmt: skip
    args = ap.parse_args(argv)
    con = db.connect(args.db)
    years = [int(y) for y in args.years.split(",") if y] or [
        r[0] for r in con.execute("select distinct year_code from setting_facts order by 1")
        .fetchall()
    ]  # fmt: skip
    if args.sample:
        las = [r[0] for r in con.execute("select la_code from authorities order by 1").fetchall()]
        pairs = random.Random(1).sample([(la, y) for la in las for y in years], args.sample)
    else:
        pairs = [(la, y) for la in args.la.split(",") for y in years]
    failed = 0
    for la, year in pairs:
        start = time.perf_counter()
        att = attack_year(con, year, la)
        failed += bool(att.recovered)
        print(f"{la} {year} ({time.perf_counter() - start:.0f} s, {len(att.shown)} shown): "
              f"{att.summary()}", flush=True)  # fmt: skip
    print(f"{failed} of {len(pairs)} authority-years leak")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
