"""Plotly figure builders. No Streamlit: each returns a go.Figure that pages draw and tests read.

Meaning is never carried by colour alone: shape says higher/lower/similar, hollow markers say
"low reliability", and flagged units are labelled by name. Palettes are colour-blind safe
(Okabe–Ito); context measures use greys, never a better/worse scheme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue import Measure
from dashboard.comparison import Comparison
from dashboard.config import DEMO_NOTICE

BETTER = "#0072B2"  # Okabe–Ito blue
WORSE = "#D55E00"  # Okabe–Ito vermillion
SIMILAR = "#8c8c8c"
CONTEXT_FLAGGED = "#3b3b3b"
BENCHMARK = "#0b0c0c"
FONT = dict(family="Arial, Helvetica, sans-serif", size=14, color="#0b0c0c")
MAX_LABELS = 12  # beyond this, label only the furthest flagged units; the table lists all
SYMBOLS = {
    "higher": "triangle-up",
    "lower": "triangle-down",
    "similar": "circle",
    "": "circle-open",
}


def result_style(measure: Measure, result: str, benchmark_name: str) -> tuple[str, str]:
    """(colour, legend label) for a comparison result under the measure's polarity."""
    if result == "similar":
        return SIMILAR, f"Not significantly different from {benchmark_name}"
    if result == "":
        return SIMILAR, "Not compared (low reliability or no benchmark)"
    if measure.polarity == "context":
        word = "Above" if result == "higher" else "Below"
        return CONTEXT_FLAGGED, f"{word} {benchmark_name}"
    good = (result == "higher") == (measure.polarity == "higher_better")
    word = "Higher" if result == "higher" else "Lower"
    return (BETTER if good else WORSE), (
        f"{word} than {benchmark_name} ({'better' if good else 'worse'})"
    )


def _layout(fig: go.Figure, title: str, subtitle: str, demo: bool, height: int) -> go.Figure:
    notes = subtitle + (f"<br><b>{DEMO_NOTICE}</b>" if demo else "")
    fig.update_layout(
        title=dict(text=f"{title}<br><sup>{notes}</sup>", x=0, xanchor="left"),
        font=FONT,
        height=height,
        template="plotly_white",
        margin=dict(l=10, r=10, t=110 if demo else 90, b=140),
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.01, x=0),
        hoverlabel=dict(font_size=13),
    )
    return fig


def _hover(measure: Measure, units: pd.DataFrame) -> list[str]:
    out = []
    for r in units.itertuples(index=False):
        counts = (
            f"{r.numerator:,.0f} / {r.denominator:,.0f}"
            if measure.model not in ("difference", "ratio")
            else f"SEN {r.numerator:,.0f}/{r.denominator:,.0f}; "
            f"no SEN {r.numerator_b:,.0f}/{r.denominator_b:,.0f}"
        )
        flag = " · u: low reliability" if r.flag == "u" else ""
        out.append(
            f"<b>{r.label}</b><br>{measure.format_value(r.value)} "
            f"(95% interval {measure.format_value(r.lower)} to {measure.format_value(r.upper)})"
            f"<br>{counts}{flag}"
        )
    return out


def _groups(comp: Comparison):
    shown = comp.shown
    for result in ("lower", "similar", "higher", ""):
        part = shown[shown["result"] == result]
        if not part.empty:
            yield result, part


def funnel_figure(comp: Comparison, subtitle: str, demo: bool) -> go.Figure:
    """Value against denominator with the benchmark and 95% / 99.8% control limits."""
    m, f = comp.measure, comp.funnel
    scale = m.multiplier
    fig = go.Figure()
    if f is not None:
        for name, dash, width in (("95", "dash", 1.5), ("998", "dot", 2)):
            label = "95% control limits" if name == "95" else "99.8% control limits"
            for side, show in (("upper", True), ("lower", False)):
                fig.add_trace(go.Scatter(
                    x=f["denominator"], y=f[f"{side}_{name}"] * scale, mode="lines",
                    line=dict(color="#505a5f", dash=dash, width=width), name=label,
                    legendgroup=name, showlegend=show, hoverinfo="skip",
                ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=[f["denominator"].min(), f["denominator"].max()],
            y=[comp.benchmark * scale] * 2, mode="lines", line=dict(color=BENCHMARK, width=2),
            name=f"{comp.benchmark_name}: {m.format_value(comp.benchmark)}", hoverinfo="skip",
        ))  # fmt: skip
    flagged_all = comp.shown[comp.shown["result"].isin(["higher", "lower"])]
    z = (flagged_all["value"] - comp.benchmark).abs() / np.sqrt(
        np.maximum(comp.benchmark * (1 - min(comp.benchmark, 0.999)), 1e-12)
        / flagged_all["denominator"]
    )
    labelled = set(z.sort_values(ascending=False).index[:MAX_LABELS])
    for result, part in _groups(comp):
        colour, label = result_style(m, result, comp.benchmark_name)
        hollow = part["flag"] == "u"
        symbols = [SYMBOLS[result] + ("-open" if h and result else "") for h in hollow]
        flagged = result in ("higher", "lower")
        fig.add_trace(go.Scatter(
            x=part["denominator"], y=part["value"] * scale,
            mode="markers+text" if flagged else "markers",
            text=[t if i in labelled else "" for i, t in zip(part.index, part["label"],
                                                             strict=True)]
            if flagged else None,
            textposition="top center",
            textfont=dict(size=11),
            marker=dict(symbol=symbols, size=11 if flagged else 8, color=colour,
                        line=dict(width=1.5, color=colour)),
            name=label, hovertext=_hover(m, part), hoverinfo="text",
        ))  # fmt: skip
    dens = comp.shown["denominator"]
    log = len(dens) > 1 and dens.max() / max(dens.min(), 1) > 30
    fig.update_xaxes(title=m.denominator, type="log" if log else "linear")
    fig.update_yaxes(title=f"{m.short_title} ({m.unit})", rangemode="tozero")
    return _layout(fig, f"{m.title}: funnel plot", subtitle, demo, 560)


def interval_figure(comp: Comparison, subtitle: str, demo: bool) -> go.Figure:
    """Each unit's value with its 95% interval, ordered by value. No rank numbers."""
    m = comp.measure
    scale = m.multiplier
    shown = comp.shown.sort_values("value")
    many = len(shown) > 60
    fig = go.Figure()
    for result, part in _groups(comp):
        colour, label = result_style(m, result, comp.benchmark_name)
        symbols = [SYMBOLS[result] + ("-open" if f == "u" and result else "") for f in part["flag"]]
        fig.add_trace(go.Scatter(
            x=part["value"] * scale, y=part["label"], mode="markers",
            marker=dict(symbol=symbols, size=10, color=colour, line=dict(width=1.5, color=colour)),
            error_x=dict(type="data", symmetric=False,
                         array=(part["upper"] - part["value"]) * scale,
                         arrayminus=(part["value"] - part["lower"]) * scale,
                         color=colour, thickness=1.5, width=3),
            name=label, hovertext=_hover(m, part), hoverinfo="text",
        ))  # fmt: skip
    if comp.level == "phases":
        bench = shown.dropna(subset=["benchmark"])
        fig.add_trace(go.Scatter(
            x=bench["benchmark"] * scale, y=bench["label"], mode="markers",
            marker=dict(symbol="line-ns", size=18, line=dict(width=3, color=BENCHMARK)),
            name=f"{comp.benchmark_name}", hoverinfo="skip",
        ))  # fmt: skip
    elif not np.isnan(comp.benchmark):
        fig.add_vline(x=comp.benchmark * scale, line=dict(color=BENCHMARK, width=2))
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="lines", line=dict(color=BENCHMARK, width=2),
            name=f"{comp.benchmark_name}: {m.format_value(comp.benchmark)}",
        ))  # fmt: skip
    fig.update_yaxes(
        categoryorder="array", categoryarray=list(shown["label"]), showticklabels=not many,
        title="" if not many else f"{len(shown)} units, ordered by value",
    )  # fmt: skip
    fig.update_xaxes(title=f"{m.short_title} ({m.unit}), with 95% interval")
    height = 330 + (6 if many else 26) * max(len(shown), 3)
    return _layout(fig, f"{m.title}: values with 95% intervals", subtitle, demo, min(height, 2400))


SERIES_STYLE = {
    0: dict(color="#0b0c0c", dash="solid", symbol="circle"),
    1: dict(color="#0072B2", dash="dash", symbol="square"),
    2: dict(color="#6f777b", dash="dot", symbol="diamond"),
}


def series_figure(
    series: pd.DataFrame,
    measure: Measure,
    subtitle: str,
    demo: bool,
    year_notes: dict[str, str] | None = None,
) -> go.Figure:
    """Values over academic years with 95% intervals. Missing years are gaps, not lines, and
    disrupted years are shaded with their reason in the hover text."""
    scale = measure.multiplier
    years = list(dict.fromkeys(series.sort_values("year_code")["year"]))
    fig = go.Figure()
    for i, (name, part) in enumerate(series.groupby("series", sort=False)):
        part = part.set_index("year").reindex(years)
        style = SERIES_STYLE[i % 3]
        hollow = part["flag"].eq("u")
        fig.add_trace(go.Scatter(
            x=years, y=part["value"] * scale, name=name, mode="lines+markers",
            connectgaps=False,
            line=dict(color=style["color"], dash=style["dash"], width=2.5 if i == 0 else 2),
            marker=dict(symbol=[style["symbol"] + ("-open" if h else "") for h in hollow],
                        size=9, color=style["color"]),
            error_y=dict(type="data", symmetric=False,
                         array=(part["upper"] - part["value"]) * scale,
                         arrayminus=(part["value"] - part["lower"]) * scale,
                         color=style["color"], thickness=1.2, width=3),
            hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>",
        ))  # fmt: skip
    shapes, notes = [], []
    for i, year in enumerate(years):
        note = (year_notes or {}).get(year)
        if note:
            shapes.append(dict(type="rect", xref="x", yref="paper", x0=i - 0.5, x1=i + 0.5,
                               y0=0, y1=1, fillcolor="#dddddd", opacity=0.5, line_width=0,
                               layer="below"))  # fmt: skip
            notes.append(dict(x=year, y=1, yref="paper", text="†", showarrow=False,
                              hovertext=note, font=dict(size=14)))  # fmt: skip
    fig.update_layout(shapes=shapes, annotations=notes)
    fig.update_xaxes(type="category", title="Academic year")
    fig.update_yaxes(title=f"{measure.short_title} ({measure.unit})", rangemode="tozero")
    fig = _layout(fig, measure.title, subtitle, demo, 430)
    fig.update_layout(margin=dict(b=110))
    return fig


def highlight(fig: go.Figure, units: pd.DataFrame, unit, measure: Measure, label: str) -> None:
    """Mark one unit on a funnel plot with a large open star and its name."""
    row = units[units["unit"] == unit]
    if row.empty or row["value"].isna().all():
        return
    r = row.iloc[0]
    fig.add_trace(go.Scatter(
        x=[r.denominator], y=[r.value * measure.multiplier], mode="markers+text",
        text=[label], textposition="bottom center",
        marker=dict(symbol="star-open", size=22, color="#0b0c0c", line=dict(width=2.5)),
        name=label, hoverinfo="skip",
    ))  # fmt: skip


# ------------------------------------------------------------------------------------ maps

CONTEXT_SCALE = "Blues"  # neutral sequential, colour-blind safe
DIVERGING_SCALE = "PuOr"  # purple-orange, colour-blind safe; purple = better than Kent
RESULT_MARK = {"higher": "▲ higher", "lower": "▼ lower", "similar": "● similar", "": ""}


def _colour_positions(comp: Comparison) -> tuple[pd.Series, str, dict]:
    """Position of each unit on the map colour scale, the scale, and colour-bar settings."""
    m = comp.measure
    v = comp.units["value"]
    if m.is_context or np.isnan(comp.benchmark):
        lo, hi = v.min(), v.max()
        span = (hi - lo) or 1.0
        ticks = np.linspace(lo, hi, 5)
        return (v - lo) / span, CONTEXT_SCALE, dict(
            tickvals=list(np.linspace(0, 1, 5)), ticktext=[m.format_value(t) for t in ticks],
            title=m.short_title,
        )  # fmt: skip
    dev = v - comp.benchmark
    span = float(np.nanmax(np.abs(dev))) or 1.0
    better_high = m.polarity == "higher_better"
    pos = 0.5 + (dev / span) * (0.5 if better_high else -0.5)
    return pos, DIVERGING_SCALE, dict(
        tickvals=[0, 0.5, 1],
        ticktext=["Worse than Kent", f"Kent {m.format_value(comp.benchmark)}", "Better than Kent"],
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


def hex_map_figure(comp: Comparison, subtitle: str, demo: bool) -> go.Figure:
    """Kent's 12 districts as equal hexagons, coloured by value; the comparison with Kent is
    written in each cell (▲ ▼ ●) so colour is never the only cue."""
    from dashboard.geography import GAPS, HEX_LAYOUT, hex_centre, hex_vertices

    m = comp.measure
    units = comp.units.set_index("unit")
    pos, scale, bar = _colour_positions(comp)
    colours = dict(zip(comp.units["unit"], _sample(scale, pos), strict=True))
    fig = go.Figure()
    cx, cy, text, hover, codes = [], [], [], [], []
    for code, (col, row) in HEX_LAYOUT.items():
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
            + result_style(m, r["result"], comp.benchmark_name)[1]
        )
    for (col, row), name in GAPS.items():
        x, y = hex_centre(col, row)
        fig.add_annotation(x=x, y=y, text=name.replace(" (", "<br>("), showarrow=False,
                           font=dict(size=10, color="#6f777b"))  # fmt: skip
    fig.add_trace(go.Scatter(
        x=cx, y=cy, mode="markers+text", text=text, textfont=dict(size=12),
        marker=dict(size=46, color="rgba(0,0,0,0)"), customdata=codes, hovertext=hover,
        hoverinfo="text", showlegend=False, name="districts",
    ))  # fmt: skip
    fig.add_trace(_colourbar_trace(scale, bar))
    fig.update_xaxes(visible=False, range=[-1.2, 10.6])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig = _layout(fig, f"{m.title}: districts", subtitle, demo, 560)
    fig.update_layout(margin=dict(b=20))
    return fig


def _short(name: str) -> str:
    return name.replace(" and ", " & ").replace("Tonbridge & Malling", "Tonbridge &<br>Malling")


KENT_CENTRE = {"lat": 51.22, "lon": 0.78}


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
    fig.update_layout(map=dict(style="white-bg", center=KENT_CENTRE, zoom=7.7))
    fig = _layout(fig, f"{m.title}: districts", subtitle, demo, 560)
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
        colour, label = result_style(m, result, comp.benchmark_name)
        symbols = [SYMBOLS[result] + ("-open" if f == "u" and result else "") for f in
                   part["flag"]]  # fmt: skip
        fig.add_trace(go.Scatter(
            x=part["longitude"], y=part["latitude"], mode="markers",
            marker=dict(symbol=symbols, size=part["size"], color=colour, opacity=0.85,
                        line=dict(width=1, color="#ffffff")),
            name=label, hovertext=_hover(m, part), hoverinfo="text", customdata=part["unit"],
        ))  # fmt: skip
    fig.update_xaxes(visible=False)
    # Equal distances: at Kent's latitude a degree of longitude is about 0.62 of a degree north.
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / np.cos(np.radians(51.2)))
    return _layout(fig, f"{m.title}: settings", subtitle, demo, 620)


# ---------------------------------------------------------------------------------- trends

TREND_COLOURS = ["#0b0c0c", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
TREND_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "solid", "dash"]


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _runs(present: list[bool]) -> list[list[int]]:
    """Indices of each unbroken run of True values."""
    runs, current = [], []
    for i, ok in enumerate(present):
        if ok:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _annotate_years(fig: go.Figure, years: list[str], notes: dict[str, str]) -> None:
    fig.update_layout(shapes=[
        dict(type="rect", xref="x", yref="paper", x0=i - 0.5, x1=i + 0.5, y0=0, y1=1,
             fillcolor="#dddddd", opacity=0.45, line_width=0, layer="below")
        for i, year in enumerate(years) if notes.get(year)
    ])  # fmt: skip


def trend_figure(
    data: pd.DataFrame,
    measure: Measure,
    published: pd.DataFrame,
    subtitle: str,
    demo: bool,
) -> go.Figure:
    """Lines with 95% bands; gaps where there is no value, never interpolated; disrupted years
    shaded, with the reason written under the chart."""
    scale = measure.multiplier
    years = list(dict.fromkeys(data.sort_values("year_code")["year"]))
    fig = go.Figure()
    for i, (name, part) in enumerate(data.groupby("series", sort=False)):
        part = part.set_index("year").reindex(years)
        colour = TREND_COLOURS[i % len(TREND_COLOURS)]
        for run in _runs(part["value"].notna().to_list()):  # a band per unbroken stretch
            xs = [years[k] for k in run]
            top = list(part["upper"].iloc[run] * scale)
            bottom = list(part["lower"].iloc[run[::-1]] * scale)
            fig.add_trace(go.Scatter(
                x=xs + xs[::-1], y=top + bottom, mode="lines",
                fill="toself", fillcolor=_rgba(colour, 0.15), line=dict(width=0),
                hoverinfo="skip", showlegend=False, legendgroup=name,
            ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=years, y=part["value"] * scale, name=name, mode="lines+markers", connectgaps=False,
            line=dict(color=colour, dash=TREND_DASHES[i % len(TREND_DASHES)], width=2.5),
            marker=dict(size=7, symbol=["circle-open" if f == "u" else "circle"
                                        for f in part["flag"].fillna("")]),
            legendgroup=name,
            customdata=np.stack([part["lower"] * scale, part["upper"] * scale], axis=-1),
            hovertemplate="%{x}: %{y:.2f} (95% interval %{customdata[0]:.2f} to "
            "%{customdata[1]:.2f})<extra>" + name + "</extra>",
        ))  # fmt: skip
    for j, (name, part) in enumerate(published.groupby("series", sort=False)):
        part = part[part["year_label"].isin(years)]
        fig.add_trace(go.Scatter(
            x=part["year_label"], y=part["value"] * scale, mode="markers", name=name,
            marker=dict(symbol="diamond-open" if j % 2 else "diamond", size=11,
                        color="#4c2c92", line=dict(width=2, color="#4c2c92")),
            hovertext=[f"{name}: {measure.format_value(v)} — {s}, {vt}" for v, s, vt in
                       zip(part["value"], part["source"], part["vintage"], strict=True)],
            hoverinfo="text",
        ))  # fmt: skip
    _annotate_years(fig, years, measure.year_notes)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years,
                     title="Academic year")  # fmt: skip
    fig.update_yaxes(title=f"{measure.short_title} ({measure.unit})", rangemode="tozero")
    return _layout(fig, f"{measure.title} over time", subtitle, demo, 520)


def small_multiples_figure(
    data: pd.DataFrame, measure: Measure, subtitle: str, demo: bool, reference: str
) -> go.Figure:
    """One panel per district with shared axes; the authority line repeated in every panel."""
    from plotly.subplots import make_subplots

    scale = measure.multiplier
    years = list(dict.fromkeys(data.sort_values("year_code")["year"]))
    areas = [a for a in dict.fromkeys(data["series"]) if a != reference]
    cols = 4
    rows = max(1, -(-len(areas) // cols))
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True,
                        subplot_titles=[a.split(" (")[0] for a in areas],
                        vertical_spacing=0.09, horizontal_spacing=0.03)  # fmt: skip
    ref = data[data["series"] == reference].set_index("year").reindex(years)
    for k, name in enumerate(areas):
        r, c = k // cols + 1, k % cols + 1
        part = data[data["series"] == name].set_index("year").reindex(years)
        fig.add_trace(go.Scatter(x=years, y=ref["value"] * scale, mode="lines",
                                 line=dict(color="#8c8c8c", dash="dot", width=1.5),
                                 name=reference, showlegend=k == 0, legendgroup="ref",
                                 connectgaps=False, hoverinfo="skip"), row=r, col=c)  # fmt: skip
        fig.add_trace(go.Scatter(
            x=years, y=part["value"] * scale, mode="lines+markers", connectgaps=False,
            line=dict(color="#0b0c0c", width=2), marker=dict(size=4),
            error_y=dict(type="data", symmetric=False,
                         array=(part["upper"] - part["value"]) * scale,
                         arrayminus=(part["value"] - part["lower"]) * scale,
                         thickness=1, width=0, color="#505a5f"),
            name="District (95% interval)", showlegend=k == 0, legendgroup="district",
            hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>",
        ), row=r, col=c)  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years,
                     tickangle=-90, tickfont=dict(size=9))  # fmt: skip
    fig.update_yaxes(rangemode="tozero")
    fig = _layout(fig, f"{measure.title}: districts", subtitle, demo, 260 * rows + 200)
    return fig


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
        colour, label = result_style(m, result, comp.benchmark_name)
        fig.add_trace(go.Scattermap(
            lat=part["latitude"], lon=part["longitude"], mode="markers", name=label,
            marker=dict(size=10, color=colour), hovertext=_hover(m, part), hoverinfo="text",
            customdata=part["unit"],
        ))  # fmt: skip
    fig.update_layout(map=dict(style="carto-positron", center=KENT_CENTRE, zoom=8))
    return _layout(fig, f"{m.title}: settings", subtitle, demo, 620)


GROUP_COLOURS = ["#0b0c0c", "#0072B2", "#8c8c8c", "#56B4E9"]


def distribution_figure(data: pd.DataFrame, title: str, subtitle: str, demo: bool,
                        order: list[str]) -> go.Figure:  # fmt: skip
    """Shares of settings by grade for several groups side by side. Grades are categories in
    their own framework's order; groups (selection, Kent, published) get neutral colours and
    every bar is labelled with its percentage."""
    fig = go.Figure()
    for i, (group, part) in enumerate(data.groupby("group", sort=False)):
        part = part.set_index("grade_label").reindex(order)
        fig.add_trace(go.Bar(
            y=order, x=part["share"] * 100, orientation="h", name=group,
            marker=dict(color=GROUP_COLOURS[i % 4],
                        pattern=dict(shape=["", "/", ".", "x"][i % 4])),
            text=[f"{v:.0%}" if pd.notna(v) else "" for v in part["share"]],
            textposition="outside",
            hovertext=[f"{group}: {n:.0f} settings" if pd.notna(n) else f"{group}: published"
                       for n in part.get("settings", pd.Series(index=part.index))],
            hoverinfo="text",
        ))  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], title="")
    fig.update_xaxes(title="% of settings", range=[0, 105])
    return _layout(fig, title, subtitle, demo, 300 + 34 * len(order) * data["group"].nunique())


def bar_share_figure(table: pd.DataFrame, by: str, title: str, subtitle: str, demo: bool):
    """Share of settings holding an award, with 95% intervals, by district or phase."""
    t = table.sort_values("share")
    fig = go.Figure(go.Bar(
        y=t[by], x=t["share"] * 100, orientation="h", marker_color="#6f777b",
        error_x=dict(type="data", symmetric=False, array=(t["upper"] - t["share"]) * 100,
                     arrayminus=(t["share"] - t["lower"]) * 100, color="#0b0c0c"),
        text=[f"{a:.0f} of {n:.0f}" for a, n in zip(t["any_award"], t["settings"], strict=True)],
        textposition="inside", name="Settings holding a current IQM or CPLD award",
    ))  # fmt: skip
    fig.update_xaxes(title="% of settings (95% interval)")
    return _layout(fig, title, subtitle, demo, 220 + 28 * len(t))


def groups_figure(units: pd.DataFrame, measure: Measure, title: str, subtitle: str, demo: bool,
                  x_title: str = "") -> go.Figure:  # fmt: skip
    """A few groups' values with 95% intervals (holders/others, or years around an award)."""
    u = units.dropna(subset=["value"])
    scale = measure.multiplier
    fig = go.Figure(go.Scatter(
        x=[str(x) for x in u["unit"]], y=u["value"] * scale, mode="markers+lines"
        if x_title else "markers",
        marker=dict(size=11, color="#0b0c0c",
                    symbol=["circle-open" if f == "u" else "circle" for f in u["flag"]]),
        line=dict(color="#6f777b", dash="dot"),
        error_y=dict(type="data", symmetric=False, array=(u["upper"] - u["value"]) * scale,
                     arrayminus=(u["value"] - u["lower"]) * scale, color="#0b0c0c"),
        name=measure.short_title,
    ))  # fmt: skip
    fig.update_xaxes(type="category", title=x_title)
    fig.update_yaxes(title=f"{measure.short_title} ({measure.unit})", rangemode="tozero")
    return _layout(fig, title, subtitle, demo, 420)


# ------------------------------------------------------------------------- EHC plans (LA)

AREA_STYLE = {"authority": ("#0b0c0c", "solid"), "national": ("#0072B2", "dash"),
              "regional": ("#8c8c8c", "dot")}  # fmt: skip


def ehcp_lines_figure(wide: pd.DataFrame, y: str, y_title: str, title: str, subtitle: str,
                      demo: bool, pct: bool = False, band: tuple[str, str] | None = None,
                      hover_den: str | None = None) -> go.Figure:  # fmt: skip
    """One line per area (authority, region, England) over periods; optional 95% band."""
    fig = go.Figure()
    scale = 100 if pct else 1
    for level, part in wide.groupby("area_level", sort=False):
        colour, dash = AREA_STYLE[level]
        name = part["area_name"].iloc[0]
        if band and level == "authority":
            xs = list(part["period"])
            fig.add_trace(go.Scatter(
                x=xs + xs[::-1],
                y=list(part[band[1]] * scale) + list(part[band[0]][::-1] * scale),
                fill="toself", fillcolor=_rgba(colour, 0.15), line=dict(width=0),
                mode="lines", hoverinfo="skip", name=f"{name}: 95% interval",
            ))  # fmt: skip
        hover = None
        if hover_den:
            hover = [
                f"{name}, {p}: {v * scale:.1f}{'%' if pct else ''} of {d:,.0f}"
                for p, v, d in zip(part["period"], part[y], part[hover_den], strict=True)
            ]
        fig.add_trace(go.Scatter(
            x=part["period"], y=part[y] * scale, name=name, mode="lines+markers",
            line=dict(color=colour, dash=dash, width=2.5), hovertext=hover,
            hoverinfo="text" if hover else None,
        ))  # fmt: skip
    fig.update_xaxes(type="category", title="")
    fig.update_yaxes(title=y_title, rangemode="tozero")
    return _layout(fig, title, subtitle, demo, 460)


def placement_figure(long: pd.DataFrame, subtitle: str, demo: bool) -> go.Figure:
    """Placement shares over time, one panel per placement, authority beside England."""
    from plotly.subplots import make_subplots

    places = list(dict.fromkeys(long["placement"]))
    fig = make_subplots(rows=1, cols=len(places), subplot_titles=places, shared_yaxes=False)
    shown = set()
    for c, place in enumerate(places, start=1):
        for level, part in long[long["placement"] == place].groupby("area_level", sort=False):
            colour, dash = AREA_STYLE[level]
            name = part["area"].iloc[0]
            fig.add_trace(go.Scatter(
                x=part["period"], y=part["share"] * 100, mode="lines+markers", name=name,
                line=dict(color=colour, dash=dash, width=2), legendgroup=name,
                showlegend=name not in shown,
                hovertext=[f"{name}, {p}: {s:.1%} ({n:,.0f} of {a:,.0f} plans)" for p, s, n, a
                           in zip(part["period"], part["share"], part["plans"],
                                  part["all_plans"], strict=True)],
                hoverinfo="text",
            ), row=1, col=c)  # fmt: skip
            shown.add(name)
    fig.update_xaxes(type="category", tickangle=-60, tickfont=dict(size=10))
    fig.update_yaxes(rangemode="tozero")  # every panel from zero: no exaggerated wiggles
    fig.update_yaxes(title_text="% of plans", col=1)
    return _layout(fig, "Where children and young people with EHC plans are placed", subtitle,
                   demo, 470)  # fmt: skip


def dotplot_figure(wide: pd.DataFrame, label: str, pct: bool, subtitle: str, demo: bool):
    """Every authority as a dot; this authority, its region and England highlighted. Sorted
    by nothing but value along one axis: no rank numbers."""
    scale = 100 if pct else 1
    fig = go.Figure()
    styles = {
        "Other authorities": dict(symbol="circle", size=8, color="#b1b4b6"),
        "Same region": dict(symbol="circle-open", size=9, color="#0072B2"),
        "This authority": dict(symbol="star", size=18, color="#0b0c0c"),
    }
    rng = np.random.default_rng(7)
    for group, style in styles.items():
        part = wide[wide["group"] == group]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["value"] * scale, y=rng.uniform(-0.3, 0.3, len(part)) if group !=
            "This authority" else [0] * len(part), mode="markers+text" if group ==
            "This authority" else "markers", text=part["area_name"] if group ==
            "This authority" else None, textposition="top center", marker=style, name=group,
            hovertext=[f"{n}: {v * scale:,.1f}{'%' if pct else ''}" for n, v in
                       zip(part["area_name"], part["value"], strict=True)], hoverinfo="text",
        ))  # fmt: skip
    for group, dash in (("England", "solid"), ("Region", "dash")):
        part = wide[wide["group"] == group]
        if not part.empty:
            v = part["value"].iloc[0] * scale
            fig.add_vline(x=v, line=dict(color="#505a5f", dash=dash, width=2))
            name = f"{part['area_name'].iloc[0]}: {v:,.1f}{'%' if pct else ''}"
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name,
                                     line=dict(color="#505a5f", dash=dash, width=2)))  # fmt: skip
    fig.update_yaxes(visible=False, range=[-1, 1])
    fig.update_xaxes(title=label)
    return _layout(fig, f"{label}: every English authority", subtitle, demo, 380)


def context_figure(series: pd.DataFrame, band: pd.DataFrame, title: str, unit: str,
                   subtitle: str) -> go.Figure:  # fmt: skip
    """An authority over time beside its statistical neighbours (a band from lowest to
    highest, with their median), its region and England. Published figures only: never
    stamped as demo data."""
    fig = go.Figure()
    years = list(band["year_label"])
    have = band["count"] > 0
    xs = [y for y, h in zip(years, have, strict=True) if h]
    lows = band.loc[have, "min"].tolist()
    highs = band.loc[have, "max"].tolist()
    if xs:
        fig.add_trace(go.Scatter(
            x=xs + xs[::-1], y=highs + lows[::-1], fill="toself",
            fillcolor=_rgba("#56B4E9", 0.25), line=dict(width=0), mode="lines",
            hoverinfo="skip", name="Statistical neighbours: lowest to highest",
        ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=xs, y=band.loc[have, "median"], mode="lines", name="Neighbours' median",
            line=dict(color="#0072B2", dash="dot", width=2),
            hovertext=[f"Neighbours' median, {y}: {m:,.2f} ({int(c)} authorities)"
                       for y, m, c in zip(xs, band.loc[have, "median"], band.loc[have, "count"],
                                          strict=True)], hoverinfo="text",
        ))  # fmt: skip
    styles = {"england": ("#505a5f", "dash", 2), "region": ("#8c8c8c", "dashdot", 2),
              "authority": ("#0b0c0c", "solid", 4)}  # fmt: skip
    for role, (colour, dash, width) in styles.items():
        part = series[series["role"] == role]
        if part.empty:
            continue
        name = str(part["area_name"].iloc[0])
        fig.add_trace(go.Scatter(
            x=part["year_label"], y=part["value"], mode="lines+markers", name=name,
            line=dict(color=colour, dash=dash, width=width),
            hovertext=[f"{name}, {y}: " + ("not published" if pd.isna(v) else
                                                        f"{v:,.2f}")
                       for y, v in zip(part["year_label"], part["value"], strict=True)],
            hoverinfo="text",
        ))  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, title="")
    fig.update_yaxes(title=unit, rangemode="tozero")
    return _layout(fig, title, subtitle, False, 470)


def context_dots_figure(latest: pd.DataFrame, title: str, unit: str, subtitle: str) -> go.Figure:
    """One year: every area as a dot along one axis, ordered by value, labelled by name and
    never numbered; the authority, its region and England marked apart."""
    part = latest[latest["value"].notna()]
    marks = {"neighbour": dict(symbol="circle", size=11, color="#56B4E9"),
             "authority": dict(symbol="star", size=18, color="#0b0c0c"),
             "region": dict(symbol="diamond", size=12, color="#8c8c8c"),
             "england": dict(symbol="square", size=12, color="#505a5f")}  # fmt: skip
    names = {"neighbour": "Statistical neighbour", "authority": None, "region": None,
             "england": None}  # fmt: skip
    fig = go.Figure()
    for role, marker in marks.items():
        rows = part[part["role"] == role]
        if rows.empty:
            continue
        label = names[role] or str(rows["area_name"].iloc[0])
        fig.add_trace(go.Scatter(
            x=rows["value"], y=[str(n) for n in rows["area_name"]], mode="markers",
            marker=marker, name=label,
            hovertext=[f"{n!s}: {v:,.2f}"
                       for n, v in zip(rows["area_name"], rows["value"], strict=True)],
            hoverinfo="text",
        ))  # fmt: skip
    order = [str(n) for n in part["area_name"]]
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order, title="")
    fig.update_xaxes(title=unit, rangemode="tozero")
    return _layout(fig, title, subtitle, False, 120 + 32 * len(part))
