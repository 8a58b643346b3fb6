from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = str(ROOT / "dashboard" / "app.py")
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture()
def app(demo_db, monkeypatch):
    """An AppTest of the entry script over the test-built demo database."""
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(demo_db))

    def make(**query) -> AppTest:
        at = AppTest.from_file(ENTRY, default_timeout=60)
        for k, v in query.items():
            at.query_params[k] = v
        return at

    return make


def texts(at) -> str:
    """All visible text of a run, for assertions about what a user reads."""
    parts = []
    for kind in (
        "markdown",
        "caption",
        "warning",
        "info",
        "error",
        "title",
        "header",
        "subheader",
        "metric",
        "exception",
    ):
        for el in at.get(kind):
            parts.append(str(getattr(el, "value", "")))
            if kind == "metric":
                parts.append(str(el.label))
    return "\n".join(parts)


def values(v):
    """Plotly's JSON may pack arrays as {'dtype', 'bdata'}; unpack to a list (None for NaN)."""
    import base64

    import numpy as np

    if isinstance(v, dict) and "bdata" in v:
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        return [None if isinstance(x, float) and np.isnan(x) else x for x in arr.tolist()]
    return v


def computed_beside_published(at, item: str):
    """Open Kent in context at an item and return (visible text, the table of computed figures
    beside published ones): what an officer reads and what the CSV holds."""
    at.switch_page("../pages/context.py").run()
    at.selectbox(key="context_item").set_value(item).run()
    assert not at.exception
    frame = next((d.value for d in at.dataframe if "published" in d.value.columns), None)
    return texts(at), frame


def group_link(demo_db) -> str:
    """A link token for two groups of demo primaries with published EHC plan figures."""
    import duckdb

    from dashboard.figures import groups

    con = duckdb.connect(str(demo_db), read_only=True)
    found = con.execute(
        "select distinct f.urn from published_facts f join settings s using (urn) "
        "where s.la_code = '886' and s.phase = 'Primary' and f.year_code = 202425 "
        "and f.input = 'ehcp' and f.missing_reason is null order by f.urn limit 24"
    ).fetchall()
    urns = [r[0] for r in found]
    con.close()
    g = groups.Groups("test", (("Triad <b>North</b>", tuple(urns[:12])),
                               ("Cluster *South*", tuple(urns[12:]))))  # fmt: skip
    token = groups.encode(g)
    assert token is not None  # 24 settings fit in a link
    return token
