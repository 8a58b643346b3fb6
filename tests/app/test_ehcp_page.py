"""The EHC plans and sufficiency page on the demo series and on real release files."""

import json
from pathlib import Path

import pytest

from dashboard.ingest.ehcp import load_ehcp_files
from tests.app.conftest import texts
from tests.conftest import SHARED

REAL = SHARED / "realdata" / "dfe-ehcp-la-2025"


def _page(app):
    at = app()
    at.run()
    at.switch_page("../pages/ehcp.py").run()
    return at


def test_the_embedded_build_shows_the_published_series(app):
    """The demo database ships DfE's published EHC plans figures (data/reference/ehcp), so the
    page is real on a fresh clone; the figures are those of the June 2025 release."""
    at = _page(app)
    assert not at.exception
    assert not any("fictional demo series" in w.value for w in at.warning)
    body = texts(at)
    assert "Kent: 6,035 plans in January 2010, 20,635 in January 2025" in body
    assert "Kent issued 32.3% of 2,424 new plans within 20 weeks in 2024" in body
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) == 5
    assert "fictional" not in json.dumps(specs)
    # the caseload runs from January 2010 across the statement → EHC plan transition, shaded
    growth = specs[0]
    assert growth["layout"]["xaxis"]["categoryarray"][0] == "January 2010"
    assert any(a.get("text") == "statements → EHC plans" for a in growth["layout"]["annotations"])
    assert "converted to EHC plans between September 2014 and April 2018" in body


def test_among_all_authorities_the_reference_region_is_the_home_authoritys_own(app):
    """The dot plot's dashed line and its sentence are Kent's region, the South East: the
    published file holds every region, and taking the first (the North East) was wrong."""
    import pandas as pd

    published = Path(__file__).resolve().parents[2] / "data" / "reference" / "ehcp"
    table = pd.read_csv(published / "caseload_headline_all_areas.csv", encoding="utf-8-sig",
                        dtype=str)  # fmt: skip
    latest = table[table["time_period"] == table["time_period"].max()]
    regions = latest[latest["geographic_level"] == "Regional"].set_index("region_name")
    south_east = 100 * float(regions.loc["South East", "special_total"]) / float(
        regions.loc["South East", "ehcplans"])  # fmt: skip
    at = _page(app)
    sentence = next(line for line in texts(at).splitlines()
                    if line.startswith("In words: Kent:") and "Local policies" in line)  # fmt: skip
    assert f"South East {south_east:.1f}%" in sentence
    assert not any(r in sentence for r in regions.index if r != "South East"), sentence
    dots = json.loads(at.get("plotly_chart")[-1].proto.spec)
    lines = [t["name"] for t in dots["data"] if t.get("mode") == "lines"]
    assert any(n.startswith("South East: ") for n in lines) and len(lines) == 2, lines


@pytest.mark.skipif(not REAL.exists(), reason="shared real data not present")
def test_real_figures(app, demo_db, tmp_path, monkeypatch):
    path = tmp_path / "real.duckdb"
    path.write_bytes(demo_db.read_bytes())
    files = [f for f in sorted(REAL.glob("*.csv")) if "all_areas" not in f.name]
    load_ehcp_files(path, files, la="886")
    load_ehcp_files(path, [REAL / "caseload_headline_all_areas.csv"], la="all")
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = _page(app)
    assert not at.exception
    body = texts(at)
    assert "Kent: 6,035 plans in January 2010, 20,635 in January 2025" in body
    assert "special schools +8.7 pp" in body  # 39.0% against England's 30.4%
    assert "Kent issued 32.3% of 2,424 new plans within 20 weeks in 2024" in body
    assert "England 30.4%" in body  # dot plot reference line, no rank given
    assert not any("fictional demo series" in w.value for w in at.warning)


def test_caseload_per_thousand_once_population_is_loaded(app, demo_db, tmp_path, monkeypatch):
    from dashboard.ingest.load import load_files
    from tests.unit.test_population import write_nomis

    path = tmp_path / "with_population.duckdb"
    path.write_bytes(demo_db.read_bytes())
    load_files(path, [write_nomis(tmp_path / "nomis_population_0_25.csv")])
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = _page(app)
    assert not at.exception
    body = texts(at)
    assert "No 0–25 population estimate is loaded" not in body
    assert "January 2025, per 1,000 aged 0–25 (ONS mid-2024 estimate): Kent " in body
    assert "20,635 plans;" in body
    assert "each January's count is set against the estimate of the June before it" in body
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs[0]["layout"]["title"]["text"].startswith("EHC plans per 1,000 people aged 0–25")
    assert len(specs) == 6
