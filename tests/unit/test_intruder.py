"""An intruder attacks everything the app publishes and tries to recover a suppressed value.

The intruder sees only what pages and CSVs show: each group's figure (the Overview, Compare
districts, Trends) for every district and phase choice, every setting's figure (Compare
settings, the Setting profile) and every setting's pooled three-year figure, for three years,
for a measure of all pupils and one of the SEN / no-SEN split. It knows which settings are in
which district and phase (GIAS publishes that), that a count is a whole number, not negative,
and that all = SEN + no SEN. It then solves integer programmes (scipy's HiGHS) for the least
and greatest value each hidden count could take given all of that. A count whose least and
greatest values agree has been recovered.

The true values come from `setting_facts` directly; the published ones only from the app's
own functions, never from the suppression tables.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from dashboard import catalogue, comparison, db, indicators
from dashboard.filters import PHASE_OPTIONS, Selection
from dashboard.ingest.load import load_files
from tests.conftest import FIXTURES, REAL, load_real_samples

COMPONENTS = {"all": ("all",), "split": ("sen", "no_sen")}


@dataclass
class Knowledge:
    """Linear facts the intruder holds about true counts, keyed (urn, year, component)."""

    known: dict[tuple, float] = field(default_factory=dict)
    sums: list[tuple[list[tuple], float]] = field(default_factory=list)

    def add_sum(self, cells: list[tuple], value: float) -> None:
        if cells and not np.isnan(value):
            self.sums.append((cells, float(value)))


def _settings(con) -> dict[int, tuple]:
    rows = con.execute(
        "select urn, district_code, phase, admissions_policy from settings where la_code = '886'"
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _truth(con, input_: str, years: list[int]) -> dict[tuple, float]:
    rows = con.execute(
        "select urn, year_code, breakdown, numerator from setting_facts "
        "where input = ? and numerator is not null and list_contains(?, year_code)",
        [input_, years],
    ).fetchall()
    out: dict[tuple, float] = {}
    for urn, year, breakdown, value in rows:
        comp = {"all": "all", "no_sen": "no_sen"}.get(breakdown, "sen")
        out[(urn, year, comp)] = out.get((urn, year, comp), 0.0) + value
    return out


def _members(settings: dict, geo: str, option) -> list[int]:
    return [
        u
        for u, (d, phase, adm) in settings.items()
        if (geo == "all" or d == geo) and phase in option.phases and adm in option.admissions
    ]


def collect(con, measure_ids: list[str], years: list[int], districts: list[str]) -> Knowledge:
    """Everything the app shows for the measures, as the intruder would copy it down."""
    settings = _settings(con)
    k = Knowledge()
    for measure_id in measure_ids:
        _collect_measure(con, catalogue.get(measure_id), years, districts, settings, k)
    return k


def _collect_measure(con, m, years, districts, settings, k: Knowledge) -> None:
    comps = COMPONENTS["split" if m.model in ("difference", "ratio") else "all"]

    def record_units(units, year_or_years, key="unit"):
        for u in units.itertuples():
            if u.flag in ("", "u") and not np.isnan(u.numerator):
                values = [u.numerator] if len(comps) == 1 else [u.numerator, u.numerator_b]
                for comp, v in zip(comps, values, strict=True):
                    if isinstance(year_or_years, int):
                        k.known[(int(getattr(u, key)), year_or_years, comp)] = float(v)
                    else:
                        cells = [(int(getattr(u, key)), y, comp) for y in year_or_years]
                        k.add_sum(cells, v)

    for year in years:
        for option in PHASE_OPTIONS:
            sel = Selection(year, "all", option.key)
            for geo in ["all", *districts]:
                fig = indicators.area_figures(
                    db.fetcher(con), Selection(year, geo, option.key), [m]
                )[m.id]
                if fig.shown:
                    members = _members(settings, geo, option)
                    values = (
                        [fig.numerator] if len(comps) == 1 else [fig.numerator, fig.numerator_b]
                    )
                    for comp, v in zip(comps, values, strict=True):
                        k.add_sum([(u, year, comp) for u in members], v)
            if not _members(settings, "all", option):
                continue
            record_units(comparison.compare(db.fetcher(con), m, sel, "settings").units, year)
            districts_view = comparison.compare(db.fetcher(con), m, sel, "districts").units
            for u in districts_view.itertuples():
                if u.flag in ("", "u") and not np.isnan(u.numerator):
                    members = _members(settings, u.unit, option)
                    values = [u.numerator] if len(comps) == 1 else [u.numerator, u.numerator_b]
                    for comp, v in zip(comps, values, strict=True):
                        k.add_sum([(x, year, comp) for x in members], v)
    for option in PHASE_OPTIONS:
        sel = Selection(years[-1], "all", option.key)
        if not _members(settings, "all", option):
            continue
        pooled = comparison.compare(
            db.fetcher(con), m, sel, "settings", pooled=True, available_years=years
        )
        record_units(pooled.units, tuple(pooled.pooled_years))


def attack(k: Knowledge, truth: dict[tuple, float], targets: list[list[tuple]]) -> list:
    """For each target (a list of cells whose total was hidden), the least and greatest total
    consistent with everything known. Returns the targets that are pinned to one value."""
    cells = sorted({c for c in truth} | {c for cs, _ in k.sums for c in cs if c in truth})
    index = {c: i for i, c in enumerate(cells)}
    n = len(cells)
    rows, lo, hi = [], [], []
    for c, v in k.known.items():
        if c in index:
            rows.append({index[c]: 1.0})
            lo.append(v)
            hi.append(v)
    for cs, v in k.sums:
        row = {index[c]: 1.0 for c in cs if c in index}
        if row:
            rows.append(row)
            lo.append(v)
            hi.append(v)
    # all = SEN + no SEN, for every setting-year that has all three
    for (urn, year, comp), i in index.items():
        if comp == "all" and (urn, year, "sen") in index and (urn, year, "no_sen") in index:
            rows.append(
                {i: 1.0, index[(urn, year, "sen")]: -1.0, index[(urn, year, "no_sen")]: -1.0}
            )
            lo.append(0.0)
            hi.append(0.0)
    a = lil_matrix((len(rows), n))
    for r, row in enumerate(rows):
        for i, v in row.items():
            a[r, i] = v
    constraint = LinearConstraint(a.tocsr(), lo, hi)
    bounds = Bounds(np.zeros(n), np.full(n, 1e6))  # no count is larger: every solve is bounded
    integrality = np.ones(n)

    def solve(obj):
        res = milp(obj, constraints=constraint, bounds=bounds, integrality=integrality,
                   options={"time_limit": 30})  # fmt: skip
        assert res.status == 0, res.message  # the published facts are consistent
        return res

    vectors = []
    for target in targets:
        v = np.zeros(n)
        for c in target:
            if c in index:
                v[index[c]] = 1.0
        vectors.append(v)
    true = [sum(truth.get(c, 0.0) for c in t) for t in targets]
    # A second solution in which a target's total differs proves it was not recovered; push
    # all undecided targets up, then down, with random weights, before any one-by-one solve.
    rng = np.random.default_rng(0)
    open_ = set(range(len(targets)))
    for _ in range(4):
        for sign in (-1.0, 1.0):
            if not open_:
                break
            obj = sum(sign * rng.uniform(0.5, 1.5) * vectors[i] for i in open_)
            x = solve(obj).x
            open_ -= {i for i in open_ if abs(vectors[i] @ x - true[i]) > 0.5}
    pinned = []
    for i in sorted(open_):
        low, high = solve(vectors[i]).fun, -solve(-vectors[i]).fun
        assert low - 1e-6 <= true[i] <= high + 1e-6
        if high - low < 0.5:
            pinned.append((targets[i], true[i]))
    return pinned


def hidden_small_cells(con, input_: str, years: list[int], comps, min_count: int = 3):
    """Every setting count of 1 .. min_count-1 (the ones disclosure control exists to hide)."""
    truth = _truth(con, input_, years)
    return [[c] for c, v in truth.items() if c[2] in comps and 0 < v < min_count], truth


def hidden_small_groups(con, input_, years, comps, districts, min_count: int = 3):
    settings = _settings(con)
    truth = _truth(con, input_, years)
    out = []
    for year in years:
        for option in PHASE_OPTIONS:
            for geo in ["all", *districts]:
                members = _members(settings, geo, option)
                for comp in comps:
                    cells = [(u, year, comp) for u in members if (u, year, comp) in truth]
                    total = sum(truth[c] for c in cells)
                    if cells and 0 < total < min_count:
                        out.append(cells)
    return out


# Each input with every measure that publishes it: the intruder combines them.
CASES = [
    (["perm_exclusion_rate"], "perm_exclusions"),
    (["suspension_rate", "sen_suspension_ratio"], "suspensions"),
]


def _attack_database(path, measure_ids: list[str], input_: str):
    con = db.connect(path)
    try:
        years = sorted(int(y) for (y,) in con.execute(
            "select distinct year_code from setting_facts order by 1").fetchall())[-3:]  # fmt: skip
        districts = [d for (d,) in con.execute(
            "select district_code from districts where la_code = '886'").fetchall()]  # fmt: skip
        comps = tuple(
            c
            for mid in measure_ids
            for c in COMPONENTS[
                "split" if catalogue.get(mid).model in ("difference", "ratio") else "all"
            ]
        )
        knowledge = collect(con, measure_ids, years, districts)
        cells, truth = hidden_small_cells(con, input_, years, comps)
        groups = hidden_small_groups(con, input_, years, comps, districts)
        assert cells, "the case must hold small counts, or it tests nothing"
        return attack(knowledge, truth, cells + groups), len(cells), len(groups)
    finally:
        con.close()


@pytest.mark.parametrize(("measure_ids", "input_"), CASES)
def test_no_suppressed_count_can_be_recovered_from_everything_published(
    demo_db, measure_ids, input_
):
    pinned, n_cells, n_groups = _attack_database(demo_db, measure_ids, input_)
    assert not pinned, f"{len(pinned)} of {n_cells} cells and {n_groups} groups recovered"


def test_the_intruder_recovers_counts_when_only_small_cells_are_hidden(demo_db, tmp_path):
    """The attack can fail: keep only the primary decisions (as a per-view rule would) and
    the intruder recovers hidden counts by subtraction."""
    weak = tmp_path / "weak.duckdb"
    shutil.copyfile(demo_db, weak)
    con = duckdb.connect(str(weak))
    con.execute("delete from suppressed_cells where not is_primary")
    con.execute("delete from suppressed_groups where not is_primary")
    con.close()
    pinned, _, _ = _attack_database(weak, ["perm_exclusion_rate"], "perm_exclusions")
    assert len(pinned) > 0


@pytest.fixture(scope="module")
def real_format_db(tmp_path_factory):
    """Real Kent files (the January 2019 school census with its small EHC plan counts), with
    GIAS districts for the fixture schools: the shapes a user loads, not the generator's."""
    if not REAL.exists():
        pytest.skip("shared real data not present")
    path = tmp_path_factory.mktemp("intruder") / "kent.duckdb"
    load_real_samples(path)
    load_files(path, [FIXTURES / "gias_kent_fixture.csv"])
    return path


def test_nothing_hidden_can_be_recovered_from_real_census_counts(real_format_db):
    pinned, n_cells, n_groups = _attack_database(real_format_db, ["ehcp_pct"], "ehcp")
    assert n_cells > 20  # the census publishes many schools with 1 or 2 plans
    assert not pinned, f"{len(pinned)} of {n_cells} cells and {n_groups} groups recovered"
