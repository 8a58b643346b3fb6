"""Maps: the district hex cartogram, true district boundaries and the settings map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import home
from dashboard.figures.comparison import Comparison
from dashboard.views.charts.comparison import unit_hover
from dashboard.views.charts.style import SYMBOLS, layout, result_style

CONTEXT_SCALE = "Blues"  # neutral sequential, colour-blind safe
DIVERGING_SCALE = "PuOr"  # purple-orange, colour-blind safe; purple = better than Kent
RESULT_MARK = {"higher": "▲ higher", "lower": "▼ lower", "similar": "● similar", "": ""}


def _colour_positions(comp: Comparison) -> tuple[pd.Series, str, dict]:
    """Position of each unit on the map colour scale, the scale, and colour-bar settings."""
    m = comp.measure
    v = comp.units["value"]
    if m.is_context or np.isnan(comp.comparator):
        lo, hi = v.min(), v.max()
        span = (hi - lo) or 1.0
        ticks = np.linspace(lo, hi, 5)
        return (v - lo) / span, CONTEXT_SCALE, dict(
            tickvals=list(np.linspace(0, 1, 5)), ticktext=[m.format_value(t) for t in ticks],
            title=m.short_title,
        )  # fmt: skip
    dev = v - comp.comparator
    span = float(np.nanmax(np.abs(dev))) or 1.0
    better_high = m.polarity == "higher_better"
    pos = 0.5 + (dev / span) * (0.5 if better_high else -0.5)
    return pos, DIVERGING_SCALE, dict(
        tickvals=[0, 0.5, 1],
        ticktext=[f"Worse than {home.current().name}",
                  f"{home.current().name} {m.format_value(comp.comparator)}",
                  f"Better than {home.current().name}"],
        title="",
    )  # fmt: skip


def _sample(scale: str, positions) -> list[str]:
    from plotly.colors import sample_colorscale

    return [
        "#ffffff" if pd.isna(p) else c
        for p, c in zip(positions, sample_colorscale(scale, [0 if pd.isna(p) else float(p)
                                                             for p in positions]), strict=True)
    ]  # fmt: skip


def _colourbar_trace(scale: str, bar: dict) -> go.Scatter:
    return go.Scatter(
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(colorscale=scale, cmin=0, cmax=1, color=[0.5], showscale=True,
                    colorbar=dict(thickness=14, len=0.8, **{k: v for k, v in bar.items()
                                                            if k != "title"},
                                  title=dict(text=bar.get("title", "")))),
    )  # fmt: skip


def hex_map_figure(comp: Comparison, subtitle: str, demo: bool,
                   layout_cells: dict[str, tuple[int, int]] | None = None,
                   gaps: dict[tuple[int, int], str] | None = None) -> go.Figure:  # fmt: skip
    """The home authority's districts as equal hexagons (Kent's hand layout unless another is
    given: geography.layout_for), coloured by value; the comparison with the authority's
    figure is written in each cell (▲ ▼ ●) so colour is never the only cue."""
    from dashboard.figures.geography import GAPS, HEX_LAYOUT, hex_centre, hex_vertices

    cells = HEX_LAYOUT if layout_cells is None else layout_cells
    gaps = GAPS if layout_cells is None else (gaps or {})

    m = comp.measure
    units = comp.units.set_index("unit")
    pos, scale, bar = _colour_positions(comp)
    colours = dict(zip(comp.units["unit"], _sample(scale, pos), strict=True))
    fig = go.Figure()
    cx, cy, text, hover, codes = [], [], [], [], []
    for code, (col, row) in cells.items():
        xs, ys = hex_vertices(col, row)
        r = units.loc[code] if code in units.index else None
        fill = colours.get(code, "#ffffff") if r is not None else "#ffffff"
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=fill, mode="lines",
                                 line=dict(color="#505a5f", width=1.5), hoverinfo="skip",
                                 showlegend=False))  # fmt: skip
        x, y = hex_centre(col, row)
        cx.append(x)
        cy.append(y)
        codes.append(code)
        if r is None or pd.isna(r["value"]):
            flag = "" if r is None else r["flag"]
            text.append(f"<b>{_short(r['label'] if r is not None else code)}</b><br>{flag or '–'}")
            hover.append(f"{r['label'] if r is not None else code}: no value shown ({flag})")
            continue
        mark = RESULT_MARK[r["result"]] if r["flag"] != "u" else "u"
        text.append(f"<b>{_short(r['label'])}</b><br>{m.format_value(r['value'])}<br>{mark}")
        hover.append(
            f"<b>{r['label']}</b><br>{m.format_value(r['value'])} (95% interval "
            f"{m.format_value(r['lower'])} to {m.format_value(r['upper'])})<br>"
            f"{r['numerator']:,.0f} / {r['denominator']:,.0f}<br>"
            + result_style(m, r["result"], comp.comparator_name)[1]
        )
    for (col, row), name in gaps.items():
        x, y = hex_centre(col, row)
        fig.add_annotation(x=x, y=y, text=name.replace(" (", "<br>("), showarrow=False,
                           font=dict(size=10, color="#6f777b"))  # fmt: skip
    fig.add_trace(go.Scatter(
        x=cx, y=cy, mode="markers+text", text=text, textfont=dict(size=12),
        marker=dict(size=46, color="rgba(0,0,0,0)"), customdata=codes, hovertext=hover,
        hoverinfo="text", showlegend=False, name="districts",
    ))  # fmt: skip
    fig.add_trace(_colourbar_trace(scale, bar))
    xs_all = [hex_centre(c, r)[0] for c, r in [*cells.values(), *gaps]] or [0.0]
    right = max(xs_all) + 1.2 if layout_cells is not None else 10.6  # Kent's: as drawn
    fig.update_xaxes(visible=False, range=[min(xs_all) - 1.2, right])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig = layout(fig, f"{m.title}: districts", subtitle, demo, 560)
    fig.update_layout(margin=dict(b=20))
    return fig


def _short(name: str) -> str:
    return name.replace(" and ", " & ").replace("Tonbridge & Malling", "Tonbridge &<br>Malling")


KENT_CENTRE = {"lat": 51.22, "lon": 0.78}


def map_view(lats: list[float], lons: list[float]) -> tuple[dict, float]:
    """(centre, zoom) that frames these positions on a web map about 1,000 pixels wide:
    each zoom level halves the degrees of longitude in view (Kent: about 0.78 E, zoom 7.7)."""
    lats = [v for v in lats if v == v]
    lons = [v for v in lons if v == v]
    if not lats or not lons:
        return KENT_CENTRE, 7.7
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    span = max(lon1 - lon0, 1.7 * (lat1 - lat0), 0.05)
    zoom = float(np.clip(np.log2(360 / span) - 0.25, 4.0, 12.0))
    return {"lat": (lat0 + lat1) / 2, "lon": (lon0 + lon1) / 2}, round(zoom, 2)


def _geojson_positions(geojson: dict) -> tuple[list[float], list[float]]:
    from dashboard.figures.geography import outline_paths

    lats, lons = [], []
    for xs, ys in outline_paths(geojson):
        lons += xs
        lats += ys
    return lats, lons


def boundary_map_figure(comp: Comparison, geojson: dict, subtitle: str, demo: bool) -> go.Figure:
    """True district boundaries on a blank MapLibre background (no tiles, works offline)."""
    m = comp.measure
    pos, scale, bar = _colour_positions(comp)
    shown = comp.units.assign(pos=pos)
    hover = [
        f"<b>{r.label}</b><br>"
        + (f"{m.format_value(r.value)} (95% interval {m.format_value(r.lower)} to "
           f"{m.format_value(r.upper)})<br>{RESULT_MARK[r.result]}"
           if pd.notna(r.value) else f"no value shown ({r.flag})")
        for r in shown.itertuples()
    ]  # fmt: skip
    fig = go.Figure(go.Choroplethmap(
        geojson=geojson, locations=shown["unit"], featureidkey="properties.district_code",
        z=shown["pos"].fillna(-1), zmin=0, zmax=1, colorscale=scale, hovertext=hover,
        hoverinfo="text", marker=dict(line=dict(color="#505a5f", width=1.2)),
        colorbar=dict(thickness=14, len=0.8, tickvals=bar["tickvals"], ticktext=bar["ticktext"]),
        customdata=shown["unit"],
    ))  # fmt: skip
    centre, zoom = map_view(*_geojson_positions(geojson))
    fig.update_layout(map=dict(style="white-bg", center=centre, zoom=zoom))
    fig = layout(fig, f"{m.title}: districts", subtitle, demo, 560)
    fig.update_layout(margin=dict(b=20))
    return fig


def setting_map_figure(
    comp: Comparison,
    points: pd.DataFrame,
    subtitle: str,
    demo: bool,
    outlines: list[tuple[list[float], list[float]]] | None = None,
    district_labels: pd.DataFrame | None = None,
) -> go.Figure:
    """One point per setting at its coordinates, drawn on plain longitude/latitude axes so it
    needs no map tiles: shape and colour by comparison, size by denominator, hollow when the
    value is suppressed or unreliable."""
    m = comp.measure
    units = comp.units.merge(points, left_on="unit", right_on="urn", how="inner")
    fig = go.Figure()
    for lons, lats in outlines or []:
        fig.add_trace(
            go.Scatter(
                x=lons,
                y=lats,
                mode="lines",
                hoverinfo="skip",
                line=dict(color="#b1b4b6", width=1),
                showlegend=False,
            )
        )
    if district_labels is not None:
        fig.add_trace(go.Scatter(
            x=district_labels["longitude"], y=district_labels["latitude"], mode="text",
            text=district_labels["district_name"], textfont=dict(size=11, color="#6f777b"),
            hoverinfo="skip", showlegend=False,
        ))  # fmt: skip
    den = units["denominator"].fillna(0)
    size = 6 + 14 * np.sqrt(den / max(den.max(), 1))
    units = units.assign(size=size)
    hidden = units[units["value"].isna()]
    if not hidden.empty:
        fig.add_trace(go.Scatter(
            x=hidden["longitude"], y=hidden["latitude"], mode="markers",
            marker=dict(symbol="circle-open", size=8, color="#6f777b", line=dict(width=1.5)),
            name="Value suppressed (c) or not available",
            hovertext=[f"<b>{r.label}</b><br>{r.flag}: value not shown"
                       for r in hidden.itertuples()],
            hoverinfo="text", customdata=hidden["unit"],
        ))  # fmt: skip
    shown = units[units["value"].notna()]
    for result in ("lower", "similar", "higher", ""):
        part = shown[shown["result"] == result]
        if part.empty:
            continue
        colour, label = result_style(m, result, comp.comparator_name)
        symbols = [SYMBOLS[result] + ("-open" if f == "u" and result else "") for f in
                   part["flag"]]  # fmt: skip
        fig.add_trace(go.Scatter(
            x=part["longitude"], y=part["latitude"], mode="markers",
            marker=dict(symbol=symbols, size=part["size"], color=colour, opacity=0.85,
                        line=dict(width=1, color="#ffffff")),
            name=label, hovertext=unit_hover(m, part), hoverinfo="text", customdata=part["unit"],
        ))  # fmt: skip
    fig.update_xaxes(visible=False)
    # Equal distances: a degree of longitude is cos(latitude) of a degree north (0.62 in Kent).
    mid = float(units["latitude"].mean()) if not units.empty else 51.2
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / np.cos(np.radians(mid)))
    return layout(fig, f"{m.title}: settings", subtitle, demo, 620)


# ---------------------------------------------------------------------------------- trends


def tiled_setting_map(comp: Comparison, points: pd.DataFrame, subtitle: str, demo: bool):
    """Optional: the settings on a tiled basemap. Needs the internet; offered, never default."""
    m = comp.measure
    units = comp.units.merge(points, left_on="unit", right_on="urn", how="inner")
    shown = units[units["value"].notna()]
    fig = go.Figure()
    for result in ("lower", "similar", "higher", ""):
        part = shown[shown["result"] == result]
        if part.empty:
            continue
        colour, label = result_style(m, result, comp.comparator_name)
        fig.add_trace(go.Scattermap(
            lat=part["latitude"], lon=part["longitude"], mode="markers", name=label,
            marker=dict(size=10, color=colour), hovertext=unit_hover(m, part), hoverinfo="text",
            customdata=part["unit"],
        ))  # fmt: skip
    centre, zoom = map_view(list(units["latitude"]), list(units["longitude"]))
    fig.update_layout(map=dict(style="carto-positron", center=centre, zoom=zoom))
    return layout(fig, f"{m.title}: settings", subtitle, demo, 620)
