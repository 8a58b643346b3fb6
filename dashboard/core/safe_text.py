"""Text that comes from data (setting names, types, district and area names, URL parameters),
made safe for each place it is shown. A GIAS file, a URL or a CSV cell is outside our control:
a name like `[Re-login](http://…)` must appear as those characters, never as a live link, an
image fetched from elsewhere or a spreadsheet formula.

- `md`: for Streamlit Markdown (st.markdown, captions, alerts): every Markdown, HTML and
  Streamlit-directive character is backslash-escaped, so the text renders as written.
- `figure`: for Plotly, whose text is a small HTML dialect (`<a href>`, `<b>`…): any tag other
  than the few layout tags this app writes itself is shown as text. Applied once to every
  figure a page draws or exports.
- `csv_frame` / `csv_text`: for CSV downloads and slide tables, OWASP's advice against formula
  injection: a text cell starting with = + - @ or a tab or carriage return gets a leading '.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

# characters that start emphasis, code, links and images, HTML, tables, strikethrough, maths
# and entities; escaping "[" also disarms Streamlit's :colour[...] directives
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~$&])")
# Streamlit's Markdown (remark-gfm) turns bare addresses and e-mail addresses into links
# after parsing, so no escape stops it; an invisible WORD JOINER (U+2060) between "http" and
# "://", "www" and ".", or before "@" leaves the text looking the same but no longer an address
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(:|\.)|(\w)(@)")
JOINER = "\u2060"
# layout tags the app's own chart code writes; anything else in Plotly text is data
_OWN_TAGS = r"/?(?:b|i|br|sup|sub|em|extra)\s*/?"
_FOREIGN_TAG = re.compile(rf"<(?!{_OWN_TAGS}>)")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Plotly properties that never hold display text (colours, modes, ids): left alone
_NOT_TEXT = {"color", "colorscale", "mode", "type", "hoverinfo", "uid", "xref", "yref",
             "xanchor", "yanchor", "textposition", "legendgroup", "customdata", "ids",
             "selectedpoints", "geojson", "featureidkey", "locations", "style"}  # fmt: skip


def md(value: object) -> str:
    """`value` as Markdown that renders exactly as the characters it holds."""
    text = "" if value is None else str(value)
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: (m[1] or m[3]) + JOINER + (m[2] or m[4]), text)
    return text.replace("\n", " ").replace("\r", " ")


def plotly_text(value: str) -> str:
    """A string for Plotly with every tag the app did not write shown as text."""
    return _FOREIGN_TAG.sub("&lt;", value)


def _clean(node: Any, key: str = "") -> Any:
    if isinstance(node, str):
        return node if key in _NOT_TEXT else plotly_text(node)
    if isinstance(node, dict):
        return {k: _clean(v, k) for k, v in node.items()}
    if isinstance(node, list | tuple):
        if key in _NOT_TEXT:
            return node
        return [_clean(v, key) for v in node]
    if hasattr(node, "dtype") and getattr(node.dtype, "kind", "") == "O":  # numpy text array
        return [_clean(v, key) for v in node.tolist()]
    return node


def figure(fig: Any) -> dict:
    """A Plotly figure (or its dict) as a dict whose every display string is safe."""
    data = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else fig
    return _clean(data)


def csv_text(value: object) -> object:
    """One cell for a CSV or a slide table: text that a spreadsheet would run as a formula is
    prefixed with a quote; numbers and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` with every text cell (and column name) made safe by `csv_text`."""
    out = table.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_text)
    out.columns = [csv_text(str(c)) for c in out.columns]
    return out
