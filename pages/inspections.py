"""Inspections: latest outcomes for the selection beside Kent and published figures, kept apart
by framework, time since the last inspection, and labelled estimates of inspections due."""

import pandas as pd
import streamlit as st

from dashboard.core import catalogue, clock, home
from dashboard.core.safe_text import md
from dashboard.figures import inspections
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components.export import chart_exports
from dashboard.ui.components.filters import current_selection
from dashboard.views import presentation

selection = current_selection()
demo = cache.is_demo()
st.title("Inspections")
st.info(
    "Ofsted's frameworks are kept apart and never merged onto one scale: overall effectiveness "
    "(graded 1–4, to August 2024), key judgements (September 2024 – November 2025) and report "
    "cards with five-point evaluation areas including **inclusion** (from November 2025)."
)
today = clock.today()
labels = {
    "today": f"Today ({today:%d %B %Y})",
    "year_end": f"End of {selection.year_label} (31 August {selection.year_end.year})",
}
when = st.radio(
    "Inspections as at", list(labels), format_func=labels.get, horizontal=True, key="ins_when"
)
as_of = today if when == "today" else selection.year_end


rows, mine, theirs, since, est = cache.inspection_summaries(selection, as_of)
if rows.empty:
    st.info(
        f"There are no settings open on {as_of:%d %B %Y} in this selection "
        f"({md(selection.label)}). Widen the filters or choose another year."
    )
    st.stop()
bench = cache.published_figures()
published = bench[bench["measure_id"].str.startswith("latest_grade_")]
grade_names = {
    "outstanding": "Outstanding",
    "good": "Good",
    "ri": "Requires improvement",
    "inadequate": "Inadequate",
}
measure = catalogue.get("good_or_better_pct")
st.caption(f"Latest inspections on or before {as_of:%d %B %Y} of settings open then.")
if note := inspections.staleness_note(rows, as_of):
    st.warning(note)

for framework in inspections.FRAMEWORK_LABELS.values():
    st.header(framework)
    if framework not in mine:
        st.info("No inspections under this framework for this selection by this date.")
        continue
    ours, k = mine[framework], theirs.get(framework, pd.DataFrame())
    areas = list(dict.fromkeys(ours["area"]))
    if len(areas) > 1:  # one area's chart at a time; every area's shares in the table below
        default = next((a for a in ("Inclusion", "Quality of education") if a in areas), areas[0])
        shown_area = st.selectbox(f"{framework}: area", areas, index=areas.index(default),
                                  key=f"ins_area_{framework[:12]}")  # fmt: skip
        with st.expander("Every area as a table"):
            st.dataframe(ours.pivot_table(index="area", columns="grade_label", values="share",
                                          sort=False).round(3),
                         width="stretch")  # fmt: skip
        ours = ours[ours["area"] == shown_area]
    for area, part in ours.groupby("area", sort=False):
        groups = [
            part.assign(group=f"{selection.area_label} ({selection.phase_option.label.lower()})")
        ]
        if not selection.is_whole_authority and not k.empty:
            groups.append(
                k[k["area"] == area].assign(
                    group=f"{home.current().name} ({selection.phase_option.label.lower()})"
                )
            )
        if area == "Overall effectiveness" and selection.phase == "all":
            for name, g in published.groupby("area_name"):
                groups.append(
                    pd.DataFrame(
                        {
                            "area": area,
                            "grade_label": [grade_names[m.split("_")[2]] for m in g["measure_id"]],
                            "share": g["value"].to_numpy(),
                            "settings": float("nan"),
                            "group": f"{name}, all schools (published, {g['vintage'].iloc[0]})",
                        }
                    )
                )
        data = pd.concat(groups, ignore_index=True)
        order = list(part["grade_label"])
        title = f"{area}: latest outcome"
        fig = cache.distribution_figure(data, title, selection.label, demo, tuple(order))
        chart.show(fig, key=f"ins_{framework}_{area}")
        n = int(part["settings"].sum())
        words = "; ".join(f"{r.grade_label} {r.share:.0%}" for r in part.itertuples())
        st.caption(f"In words: {md(area)}, {n} settings — {md(words)}.")
        meta = presentation.export_meta(
            measure,
            title,
            f"{selection.label} · {framework}",
            selection.year_label,
            demo,
            summary=words,
        )
        table = data[["group", "area", "grade_label", "settings", "share"]]
        chart_exports(fig, meta, table, f"ins_{len(framework)}_{area[:20]}".replace(" ", "_"))
    if framework.startswith("Overall") and selection.phase != "all":
        st.caption(
            f"Published {md(home.current().name)}, regional and England figures cover all "
            "schools, so they appear only when all phases are selected."
        )

st.header("Time since last inspection")
bands = pd.cut(
    since["years_since"],
    [0, 1, 2, 3, 4, 5, 100],
    labels=["under 1", "1–2", "2–3", "3–4", "4–5", "5 or more"],
    right=False,
)
counts = bands.value_counts().reindex(bands.cat.categories, fill_value=0)
never = int(since["inspection_date"].isna().sum())
since_fig = cache.since_inspection_figure(
    tuple(counts.index.astype(str)), tuple(int(v) for v in counts.values)
)
chart.show(since_fig, key="ins_since")
st.caption(
    f"In words: of {len(since)} settings, "
    + ", ".join(f"{v} {k} years" for k, v in counts.items())
    + f"; {never} not yet inspected."
)

st.header("Estimated next inspection")
st.warning(
    f"**Estimates only**, from {inspections.GUIDANCE}. The guidance predates the September "
    "2024 and November 2025 framework changes, so no estimate is given for settings last "
    "inspected under them."
)
applies = est[est["applies"]]
st.markdown(f"The guidance gives an estimate for {len(applies)} of {len(est)} settings.")
st.dataframe(
    applies.rename(
        columns={"name": "Setting", "estimate": "Likely next inspection", "rule": "Rule applied"}
    ).drop(columns=["applies"]),
    hide_index=True,
    width="stretch",
)
