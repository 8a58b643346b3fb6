"""Exported images, CSVs and slide packs carry their context and nothing suppressed."""

import io

import pandas as pd
import pytest
from PIL import Image

from dashboard.core import catalogue
from dashboard.core.config import DEMO_NOTICE
from dashboard.core.filters import Selection
from dashboard.figures import comparison
from dashboard.store import db
from dashboard.views import charts, exports, presentation

pytestmark = pytest.mark.clock  # today's date reaches these pages and exports

RENDER_OK, WHY = exports.rendering_available()
needs_renderer = pytest.mark.skipif(not RENDER_OK, reason=f"no static rendering: {WHY}")
SEL = Selection(202324, "E07000113", "primary", "Swale")


@pytest.fixture(scope="module")
def suppressed_comparison(demo_db):

    con = db.connect(demo_db)
    comp = comparison.compare(
        db.fetcher(con), catalogue.get("sen_suspension_ratio"), SEL, "settings"
    )
    con.close()
    assert (comp.units.flag == "c").any()
    return comp


def _meta(comp, demo=True):
    return presentation.export_meta(comp.measure, "Suspension ratio: intervals",
                                    presentation.chart_subtitle(comp), SEL.year_label, demo,
                                    summary=presentation.comparison_summary(comp))  # fmt: skip


def test_export_figure_draws_context_into_the_image(suppressed_comparison):
    comp = suppressed_comparison
    meta = _meta(comp)
    fig = exports.export_figure(charts.interval_figure(comp, "s", True), meta)
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert DEMO_NOTICE in notes and "Source: " in notes and "Caveat: Pilot measure" in notes
    assert "Swale" in fig.layout.title.text and (fig.layout.width, fig.layout.height) == (1600, 900)
    plain = exports.export_figure(charts.interval_figure(comp, "s", False), _meta(comp, False))
    assert DEMO_NOTICE not in " ".join(a.text for a in plain.layout.annotations)


@needs_renderer
def test_png_and_svg(suppressed_comparison):
    comp = suppressed_comparison
    fig = charts.interval_figure(comp, "s", True)
    png = exports.png(fig, _meta(comp))
    assert Image.open(io.BytesIO(png)).size == (1600, 900)
    svg = exports.svg(fig, _meta(comp)).decode()
    assert svg.startswith("<svg") and "Demo data" in svg and "Source:" in svg
    hidden = comp.units[comp.units.flag == "c"]["label"]
    shown = comp.shown["label"]
    assert any(name in svg for name in shown)
    assert not [name for name in hidden if name in svg]  # suppressed settings are not drawn


def test_csv_has_demo_notice_and_no_suppressed_values(suppressed_comparison):
    comp = suppressed_comparison
    table = presentation.comparison_table(comp, True)
    csv = pd.read_csv(io.BytesIO(exports.csv_bytes(table, _meta(comp))))
    assert (csv.data_status == DEMO_NOTICE).all()
    c = csv[csv.flag == "c"]
    assert len(c) and c[["numerator", "denominator", "value"]].isna().all().all()


@needs_renderer
def test_briefing_pack(suppressed_comparison):
    from pptx import Presentation

    comp = suppressed_comparison
    items = [
        exports.PackItem(charts.interval_figure(comp, "s", True).to_plotly_json(), _meta(comp)),
        exports.PackItem(charts.funnel_figure(comparison.Comparison(**{**comp.__dict__}), "s",
                                              True).to_plotly_json(),
                         _meta(comp).__class__(**{**_meta(comp).__dict__,
                                                  "title": "Second chart"})),
    ]  # fmt: skip
    data = exports.briefing_pack(items, "Termly briefing", exports.about(), demo=True)
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) == 4  # title, two charts, about
    text = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            for slide in deck.slides]  # fmt: skip
    assert "Termly briefing" in text[0] and DEMO_NOTICE in text[0]
    assert text[1].startswith("Suspension ratio: intervals") and "Second chart" in text[2]
    assert "Source: " in text[1] and "Caveat: " in text[1] and DEMO_NOTICE in text[1]
    assert "About these data" in text[3]
    pictures = [s for s in deck.slides[1].shapes if s.shape_type == 13]
    assert len(pictures) == 1
    for name in comp.units[comp.units.flag == "c"]["label"]:
        assert all(name not in t for t in text)


def test_rendering_unavailable_is_explained(monkeypatch):
    monkeypatch.setattr(exports.shutil, "which", lambda name: None)
    ok, why = exports.rendering_available()
    assert not ok and "Chromium" in why
    with pytest.raises(RuntimeError, match="Images cannot be made"):
        exports.render({"data": [], "layout": {}}, exports.ExportMeta("t", "f", "d", "s", "y"),
                       "png")  # fmt: skip
