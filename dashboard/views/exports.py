"""Chart images (PNG, SVG) with their context drawn in, and the PowerPoint briefing pack.

A chart that leaves the app carries its title, filters, definition, method, caveats, source,
academic year and (for the demo database) the demo notice inside the image itself, so a slide
can never lose them. Figures arrive already disclosure-controlled from the data layer.
"""

from __future__ import annotations

import io
import shutil
import threading
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import clock, home, safe_text
from dashboard.core.config import DEMO_NOTICE
from dashboard.views import anonymise
from dashboard.views.export_meta import ExportMeta

WIDTH, HEIGHT = 1600, 900  # 16:9, sharp on a projected slide
_server_lock = threading.Lock()
_server_started = False


def rendering_available() -> tuple[bool, str]:
    """Whether static images can be made here, and if not, why (shown to the user)."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False, "the kaleido package is not installed"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")
            or shutil.which("google-chrome")):  # fmt: skip
        return False, "no Chromium browser is installed (apt-get install -y chromium)"
    return True, ""


def _ensure_server() -> None:
    """One long-lived Chromium for all images: ~0.3 s an image instead of ~3.5 s."""
    global _server_started
    with _server_lock:
        if not _server_started:
            import kaleido

            kaleido.start_sync_server(silence_warnings=True)
            _server_started = True


def export_figure(fig: go.Figure | dict, meta: ExportMeta) -> go.Figure:
    """A slide-sized copy of the figure with its context drawn into the image."""
    out = go.Figure(safe_text.figure(fig))
    footer = [safe_text.plotly_text(line) for line in meta.footer_lines()]
    demo_line = f"<b>{DEMO_NOTICE}</b>" if meta.demo else ""
    bottom = 70 + 19 * (len(footer) + (1 if demo_line else 0)) + 60
    title = (
        f"<b>{safe_text.plotly_text(meta.title)}</b><br>"
        f"<span style='font-size:15px'>{safe_text.plotly_text(meta.filters)}</span>"
    )
    out.update_layout(
        width=WIDTH,
        height=HEIGHT,
        title=dict(text=title, x=0.01, xanchor="left", y=0.97, yanchor="top"),
        margin=dict(l=80, r=40, t=110, b=bottom),
        legend=dict(orientation="h", yref="paper", y=1.01, yanchor="bottom", x=0),
        font=dict(size=14),
    )
    out.add_annotation(
        text="<br>".join([*footer, demo_line] if demo_line else footer),
        xref="paper", yref="paper", x=0, y=-(bottom - 20) / (HEIGHT - 110 - bottom),
        xanchor="left", yanchor="bottom", align="left", showarrow=False,
        font=dict(size=13, color="#0b0c0c"),
    )  # fmt: skip
    if meta.demo:
        out.add_annotation(
            text=f"<b>{DEMO_NOTICE.upper()}</b>", xref="paper", yref="paper", x=1, y=1.09,
            xanchor="right", yanchor="bottom", showarrow=False,
            font=dict(size=16, color="#d4351c"),
        )  # fmt: skip
    return out


def render(fig: go.Figure | dict, meta: ExportMeta, fmt: str) -> bytes:
    """PNG or SVG bytes of the annotated figure. Raises RuntimeError naming why if impossible."""
    ok, why = rendering_available()
    if not ok:
        raise RuntimeError(f"Images cannot be made on this machine: {why}.")
    _ensure_server()
    return export_figure(fig, meta).to_image(format=fmt, width=WIDTH, height=HEIGHT)


def png(fig, meta: ExportMeta) -> bytes:
    return render(fig, meta, "png")


def svg(fig, meta: ExportMeta) -> bytes:
    return render(fig, meta, "svg")


def table_csv(table: pd.DataFrame) -> bytes:
    """The one way a table becomes a CSV download: UTF-8, no index, and no cell a spreadsheet
    would run as a formula (`safe_text.csv_frame`)."""
    return safe_text.csv_frame(table).to_csv(index=False).encode("utf-8")


def csv_bytes(table, meta: ExportMeta) -> bytes:
    out = table.copy()
    if meta.demo and "data_status" not in out:
        out["data_status"] = DEMO_NOTICE
    return table_csv(out)


# ------------------------------------------------------------------------- briefing pack


@dataclass(frozen=True)
class PackItem:
    figure: dict
    meta: ExportMeta


def briefing_pack(
    items: list[PackItem],
    title: str,
    about: list[str],
    demo: bool,
    generated: date | None = None,
    labels: anonymise.Labels | None = None,
) -> bytes:
    """A PowerPoint file: title slide, one slide per chart (image, caption, caveats, source)
    and a closing 'About these data' slide. With `labels`, every setting name becomes a
    neutral label (one lettering across the whole pack) and the About slide says so."""
    if labels is not None:
        items = [PackItem(anonymise.figure(i.figure, labels), anonymise.meta(i.meta, labels))
                 for i in items]  # fmt: skip
        about = [*about, anonymise.NOTE]
    else:
        about = [*about, "Settings are named as published (the presenter did not ask for "
                 "neutral labels)."]  # fmt: skip
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    generated = generated or clock.today()  # the dashboard's today: fixed for a reproducible pack
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    red = RGBColor(0xD4, 0x35, 0x1C)

    def text_box(slide, left, top, width, height, paragraphs, size=14, bold_first=False,
                 colour=None):  # fmt: skip
        frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width),
                                         Inches(height)).text_frame  # fmt: skip
        frame.word_wrap = True
        for i, text in enumerate(paragraphs):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.text = text
            p.font.size = Pt(size)
            p.font.bold = bold_first and i == 0
            if colour is not None:
                p.font.color.rgb = colour
        return frame

    def demo_footer(slide):
        if demo:
            text_box(slide, 0.4, 7.0, 12.5, 0.4, [DEMO_NOTICE], size=12, colour=red)

    slide = deck.slides.add_slide(blank)
    text_box(slide, 0.8, 2.4, 11.7, 1.4, [title], size=40, bold_first=True)
    heading = f"{home.current().name} inclusion dashboard · {generated:%d %B %Y}"
    text_box(slide, 0.8, 3.9, 11.7, 0.6, [heading], size=20)
    if demo:
        text_box(slide, 0.8, 4.6, 11.7, 0.6, [DEMO_NOTICE], size=20, colour=red)
    for item in items:
        slide = deck.slides.add_slide(blank)
        m = item.meta
        text_box(slide, 0.4, 0.2, 12.5, 0.6, [m.title], size=24, bold_first=True)
        image = png(item.figure, m)
        slide.shapes.add_picture(io.BytesIO(image), Inches(0.4), Inches(0.85),
                                 height=Inches(4.9))  # fmt: skip
        caption = [f"{m.filters} · {m.year}", m.summary or m.definition]
        caveats = [f"Caveat: {c}" for c in m.caveats[:2]] + [f"Source: {m.source}"]
        text_box(slide, 0.4, 5.8, 12.5, 1.2, caption + caveats, size=11)
        demo_footer(slide)
        slide.notes_slide.notes_text_frame.text = "\n".join(
            [m.definition, m.method, *m.caveats, *m.notes]
        )
    slide = deck.slides.add_slide(blank)
    text_box(slide, 0.4, 0.3, 12.5, 0.7, ["About these data"], size=26, bold_first=True)
    text_box(slide, 0.4, 1.1, 12.5, 5.8, about, size=13)
    demo_footer(slide)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def about() -> list[str]:
    """The About slide's method notes, naming the home authority."""
    return [ABOUT[0], ABOUT[1].replace("{home}", home.current().possessive), *ABOUT[2:]]


ABOUT = [
    "Every figure shows its numerator, denominator and a 95% interval (Wilson for proportions, "
    "Byar/exact Poisson for rates, Newcombe for differences, log scale for ratios).",
    "Comparisons are with {home} figure for the same phase; 'not significantly different' "
    "means the interval includes it. Funnel-plot flags use 99.8% limits when many settings are "
    "compared, to limit false alarms.",
    "Disclosure control: counts of 1 or 2 are suppressed (c) with everything built on them; "
    "figures on fewer than 10 pupils are marked low reliability (u).",
    "Context measures (SEN support, EHC plans) are neither good nor bad. Pilot measures are "
    "under discussion and not established indicators.",
    "Quality marks are opt-in and paid for: no award does not mean not inclusive.",
]
