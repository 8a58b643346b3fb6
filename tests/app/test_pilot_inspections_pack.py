"""Pilot measures and quality marks, Inspections, Briefing pack, User guide, Accessibility."""

import json

import pytest

from dashboard.core import catalogue
from dashboard.views import exports
from tests.app.conftest import texts

pytestmark = pytest.mark.clock  # today's date reaches these pages and exports


def _page(app, page, **query):
    at = app(**query)
    at.run()
    at.switch_page(f"../pages/{page}").run()
    return at


def test_pilot_page_labels_every_pilot_and_the_register(app):
    at = _page(app, "pilot.py", year="2023-24", phase="primary")
    assert not at.exception
    body = texts(at)
    for m in catalogue.load():
        if m.is_pilot:
            assert m.definition in body
    assert "Pilot measures — under discussion" in body
    assert "opt-in and paid for" in body and "selection" in body
    register = at.dataframe[-1].value
    assert len(register) == 37 and set(register["URN"]) == {"not matched"}
    assert "No figures are attached" in body


def test_holders_beside_others_says_whether_they_differ(app):
    at = _page(app, "pilot.py", year="2024-25")
    at.selectbox(key="qm_measure").set_value("persistent_absence_pct").run()
    assert not at.exception
    body = texts(at)
    assert "Award holders" in body and ("not significantly different" in body
                                        or "a significant difference" in body)  # fmt: skip


def test_inspections_keep_frameworks_apart(app):
    at = _page(app, "inspections.py", district="E07000113")
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    titles = [s["layout"].get("title", {}).get("text", "") for s in specs]
    assert any(t.startswith("Overall effectiveness: latest outcome") for t in titles)
    assert any(t.startswith("Inclusion: latest outcome") for t in titles)
    for s in specs:
        cats = set()
        for trace in s["data"]:
            if trace.get("type") == "bar" and trace.get("orientation") == "h":
                cats |= set(trace["y"])
        assert not (cats & {"Good", "Outstanding"} and cats & {"Exceptional", "Expected standard"})
    assert "Estimates only" in texts(at)


def test_inspections_as_at_year_end(app):
    at = _page(app, "inspections.py", year="2018-19")
    at.radio(key="ins_when").set_value("year_end").run()
    assert not at.exception
    assert "No inspections under this framework" in texts(at)  # report cards did not exist


def test_published_grades_shown_only_for_all_phases(app):
    at = _page(app, "inspections.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert any("South East" in t["name"] for t in spec["data"])
    at = _page(app, "inspections.py", phase="primary")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert not any("South East" in t["name"] for t in spec["data"])


def test_briefing_pack_orders_and_removes(app):
    at = _page(app, "briefing_pack.py")
    assert "empty" in texts(at)
    meta = [exports.ExportMeta(f"Chart {i}", "f", "d", "s", "2023/24") for i in range(3)]
    at.session_state["pack"] = [exports.PackItem({"data": [], "layout": {}}, m) for m in meta]
    at.run()
    assert "1. Chart 0" in texts(at)
    at.button(key="down_0").click().run()
    assert "1. Chart 1" in texts(at) and "2. Chart 0" in texts(at)
    at.button(key="remove_2").click().run()
    assert "Chart 2" not in texts(at)
    assert at.get("download_button")


def test_add_to_pack_from_a_chart(app):
    at = _page(app, "compare.py", measure="ehcp_pct", level="districts")
    at.button(key="pack_compare_intervals_ehcp_pct").click().run()
    assert len(at.session_state["pack"]) == 1
    assert at.session_state["pack"][0].meta.title.endswith("values with intervals")


def test_user_guide_worked_examples_and_accessibility_statement(app):
    at = _page(app, "user_guide.py")
    body = texts(at)
    assert "5.0%" in body and "2.7% to 9.0%" in body  # 10 of 200, Wilson interval
    at = _page(app, "accessibility.py")
    body = texts(at)
    assert "Reporting a problem" in body and "partially" in body


def test_briefing_pack_shows_names_as_text_not_markdown(app):
    """A setting name in a chart title is listed as written: no live link, no remote image."""
    at = _page(app, "briefing_pack.py")
    link, image = "[Re-login](http://trap.invalid/x)", "![i](http://trap.invalid/i.png)"
    meta = exports.ExportMeta(f"Suspensions at {link}", image, "d", "s", "2023/24")
    at.session_state["pack"] = [exports.PackItem({"data": [], "layout": {}}, meta)]
    at.run()
    item = next(m.value for m in at.markdown if "Suspensions at" in m.value)
    assert "\\[Re-login\\]" in item and "!\\[i\\]" in item
    assert "](http" not in item.replace("\\]", "")
