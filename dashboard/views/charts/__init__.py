"""Plotly figure builders, by family (style, comparison, series, maps, pilot, EHC plans,
context). No Streamlit: each returns a go.Figure that pages draw and tests read.

Meaning is never carried by colour alone: shape says higher/lower/similar, hollow markers say
"low reliability", and flagged units are labelled by name. Palettes are colour-blind safe
(Okabe–Ito); context measures use greys, never a better/worse scheme.
"""

from dashboard.views.charts.comparison import funnel_figure, highlight, interval_figure
from dashboard.views.charts.context import context_dots_figure, context_figure
from dashboard.views.charts.ehcp import (
    AREA_STYLE,
    age_figure,
    dotplot_figure,
    ehcp_lines_figure,
    placement_figure,
)
from dashboard.views.charts.expected import expected_funnel_figure
from dashboard.views.charts.inspections import since_inspection_figure
from dashboard.views.charts.maps import (
    CONTEXT_SCALE,
    DIVERGING_SCALE,
    KENT_CENTRE,
    RESULT_MARK,
    boundary_map_figure,
    hex_map_figure,
    setting_map_figure,
    tiled_setting_map,
)
from dashboard.views.charts.pilot import (
    GROUP_COLOURS,
    bar_share_figure,
    distribution_figure,
    groups_figure,
)
from dashboard.views.charts.series import (
    SERIES_STYLE,
    TREND_COLOURS,
    TREND_DASHES,
    series_figure,
    small_multiples_figure,
    trend_figure,
)
from dashboard.views.charts.style import (
    BETTER,
    COMPARATOR,
    CONTEXT_FLAGGED,
    FONT,
    MAX_LABELS,
    SIMILAR,
    SYMBOLS,
    WORSE,
    layout,
    result_style,
)

__all__ = [
    "AREA_STYLE",
    "BETTER",
    "COMPARATOR",
    "CONTEXT_FLAGGED",
    "CONTEXT_SCALE",
    "DIVERGING_SCALE",
    "FONT",
    "GROUP_COLOURS",
    "KENT_CENTRE",
    "MAX_LABELS",
    "RESULT_MARK",
    "SERIES_STYLE",
    "SIMILAR",
    "SYMBOLS",
    "TREND_COLOURS",
    "TREND_DASHES",
    "WORSE",
    "age_figure",
    "bar_share_figure",
    "boundary_map_figure",
    "context_dots_figure",
    "context_figure",
    "distribution_figure",
    "dotplot_figure",
    "ehcp_lines_figure",
    "expected_funnel_figure",
    "funnel_figure",
    "groups_figure",
    "hex_map_figure",
    "highlight",
    "interval_figure",
    "layout",
    "placement_figure",
    "result_style",
    "series_figure",
    "setting_map_figure",
    "since_inspection_figure",
    "small_multiples_figure",
    "tiled_setting_map",
    "trend_figure",
]
