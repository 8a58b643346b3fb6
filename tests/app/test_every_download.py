"""Every way out of the app goes through the one export path. Walking every page with the
presenter's neutral-labels switch on, every download a page offers (CSV, the figure and caption
behind each PNG and SVG, the briefing pack) holds no setting name and no URN, and no text cell a
spreadsheet would run as a formula; Streamlit's own table toolbar offers no download at all."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from tests.app.conftest import ENTRY, PAGES

FORMULAS = ('=HYPERLINK("http://trap.invalid","{}")', "+1+1 {}", "@SUM(1) {}", "-2+3 {}")


@pytest.fixture(scope="module")
def hostile_db(demo_db, tmp_path_factory) -> tuple[Path, dict[int, str]]:
    """The demo with every Kent setting renamed to a name that starts like a formula."""
    path = tmp_path_factory.mktemp("hostile") / "demo.duckdb"
    shutil.copy(demo_db, path)
    con = duckdb.connect(str(path))
    rows = con.execute("select urn, name from settings order by urn").fetchall()
    names = {urn: FORMULAS[i % len(FORMULAS)].format(name) for i, (urn, name) in enumerate(rows)}
    con.executemany("update settings set name = ? where urn = ?",
                    [(n, u) for u, n in names.items()])  # fmt: skip
    con.close()
    return path, names


@pytest.fixture()
def recorded(monkeypatch) -> list[dict[str, Any]]:
    """Every download button a run draws, with what it would hand the user."""
    calls: list[dict[str, Any]] = []
    original = DeltaGenerator.download_button

    def record(self, label, data, file_name=None, mime=None, *args, **kwargs):
        calls.append({"label": label, "data": data, "file_name": file_name, "mime": mime})
        return original(self, label, data, file_name, mime, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    # `st.download_button` is bound to the main area when Streamlit is imported
    monkeypatch.setattr(st, "download_button", partial(record, st._main))
    return calls


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list | tuple):
        for v in node:
            yield from _strings(v)
    elif hasattr(node, "__dataclass_fields__"):
        for f in node.__dataclass_fields__:
            yield from _strings(getattr(node, f))
    elif hasattr(node, "tolist"):
        yield from _strings(node.tolist())


def _contents(call: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """(texts, CSV rows) a download would give: a CSV's cells; for an image, every text in the
    figure and caption it is drawn from; for the pack, what its slides say."""
    data = call["data"]
    if call["mime"] == "text/csv":
        raw = data() if callable(data) else data
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
        return [c for r in rows for c in r], rows
    if isinstance(data, partial) and data.func.__name__ in ("png", "svg"):
        return list(_strings(data.args)), []
    if call["file_name"].endswith(".pptx"):
        from pptx import Presentation

        deck = Presentation(io.BytesIO(data() if callable(data) else data))
        texts = [
            run.text
            for slide in deck.slides
            for shape in slide.shapes
            if shape.has_text_frame
            for p in shape.text_frame.paragraphs
            for run in p.runs
        ]
        tables = [
            [c.text for c in row.cells]
            for slide in deck.slides
            for shape in slide.shapes
            if shape.has_table
            for row in shape.table.rows
        ]
        return texts + [c for r in tables for c in r], tables
    raise AssertionError(f"a download this test does not know how to read: {call['file_name']}")


def _walk(recorded, neutral: bool, tmp_db) -> list[dict[str, Any]]:
    """Open every page at the whole authority and at a district's settings, adding a chart to
    the briefing pack on the way, then open the pack."""
    from streamlit.testing.v1 import AppTest

    seen: list[dict[str, Any]] = []
    urn = next(iter(tmp_db[1]))
    for page in PAGES:
        for query in ({}, {"district": "E07000108", "phase": "primary", "level": "settings",
                           "year": "2023-24", "urn": str(urn)}):  # fmt: skip
            at = AppTest.from_file(ENTRY, default_timeout=120)
            for k, v in query.items():
                at.query_params[k] = v
            at.session_state["anonymise_exports"] = neutral
            at.run()
            at.switch_page(f"../pages/{page}").run()
            assert not at.exception, (page, query)
            if page == "compare.py" and query:
                pack_buttons = [b for b in at.button if b.label == "Add to briefing pack"]
                pack_buttons[0].click().run()
                at.switch_page("../pages/briefing_pack.py").run()
                assert not at.exception
            seen += [dict(c, page=page) for c in recorded]
            recorded.clear()
    return seen


@pytest.mark.parametrize("neutral", [True, False], ids=["neutral-labels", "names-shown"])
def test_every_download_is_escaped_and_anonymised(hostile_db, recorded, monkeypatch, neutral):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(hostile_db[0]))
    names = hostile_db[1]
    calls = _walk(recorded, neutral, hostile_db)
    kinds = {c["file_name"].rsplit(".", 1)[-1] for c in calls}
    assert {"csv", "png", "svg", "pptx"} <= kinds, kinds  # the walk reached every kind
    urn_pattern = re.compile("|".join(rf"(?<!\d){u}(?!\d)" for u in names))
    for call in calls:
        texts, rows = _contents(call)
        where = (call["page"], call["file_name"])
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "@")), (where, cell)
                if cell.startswith("-"):
                    assert re.fullmatch(r"-[\d.,%]+", cell), (where, cell)  # a number only
        if neutral:
            assert not urn_pattern.search(call["file_name"]), where
            for text in texts:
                assert not any(n in text for n in names.values()), (where, text)
                assert not urn_pattern.search(text), (where, text)
    if neutral:
        # the neutral labels did stand in for the names somewhere: the walk saw settings
        assert any("Setting A" in t for c in calls for t in _contents(c)[0])


def test_the_table_toolbar_offers_no_download():
    """Streamlit's dataframe toolbar has its own CSV download and copy, outside the export
    path; the shipped settings turn both off (and the app refuses to serve data if not)."""
    from streamlit import config

    assert config.get_option("client.disableDataExport") is True
