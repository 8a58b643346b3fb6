"""Building the demo database: generate every table, load the shipped published series and
boundaries, and write one database through the same writer every real load uses."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from dashboard.ingest.writer import Build, build_database
from data.demo.calibration import GENERATOR_VERSION, SEED, URN_BASE, YEAR_CODES
from data.demo.makers import (
    district_table,
    make_awards,
    make_facts,
    make_inspections,
    make_intake,
    make_settings,
)
from data.demo.paths import REFERENCE, ROOT


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
    sizes = authority_sizes(authorities, scale, seed)
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
            la = fictional_la_code(a)  # four digits: never a real DfE code
            districts["la_code"] = la
        parts.append(
            (districts, make_settings(rng, districts, sizes[a], la, URN_BASE + a * 100000))
        )
    settings = pd.concat([p[1] for p in parts], ignore_index=True)
    bar.update()
    facts = make_facts(rng, settings)
    intake = make_intake(np.random.default_rng([seed, 1]), settings, facts)
    facts = pd.concat([facts, intake], ignore_index=True)
    facts[["numerator", "denominator"]] = facts[["numerator", "denominator"]].astype("Float64")
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
        "authorities": demo_authorities(authorities) if authorities > 1 else None,
    }


def authority_sizes(count: int, scale: float, seed: int = SEED) -> list[float]:
    """Each authority's size relative to Kent's estate. Kent is always full size (about 600
    settings), so a national-scale benchmark measures the real Kent; the fictional others vary
    as England's do (a log-normal spread, from a few dozen settings to most of Kent's) around
    `scale` on average. Drawn from a stream of their own, so Kent's data do not change."""
    if count <= 1:
        return [1.0] * count
    draw = np.exp(np.random.default_rng([seed, 1]).normal(0.0, 0.55, count - 1))
    others = np.minimum(0.9, scale * draw / draw.mean())
    return [1.0, *(float(x) for x in others)]


# England's regions by ONS code, with how many authorities each has: fictional authorities are
# spread over them in proportion, so a national-scale demo has a South East of Kent's size.
REGIONS = {
    "E12000001": ("North East", 12), "E12000002": ("North West", 24),
    "E12000003": ("Yorkshire and The Humber", 15), "E12000004": ("East Midlands", 10),
    "E12000005": ("West Midlands", 14), "E12000006": ("East of England", 11),
    "E12000007": ("London", 33), "E12000008": ("South East", 19),
    "E12000009": ("South West", 15),
}  # fmt: skip


def fictional_la_code(a: int) -> str:
    return f"{9000 + a}"


def demo_authorities(count: int) -> pd.DataFrame:
    """Kent (real name and region) and `count - 1` fictional authorities, each in a region,
    in the proportions of England's 153: the demo world's authorities."""
    slots = [code for code, (_, n) in REGIONS.items() for _ in range(n)]
    rows: list[tuple[str, str, str | None, str, str]] = [
        ("886", "Kent", "E10000016", "E12000008", "South East")
    ]
    for a in range(1, count):
        region = slots[(a * 7) % len(slots)]
        rows.append((fictional_la_code(a), f"Demo authority {a}", None, region, REGIONS[region][0]))
    return pd.DataFrame(rows, columns=["la_code", "la_name", "area_code", "region_code",
                                       "region_name"])  # fmt: skip


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
    # the release of 2022 first: its caseload by age (January 2010–2022) carries the series
    # back through the 2014–2018 transition from statements; the newer release wins overlaps
    ("sen2_age_caseload_2022_release_total.csv", "all"),
    ("caseload_headline_all_areas.csv", "all"),
    ("caseload_kent_and_national.csv", "all"),
    ("timeliness_20_week_kent_and_national.csv", "all"),
    ("requests_kent_and_national.csv", "all"),
]
BOUNDARIES_REFERENCE = "kent_districts_dec2019.geojson"


def load_published_series(b: Build) -> None:
    """DfE's EHC plans releases (June 2025: caseload January 2019–2025, requests and 20-week
    timeliness 2019–2024; England, regions and every authority at headline level, Kent and
    England by breakdown; 2022: the headline caseload of plans and statements from January
    2010) and ONS's December 2019 boundaries of Kent's 12 districts."""
    from dashboard.ingest.boundaries import stage_boundaries
    from dashboard.ingest.ehcp import stage_ehcp

    for name, la in EHCP_REFERENCE:
        release = "2022; the Total rows of sen2_age_caseload.csv" if "2022" in name else "June 2025"
        _, change = stage_ehcp(
            REFERENCE / "ehcp" / name, la,
            notes=f"Published figures, {OGL}; shipped in data/reference/ehcp (release of "
            f"{release}).",
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
        b.load_reference_tables(YEAR_CODES, tables["authorities"])
        if tables["extra_districts"] is not None:
            b.append(
                "districts",
                tables["extra_districts"][["district_code", "district_name", "la_code"]],
            )
        sid = b.add_source(
            "Fictional demo settings and indicators",
            "Kent inclusion dashboard project (generated)",
            f"generator v{GENERATOR_VERSION}, seed {seed}",
            sum(
                len(t)
                for k, t in tables.items()
                if k not in ("extra_districts", "authorities") and t is not None
            ),
            is_fictional=True,
            notes=f"Deterministic output; data fingerprint {fingerprint[:16]}. "
            "Settings, names and figures are invented; districts and published figures are real.",
        )
        # each table is let go once written: a national build's five million facts are not
        # held while disclosure control decides (the build's peak memory)
        for name in ("settings", "setting_facts", "inspections", "awards"):
            df = tables.pop(name)
            df["source_id"] = sid
            b.append(name, df)
            del df
        b.append("inspection_judgements", tables.pop("inspection_judgements"))
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
        "--scale",
        type=float,
        default=1.0,
        help="other authorities' mean size relative to Kent (Kent is always full size)",
    )
    ap.add_argument(
        "--authorities", type=int, default=1, help="1 = Kent only; 150 ≈ national scale"
    )
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    path = build(args.out, args.scale, args.authorities, args.seed, progress=None)
    print(f"wrote {path}")
    return 0
