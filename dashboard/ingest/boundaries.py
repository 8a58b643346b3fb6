"""Load district boundaries (GeoJSON, GeoPackage or shapefile) into a dashboard database,
matched on ONS district codes and converted to WGS84."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from dashboard.core.home import KENT
from dashboard.ingest.files import LoadError
from dashboard.ingest.writer import Build, update_database
from dashboard.store import db, sql

CODE_COLUMN = re.compile(r"^(lad\d{2}cd|lad_?code|district_code|lad\d{2}code)$", re.I)


class BoundaryError(LoadError):
    pass


def read_boundaries(file: Path, district_codes: set[str]) -> pd.DataFrame:
    """district_code and GeoJSON geometry for every district in `district_codes` in the file."""
    import geopandas as gpd  # heavy import, only when loading

    try:
        frame = gpd.read_file(file)
    except Exception as exc:  # pyogrio raises several types; name the file either way
        raise BoundaryError(f"{file}: cannot be read as boundaries ({exc})") from None
    columns = [c for c in frame.columns if CODE_COLUMN.match(str(c))]
    if not columns:
        raise BoundaryError(
            f"{file}: no ONS district code column (expected one like LAD19CD); "
            f"columns are {', '.join(map(str, frame.columns))}"
        )
    code = columns[0]
    if frame.crs is None:
        raise BoundaryError(f"{file}: no coordinate reference system; cannot place it on a map")
    frame = frame.to_crs(4326)
    kent = frame[frame[code].isin(district_codes)]
    if kent.empty:
        raise BoundaryError(f"{file}: none of the {len(frame)} features matches a loaded district")
    missing = district_codes - set(kent[code])
    if missing:
        raise BoundaryError(f"{file}: no boundary for districts {', '.join(sorted(missing))}")
    _check_shapes(file, kent, code)
    return pd.DataFrame(
        {
            "district_code": kent[code].astype(str).to_list(),
            "geometry_geojson": [json.dumps(g.__geo_interface__) for g in kent.geometry],
        }
    )


# England lies within these longitudes and latitudes (with a margin for the Isles of Scilly and
# Northumberland): a district outside them has its coordinates swapped or in the wrong system.
ENGLAND_LON = (-7.0, 2.5)
ENGLAND_LAT = (49.5, 56.0)


def _check_shapes(file: Path, districts, code: str) -> None:
    """Every district an area on the map, in England: a missing, empty, point or line geometry,
    or one placed off England (latitude and longitude swapped, or the wrong coordinate system
    declared), would leave the map blank or wrong without a word."""
    problems = []
    for row_code, geometry in zip(districts[code], districts.geometry, strict=True):
        if geometry is None or geometry.is_empty:
            problems.append(f"{row_code} has no geometry")
        elif geometry.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"{row_code} is a {geometry.geom_type}, not an area")
        else:
            x0, y0, x1, y1 = geometry.bounds
            if not (ENGLAND_LON[0] <= x0 and x1 <= ENGLAND_LON[1]
                    and ENGLAND_LAT[0] <= y0 and y1 <= ENGLAND_LAT[1]):  # fmt: skip
                problems.append(
                    f"{row_code} lies at longitude {x0:.1f}…{x1:.1f}, latitude {y0:.1f}…{y1:.1f}, "
                    "outside England (are latitude and longitude swapped, or is the coordinate "
                    "system wrong?)"
                )
    if problems:
        raise BoundaryError(f"{file}: " + "; ".join(problems[:5]) + "; nothing was loaded")


def load_boundaries(db_path: Path, file: Path) -> int:
    """Replace the database's district boundaries with those in `file`; returns the count."""
    rows, change = stage_boundaries(db_path, file)
    update_database(db_path, change)
    return len(rows)


def stage_boundaries(
    db_path: Path, file: Path, codes: set[str] | None = None, notes: str | None = None
):
    """Read and check a boundary file against the authority's districts (read from the
    database unless given); returns (rows, a change that loads it into a build). `notes` go
    into its `sources` row."""
    if codes is None:
        con = db.connect(db_path)
        try:
            meta = db.run(con, "metadata")
            own = dict(zip(meta["key"], meta["value"], strict=True)).get("la_code", KENT.code)
            codes = set(db.run(con, "districts", {"la_code": own})["district_code"])
        finally:
            con.close()
    rows = read_boundaries(Path(file), codes)

    def change(b: Build) -> None:
        b.con.execute(sql.load("write_clear_boundaries"))
        sid = b.add_source(
            "District boundaries",
            "Office for National Statistics (as supplied)",
            Path(file).stem,
            len(rows),
            file=Path(file),
            is_fictional=False,
            notes=notes,
        )
        b.append("district_boundaries", rows.assign(source_id=sid))

    return rows, change
