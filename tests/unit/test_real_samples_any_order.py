"""Every real public sample in ../shared/realdata, loaded one after another in several orders
and with several `--la` values: each load either succeeds or ends in one clear message, never
a traceback, and a refused load leaves the database byte for byte as it was (issue 15)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from dashboard.ingest.__main__ import main as cli
from tests.conftest import REAL

SUFFIXES = {".csv", ".geojson", ".json", ".gpkg", ".xlsx"}
SAMPLES = sorted(
    p for p in REAL.rglob("*")
    if p.suffix.lower() in SUFFIXES and not p.name.lower().endswith(".meta.csv")
) if REAL.exists() else []  # fmt: skip
ORDERS = {
    "as listed": SAMPLES,
    "reversed": SAMPLES[::-1],
    "shuffled": random.Random(20261201).sample(SAMPLES, len(SAMPLES)),
}

pytestmark = pytest.mark.skipif(not SAMPLES, reason="../shared/realdata is not present")


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.mark.parametrize("la", ["886", "all", "207"])
@pytest.mark.parametrize("order", list(ORDERS))
def test_each_real_sample_loads_or_is_refused_plainly(tmp_path, capsys, la, order):
    db = tmp_path / "kent.duckdb"
    outcomes = {}
    for f in ORDERS[order]:
        before = _sha(db)
        code = cli(["ingest", str(f), "--db", str(db), "--la", la, "--year", "2018/19"])
        out, err = capsys.readouterr()
        assert code in (0, 2), (f.name, code, err)
        assert "Traceback" not in err and "Traceback" not in out, f.name
        if code == 2:
            assert err.startswith("error: ") and "the database was not changed" in err, err
            assert _sha(db) == before, f"{f.name} changed the database although refused"
        outcomes[f.name] = code
    # the school-level files a Kent analyst loads do land, in any order, once a list exists
    if la in ("886", "all"):
        assert outcomes["england_census_kent.csv"] == 0, outcomes
