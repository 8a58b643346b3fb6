"""Build the embedded demo database: fictional settings in Kent's 12 real districts.

Deterministic: a fixed seed gives the same data on every run. Distributions are calibrated to the
approximate published figures in the project reference (rising EHC plan shares, near-universal
plans in special schools, COVID-19 gaps, higher suspension rates for pupils with SEN). No figure
is attached to a real school: names are invented and URNs sit in a range real schools do not use.

    python data/generate_demo.py --out data/demo.duckdb [--scale 10] [--authorities 150]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a clean checkout
    sys.path.insert(0, str(ROOT))

from data.demo.build import build, data_fingerprint, generate, load_published_series, main  # noqa: E402
from data.demo.calibration import GENERATOR_VERSION, SEED, URN_BASE, YEAR_CODES  # noqa: E402

__all__ = [
    "GENERATOR_VERSION",
    "SEED",
    "URN_BASE",
    "YEAR_CODES",
    "build",
    "data_fingerprint",
    "generate",
    "load_published_series",
    "main",
]

if __name__ == "__main__":
    sys.exit(main())
