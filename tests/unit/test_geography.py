"""The hex cartogram and boundary loading."""

import itertools
from pathlib import Path

import duckdb
import pytest

from dashboard.figures import geography
from dashboard.ingest.boundaries import BoundaryError, load_boundaries
from dashboard.store import db
from tests.conftest import SHARED, write_boundary_fixture

KENT = {f"E07000{n}" for n in range(105, 117)}


def test_hex_layout_has_twelve_distinct_cells_for_kents_districts():
    assert set(geography.HEX_LAYOUT) == KENT
    cells = list(geography.HEX_LAYOUT.values())
    assert len(set(cells)) == 12
    assert not set(cells) & set(geography.GAPS)


def test_intended_adjacencies_hold():
    layout = geography.HEX_LAYOUT
    for a, b in geography.INTENDED_ADJACENCIES:
        assert geography.neighbours(layout[a], layout[b]), (a, b)


def test_neighbour_rule_on_the_offset_grid():
    assert geography.neighbours((0, 0), (1, 0))
    assert geography.neighbours((0, 1), (0, 0)) and geography.neighbours((0, 1), (1, 0))
    assert not geography.neighbours((0, 1), (2, 0))
    assert geography.neighbours((1, 2), (0, 1)) and geography.neighbours((1, 2), (1, 1))
    assert not geography.neighbours((0, 0), (0, 2))


def test_hexes_do_not_overlap():
    centres = [geography.hex_centre(*c) for c in geography.HEX_LAYOUT.values()]
    for (x1, y1), (x2, y2) in itertools.combinations(centres, 2):
        assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 3**0.5 - 1e-9


def _copy(demo_db, tmp_path) -> Path:
    path = tmp_path / "demo.duckdb"
    path.write_bytes(demo_db.read_bytes())
    return path


def test_load_boundaries_from_fixture(demo_db, tmp_path):
    path = _copy(demo_db, tmp_path)
    assert load_boundaries(path, write_boundary_fixture(tmp_path / "b.geojson")) == 12
    con = db.connect(path)
    rows = db.run(con, "district_boundaries", {"la_code": "886"})
    gj = geography.boundaries_geojson(rows.itertuples(index=False, name=None))
    assert len(gj["features"]) == 12 and gj["features"][0]["geometry"]["type"] == "Polygon"
    sources = db.run(con, "sources")
    assert "District boundaries" in set(sources.dataset)
    con.close()


def test_bad_boundaries_leave_the_database_unchanged(demo_db, tmp_path):
    path = _copy(demo_db, tmp_path)
    before = path.read_bytes()
    partial = write_boundary_fixture(tmp_path / "p.geojson", codes=["E07000105"])
    with pytest.raises(BoundaryError, match="no boundary for districts"):
        load_boundaries(path, partial)
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                   '"properties": {"name": "x"}, "geometry": {"type": "Point", '
                   '"coordinates": [0, 51]}}]}')  # fmt: skip
    with pytest.raises(BoundaryError, match="no ONS district code column"):
        load_boundaries(path, bad)
    assert path.read_bytes() == before


REAL = SHARED / "realdata" / "ons-lad-boundaries"


@pytest.mark.skipif(not REAL.exists(), reason="shared real data not present")
@pytest.mark.parametrize("name", ["lad_dec2019_kent12_simplified.geojson",
                                  "lad_dec2019_uk_bfe_simplified.geojson"])  # fmt: skip
def test_real_ons_boundaries_match_kents_districts(demo_db, tmp_path, name):
    path = _copy(demo_db, tmp_path)
    assert load_boundaries(path, REAL / name) == 12
    con = duckdb.connect(str(path), read_only=True)
    geo = con.execute("select geometry_geojson from district_boundaries").fetchall()
    con.close()
    assert all('"coordinates"' in g for (g,) in geo)
