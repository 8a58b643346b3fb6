"""Which figures may never be published, decided once for the whole database when it is built.

Every figure the app shows from setting facts is a sum over settings: a setting's own value, or
the total of a *group* — one geography (a district, or the whole authority) × one phase choice
from the sidebar, for one academic year. Deciding suppression view by view lets a reader
recover a hidden value by subtraction (a district total minus its visible settings; the
authority minus the other districts; a partner hidden in one table but shown in another). So
the decision is made here, over every cell and every group the app can publish, and stored in
the database (`suppressed_cells`, `suppressed_groups`); every page, CSV, chart and slide reads
the same decisions.

The method (documented on Data and methods):

1. **Primary suppression.** A count of 1 .. min_count-1 (pupils, events, or the pupils it is
   a rate of) is confidential, in a setting or in a group. Sessions are not people and are not
   suppressed for size.
2. **Two families per input.** A setting's (or group's) figure for all pupils (`all`) and its
   SEN/no-SEN split (`split`: pupils with SEN, pupils without) are published as units. Because
   all = SEN + no SEN, hiding the `all` figure hides the split too.
3. **Settings within their finest group.** The finest groups ("atoms": district × the parts
   the phase choices are made of) have published totals, so a hidden setting must not be the
   only hidden one in its atom, and the hidden ones' values in a component must not add up to
   0 (a reader who knows counts are not negative reads that as "each is 0"). The smallest
   partner above zero in the same atom is hidden with it. Split values the setting's own shown
   figures give anyway (a total of 0; no pupils on one side) need no partner.
4. **Groups within groups.** A hidden group, or an atom whose hidden settings have no partner,
   must not be derivable from the published group totals by any linear combination (authority
   minus the other districts; a district minus its other phases; and systems of such
   equations). This is checked exactly by linear algebra over the unknown part of each atom;
   where a hidden value is derivable, a further group (and, if needed, two settings in a
   sibling atom) is hidden, smallest first, until it is not. A group published under two names
   (Secondary (all) and Secondary — non-selective where there is no grammar school) is one
   figure, decided once and hidden under both.
5. **Linked tables: the roll's SEN counts.** Every SEN / no-SEN split publishes denominators:
   pupils with SEN (SEN support + EHC plan) and pupils without (the rest of the roll). So the
   two census counts are decided first, for each authority and year, with the SEN denominator
   of each split (SEN support + EHC plans over the settings that have the split) as a group
   of its own. Wherever a setting's count is hidden, or that denominator of a group is, the
   split of the input is hidden too, and protected as a small figure of its own: otherwise
   SEN support 36 beside an SEN denominator of 37 gives a hidden EHC plan count of 1.
6. **Pooled figures** (three years summed) are hidden whenever any of their years is hidden,
   so a pooled total can never be differenced against visible years. That rule is applied where
   pooled figures are summed (queries/setting_inputs_pooled.sql).

tests/unit/test_intruder.py attacks every published output of every year at once (tests/
intruder.py: all measures, pilot denominators, every phase choice, districts and settings) with
an integer-programming intruder, and fails on any hidden figure it can pin to one value.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import sys
import types
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
import scipy.linalg
from threadpoolctl import threadpool_limits

from dashboard.core.filters import (
    ALL_ADMISSIONS,
    ALL_DISTRICTS,
    ALL_PHASES,
    MAINSTREAM,
    PHASE_OPTIONS,
    PhaseOption,
)

log = logging.getLogger("dashboard.ingest")

ALL = "all"  # family: the figure for all pupils
SPLIT = "split"  # family: the SEN / no-SEN split of the same input
COMPONENTS = {ALL: ("all",), SPLIT: ("sen", "no_sen")}
SPLIT_BREAKDOWNS = {"sen_support": "sen", "ehcp": "sen", "no_sen": "no_sen"}
# Inputs that count sessions, not people: a small number of sessions identifies no one.
NOT_PEOPLE = frozenset({"overall_absence"})
# Counts of pupils that the SEN / no-SEN denominators of every split are made of.
POPULATION_INPUTS = frozenset({"sen_support", "ehcp"})
# The method's edition: decisions stored under another are made again on the next load.
METHOD = "2026-12-linked"
MAX_STEPS = 2000  # a block needing more complements than this is hidden whole (logged)

CELL_COLUMNS = ["urn", "year_code", "input", "family", "is_primary"]
GROUP_COLUMNS = ["la_code", "geo", "phase_key", "year_code", "input", "family", "is_primary"]


@dataclass
class Decisions:
    """Hidden setting cells and hidden group figures, with whether each was hidden for its own
    size (primary) or to protect another (complementary). Pages never show which: both are 'c'."""

    cells: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CELL_COLUMNS))
    groups: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GROUP_COLUMNS))


# Inputs with a figure summed over mainstream phases (EHC plans placed in mainstream).
MAINSTREAM_INPUTS = frozenset({"ehcp"})


def groupings(input_: str) -> tuple[PhaseOption, ...]:
    """Every grouping of phases a published figure of this input sums over: the sidebar's
    phase choices, and Mainstream where a figure uses it."""
    return (*PHASE_OPTIONS, MAINSTREAM) if input_ in MAINSTREAM_INPUTS else PHASE_OPTIONS


@cache
def part_of(
    phase: str, admissions: str, options: tuple[PhaseOption, ...] = PHASE_OPTIONS
) -> tuple[str, ...]:
    """The groupings a setting falls in; settings with the same answer form one part."""
    return tuple(o.key for o in options if phase in o.phases and admissions in o.admissions)


def sub_totals(options: tuple[PhaseOption, ...]) -> frozenset[str]:
    """Groupings that add up several parts, other than all phases: Secondary (all) is
    selective + non-selective; Mainstream is five phases."""
    parts = {part_of(p, a, options) for p in ALL_PHASES for a in ALL_ADMISSIONS}
    return frozenset(
        o.key for o in options if o.key != "all" and sum(o.key in q for q in parts) > 1
    )


def _small(values: np.ndarray, min_count: int) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return (v >= 1) & (v < min_count)


def wide_cells(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per setting × year × input with the published components: `all`, `sen`
    (SEN support + EHC plan), `no_sen`, and their denominators. A component the source withheld
    is NaN: it is not in any total the app computes, so it discloses nothing."""
    f = facts.copy()
    f["component"] = f["breakdown"].map(lambda b: "all" if b == "all" else SPLIT_BREAKDOWNS[b])
    keys = ["urn", "year_code", "input"]
    num = f.pivot_table(index=keys, columns="component", values="numerator", aggfunc="sum",
                        dropna=False, min_count=1)  # fmt: skip
    den = f.pivot_table(index=keys, columns="component", values="denominator", aggfunc="sum",
                        dropna=False, min_count=1)  # fmt: skip
    out = num.join(den.add_prefix("den_")).reset_index()
    for c in ("all", "sen", "no_sen", "den_all", "den_sen", "den_no_sen"):
        if c not in out:
            out[c] = np.nan
    split_rows = f[f["component"] != "all"].groupby(keys).size().rename("split_rows")
    out = out.join(split_rows, on=keys)
    out["has_split"] = out["split_rows"].fillna(0) > 0
    settings = facts.drop_duplicates("urn").set_index("urn")
    for col in ("la_code", "district_code", "phase", "admissions_policy"):
        out[col] = out["urn"].map(settings[col])
    out["district_code"] = out["district_code"].fillna("")
    triples = zip(out["phase"], out["admissions_policy"], out["input"], strict=True)
    out["part"] = [part_of(p, a, groupings(i)) for p, a, i in triples]
    return out


def decide(facts: pd.DataFrame, min_count: int) -> Decisions:
    """Every suppression decision for the facts given (setting × year × input × breakdown rows
    with each setting's la_code, district_code, phase and admissions_policy)."""
    if facts.empty:
        return Decisions()
    wide = wide_cells(facts)
    cells, groups = [], []
    for (la, year), year_cells in wide.groupby(["la_code", "year_code"], sort=True):
        linked = Linked()
        by_input = dict(tuple(year_cells.groupby("input", sort=True)))
        splits = {i: set(rows.loc[rows["has_split"], "urn"]) for i, rows in by_input.items()
                  if i not in POPULATION_INPUTS and rows["has_split"].any()}  # fmt: skip
        # the pupil counts first: where one is hidden, every SEN / no-SEN split is too
        for input_ in sorted(by_input, key=lambda i: (i not in POPULATION_INPUTS, i)):
            if input_ in NOT_PEOPLE:
                continue
            rows = by_input[input_].reset_index(drop=True)
            if input_ in POPULATION_INPUTS:
                rows["part"] = [
                    (*part, *(SPLIT_MARK + i for i in sorted(splits) if u in splits[i]))
                    for u, part in zip(rows["urn"], rows["part"], strict=True)
                ]
            block = _Block(rows, min_count, groupings(input_), linked, input_, sorted(splits))
            c, g = block.solve()
            if input_ in POPULATION_INPUTS:
                linked.add(c, g)
                g = [x for x in g if SPLIT_MARK not in x[1]]
            cells += [(urn, year, input_, fam, prim) for urn, fam, prim in c]
            groups += [(la, geo, key, year, input_, fam, prim) for geo, key, fam, prim in g]
    return Decisions(
        pd.DataFrame(cells, columns=CELL_COLUMNS), pd.DataFrame(groups, columns=GROUP_COLUMNS)
    )


def decide_each(
    frames: Iterable[pd.DataFrame], min_count: int, workers: int = 1
) -> Iterator[Decisions]:
    """`decide` for each frame of facts (whole authority × year blocks each), in order; with
    workers > 1, in that many processes, a few frames ahead of the caller. Blocks share
    nothing, so where each is decided changes no decision. Linear algebra runs on one BLAS
    thread: the matrices are small, and threads waiting on each other across processes cost
    five times the work (3.5 s against 0.7 s for Kent's 2023/24 on a busy 2-core machine)."""
    if workers <= 1:
        with threadpool_limits(1):
            for facts in frames:
                yield decide(facts, min_count)
        return
    context = multiprocessing.get_context("spawn")  # a forked DuckDB connection can hang
    with (
        _bare_main(),
        ProcessPoolExecutor(max_workers=workers, mp_context=context,
                            initializer=threadpool_limits, initargs=(1,)) as pool,
    ):  # fmt: skip
        pending: deque = deque()
        for facts in frames:
            pending.append(pool.submit(decide, facts, min_count))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# Marks, in a pupil count's phase parts, the inputs whose SEN / no-SEN split the setting has:
# a split's SEN denominator sums SEN support + EHC plans over those settings only, a group of
# its own (`_Block` adds one per input) that disclosure control must treat as published.
SPLIT_MARK = "split:"


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """While workers start, a `__main__` with no file: a spawned worker runs the parent's main
    script first, and that script may be the app itself (a load from a test or a served page),
    which must not run again in a worker."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


@dataclass
class Linked:
    """Settings and groups whose count of pupils with SEN support or with an EHC plan is hidden.

    Every SEN / no-SEN split publishes its denominators: pupils with SEN (SEN support + EHC
    plan) and pupils without (the rest of the roll), summed over the settings that have the
    split. Where a setting's SEN count is hidden, or the sum over a group's settings with the
    split would give one away, the split is hidden there too, and protected like a small count
    of its own. The sum over a group's settings with a split is decided as a group of its own
    in the SEN counts' blocks: otherwise Kent's SEN support and EHC plans less the SEN
    denominator over settings with a split gives the sum over the settings without one (a
    single nursery with one EHC plan)."""

    urns: set[int] = field(default_factory=set)
    groups: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    def add(self, cells: list, groups: list) -> None:
        self.urns |= {urn for urn, _, _ in cells}
        for geo, key, _, _ in groups:
            if SPLIT_MARK in key:
                option, input_ = key.split("|" + SPLIT_MARK)
                self.groups.setdefault(input_, set()).add((geo, option))

    def hidden_groups(self, input_: str) -> set[tuple[str, str]]:
        return self.groups.get(input_, set())


def _covers(key: str, part: tuple) -> bool:
    """Whether a group's phase key (with its split mark, if any) takes in a part."""
    option, _, mark = key.partition("|")
    return option in part and (not mark or mark in part)


class _Block:
    """One authority × year × input: its settings, atoms, groups and the decisions for them."""

    def __init__(
        self,
        cells: pd.DataFrame,
        min_count: int,
        options: tuple[PhaseOption, ...],
        linked: Linked | None = None,
        input_: str = "",
        split_inputs: list[str] | None = None,
    ) -> None:
        self.c = cells
        self.linked = linked or Linked()
        self.input = input_
        # the components as arrays, read in the inner loops (a pandas lookup there costs more
        # than the rest of the method)
        self.arr = {comp: cells[comp].to_numpy(float) for comp in ("all", "sen", "no_sen")}
        self.has_split = cells["has_split"].to_numpy(bool)
        self.min_count = min_count
        self._sizes: dict[str, np.ndarray] = {}
        self._finest: dict[tuple, int] = {}
        self.split = bool(cells["has_split"].any())
        self.families = (ALL, SPLIT) if self.split else (ALL,)
        self.c["atom"] = list(zip(self.c["district_code"], self.c["part"], strict=True))
        self.atoms = sorted(set(self.c["atom"]), key=str)
        self.atom_index = {a: i for i, a in enumerate(self.atoms)}
        codes = np.array([self.atom_index[a] for a in self.c["atom"]])
        self.atom_of_row = codes
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(self.atoms) + 1))
        self.members = {a: order[bounds[i] : bounds[i + 1]] for i, a in enumerate(self.atoms)}
        districts = sorted({d for d, _ in self.atoms if d})
        self.groups: list[tuple[str, str]] = []
        self.group_atoms: list[list] = []
        # One group may be published under several names (Secondary (all) and Secondary —
        # non-selective where there is no grammar school; a district holding all the
        # authority's special schools): it is one figure, decided once, hidden under every name.
        self.names: list[list[tuple[str, str]]] = []
        seen: dict[tuple, int] = {}
        marks = [("", None)] + [(f"|{SPLIT_MARK}{i}", SPLIT_MARK + i)
                                for i in (split_inputs or [])]  # fmt: skip
        by_geo: dict[str, list] = defaultdict(list)
        for a in self.atoms:
            by_geo[a[0]].append(a)
        for suffix, mark in marks:
            for geo in [*districts, ALL_DISTRICTS]:
                pool = self.atoms if geo == ALL_DISTRICTS else by_geo[geo]
                if mark is not None:
                    pool = [a for a in pool if mark in a[1]]
                for opt in options:
                    atoms = [a for a in pool if opt.key in a[1]]
                    if not atoms:
                        continue
                    key = tuple(sorted(map(str, atoms)))
                    name = (geo, opt.key + suffix)
                    if key in seen:
                        self.names[seen[key]].append(name)
                        continue
                    seen[key] = len(self.groups)
                    self.groups.append(name)
                    self.group_atoms.append(atoms)
                    self.names.append([name])
        self.incidence = np.zeros((len(self.groups), len(self.atoms)))
        for j, atoms in enumerate(self.group_atoms):
            self.incidence[j, [self.atom_index[a] for a in atoms]] = 1.0
        # a part's sub-totals other than its own and all phases (secondary, mainstream)
        subs = sub_totals(options)
        self.margins = {a[1]: frozenset(set(a[1]) & subs) for a in self.atoms}
        self.margins.update({a[1]: self.margins[a[1]] | {m for m in a[1] if SPLIT_MARK in m}
                             for a in self.atoms})  # fmt: skip
        self.hidden = {fam: np.zeros(len(cells), dtype=bool) for fam in self.families}
        self.primary = {fam: np.zeros(len(cells), dtype=bool) for fam in self.families}
        self.group_hidden = {fam: np.zeros(len(self.groups), dtype=bool) for fam in self.families}
        self.group_primary = {fam: np.zeros(len(self.groups), dtype=bool)
                              for fam in self.families}  # fmt: skip

    # -- values ------------------------------------------------------------------------------
    def _values(self, fam: str) -> np.ndarray:
        """A setting's size in a family, for choosing the partner that loses least."""
        if fam not in self._sizes:
            self._sizes[fam] = sum(np.nan_to_num(self.arr[comp]) for comp in COMPONENTS[fam])
        return self._sizes[fam]

    def _is_small(self, frame: pd.DataFrame, fam: str) -> np.ndarray:
        small = np.zeros(len(frame), dtype=bool)
        for comp in COMPONENTS[fam]:
            small |= _small(frame[comp], self.min_count) | _small(frame[f"den_{comp}"],
                                                                  self.min_count)  # fmt: skip
        return small

    def _group_totals(self) -> pd.DataFrame:
        """Each group's sums, as the app's queries add them up (a value withheld at source
        adds nothing; a group with no value at all has none)."""
        cols = ["all", "sen", "no_sen", "den_all", "den_sen", "den_no_sen"]
        values = self.c[cols].to_numpy(float)
        atom_of = np.zeros((len(self.atoms), len(self.c)))
        for i, a in enumerate(self.atoms):
            atom_of[i, self.members[a]] = 1.0
        sums = self.incidence @ atom_of @ np.nan_to_num(values)
        present = self.incidence @ atom_of @ (~np.isnan(values)).astype(float)
        return pd.DataFrame(np.where(present > 0, sums, np.nan), columns=cols)

    # -- the method --------------------------------------------------------------------------
    def solve(self) -> tuple[list, list]:
        for fam in self.families:
            self.primary[fam] = self._is_small(self.c, fam)
            self.hidden[fam] |= self.primary[fam]
        totals = self._group_totals()
        for fam in self.families:
            self.group_primary[fam] = self._is_small(totals, fam)
            self.group_hidden[fam] |= self.group_primary[fam]
        if self.split:  # all = SEN + no SEN: a hidden total hides the split with it
            self.hidden[SPLIT] |= self.hidden[ALL] & self.c["has_split"].to_numpy()
            self.group_hidden[SPLIT] |= self.group_hidden[ALL]
            linked = self.c["urn"].isin(self.linked.urns).to_numpy() & self.c["has_split"]
            self.primary[SPLIT] |= linked.to_numpy()
            self.hidden[SPLIT] |= self.primary[SPLIT]
            # A group's split needs hiding with its SEN counts only where it holds a setting
            # whose split is hidden: otherwise its denominators are sums of shown ones.
            open_atoms = {a for a, idx in self.members.items() if self.hidden[SPLIT][idx].any()}
            linked_groups = self.linked.hidden_groups(self.input)
            for j, names in enumerate(self.names):
                if open_atoms.intersection(self.group_atoms[j]) and any(
                    n in linked_groups for n in names
                ):
                    self.group_primary[SPLIT][j] = self.group_hidden[SPLIT][j] = True
        exposed = self._protect_settings()
        self._protect_groups(exposed)
        for _ in range(5):  # a shown total whose hidden part adds up to 0 gives each part: 0
            culprits = self._zero_culprits()
            if not culprits:
                break
            for j, fam in culprits:
                self.group_primary[fam][j] = True
                self._hide_group(j, fam)
            self._protect_groups(exposed)
        self._show_derivable()
        urns = self.c["urn"].to_numpy()
        cells = [
            (int(urns[i]), fam, bool(self.primary[fam][i]))
            for fam in self.families
            for i in np.flatnonzero(self.hidden[fam])
        ]
        groups = [
            (*name, fam, bool(self.group_primary[fam][j]))
            for fam in self.families
            for j in np.flatnonzero(self.group_hidden[fam])
            for name in self.names[j]
        ]
        return cells, groups

    def _protect_settings(self) -> set[tuple[tuple, str]]:
        """Step 3; returns the (atom, family) pairs that no partner in the atom can protect.

        Hidden settings in an atom need a partner when one is hidden alone (the atom total
        minus the visible ones gives it), and when their values in one component add up to
        zero (a reader who knows counts are not negative reads a total of 0 as "every one of
        them 0"): the partner then has a value above zero in that component."""
        exposed: set[tuple[tuple, str]] = set()
        split_ok = self.has_split
        for _ in range(4):  # hiding an `all` partner hides its split, which may need a partner
            changed = False
            for fam in self.families:
                implied = self._implied(fam)
                hideable = self._hideable(fam)
                for atom, idx in self.members.items():
                    hidden = idx[self.hidden[fam][idx] & ~implied[idx]]
                    if hidden.size == 0:
                        continue
                    if fam == SPLIT:
                        idx = idx[split_ok[idx]]
                    open_ = idx[hideable[idx]]
                    needs: list[str | None] = [
                        comp for comp in COMPONENTS[fam] if np.nansum(self.arr[comp][hidden]) == 0
                    ]
                    if hidden.size == 1 and not needs:
                        needs = [None]
                    for comp in needs:
                        partner = self._partner(open_, fam, comp)
                        if partner is None:
                            exposed.add((atom, fam))
                            continue
                        self._hide_cell(partner, fam)
                        open_ = open_[open_ != partner]
                        changed = True
            if not changed:
                break
        return exposed

    def _implied(self, fam: str) -> np.ndarray:
        """Split values that the setting's own shown figures give anyway, hidden or not: with
        its all-pupil count shown, a count of 0, or no pupils on one side, fixes both parts.
        Hidden, they need no partner, and they protect nothing: they are never an unknown."""
        if fam != SPLIT:
            return np.zeros(len(self.c), dtype=bool)
        if "fixed split" not in self._sizes:
            c = self.c
            zero = (c["all"] == 0) | (c["den_sen"] == 0) | (c["den_no_sen"] == 0)
            self._sizes["fixed split"] = (zero & c["all"].notna()).to_numpy()
        return ~self.hidden[ALL] & self._sizes["fixed split"]

    def _unknown(self, fam: str) -> np.ndarray:
        """Hidden values a reader cannot work out from the setting's own figures."""
        return self.hidden[fam] & ~self._implied(fam)

    def _hideable(self, fam: str) -> np.ndarray:
        """Shown values that would become unknown to a reader if hidden: in the database, and
        (for the split) not given by the setting's own shown total."""
        return self._known(fam) & ~self.hidden[fam] & ~self._implied(fam)

    def _hide_cell(self, i: int, fam: str) -> None:
        self.hidden[fam][i] = True
        if fam == ALL and self.split and self.has_split[i]:
            self.hidden[SPLIT][i] = True

    def _partner(self, candidates: np.ndarray, fam: str, comp: str | None) -> int | None:
        """The partner that loses least: the smallest value the app would otherwise show. A
        zero will do beside a hidden count above zero (their total still has two readings);
        where the hidden values of `comp` add up to 0, the partner's must be above zero."""
        known = candidates[self._known(fam)[candidates]]
        if comp is not None:
            known = known[self.arr[comp][known] > 0]
        if known.size == 0:
            return None
        values = self._values(fam)[known]
        return int(known[np.lexsort((known, values))[0]])

    def _cheapest(self, candidates: np.ndarray, fam: str, k: int) -> np.ndarray:
        """The k candidates that lose least when hidden: values above zero first (a hidden
        zero beside other hidden zeros protects nothing), smallest first."""
        values = self._values(fam)[candidates]
        order = np.lexsort((candidates, values, values <= 0))
        return candidates[order][:k]

    def _known(self, fam: str) -> np.ndarray:
        """Settings whose value in the family is in the database (not withheld at source)."""
        key = "known " + fam
        if key not in self._sizes:
            self._sizes[key] = np.logical_and.reduce(
                [~np.isnan(self.arr[comp]) for comp in COMPONENTS[fam]]
            )
        return self._sizes[key]

    # -- step 4: linear algebra over the unknown part of each atom ---------------------------
    def _variables(self) -> dict[tuple, int]:
        """(atom, component) pairs whose sum of hidden setting values is unknown to a reader."""
        out: dict[tuple, int] = {}
        for fam in self.families:
            has = np.zeros(len(self.atoms), dtype=bool)
            has[self.atom_of_row[self._unknown(fam)]] = True
            for i in np.flatnonzero(has):
                for comp in COMPONENTS[fam]:
                    out[(self.atoms[i], comp)] = len(out)
        return out

    def _equations(self, var: dict[tuple, int], drop: Iterable[tuple[int, str]] = ()) -> np.ndarray:
        return self._labelled_equations(var, drop)[0]

    def _labelled_equations(
        self, var: dict[tuple, int], drop: Iterable[tuple[int, str]] = ()
    ) -> tuple[np.ndarray, list[tuple[int, str]]]:
        """The published equations over the unknowns, each labelled with the (group, family)
        whose figure publishes it ((-1, '') for an atom's all = SEN + no SEN)."""
        dropped = set(drop)
        blocks, labels = [], []
        for fam in self.families:
            kept = ~self.group_hidden[fam].copy()
            for j, f in dropped:
                if f == fam:
                    kept[j] = False
            rows_kept = np.flatnonzero(kept)
            for comp in COMPONENTS[fam]:
                cols = [(self.atom_index[a], k) for (a, c), k in var.items() if c == comp]
                if not cols or rows_kept.size == 0:
                    continue
                atoms_i, var_i = (np.array(x) for x in zip(*cols, strict=True))
                block = np.zeros((rows_kept.size, len(var)))
                block[:, var_i] = self.incidence[np.ix_(rows_kept, atoms_i)]
                nonzero = block.any(axis=1)
                blocks.append(block[nonzero])
                labels += [(int(j), fam) for j in rows_kept[nonzero]]
        if self.split:  # each atom: all = sen + no_sen, so a reader may combine families
            for atom in self.atoms:
                row = np.zeros(len(var))
                for comp, sign in (("all", 1.0), ("sen", -1.0), ("no_sen", -1.0)):
                    if (atom, comp) in var:
                        row[var[(atom, comp)]] = sign
                if (atom, "all") in var or (atom, "sen") in var:
                    blocks.append(row[None, :])
                    labels.append((-1, ""))
        matrix = np.vstack(blocks) if blocks else np.zeros((0, len(var)))
        return matrix, labels

    def _breaking(
        self, var: dict, target: np.ndarray, candidates: list
    ) -> tuple[tuple | None, tuple | None]:
        """The first candidate (group, family) whose hiding leaves `target` underivable, found
        from one decomposition: every solution of E'y = t is y0 + N z, so hiding rows R breaks
        every derivation exactly when y0_R is not in the span of N_R. Also returns the first
        candidate that the derivation y0 uses, to hide when no single one is enough."""
        e, labels = self._labelled_equations(var)
        u, sv, vt = np.linalg.svd(e.T, full_matrices=True)
        rank = int((sv > 1e-9 * max(1.0, sv.max(initial=0.0))).sum())
        y0 = vt[:rank].T @ ((u[:, :rank].T @ target) / sv[:rank])
        null = vt[rank:].T
        index: dict[tuple[int, str], list[int]] = {}
        for row, label in enumerate(labels):
            index.setdefault(label, []).append(row)
        route = None
        for k, f in candidates:
            rows = index.get((k, f), []) + (index.get((k, SPLIT), []) if f == ALL else [])
            if not rows or np.abs(y0[rows]).max() < 1e-9:
                continue
            route = route or (k, f)
            n_r = null[rows]
            if n_r.size == 0 or np.abs(n_r).max() < 1e-9:
                return (k, f), route
            z, *_ = np.linalg.lstsq(n_r, -y0[rows], rcond=None)
            if np.linalg.norm(n_r @ z + y0[rows]) > 1e-7:
                return (k, f), route
        return None, route

    @staticmethod
    def _basis(equations: np.ndarray) -> np.ndarray:
        """An orthonormal basis of what a reader can derive: the span of the equations, by a
        rank-revealing QR (column pivoting), a few times cheaper than an SVD here."""
        if equations.shape[0] == 0:
            return np.zeros((equations.shape[1], 0))
        q, r, _ = scipy.linalg.qr(equations.T, mode="economic", pivoting=True)
        diag = np.abs(np.diag(r))
        rank = int((diag > 1e-9 * max(1.0, diag.max(initial=0.0))).sum())
        return q[:, :rank]

    @staticmethod
    def _derivable(basis: np.ndarray, target: np.ndarray) -> bool:
        """True when target · unknowns is a linear combination of published equations."""
        if not target.any():
            return True
        residual = target - basis @ (basis.T @ target)
        return bool(np.linalg.norm(residual) < 1e-7)

    def _targets(self, var: dict[tuple, int], exposed: set) -> list[tuple[str, np.ndarray, int]]:
        """What must stay underivable: each primary group's hidden part, and each exposed atom.
        A target with no unknown in it (every value in it shown, or given by its setting's own
        shown total, as a split of 0 exclusions is) discloses nothing more when published, and
        nothing could protect it: it is left out."""
        out: list[tuple[str, np.ndarray, int]] = []
        for fam in self.families:
            for j in np.flatnonzero(self.group_primary[fam]):
                for comp in COMPONENTS[fam]:
                    t = np.zeros(len(var))
                    for a in self.group_atoms[j]:
                        if (a, comp) in var:
                            t[var[(a, comp)]] = 1.0
                    out.append((fam, t, int(j)))
        for atom, fam in exposed:
            for comp in COMPONENTS[fam]:
                t = np.zeros(len(var))
                if (atom, comp) in var:
                    t[var[(atom, comp)]] = 1.0
                out.append((fam, t, self._finest_group(atom)))
        return [x for x in out if x[1].any()]

    def _finest_group(self, atom: tuple) -> int:
        """The group with the fewest atoms that holds `atom` (its own group where one exists)."""
        if atom not in self._finest:  # groups are fixed once the block is made
            holding = [(len(a), j) for j, a in enumerate(self.group_atoms) if atom in a]
            self._finest[atom] = min(holding)[1] if holding else -1
        return self._finest[atom]

    def _failing(self, exposed: set) -> tuple[str, np.ndarray, int] | None:
        var = self._variables()
        basis = self._basis(self._equations(var))
        return next(
            ((fam, t, j) for fam, t, j in self._targets(var, exposed)
             if self._derivable(basis, t)),
            None,
        )  # fmt: skip

    def _zero_culprits(self) -> list[tuple[int, str]]:
        """Shown groups whose unknown part adds up to 0 in a component: a reader who knows
        counts are not negative reads each hidden part as 0 (an authority's alternative
        provision shows 6 SEN suspensions, one district's shows 6, so the other districts'
        hidden ones are 0). They are hidden and protected like a small figure."""
        var = self._variables()
        if not var:
            return []
        hidden_sum = {}
        implied = {fam: self._implied(fam) for fam in self.families}
        for (atom, comp), _ in var.items():
            idx = self.members[atom]
            fam = ALL if comp == "all" else SPLIT
            chosen = idx[self.hidden[fam][idx] & ~implied[fam][idx]]  # public values aside
            if chosen.size:
                hidden_sum[(atom, comp)] = float(np.nansum(self.arr[comp][chosen]))
        out = []
        for fam in self.families:
            for j in np.flatnonzero(~self.group_hidden[fam]):
                for comp in COMPONENTS[fam]:
                    parts = [hidden_sum[(a, comp)] for a in self.group_atoms[j]
                             if (a, comp) in hidden_sum]  # fmt: skip
                    if parts and sum(parts) == 0:
                        out.append((int(j), fam))
                        break
        return out

    def _show_derivable(self) -> None:
        """Show again a group hidden to protect another that the published figures give all
        the same: it protected nothing, and a reader can work it out anyway (Mainstream minus
        Secondary gives a district's primary schools)."""
        var = self._variables()
        basis = self._basis(self._equations(var))
        for fam in self.families:
            for j in np.flatnonzero(self.group_hidden[fam] & ~self.group_primary[fam]):
                targets = []
                for comp in COMPONENTS[fam]:
                    t = np.zeros(len(var))
                    for a in self.group_atoms[j]:
                        if (a, comp) in var:
                            t[var[(a, comp)]] = 1.0
                    targets.append(t)
                if all(self._derivable(basis, t) for t in targets):
                    self.group_hidden[fam][j] = False

    def _protect_groups(self, exposed: set) -> None:
        for atom, fam in exposed:  # its lone hidden setting is only safe if the atom total is
            own = self._finest_group(atom)
            if own >= 0 and self.group_atoms[own] == [atom]:
                self._hide_group(own, fam)
        for _step in range(MAX_STEPS):
            failing = self._failing(exposed)
            if failing is None:
                return
            fam, target, j = failing
            if (
                j >= 0
                and len(self.group_atoms[j]) == 1
                and self._hypercube(self.group_atoms[j][0], fam, target)
            ):
                continue
            if j >= 0 and self._authority_square(j, fam):
                continue
            candidates = self._candidates(j, fam)
            found, route = self._breaking(self._variables(), target, candidates)
            if found:
                self._hide_group(*found)
            elif route:  # no single group will do: remove one route of derivation, look again
                self._hide_group(*route)
            elif not self._open_sibling(j, fam):
                break
        log.warning("disclosure control: a block needed too many complements; hidden whole")
        for fam in self.families:
            self.hidden[fam][:] = True
            self.group_hidden[fam][:] = True

    def _hypercube(self, atom: tuple, fam: str, target: np.ndarray) -> bool:
        """Protect one atom (district r × part c), trying the cheapest of two patterns:

        - *partner district*: make (r2, c) unknown in another district and hide both
          districts' figures for the phase groupings that add c to other parts (all phases,
          secondary, mainstream). Mixed-phase district figures are the least used (the app
          asks for a single phase to compare like with like), so this pattern comes first.
        - *rectangle*: another district r2 and another part c2 with the same sub-totals; make
          (r, c2), (r2, c), (r2, c2) unknown, so every total over the four holds two unknowns.
        """
        r, part = atom
        if not r:
            return False
        sizes = self._atom_sizes(fam)
        rows = sorted({a[0] for a in self.atoms if a[0] and a[0] != r})
        cols = sorted({a[1] for a in self.atoms if a[1] != part}, key=str)
        unions = [k for k, (_, key) in enumerate(self.groups)
                  if _covers(key, part)
                  and len({a[1] for a in self.group_atoms[k]}) > 1]  # fmt: skip
        union_keys = {self.groups[k][1] for k in unions}
        tries = []
        for r2 in rows:
            partner = (r2, part)
            if partner in self.atom_index and self._can_hide(partner, fam):
                hide = [k for k, (g, key) in enumerate(self.groups)
                        if g in (r, r2) and key in union_keys]  # fmt: skip
                tries.append((0, sizes[partner], str(partner), [partner], hide))
        for c2 in cols:
            if self.margins[c2] != self.margins[part]:
                continue  # keep every sub-total (secondary, mainstream) with two unknowns
            for r2 in rows:
                corners = [(r, c2), (r2, part), (r2, c2)]
                if all(c in self.atom_index and self._can_hide(c, fam) for c in corners):
                    tries.append((1, sum(sizes[c] for c in corners), str(corners), corners, []))
        for *_, corners, hide in sorted(tries, key=lambda t: t[:3])[:20]:
            saved = self._save()
            for c in corners:
                self._make_unknown(c, fam)
            for k in hide:
                self._hide_group(k, fam)
            var = self._variables()
            t = self._atom_target(var, [atom], fam)
            if not any(self._derivable(self._basis(self._equations(var)), x) for x in t):
                return True
            self._restore(saved)
        return False

    def _authority_square(self, j: int, fam: str) -> bool:
        """Protect an authority-wide phase figure (j = all districts × one part): hide the
        authority's figure for a sibling part c2, and make (d, c2) unknown in a district d
        whose own figure for the part is already unknown, so the authority total, the two
        authority part totals and district d's total each hold two unknowns."""
        geo = self.groups[j][0]
        atoms = self.group_atoms[j]
        parts = {a[1] for a in atoms}
        if geo != ALL_DISTRICTS or len(parts) != 1:
            return False
        part = next(iter(parts))
        var = self._variables()
        open_d = [a[0] for a in atoms if a[0] and any((a, c) in var for c in COMPONENTS[fam])]
        sizes = self._atom_sizes(fam)
        group_sizes = self._group_sizes(fam)
        tries = []
        for k, (g, _) in enumerate(self.groups):
            c2 = {a[1] for a in self.group_atoms[k]}
            if g != ALL_DISTRICTS or len(c2) != 1 or k == j or self.group_hidden[fam][k]:
                continue
            c2p = next(iter(c2))
            if c2p == part or self.margins[c2p] != self.margins[part]:
                continue
            for d in open_d:
                corner = (d, c2p)
                if corner in self.atom_index and self._can_hide(corner, fam):
                    tries.append((group_sizes[k], sizes[corner], str(corner), k, corner))
        for *_, k, corner in sorted(tries)[:15]:
            saved = self._save()
            self._hide_group(k, fam)
            self._make_unknown(corner, fam)
            var = self._variables()
            basis = self._basis(self._equations(var))
            if not any(self._derivable(basis, t) for f, t, jj in self._targets(var, set())
                       if jj == j and f == fam):  # fmt: skip
                return True
            self._restore(saved)
        return False

    def _atom_target(self, var: dict, atoms: list, fam: str) -> list[np.ndarray]:
        out = []
        for comp in COMPONENTS[fam]:
            t = np.zeros(len(var))
            for a in atoms:
                if (a, comp) in var:
                    t[var[(a, comp)]] = 1.0
            out.append(t)
        return out

    def _atom_sizes(self, fam: str) -> dict:
        values = self._values(fam)
        return {a: float(values[idx].sum()) for a, idx in self.members.items()}

    def _can_hide(self, atom: tuple, fam: str) -> bool:
        """An atom can be made unknown if it has an unknown setting or a value to hide."""
        idx = self.members[atom]
        return bool(self._unknown(fam)[idx].any() or self._hideable(fam)[idx].any())

    def _make_unknown(self, atom: tuple, fam: str) -> None:
        idx = self.members[atom]
        if not self._unknown(fam)[idx].any():
            open_ = idx[self._hideable(fam)[idx]]
            for i in self._cheapest(open_, fam, 2):
                self._hide_cell(int(i), fam)
        own = self._finest_group(atom)
        if own >= 0 and self.group_atoms[own] == [atom]:
            self._hide_group(own, fam)

    def _save(self) -> tuple:
        return ({f: h.copy() for f, h in self.hidden.items()},
                {f: h.copy() for f, h in self.group_hidden.items()})  # fmt: skip

    def _restore(self, saved: tuple) -> None:
        self.hidden, self.group_hidden = saved

    def _hide_group(self, j: int, fam: str) -> None:
        self.group_hidden[fam][j] = True
        if fam == ALL and self.split:
            self.group_hidden[SPLIT][j] = True

    def _candidates(self, j: int, fam: str) -> list[tuple[int, str]]:
        """Published groups to try hiding, least loss first: district groups before the
        authority's, those sharing a district or a phase choice with group j first, the finest
        first, then the smallest."""
        geo, key = self.groups[j] if j >= 0 else (None, None)
        values = self._group_sizes(fam)
        order = []
        for k, (g, kk) in enumerate(self.groups):
            if self.group_hidden[fam][k]:
                continue
            related = 0 if (g == geo or kk == key) else 1
            # the authority's own figures go last: they are what most readers come for
            order.append((g == ALL_DISTRICTS, related, len(self.group_atoms[k]), values[k], k))
        return [(k, fam) for *_, k in sorted(order)]

    def _group_sizes(self, fam: str) -> np.ndarray:
        values = self._values(fam)
        by_atom = {a: values[idx].sum() for a, idx in self.members.items()}
        return np.array([sum(by_atom[a] for a in atoms) for atoms in self.group_atoms])

    def _open_sibling(self, j: int, fam: str) -> bool:
        """Hide the two smallest settings of the nearest atom that has no unknown part yet, so
        that hiding that atom's group can protect group j."""
        values = self._values(fam)
        near = self.group_atoms[j] if j >= 0 else []
        geo, key = self.groups[j] if j >= 0 else ("", "")
        ranked = []
        for atom, idx in self.members.items():
            if atom in near or self._unknown(fam)[idx].any():
                continue
            open_ = idx[self._hideable(fam)[idx]]
            if open_.size < 1:
                continue
            related = 0 if atom[0] == geo else 1 if _covers(key, atom[1]) else 2
            ranked.append((related, values[open_].sum(), atom))
        if not ranked:
            return False
        atom = min(ranked, key=lambda r: (r[0], r[1], str(r[2])))[2]
        idx = self.members[atom]
        open_ = idx[self._hideable(fam)[idx]]
        for i in open_[np.argsort(values[open_])][:2]:
            self._hide_cell(int(i), fam)
        return True
