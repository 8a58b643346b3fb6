"""The measure catalogue (measures.toml) as typed, validated objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from dashboard.core.config import CATALOGUE_PATH

MODELS = {"binomial", "poisson", "difference", "ratio", "settings_binomial", "concentration"}
POLARITIES = {"higher_better", "lower_better", "context"}
STATUSES = {"official", "pilot"}
GRAINS = {"setting", "area"}
TWO_GROUP_MODELS = frozenset({"difference", "ratio"})
EXPECTED_MODELS = frozenset({"binomial", "poisson"})  # an expected value needs one count
# What an area-level measure is built from (indicators.AREA_COMPUTATIONS computes each):
# settings' latest inspection grades, current quality-mark awards, where pupils with EHC plans
# are placed, and how concentrated plans are among settings.
AREA_SOURCES = {"grades", "awards", "placement", "concentration"}
OVERDISPERSION_METHODS = {"none", "multiplicative", "additive"}
OVERDISPERSION_LABELS = {
    "none": "",
    "multiplicative": ", area intervals and control limits widened by √φ for over-dispersion "
    "(Spiegelhalter 2005, multiplicative)",
    "additive": ", area intervals and control limits widened by a random-effects variance τ² "
    "for over-dispersion (Spiegelhalter 2005, additive)",
}

POLARITY_LABELS = {
    "higher_better": "Higher is better",
    "lower_better": "Lower is better",
    "context": "Context (neither good nor bad)",
}
MODEL_LABELS = {
    "binomial": "Proportion (binomial; Wilson score interval)",
    "poisson": "Rate of events (Poisson; Byar's interval, exact below 10 events)",
    "difference": "Difference of proportions (Newcombe's hybrid score interval)",
    "ratio": "Rate ratio (interval on the log scale)",
    "settings_binomial": "Proportion of settings (binomial; Wilson score interval)",
    "concentration": "Concentration share (bootstrap interval over settings)",
}


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    short_title: str
    definition: str
    numerator: str
    denominator: str
    grain: str  # setting: a setting has its own figure; area: only groups do
    model: str
    overdispersion: str  # one method, used for area intervals and funnel limits alike
    unit: str
    multiplier: float
    decimals: int
    polarity: str
    min_denominator: float
    status: str
    theme: str
    caveats: tuple[str, ...]
    source: str
    input: str | None = None
    breakdown: str = "all"
    compare_breakdowns: tuple[str, ...] = ()
    year_notes: dict[str, str] = field(default_factory=dict)
    # phase option key → the LAIT item that publishes England's figure for the same phase and
    # definition (e.g. primary → PriTotAbs); used only where the definitions match
    published_england: dict[str, str] = field(default_factory=dict)
    area_source: str | None = None  # grain "area": what the figure is built from (AREA_SOURCES)
    # an expected value given intake is modelled for each setting (dashboard/statistics/expected)
    expected: bool = False

    @property
    def is_pilot(self) -> bool:
        return self.status == "pilot"

    @property
    def is_context(self) -> bool:
        return self.polarity == "context"

    @property
    def overdispersed(self) -> bool:
        return self.overdispersion != "none"

    @property
    def two_groups(self) -> bool:
        """A gap or a ratio between two groups of pupils (SEN and no SEN), not one share."""
        return self.model in TWO_GROUP_MODELS

    @property
    def breakdowns(self) -> tuple[str, ...]:
        """The stored breakdowns the figure sums: its own, or the two it compares."""
        return self.compare_breakdowns if self.two_groups else (self.breakdown,)

    @property
    def model_label(self) -> str:
        return MODEL_LABELS[self.model] + OVERDISPERSION_LABELS[self.overdispersion]

    def format_value(self, value: float | None) -> str:
        """Value in display units, e.g. 0.123 → '12.3%'."""
        if value is None:
            return "–"
        shown = value * self.multiplier
        text = f"{shown:,.{self.decimals}f}"
        if self.unit == "%":
            return text + "%"
        if self.unit == "percentage points":
            return f"{shown:+,.{self.decimals}f} pp"
        if self.unit in ("ratio", "share"):
            return text
        return f"{text} {self.unit}"


@dataclass(frozen=True)
class VerdictRule:
    """How a figure is called higher, lower or similar against its comparator: one rule per
    kind of figure, the same on every page and export that shows the figure."""

    units: str  # "areas" (districts, phases, authorities) or "settings"
    conf: float
    method: str  # "interval" or "funnel" (see `describe`)

    def describe(self) -> str:
        level = f"{self.conf:.1%}".replace(".0%", "%")
        if self.method == "interval":
            return (f"{self.units.capitalize()} are called higher or lower when their {level} "
                    "interval (widened for over-dispersion where the measure is) excludes the "
                    "comparator.")  # fmt: skip
        return (f"{self.units.capitalize()} are called higher or lower when they lie outside "
                f"the {level} control limits of the funnel around the comparator (where the "
                f"measure has none, when their {level} interval excludes it).")  # fmt: skip


# The verdict rules. Areas are few (a dozen districts, five phases, eleven authorities), so 95%
# intervals; settings are many (hundreds in a funnel), where 95% limits would flag one in twenty
# by chance alone, so 99.8% control limits. The Overview, Map, Compare, Pilot measures and the
# Setting profile all read these; a page that offers another level says so beside its verdicts.
VERDICT_RULES = {
    "areas": VerdictRule("areas", 0.95, "interval"),
    "settings": VerdictRule("settings", 0.998, "funnel"),
}


def verdict_rule(level: str) -> VerdictRule:
    """The rule for a comparison level (settings, or any level of areas)."""
    return VERDICT_RULES["settings" if level == "settings" else "areas"]


class CatalogueError(ValueError):
    pass


def _measure(raw: dict, path: Path, index: int) -> Measure:
    where = f"{path.name}, measure #{index + 1} ({raw.get('id', 'no id')})"
    try:
        m = Measure(
            id=raw["id"],
            title=raw["title"],
            short_title=raw["short_title"],
            definition=raw["definition"],
            numerator=raw["numerator"],
            denominator=raw["denominator"],
            grain=raw["grain"],
            model=raw["model"],
            overdispersion=raw["overdispersion"],
            unit=raw["unit"],
            multiplier=float(raw["multiplier"]),
            decimals=int(raw["decimals"]),
            polarity=raw["polarity"],
            min_denominator=float(raw["min_denominator"]),
            status=raw["status"],
            theme=raw["theme"],
            caveats=tuple(raw["caveats"]),
            source=raw["source"],
            input=raw.get("input"),
            breakdown=raw.get("breakdown", "all"),
            compare_breakdowns=tuple(raw.get("compare_breakdowns", ())),
            year_notes=dict(raw.get("year_notes", {})),
            published_england=dict(raw.get("published_england", {})),
            area_source=raw.get("area_source"),
            expected=bool(raw.get("expected", False)),
        )
    except KeyError as exc:
        raise CatalogueError(f"{where}: missing field {exc.args[0]!r}") from None
    for value, allowed, name in (
        (m.model, MODELS, "model"),
        (m.polarity, POLARITIES, "polarity"),
        (m.status, STATUSES, "status"),
        (m.grain, GRAINS, "grain"),
        (m.overdispersion, OVERDISPERSION_METHODS, "overdispersion"),
    ):
        if value not in allowed:
            raise CatalogueError(f"{where}: {name} {value!r} is not one of {sorted(allowed)}")
    if m.grain == "setting" and not m.input:
        raise CatalogueError(f"{where}: setting-level measures need an input")
    if m.grain == "area" and m.area_source not in AREA_SOURCES:
        raise CatalogueError(f"{where}: area-level measures need an area_source, one of "
                             f"{sorted(AREA_SOURCES)}")  # fmt: skip
    if m.expected and not (m.grain == "setting" and m.model in EXPECTED_MODELS
                           and m.breakdown == "all"):  # fmt: skip
        models = " or ".join(sorted(EXPECTED_MODELS))
        raise CatalogueError(f"{where}: expected values are modelled only for setting-level "
                             f"{models} measures of all pupils")  # fmt: skip
    if m.two_groups and len(m.compare_breakdowns) != 2:
        raise CatalogueError(f"{where}: {m.model} needs two compare_breakdowns")
    return m


@cache
def load(path: Path = CATALOGUE_PATH) -> tuple[Measure, ...]:
    """Every measure, in catalogue order; raises CatalogueError naming the bad entry."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    measures = tuple(_measure(m, path, i) for i, m in enumerate(raw.get("measure", [])))
    ids = [m.id for m in measures]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise CatalogueError(f"{path.name}: duplicate measure ids {sorted(dupes)}")
    return measures


def get(measure_id: str) -> Measure:
    for m in load():
        if m.id == measure_id:
            return m
    raise KeyError(measure_id)


def ids() -> list[str]:
    return [m.id for m in load()]


def published_twin(item: str) -> tuple[Measure, str] | None:
    """The measure and phase option whose definition is exactly a published LAIT item's (the
    catalogue's `published_england`): what the dashboard can compute beside that published
    figure. None when no measure matches it."""
    for m in load():
        for phase_key, published in m.published_england.items():
            if published == item:
                return m, phase_key
    return None
