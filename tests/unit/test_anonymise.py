"""Neutral labels for a room of headteachers: every setting name in an export's figure,
table and captions becomes Setting A, B…, one lettering for chart and CSV alike, and URNs are
left out; the briefing pack says so on its About slide."""

import io

import pytest

from dashboard.core import catalogue
from dashboard.core.filters import Selection
from dashboard.figures import comparison
from dashboard.store import db
from dashboard.views import anonymise, charts, exports, presentation
from tests.unit.test_exports import needs_renderer

SEL = Selection(202324, "E07000113", "primary", "Swale")


@pytest.fixture(scope="module")
def named(demo_db):
    con = db.connect(demo_db)
    try:
        comp = comparison.compare(db.fetcher(con), catalogue.get("suspension_rate"), SEL,
                                  "settings")  # fmt: skip
        names = con.execute("select name from settings").df()["name"]
    finally:
        con.close()
    return comp, names


def test_letters_run_like_spreadsheet_columns():
    assert [anonymise.letters(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA"]  # fmt: skip


def test_table_figure_and_captions_lose_every_name_and_urn(named):
    comp, names = named
    table = presentation.comparison_table(comp, True)
    shown = list(comp.shown["label"])
    fig = charts.interval_figure(comp, presentation.chart_subtitle(comp), True).to_plotly_json()
    meta = presentation.export_meta(comp.measure, f"Suspensions at {shown[0]}", "Swale",
                                    SEL.year_label, True,
                                    summary=presentation.comparison_summary(comp))  # fmt: skip
    labels = anonymise.Labels(names)
    out = anonymise.table(table, labels)
    fig2, meta2 = anonymise.figure(fig, labels), anonymise.meta(meta, labels)
    assert "code" not in out.columns  # the URNs
    # the table's order decides the letters, and the chart uses the same ones
    assert list(out["unit"][:3]) == ["Setting A", "Setting B", "Setting C"]
    assert labels.given[table["unit"].iloc[0]] == "Setting A"
    text = repr(out.to_dict()) + repr(fig2) + repr(meta2)
    leaked = [n for n in set(names) if n in text]
    assert not leaked, leaked[:5]
    assert "customdata" not in repr(fig2)
    assert meta2.title == "Suspensions at " + labels.given[shown[0]]
    assert anonymise.NOTE in meta2.notes
    assert "Setting A" in repr(fig2)


@needs_renderer
def test_the_briefing_pack_applies_the_choice_and_says_so(named):
    from pptx import Presentation

    comp, names = named
    fig = charts.interval_figure(comp, "s", True).to_plotly_json()
    meta = presentation.export_meta(comp.measure, "Suspensions", "Swale", SEL.year_label, True,
                                    summary=presentation.comparison_summary(comp))  # fmt: skip
    items = [exports.PackItem(fig, meta)]
    for labels, expected in ((anonymise.Labels(names), anonymise.NOTE),
                             (None, "Settings are named as published")):  # fmt: skip
        deck = Presentation(io.BytesIO(exports.briefing_pack(items, "Briefing", exports.about(),
                                                             True, labels=labels)))  # fmt: skip
        text = "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes
                         if s.has_text_frame)  # fmt: skip
        assert expected in text
        if labels is not None:
            assert not [n for n in set(names) if n in text]


def test_a_name_is_replaced_only_where_it_stands_as_words_of_its_own():
    labels = anonymise.Labels(["e", "Comp", "St Mary's (C of E)"])
    assert labels.text("comparator: Kent primary") == "comparator: Kent primary"
    assert labels.text("Comp Primary comparator") == "Setting A Primary comparator"
    assert labels.text("St Mary's (C of E), Dover") == "Setting B, Dover"
    assert labels.text("Cinderhaven e-learning") == "Cinderhaven Setting C-learning"  # a word


def test_file_names_carry_no_urn():
    name = anonymise.file_name("profile-140013-sen-support-pct.png")
    assert name == "profile-sen-support-pct.png"
    assert anonymise.file_name("similar-990402-ehcp_pct.csv") == "similar-ehcp-pct.csv"
    assert anonymise.file_name("kent-compare-2023-24.csv") == "kent-compare-2023-24.csv"
