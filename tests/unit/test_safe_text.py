"""Text from data is shown as the characters it holds: in Markdown, in Plotly and in CSVs."""

import io

import pandas as pd
import plotly.graph_objects as go
from hypothesis import given
from hypothesis import strategies as st

from dashboard.core import safe_text
from dashboard.core.safe_text import JOINER, md
from dashboard.views import exports


def test_markdown_links_images_html_and_directives_are_escaped():
    assert md("![t](http://h/x.png)") == f"!\\[t\\](http{JOINER}://h/x.png)"
    assert md("[Re-login](https://h)") == f"\\[Re-login\\](https{JOINER}://h)"
    assert md("<a href=x>y</a>") == "\\<a href=x\\>y\\</a\\>"
    assert md(":red[alarm] **bold** _it_ `code` $x$ ~~s~~ |t|") == (
        ":red\\[alarm\\] \\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\$x\\$ \\~\\~s\\~\\~ \\|t\\|"
    )
    assert md("www.evil.example") == f"www{JOINER}.evil.example"
    assert md("head@school.example") == f"head{JOINER}@school.example"
    assert (
        md("Folkestone and Hythe: 11,763 (2023/24).") == "Folkestone and Hythe: 11,763 (2023/24)."
    )
    assert md(None) == "" and md("a\nb") == "a b"


@given(st.text(max_size=60))
def test_escaped_markdown_has_no_unescaped_link_or_tag_openers(text):
    out = md(text)
    for ch in "[]<>`*_":
        for i, c in enumerate(out):
            if c == ch:
                assert i > 0 and out[i - 1] == "\\", (text, out)


def test_plotly_text_keeps_the_apps_layout_tags_and_shows_data_tags_as_text():
    assert safe_text.plotly_text("<b>Title</b><br>sub") == "<b>Title</b><br>sub"
    assert safe_text.plotly_text('<a href="http://h">x</a>') == '&lt;a href="http://h">x&lt;/a>'
    fig = go.Figure(go.Bar(x=["<a href='http://h'>A</a>", "B"], y=[1, 2], name="<i>ok</i>"))
    fig.update_layout(title="<b>T</b> <img src=x>")
    clean = safe_text.figure(fig)
    assert clean["data"][0]["x"] == ["&lt;a href='http://h'>A&lt;/a>", "B"]
    assert clean["data"][0]["name"] == "<i>ok</i>"
    assert clean["layout"]["title"]["text"] == "<b>T</b> &lt;img src=x>"


def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed():
    table = pd.DataFrame(
        {"unit": ["+1+1", "=HYPERLINK(\"http://h\")", "-2", "@SUM(A1)", "\tx", "Dover"],
         "value": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0]}
    )  # fmt: skip
    out = pd.read_csv(io.BytesIO(exports.table_csv(table)))
    assert out["unit"].tolist() == ["'+1+1", "'=HYPERLINK(\"http://h\")", "'-2", "'@SUM(A1)",
                                    "'\tx", "Dover"]  # fmt: skip
    assert out["value"].tolist() == [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0]  # numbers untouched
    meta = exports.ExportMeta(title="t", filters="f", definition="d", source="s", year="y",
                              caveats=(), method="m", demo=True)  # fmt: skip
    assert b"'+1+1" in exports.csv_bytes(table, meta)
