"""The Compare page for measures of every model, at every level, and when most is suppressed."""

import json
import re

import pytest

from tests.app.conftest import group_link, texts


def _compare(app, **query):
    at = app(**query)
    at.run()
    at.switch_page("../pages/compare.py").run()
    return at


@pytest.mark.parametrize(
    "measure",
    ["sen_support_pct", "perm_exclusion_rate", "persistent_absence_pct", "sen_pa_gap_pp",
     "sen_suspension_ratio", "ehcp_concentration"],
)  # fmt: skip
@pytest.mark.parametrize("level", ["settings", "districts", "phases"])
def test_compare_renders(app, measure, level):
    at = _compare(app, year="2023-24", district="E07000110", phase="primary", measure=measure,
                  level=level)  # fmt: skip
    assert not at.exception
    body = texts(at)
    assert "Source:" in body and "Demo data — fictional settings and figures" in body
    assert at.dataframe  # the table beside the charts


def test_funnel_plot_names_the_comparator_and_both_limits(app):
    at = _compare(app, year="2023-24", district="E07000113", phase="primary",
                  measure="suspension_rate", level="settings")  # fmt: skip
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t.get("name", "") for t in spec["data"]]
    assert "95% control limits" in names and "99.8% control limits" in names
    assert any(n.startswith("Kent primary:") for n in names)
    assert "Kent primary" in spec["layout"]["title"]["text"]


def test_mostly_suppressed_selection_says_so(app):
    at = _compare(app, year="2023-24", district="E07000113", phase="primary",
                  measure="sen_suspension_ratio", level="settings")  # fmt: skip
    assert not at.exception
    assert any("Most values in this selection are suppressed" in w.value for w in at.warning)


def test_measure_and_level_are_in_the_url(app):
    at = _compare(app, measure="ehcp_pct", level="districts")
    at.selectbox(key="cmp_measure").set_value("suspension_rate").run()
    assert at.query_params["measure"] == "suspension_rate"
    assert at.query_params["level"] == "districts"


def test_unknown_measure_in_url_falls_back(app):
    at = _compare(app, measure="<script>alert(1)</script>")
    assert not at.exception
    assert any("not recognised" in w.value for w in at.warning)


def test_neighbours_without_national_rows_never_show_nan(app):
    """Only Kent is loaded in the demo: England cannot be computed, and the caption says so
    rather than printing a missing number."""
    at = app(year="2023-24", phase="primary", measure="sen_support_pct", level="authorities")
    at.run()
    at.switch_page("../pages/compare.py").run()
    assert not at.exception
    body = texts(at)
    assert not re.search(r"\bnan\b", body, re.IGNORECASE)
    assert "No comparator: England primary (computed) has no figure for 2023/24" in body
    assert "England is not computed" in body
    # nor does the chart's subtitle name a comparator it does not draw
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"].count("no comparator") == 1


def test_the_flag_level_follows_the_catalogue_rule_and_another_is_said(app):
    """Districts are judged at 95% (as on the Overview and the Map), settings at 99.8%; a
    reader who picks the other level is told that other pages judge differently."""
    at = _compare(app, year="2024-25", phase="primary", measure="suspension_rate",
                  level="districts")  # fmt: skip
    flag = at.radio(key="cmp_flag_areas")
    assert flag.value == 0.95 and "the dashboard's rule" in flag.format_func(0.95)
    assert "as you chose" not in " ".join(w.value for w in at.warning)
    # the funnel's markers and the caption say how districts are judged: by their interval
    body = texts(at)
    assert "Triangles mark the units called higher or lower by their own 95% interval" in body
    assert "where their 95% interval excludes the comparator" in body
    flag.set_value(0.998).run()
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    assert "at 99.8%, as you chose" in said and "judged at 95%" in said
    settings = _compare(app, year="2024-25", phase="primary", measure="suspension_rate",
                        level="settings")  # fmt: skip
    assert settings.radio(key="cmp_flag_settings").value == 0.998
    body = texts(settings)
    assert "Points outside the limits are drawn as triangles" in body
    assert "units are flagged beyond the 99.8% limits" in body


def test_groups_shared_by_link_are_compared_like_districts(app, demo_db):
    token = group_link(demo_db)
    at = _compare(app, year="2024-25", phase="primary", measure="ehcp_pct", level="groups",
                  groups=token)  # fmt: skip
    assert not at.exception
    assert at.radio(key="cmp_level").value == "groups"
    body = texts(at)
    assert "Comparator: Kent primary" in body and "groups" in body
    table = next(d.value for d in at.dataframe if len(d.value) == 2)
    labels = set(table.iloc[:, 0].astype(str))
    assert any("North" in v and "(12 settings)" in v for v in labels), labels
    # names from a file are shown as text: no HTML, no Markdown emphasis
    assert "Triad \\<b\\>North\\</b\\> (12)" in body and "Cluster \\*South\\* (12)" in body
    assert "<b>North" not in body
    assert at.query_params["groups"] == [token] or at.query_params["groups"] == token


def test_without_groups_the_level_is_not_offered_and_a_broken_link_says_so(app):
    at = app(year="2024-25", phase="primary", groups="not-a-real-token")
    at.run()  # the page the link opens says so, and the damaged groups are dropped
    assert not at.exception
    assert "Groups in the link: the groups in this link could not be read" in texts(at)
    assert "groups" not in at.query_params
    at.switch_page("../pages/compare.py").run()
    assert not at.exception
    assert "groups" not in at.radio(key="cmp_level").options


def test_the_overview_shows_your_groups_with_the_figures_compare_shows(app, demo_db):
    token = group_link(demo_db)
    at = app(year="2024-25", phase="primary", groups=token)
    at.run()
    assert not at.exception
    assert "Your groups of settings" in [s.value for s in at.subheader]
    table = at.dataframe[-1].value
    assert list(table["Group"]) == ["Triad <b>North</b> (12 settings)",
                                    "Cluster *South* (12 settings)"]  # fmt: skip
    cell = table.set_index("Group").loc["Triad <b>North</b> (12 settings)", "EHC plan"]
    at.switch_page("../pages/compare.py").run()
    at.radio(key="cmp_level").set_value("groups").run()
    compare = next(d.value for d in at.dataframe if len(d.value) == 2)
    row = compare[compare.iloc[:, 0].astype(str).str.startswith("Triad")].iloc[0]
    assert cell.startswith(f"{row['value']:.1f}% ({row['lower_95']:.1f}% to "
                           f"{row['upper_95']:.1f}%)"), (cell, row.to_dict())  # fmt: skip
