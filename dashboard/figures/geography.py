"""Districts as a hex cartogram, and loaded district boundaries as GeoJSON.

Kent's layout below is drawn by hand. Any other authority's is generated from its districts'
centres (`generated_layout`): each district gets one cell of a small hex grid, chosen so the
grid keeps the districts' relative positions as closely as an equal-area layout can (an
optimal assignment, scipy's linear_sum_assignment, of districts to cells by squared
distance). A unitary authority with one district gets one hexagon.

The hex layout is designed for this project: every district is one equal hexagon, so large
rural districts do not dominate the eye, and neighbours are kept as far as a grid allows.
Pointy-top hexes in offset rows; odd rows sit half a cell to the right.

    row 0:  Dartford  Gravesham  (Medway)  Swale  Canterbury  Thanet
    row 1:     Sevenoaks  Tonbridge & Malling  Maidstone  Ashford  Dover
    row 2:           Tunbridge Wells                          Folkestone & Hythe

Medway (a separate unitary authority) is left as a gap where it sits. Known compromises:
Ashford and Dover touch on the grid but not on the ground; Tunbridge Wells is not drawn
touching Maidstone, nor Folkestone and Hythe touching Canterbury.
"""

from __future__ import annotations

import json
import math

HEX_LAYOUT: dict[str, tuple[int, int]] = {
    "E07000107": (0, 0),  # Dartford
    "E07000109": (1, 0),  # Gravesham
    "E07000113": (3, 0),  # Swale
    "E07000106": (4, 0),  # Canterbury
    "E07000114": (5, 0),  # Thanet
    "E07000111": (0, 1),  # Sevenoaks
    "E07000115": (1, 1),  # Tonbridge and Malling
    "E07000110": (2, 1),  # Maidstone
    "E07000105": (3, 1),  # Ashford
    "E07000108": (4, 1),  # Dover
    "E07000116": (1, 2),  # Tunbridge Wells
    "E07000112": (4, 2),  # Folkestone and Hythe
}
GAPS = {(2, 0): "Medway (not part of Kent LA)"}

# Real borders the layout keeps as touching cells (tested).
INTENDED_ADJACENCIES = [
    ("E07000107", "E07000109"), ("E07000107", "E07000111"), ("E07000109", "E07000111"),
    ("E07000109", "E07000115"), ("E07000111", "E07000115"), ("E07000115", "E07000110"),
    ("E07000110", "E07000113"), ("E07000110", "E07000105"), ("E07000113", "E07000105"),
    ("E07000113", "E07000106"), ("E07000106", "E07000114"), ("E07000106", "E07000105"),
    ("E07000106", "E07000108"), ("E07000114", "E07000108"), ("E07000105", "E07000112"),
    ("E07000108", "E07000112"), ("E07000116", "E07000111"), ("E07000116", "E07000115"),
]  # fmt: skip


def generated_layout(centres: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int]]:
    """One hex cell per district from (latitude, longitude) centres, keeping their relative
    positions: the centres are scaled so that a typical district's nearest neighbour lies one
    cell away, and districts are assigned to the cells around them minimising the total
    squared distance (an optimal assignment: scipy's linear_sum_assignment)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    codes = sorted(centres)
    if len(codes) <= 1:
        return {c: (0, 0) for c in codes}
    lat = np.array([centres[c][0] for c in codes])
    # equal distances: a degree of longitude shrinks with the cosine of the latitude
    x = np.array([centres[c][1] for c in codes]) * math.cos(math.radians(float(lat.mean())))
    y = -lat  # rows run southwards
    gaps = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    np.fill_diagonal(gaps, np.inf)
    nearest = float(np.median(gaps.min(axis=1))) or 1e-9
    step = math.sqrt(3)  # the distance between the centres of neighbouring cells
    px, py = (x - x.min()) * step / nearest, (y - y.min()) * step / nearest
    cols = int(px.max() / step) + 3
    rows = int(py.max() / 1.5) + 3
    cells = [(c, r) for r in range(-1, rows) for c in range(-1, cols)]
    centre_xy = np.array([hex_centre(c, r) for c, r in cells])
    cx, cy = centre_xy[:, 0], -centre_xy[:, 1]
    cost = (px[:, None] - cx[None, :]) ** 2 + (py[:, None] - cy[None, :]) ** 2
    got_rows, got_cells = linear_sum_assignment(cost)
    placed = {codes[i]: cells[j] for i, j in zip(got_rows, got_cells, strict=True)}
    # shift so the layout starts at row 0 and column 0, keeping odd rows odd
    r0 = min(r for _, r in placed.values())
    r0 -= r0 % 2
    c0 = min(c for c, _ in placed.values())
    return {k: (c - c0, r - r0) for k, (c, r) in placed.items()}


def layout_for(centres: dict[str, tuple[float, float]]) -> tuple[dict, dict, bool]:
    """(layout, gaps, hand-drawn?) for these districts: Kent's hand layout when it covers
    every district given, otherwise one generated from their centres (no gaps)."""
    if centres and set(centres) <= set(HEX_LAYOUT):
        return HEX_LAYOUT, GAPS, True
    return generated_layout(centres), {}, False


def layout_note(districts: dict[str, str], centres: dict[str, tuple[float, float]]) -> str:
    """The words the Map page adds about the layout it draws (a unitary authority, one
    district, has no district map: the page shows its settings)."""
    _, _, by_hand = layout_for({c: centres.get(c, (0.0, 0.0)) for c in districts})
    if by_hand:
        return " (Medway, a separate authority, is the gap)"
    return (
        " (a layout generated from the districts' centres: neighbours on the grid are "
        "near each other on the ground, but not every shared border is kept)"
    )


def hex_centre(col: int, row: int) -> tuple[float, float]:
    return math.sqrt(3) * (col + 0.5 * (row % 2)), -1.5 * row


def hex_vertices(col: int, row: int, size: float = 0.97) -> tuple[list[float], list[float]]:
    """Closed outline of one pointy-top hexagon (slightly shrunk to leave a gutter)."""
    cx, cy = hex_centre(col, row)
    xs, ys = [], []
    for k in range(7):
        angle = math.radians(60 * k - 30)
        xs.append(cx + size * math.cos(angle))
        ys.append(cy + size * math.sin(angle))
    return xs, ys


def neighbours(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when two offset-grid cells share an edge."""
    (c1, r1), (c2, r2) = a, b
    if r1 == r2:
        return abs(c1 - c2) == 1
    if abs(r1 - r2) != 1:
        return False
    upper, lower = (a, b) if r1 < r2 else (b, a)
    # The shifted (odd) row's cell c touches c and c+1 of the even row next to it.
    odd, even = (upper, lower) if upper[1] % 2 else (lower, upper)
    return even[0] in (odd[0], odd[0] + 1)


def boundaries_geojson(rows) -> dict:
    """A FeatureCollection keyed on district_code from (district_code, name, geometry) rows."""
    features = []
    for code, name, geometry in rows:
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"district_code": code, "district_name": name},
                "geometry": json.loads(geometry),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def outline_paths(geojson: dict) -> list[tuple[list[float], list[float]]]:
    """Every ring of every feature as (lons, lats), for drawing outlines without a map."""
    out = []
    for feature in geojson["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                out.append(([p[0] for p in ring], [p[1] for p in ring]))
    return out
